//! # wicas-store — the chain's state
//!
//! Versioned key-value state with a Merkle root (the app hash), ICS-23 membership and
//! non-membership proofs, read-only snapshots at a version, and crash-safe commits, in one redb
//! file ([`Storage`]). Chain modules read and write through the [`StateRead`] / [`StateWrite`]
//! traits, so the same module code runs over a block's write overlay ([`StateDelta`]), a
//! [`Snapshot`] for queries, or [`MemState`] in unit tests.
//!
//! Layout (cnidarium's): keys `"<prefix>/…"` for a configured prefix ([`SubstoreConfig`]) live
//! in that substore's Jellyfish Merkle tree, all others in the [`DEFAULT_SUBSTORE`]; a root tree
//! maps substore names to substore roots, and its root is the app hash. Proofs come one per
//! level (substore, then root), as IBC expects (DESIGN.md §6).
//!
//! Invariants:
//! - a commit writes all tree nodes, values and the new version in one redb transaction: a
//!   process killed at any point reopens at the last committed version with the same root;
//! - the root depends only on the set of (key, value) pairs, never on write order;
//! - a snapshot never changes after it was taken;
//! - iteration is always in key byte order; nothing here reads a clock or iterates a hash map.
//!
//! It must never panic on bad input or a bad file: every failure is a [`StoreError`].
//!
//! ```
//! use wicas_store::{StateRead, StateWrite, Storage};
//! # let dir = tempfile::tempdir()?;
//! let store = Storage::open(dir.path().join("state.redb"))?; // version 0: empty state
//! let mut block = store.new_delta()?; // overlay on the latest snapshot
//! block.put_raw(b"bank/balances/alice".to_vec(), b"100".to_vec());
//! let mut submsg = block.fork(); // rolled back unless applied
//! submsg.delete(b"bank/balances/alice");
//! drop(submsg);
//! let app_hash = store.commit(block)?; // version 1, atomically
//! let (value, proofs) = store.latest_snapshot()?.get_with_proof(b"bank/balances/alice")?;
//! assert_eq!(value.as_deref(), Some(&b"100"[..]));
//! assert!(wicas_store::verify_proofs(store.config(), &app_hash, b"bank/balances/alice", value.as_deref(), &proofs));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod config;
mod delta;
mod error;
mod history;
mod mem;
mod merge;
mod proof;
mod shared;
mod snapshot;
mod storage;
mod tables;
mod traits;

pub use config::{CHAIN_SUBSTORES, DEFAULT_SUBSTORE, MAX_SUBSTORES, SubstoreConfig};
pub use delta::StateDelta;
pub use error::StoreError;
pub use mem::MemState;
pub use proof::{proof_specs, verify_proofs};
pub use shared::SharedDelta;
pub use snapshot::Snapshot;
pub use storage::{ChangeSet, PreparedVersion, Storage};
pub use traits::{KvIter, Order, StateRead, StateWrite, prefix_end};

/// The `ics23` crate this store's proofs are made with (re-exported so verifiers use the same
/// version).
pub use ics23;
