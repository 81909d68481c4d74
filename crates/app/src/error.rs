//! A transaction's failure, with its ABCI codespace and code.

use crate::ai::AiError;
use crate::bank::BankError;
use crate::gas::OutOfGas;
use crate::state::StateError;
use crate::tx::AnteError;

/// Why a transaction failed. Ante failures change nothing; message failures keep only the ante's
/// effects (fee paid, sequence bumped), as in the Cosmos SDK.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TxError {
    /// Refused by decoding or the ante handler.
    #[error(transparent)]
    Ante(#[from] AnteError),
    /// A bank message failed.
    #[error(transparent)]
    Bank(#[from] BankError),
    /// An `ai` message or inference failed.
    #[error(transparent)]
    Ai(#[from] AiError),
    /// Messages used more gas than the limit.
    #[error(transparent)]
    OutOfGas(#[from] OutOfGas),
    /// State could not be read.
    #[error(transparent)]
    State(#[from] StateError),
}

impl TxError {
    /// (codespace, code) as CometBFT reports them.
    pub fn code(&self) -> (&'static str, u32) {
        match self {
            Self::Ante(e) => ("sdk", e.code()),
            Self::Bank(e) => ("sdk", e.code()),
            Self::Ai(e) => ("ai", e.code()),
            Self::OutOfGas(_) => ("sdk", 11),
            Self::State(_) => ("sdk", 1),
        }
    }
}
