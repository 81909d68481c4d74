//! Host errors.

use crate::block_ref::BlockRef;
use crate::error::{BlockError, CommitError, SignBytesError};
use crate::stream::StreamError;

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why the host could not answer consensus.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HostError {
    /// The application failed to execute a decided block: the node must stop.
    #[error("executor: {0}")]
    Executor(#[source] Source),
    /// The decided store failed.
    #[error("store: {0}")]
    Store(#[source] Source),
    /// Consensus asked about a height other than the next one.
    #[error("expected height {expected}, got {got}")]
    WrongHeight {
        /// The next height.
        expected: u64,
        /// Asked.
        got: u64,
    },
    /// A value this node never received or built.
    #[error("unknown value {value}")]
    UnknownValue {
        /// The value.
        value: BlockRef,
    },
    /// The store says a height exists but has no block for it.
    #[error("decided block {height} missing from the store")]
    MissingDecided {
        /// The height.
        height: u64,
    },
    /// The application's committed height cannot be reconciled with the store.
    #[error("application is at height {app}, decided store at {store}")]
    AppOutOfStep {
        /// App height.
        app: u64,
        /// Store height.
        store: u64,
    },
    /// The chain parameters are out of range.
    #[error(transparent)]
    Params(#[from] crate::error::ParamsError),
    /// Building or decoding a block failed.
    #[error(transparent)]
    Block(#[from] BlockError),
    /// A certificate did not convert to a commit.
    #[error(transparent)]
    Commit(#[from] CommitError),
    /// A proposal stream was refused.
    #[error(transparent)]
    Stream(#[from] StreamError),
    /// Sign bytes could not be built.
    #[error(transparent)]
    SignBytes(#[from] SignBytesError),
    /// Re-executing a stored block gave other results than the first time (non-determinism).
    #[error("re-executing block {height} gave different results")]
    ReplayMismatch {
        /// The height.
        height: u64,
    },
    /// A stored pending proposal does not decode.
    #[error(transparent)]
    Codec(#[from] crate::codec::CodecError),
    /// The engine's network channel is closed.
    #[error("consensus network channel closed")]
    ChannelClosed,
}

impl HostError {
    pub(crate) fn executor(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Executor(Box::new(e))
    }

    pub(crate) fn store(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Store(Box::new(e))
    }
}
