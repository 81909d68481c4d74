//! Why an `ai` operation failed.

use super::{AiParamsError, ModelUnavailable};
use crate::state::StateError;

/// A failed `ai` message or inference request. Every variant except [`AiError::Unavailable`] is
/// deterministic: every validator reaches it for the same input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AiError {
    /// The model id is not `sha256:<64 lower-case hex>`.
    #[error("invalid model id {0:?}: expected sha256:<64 lower-case hex digits>")]
    BadModelId(String),
    /// No model with this hash is registered.
    #[error("unknown model {0}: no model with this hash is registered on chain")]
    UnknownModel(String),
    /// `max_tokens` is zero or above the module's limit.
    #[error("max_tokens {asked} is outside 1..={max}")]
    OutputLimit {
        /// Asked for.
        asked: u32,
        /// The parameter.
        max: u32,
    },
    /// The prompt has more tokens than `max_prompt_tokens`.
    #[error("prompt has {tokens} tokens, the limit is {max}")]
    PromptTooLong {
        /// Tokens in the prompt (after the chat template).
        tokens: u32,
        /// The parameter.
        max: u32,
    },
    /// The request costs more gas than the caller has left; refused before any work.
    #[error("inference needs {needed} gas but only {remaining} remains: out of gas")]
    OutOfGas {
        /// Price of the request.
        needed: u64,
        /// Gas the contract had left.
        remaining: u64,
    },
    /// The block's inference budget cannot cover the request.
    #[error("inference needs {needed} gas but the block's inference budget has {left} left")]
    BlockBudget {
        /// Price of the request.
        needed: u64,
        /// Budget left in this block.
        left: u64,
    },
    /// The engine refused the request (deterministically: prompt too long for the context, …).
    #[error("engine: {0}")]
    Engine(wicas_infer::EngineError),
    /// This node cannot load a registered model: a node fault, never a transaction result.
    #[error(transparent)]
    Unavailable(#[from] ModelUnavailable),
    /// `MsgRegisterModel` from an address that is not the authority.
    #[error("{signer} is not the ai authority ({authority}): unauthorized")]
    Unauthorized {
        /// The signer.
        signer: String,
        /// The authority.
        authority: String,
    },
    /// An invalid `MsgRegisterModel`.
    #[error("invalid model registration: {0}")]
    InvalidRegistration(String),
    /// The model is already registered.
    #[error("model {0} is already registered")]
    AlreadyRegistered(String),
    /// Invalid parameters.
    #[error(transparent)]
    Params(#[from] AiParamsError),
    /// State could not be read.
    #[error(transparent)]
    State(#[from] StateError),
}

impl AiError {
    /// ABCI code in the `ai` codespace.
    pub fn code(&self) -> u32 {
        match self {
            Self::BadModelId(_) => 2,
            Self::UnknownModel(_) => 3,
            Self::OutputLimit { .. } => 4,
            Self::PromptTooLong { .. } => 5,
            Self::OutOfGas { .. } => 6,
            Self::BlockBudget { .. } => 7,
            Self::Engine(_) => 8,
            Self::Unavailable(_) => 9,
            Self::Unauthorized { .. } => 10,
            Self::InvalidRegistration(_) => 11,
            Self::AlreadyRegistered(_) => 12,
            Self::Params(_) => 13,
            Self::State(_) => 1,
        }
    }
}
