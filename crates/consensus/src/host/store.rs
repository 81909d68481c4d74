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

    /// Keeps a proposed block of an undecided height (our own proposal, or a valid one from a
    /// peer) so that a restart mid-height can re-propose the same block and execute a value
    /// the WAL decides. `id` is the block's header hash; `record` is opaque to the store.
    fn put_pending(
        &mut self,
        height: u64,
        id: [u8; 32],
        record: Vec<u8>,
    ) -> Result<(), Self::Error>;

    /// Pending records at `height` or above, in (height, id) order.
    fn pending_from(&self, height: u64) -> Result<Vec<Vec<u8>>, Self::Error>;

    /// Drops pending records at `height` or below (called once `height` is decided).
    fn prune_pending(&mut self, height: u64) -> Result<(), Self::Error>;
}

/// A decided-block store in memory: for tests and for nodes that need not survive a restart.
#[derive(Debug, Default)]
pub struct MemoryDecidedStore {
    blocks: BTreeMap<u64, DecidedBlock>,
    pending: BTreeMap<(u64, [u8; 32]), Vec<u8>>,
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

    fn put_pending(
        &mut self,
        height: u64,
        id: [u8; 32],
        record: Vec<u8>,
    ) -> Result<(), Infallible> {
        self.pending.insert((height, id), record);
        Ok(())
    }

    fn pending_from(&self, height: u64) -> Result<Vec<Vec<u8>>, Infallible> {
        Ok(self
            .pending
            .range((height, [0; 32])..)
            .map(|(_, v)| v.clone())
            .collect())
    }

    fn prune_pending(&mut self, height: u64) -> Result<(), Infallible> {
        self.pending.retain(|(h, _), _| *h > height);
        Ok(())
    }
}
