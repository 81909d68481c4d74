//! Store errors.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The underlying database failed (I/O, corruption).
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
}
