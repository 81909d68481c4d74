//! The synchronous inference path: a contract's `AiQuery::Infer` reaches here through the vm's
//! querier. Gas is charged before any work (DESIGN.md section 8):
//! `base + prompt_tokens·prefill_price + max_tokens·decode_price`.

use sha2::{Digest, Sha256};
use wicas_infer::{GenerateRequest, Generation, Prompt, SamplingParams};
use wicas_store::StateRead;

use super::model::parse_model_id;
use super::{AiError, AiRead, ModelRegistry};
use crate::Address;

/// One inference request from a contract.
#[derive(Debug, Clone, PartialEq)]
pub struct InferCall {
    /// `sha256:<hex>` of a registered model.
    pub model: String,
    /// The prompt.
    pub prompt: Prompt,
    /// Most tokens to generate (charged in full up front).
    pub max_tokens: u32,
    /// Sampling parameters.
    pub sampling: SamplingParams,
}

/// The answer returned to the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferAnswer {
    /// The generation (text, tokens, digest, prompt tokens).
    pub generation: Generation,
    /// Gas charged.
    pub gas_used: u64,
}

/// Per-block state of the inference path: the budget spent and the call counter (seeds).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InferBlockState {
    /// Inference gas charged in this block so far.
    pub gas_used: u64,
    /// Inference calls that reached the engine in this block so far.
    pub calls: u32,
}

/// Where an inference runs: the block (its hash seeds it) and the calling contract.
#[derive(Debug, Clone, Copy)]
pub struct InferSite<'a> {
    /// The block's hash.
    pub block_hash: &'a [u8; 32],
    /// The contract asking.
    pub contract: &'a Address,
    /// Gas the contract has left (in SDK gas units).
    pub gas_remaining: u64,
}

/// The seed of a call: `SHA-256(block_hash ‖ contract address bytes ‖ call_index as u32 BE)`.
/// Every validator executes the block's transactions in the same order, so every validator
/// derives the same seeds.
pub fn inference_seed(block_hash: &[u8; 32], contract: &Address, call_index: u32) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(block_hash);
    h.update(contract.as_bytes());
    h.update(call_index.to_be_bytes());
    h.finalize().into()
}

/// Run one request: check the model and limits, price it, refuse it if the gas or the block's
/// budget cannot pay, then generate.
pub fn infer(
    state: &(impl StateRead + ?Sized),
    registry: &ModelRegistry,
    site: InferSite<'_>,
    block: &mut InferBlockState,
    call: &InferCall,
) -> Result<InferAnswer, AiError> {
    let params = state.ai_params()?;
    let hash =
        parse_model_id(&call.model).ok_or_else(|| AiError::BadModelId(call.model.clone()))?;
    let record = state
        .model(&hash)?
        .ok_or_else(|| AiError::UnknownModel(call.model.clone()))?;
    if call.max_tokens == 0 || call.max_tokens > params.max_output_tokens {
        return Err(AiError::OutputLimit {
            asked: call.max_tokens,
            max: params.max_output_tokens,
        });
    }
    let engine = registry.get(&hash)?;
    // Tokenized once: the engine then generates from these very tokens (what `generate` would
    // tokenize the prompt to anyway), instead of tokenizing the text a second time.
    let tokens = engine.tokenize(&call.prompt).map_err(AiError::Engine)?;
    let prompt_tokens = u32::try_from(tokens.len()).unwrap_or(u32::MAX);
    if prompt_tokens > params.max_prompt_tokens {
        return Err(AiError::PromptTooLong {
            tokens: prompt_tokens,
            max: params.max_prompt_tokens,
        });
    }
    let gas = params
        .base_gas
        .saturating_add(u64::from(prompt_tokens).saturating_mul(record.prefill_price))
        .saturating_add(u64::from(call.max_tokens).saturating_mul(record.decode_price));
    if gas > site.gas_remaining {
        return Err(AiError::OutOfGas {
            needed: gas,
            remaining: site.gas_remaining,
        });
    }
    let budget_left = params.block_inference_gas.saturating_sub(block.gas_used);
    if gas > budget_left {
        return Err(AiError::BlockBudget {
            needed: gas,
            left: budget_left,
        });
    }
    block.gas_used += gas;
    let seed = inference_seed(site.block_hash, site.contract, block.calls);
    block.calls += 1;
    let request = GenerateRequest {
        prompt: Prompt::Tokens(tokens),
        max_tokens: call.max_tokens,
        sampling: call.sampling,
        seed,
    };
    let generation = engine.generate(&request).map_err(AiError::Engine)?;
    Ok(InferAnswer {
        generation,
        gas_used: gas,
    })
}
