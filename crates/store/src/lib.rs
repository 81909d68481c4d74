//! # wicas-store — the chain's state
//!
//! Versioned key-value state with a Merkle root (the app hash), membership proofs, read-only
//! snapshots at a height, and crash-safe commits. Chain modules read and write through the
//! [`StateRead`] / [`StateWrite`] traits, so the same module code runs over a block's write
//! overlay, a snapshot for queries, or [`MemState`] in unit tests.
//!
//! Determinism: iteration is always in key byte order (ascending or descending); nothing here
//! reads a clock or iterates a hash map.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod error;
mod mem;
mod traits;

pub use error::StoreError;
pub use mem::MemState;
pub use traits::{KvIter, Order, StateRead, StateWrite, prefix_end};
