//! Why a `wasm` message failed. Codes follow wasmd's `x/wasm/types/errors.go` (codespace `wasm`).

use crate::bank::BankError;
use crate::state::StateError;

/// A failed `wasm` operation; the whole message (and its submessages) is rolled back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WasmError {
    /// The wasm did not pass the VM's checks or compile (wasmd `ErrCreateFailed`, 2).
    #[error("create wasm contract failed: {0}")]
    CreateFailed(String),
    /// gzip that does not inflate, or inflates past the limit.
    #[error("invalid gzip: {0}")]
    Gzip(String),
    /// Instantiation failed (4).
    #[error("instantiate wasm contract failed: {0}")]
    InstantiateFailed(String),
    /// Execution failed (5).
    #[error("execute wasm contract failed: {0}")]
    ExecuteFailed(String),
    /// Migration failed (11).
    #[error("migrate wasm contract failed: {0}")]
    MigrateFailed(String),
    /// No such code or contract (8).
    #[error("not found: {0}")]
    NotFound(String),
    /// A contract already exists at the derived address (3).
    #[error("contract address {0} already exists")]
    AccountExists(String),
    /// The sender is not the admin (wasmd `ErrUnauthorized` is sdk code 4).
    #[error("{0}: unauthorized")]
    Unauthorized(String),
    /// An invalid message field (10).
    #[error("invalid message: {0}")]
    InvalidMsg(String),
    /// A message a contract emitted that this chain does not support (20).
    #[error("unknown message from the contract: {0}")]
    UnsupportedMsg(String),
    /// The call ran out of gas (sdk code 11).
    #[error("out of gas: {0}")]
    OutOfGas(String),
    /// A submessage with a `gas_limit` used all of it (wasmd: `SubMsg hit gas limit`, sdk code
    /// 11). Unlike [`WasmError::OutOfGas`] it fails only that submessage: a reply on error sees it.
    #[error("SubMsg hit gas limit of {limit}: out of gas")]
    SubMsgOutOfGas {
        /// The submessage's gas limit (SDK gas).
        limit: u64,
    },
    /// Submessage nesting deeper than the limit (wasmd `ErrExceedMaxCallDepth`).
    #[error("max call depth exceeded")]
    CallDepth,
    /// Funds could not be moved.
    #[error(transparent)]
    Bank(#[from] BankError),
    /// State could not be read.
    #[error(transparent)]
    State(#[from] StateError),
}

impl WasmError {
    /// (codespace, code).
    pub fn code(&self) -> (&'static str, u32) {
        match self {
            Self::CreateFailed(_) | Self::Gzip(_) => ("wasm", 2),
            Self::AccountExists(_) => ("wasm", 3),
            Self::InstantiateFailed(_) => ("wasm", 4),
            Self::ExecuteFailed(_) => ("wasm", 5),
            Self::NotFound(_) => ("wasm", 8),
            Self::InvalidMsg(_) => ("wasm", 10),
            Self::MigrateFailed(_) => ("wasm", 11),
            Self::UnsupportedMsg(_) => ("wasm", 20),
            Self::CallDepth => ("wasm", 26),
            Self::Unauthorized(_) => ("sdk", 4),
            Self::OutOfGas(_) | Self::SubMsgOutOfGas { .. } => ("sdk", 11),
            Self::Bank(e) => ("sdk", e.code()),
            Self::State(_) => ("sdk", 1),
        }
    }
}
