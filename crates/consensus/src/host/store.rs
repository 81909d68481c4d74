//! Where decided blocks and their certificates are kept.

use std::collections::BTreeMap;

use malachitebft_app_channel::app::types::core::ExtendedCommitCertificate;
use tendermint::Hash;

use crate::context::WicasContext;

/// A decided height as stored: the encoded block, the certificate that decided it (with vote
/// extensions), and the results hash of executing it (the next header's `last_results_hash`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecidedBlock {
    /// CometBFT protobuf encoding of the block.
    pub block_bytes: Vec<u8>,
    /// The extended commit certificate.
    pub certificate: ExtendedCommitCertificate<WicasContext>,
    /// `results_hash` of the block's tx outcomes.
    pub results_hash: Hash,
}

/// Storage of decided blocks by height.
///
/// Contract: `put` is durable when it returns `Ok`; heights are put in increasing order, each
/// once, except that the certificate of the latest height may be replaced by one with more
/// signatures (`Finalized` after `Decided`).
pub trait DecidedStore: Send + 'static {
    /// The store's error type.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Stores (or replaces, for the latest height) a decided block.
    fn put(&mut self, height: u64, block: DecidedBlock) -> Result<(), Self::Error>;

    /// The decided block at `height`.
    fn get(&self, height: u64) -> Result<Option<DecidedBlock>, Self::Error>;

    /// Lowest height still stored (pruning raises it), `None` when empty.
    fn min_height(&self) -> Result<Option<u64>, Self::Error>;

    /// Highest decided height, `None` when empty.
    fn max_height(&self) -> Result<Option<u64>, Self::Error>;
}

/// A decided-block store in memory: for tests and for nodes that need not survive a restart.
#[derive(Debug, Default)]
pub struct MemoryDecidedStore {
    blocks: BTreeMap<u64, DecidedBlock>,
}

/// [`MemoryDecidedStore`] cannot fail.
#[derive(Debug, thiserror::Error)]
#[error("in-memory store error")]
pub struct Infallible;

impl DecidedStore for MemoryDecidedStore {
    type Error = Infallible;

    fn put(&mut self, height: u64, block: DecidedBlock) -> Result<(), Infallible> {
        self.blocks.insert(height, block);
        Ok(())
    }

    fn get(&self, height: u64) -> Result<Option<DecidedBlock>, Infallible> {
        Ok(self.blocks.get(&height).cloned())
    }

    fn min_height(&self) -> Result<Option<u64>, Infallible> {
        Ok(self.blocks.keys().next().copied())
    }

    fn max_height(&self) -> Result<Option<u64>, Infallible> {
        Ok(self.blocks.keys().next_back().copied())
    }
}
