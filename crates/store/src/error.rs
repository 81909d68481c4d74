//! Store errors.

use std::path::PathBuf;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The underlying database failed (I/O, corruption) during an operation.
    #[error("database error: {0}")]
    Database(String),
    /// A version that was never committed, or was pruned.
    #[error("version {requested} is not available (latest is {latest})")]
    VersionUnavailable {
        /// The version asked for.
        requested: u64,
        /// The latest committed version.
        latest: u64,
    },
    /// The database file could not be opened (missing, unreadable, corrupt, or locked by another
    /// process).
    #[error("cannot open state database {path}: {detail}")]
    Open {
        /// The file asked for.
        path: PathBuf,
        /// What went wrong, from the database.
        detail: String,
    },
    /// A record in the database does not decode: the file is corrupt or from another program.
    #[error("corrupt state database: {what}: {detail}")]
    Corrupt {
        /// Which record.
        what: &'static str,
        /// Why it does not decode.
        detail: String,
    },
    /// A substore prefix is not acceptable.
    #[error("invalid substore prefix {name:?}: {reason}")]
    InvalidSubstore {
        /// The prefix given.
        name: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// The database was created with another substore layout; opening it with this one would
    /// route keys to the wrong trees.
    #[error("substore layout mismatch: database has [{stored}], opened with [{requested}]")]
    SubstoreMismatch {
        /// The layout stored in the database.
        stored: String,
        /// The layout asked for.
        requested: String,
    },
    /// A delta built on an older version cannot be committed: its reads are stale.
    #[error("delta is based on version {base} but the latest version is {latest}")]
    StaleDelta {
        /// The version the delta was built on.
        base: u64,
        /// The latest committed version.
        latest: u64,
    },
    /// A delta from another store was given to `commit`.
    #[error("delta was built on a snapshot of a different store")]
    ForeignDelta,
    /// `apply` was given a delta that was not forked from this one.
    #[error("delta to apply was not forked from this delta")]
    NotAFork,
    /// A shared delta was applied or unwrapped while another handle to it still exists.
    #[error("shared delta is still in use by {handles} other handle(s)")]
    DeltaInUse {
        /// How many other handles exist.
        handles: usize,
    },
    /// The Merkle tree library failed (missing node, inconsistent tree).
    #[error("merkle tree error during {operation}: {detail}")]
    Merkle {
        /// What was being done.
        operation: &'static str,
        /// The library's message.
        detail: String,
    },
    /// No ICS-23 proof can be made for this key.
    #[error("no proof for key {key:?}: {reason}")]
    ProofUnavailable {
        /// The key asked for (lossy UTF-8).
        key: String,
        /// Why.
        reason: &'static str,
    },
}

impl StoreError {
    pub(crate) fn db(e: impl std::fmt::Display) -> Self {
        Self::Database(e.to_string())
    }

    pub(crate) fn merkle(operation: &'static str, e: impl std::fmt::Display) -> Self {
        Self::Merkle {
            operation,
            detail: e.to_string(),
        }
    }
}
