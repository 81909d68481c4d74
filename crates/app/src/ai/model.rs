//! A registered model: identified by the SHA-256 of its GGUF file, priced per token.

/// The on-chain record of a model.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelRecord {
    /// Lower-case hex SHA-256 of the GGUF file.
    pub sha256: String,
    /// Human-readable name.
    pub name: String,
    /// GGUF `general.architecture` (`llama`, `qwen2`, …).
    pub architecture: String,
    /// Gas per prompt token (prefill reads the weights once per token, batched).
    pub prefill_price: u64,
    /// Gas per generated token (decode reads all weights per token).
    pub decode_price: u64,
}

/// A model id as contracts write it: `sha256:<64 hex>` or the bare 64 hex digits.
pub fn parse_model_id(id: &str) -> Option<[u8; 32]> {
    let hexpart = id.strip_prefix("sha256:").unwrap_or(id);
    if hexpart.len() != 64 || hexpart.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let bytes = hex::decode(hexpart).ok()?;
    bytes.try_into().ok()
}

/// `sha256:<hex>`.
pub fn model_id(sha256: &[u8; 32]) -> String {
    format!("sha256:{}", hex::encode(sha256))
}

/// Suggested prices for a model whose per-token weight reads are `weight_bytes`: decode costs
/// one gas per 1000 bytes read (SmolLM2-135M Q4_1 ≈ 95 MB → ≈ 95 000 gas a token, comparable
/// to a few store writes per million bytes); prefill one tenth of that (batched rows reuse each
/// weight read). The authority may register other prices.
pub fn suggested_prices(weight_bytes: u64) -> (u64, u64) {
    let decode = weight_bytes.div_ceil(1000).max(1);
    (decode.div_ceil(10), decode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_ids_parse_in_both_forms_and_refuse_junk() {
        let h = [0xab; 32];
        assert_eq!(parse_model_id(&model_id(&h)), Some(h));
        assert_eq!(parse_model_id(&hex::encode(h)), Some(h));
        assert_eq!(parse_model_id("sha256:abcd"), None);
        assert_eq!(parse_model_id(&hex::encode(h).to_uppercase()), None);
        assert_eq!(parse_model_id(&format!("md5:{}", hex::encode(h))), None);
    }
}
