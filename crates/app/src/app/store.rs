//! What the state machine needs from the node's persistent store.

use wicas_store::{StateRead, StoreError};

use crate::delta::ChangeSet;

/// A versioned store with a Merkle root. The node provides it (the `wicas-store` database);
/// versions are block heights, genesis is version 0.
pub trait CommitStore {
    /// The latest committed version, `None` before genesis was committed.
    fn latest_version(&self) -> Option<u64>;
    /// The root hash (app hash) of the latest commit; all zeros before genesis.
    fn root_hash(&self) -> [u8; 32];
    /// A read view of the latest committed state.
    fn latest(&self) -> Result<Box<dyn StateRead + '_>, StoreError>;
    /// A read view of the state as committed at `version` (for queries at a height).
    fn at_version(&self, version: u64) -> Result<Box<dyn StateRead + '_>, StoreError>;
    /// Atomically write `changes` as `version` and return the new root. A crash before this
    /// returns leaves the previous version intact.
    fn commit(&mut self, version: u64, changes: ChangeSet) -> Result<[u8; 32], StoreError>;
}
