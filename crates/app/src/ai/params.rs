//! `ai` parameters: who may register models and the limits on synchronous inference.

/// Limits and prices of the `ai` module. Defaults are sized for the default model
/// (SmolLM2-135M, DESIGN.md section 11) on the 2-core machines we measure on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AiParams {
    /// Bech32 address allowed to send `MsgRegisterModel` (empty: nobody, until genesis sets it).
    pub authority: String,
    /// Longest prompt, in tokens after the chat template (keeps prefill bounded).
    pub max_prompt_tokens: u32,
    /// Most tokens one synchronous request may generate (DESIGN.md: sync is for short outputs).
    pub max_output_tokens: u32,
    /// Inference gas all transactions of one block may spend together; bounds a block's
    /// inference time whatever the transactions' own limits.
    pub block_inference_gas: u64,
    /// Gas charged per request before any token (covers tokenizing and setup).
    pub base_gas: u64,
}

impl Default for AiParams {
    fn default() -> Self {
        Self {
            authority: String::new(),
            max_prompt_tokens: 1024,
            max_output_tokens: 128,
            block_inference_gas: 200_000_000,
            base_gas: 50_000,
        }
    }
}

/// An invalid `ai` parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AiParamsError {
    /// A limit that must be positive is zero.
    #[error("ai parameter {0} must be positive")]
    Zero(&'static str),
    /// The authority is not a wicas address.
    #[error("ai authority: {0}")]
    Authority(#[from] crate::AddressError),
}

impl AiParams {
    /// Check the parameters.
    pub fn validate(&self) -> Result<(), AiParamsError> {
        if !self.authority.is_empty() {
            crate::Address::from_bech32(&self.authority)?;
        }
        for (name, v) in [
            ("max_prompt_tokens", u64::from(self.max_prompt_tokens)),
            ("max_output_tokens", u64::from(self.max_output_tokens)),
            ("block_inference_gas", self.block_inference_gas),
        ] {
            if v == 0 {
                return Err(AiParamsError::Zero(name));
            }
        }
        Ok(())
    }
}
