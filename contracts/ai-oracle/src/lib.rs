//! # ai-oracle — ask the chain's model, keep the answer
//!
//! Any account executes `Ask { question }`; the contract runs the question through the wicas AI
//! module synchronously (`deps.querier.infer`), stores question, asker, answer and digest under a
//! fresh id, and returns the id as an attribute and as the response data. `Answer { id }` and
//! `Answers { start_after, limit }` read them back.

pub mod contract;
pub mod msg;

use cosmwasm_std::StdError;

/// Every way an execute can fail.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    /// Storage, serialisation or a refused inference.
    #[error("{0}")]
    Std(#[from] StdError),
    /// Empty or over-long question.
    #[error("question must have 1 to {max} bytes, got {len}")]
    InvalidQuestion { len: usize, max: usize },
}
