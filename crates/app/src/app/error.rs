//! Errors of the block lifecycle: misuse by the caller or a node fault. A bad transaction is never
//! an `AppError`; it is a [`super::TxResult`] with a non-zero code.

use wicas_store::StoreError;

use crate::state::StateError;

/// A lifecycle call out of order, a bad genesis, or a store failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// `init_chain` on a store that already holds a chain.
    #[error("the chain is already initialised (latest version {0})")]
    AlreadyInitialized(u64),
    /// A block before `init_chain`.
    #[error("the chain has no genesis yet")]
    NotInitialized,
    /// `begin_block` at the wrong height.
    #[error("expected block height {expected}, got {got}")]
    WrongHeight {
        /// The next height.
        expected: u64,
        /// The height given.
        got: u64,
    },
    /// The header's chain id is not this chain's.
    #[error("block is for chain {got:?}, this is {expected:?}")]
    WrongChain {
        /// Genesis chain id.
        expected: String,
        /// The header's.
        got: String,
    },
    /// `begin_block` while a block is open, or `deliver_tx`/`end_block`/`commit` with none open.
    #[error("{0}")]
    Lifecycle(&'static str),
    /// The genesis file is invalid.
    #[error("invalid genesis: {0}")]
    Genesis(String),
    /// A registered model this node cannot load was needed: stop rather than diverge.
    #[error(transparent)]
    ModelUnavailable(#[from] crate::ai::ModelUnavailable),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// State could not be read.
    #[error(transparent)]
    State(#[from] StateError),
}
