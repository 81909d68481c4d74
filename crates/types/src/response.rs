//! What an inference returns to the contract.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The engine's answer, identical on every validator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InferResponse {
    /// Generated text (end-of-generation tokens are not rendered).
    pub text: String,
    /// Generated token ids, in order.
    pub tokens: Vec<u32>,
    /// Lowercase hex SHA-256 over the generated tokens and every step's logits: the value
    /// validators compare.
    pub digest: String,
    /// Tokens in the prompt after the chat template and BOS.
    pub prompt_tokens: u32,
    /// Gas charged for the inference, in SDK gas units (see [`crate::gas`]).
    pub gas_used: u64,
}
