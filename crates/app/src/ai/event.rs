//! `ai` events.

use super::ModelRecord;
use crate::Event;

/// A model was registered.
pub fn model_registered(r: &ModelRecord) -> Event {
    Event::new("register_model")
        .attr("model", format!("sha256:{}", r.sha256))
        .attr("name", r.name.clone())
        .attr("architecture", r.architecture.clone())
        .attr("prefill_price", r.prefill_price.to_string())
        .attr("decode_price", r.decode_price.to_string())
}

/// An inference ran inside a transaction.
pub fn inference(
    contract: &str,
    model: &str,
    prompt_tokens: usize,
    tokens: usize,
    digest: &[u8; 32],
    gas: u64,
) -> Event {
    Event::new("ai_infer")
        .attr("contract", contract)
        .attr("model", model)
        .attr("prompt_tokens", prompt_tokens.to_string())
        .attr("tokens", tokens.to_string())
        .attr("digest", hex::encode(digest))
        .attr("gas", gas.to_string())
}
