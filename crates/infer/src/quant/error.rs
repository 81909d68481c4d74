//! Errors of the block-format layer.

use super::GgmlType;

/// Why a tensor type or buffer was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuantError {
    /// A type id that ggml does not define (or that this build does not know).
    #[error("unknown GGML tensor type id {id}")]
    UnknownType {
        /// The id read from the file.
        id: u32,
    },
    /// A type ggml defines but this engine does not implement.
    #[error("GGML tensor type {name} (id {id}) is not supported")]
    UnsupportedType {
        /// The id read from the file.
        id: u32,
        /// ggml's name for it.
        name: &'static str,
    },
    /// A row length that is not a whole number of blocks.
    #[error("a {ty} row of {n} elements is not a multiple of the block size {block}")]
    RowNotBlockAligned {
        /// The tensor type.
        ty: GgmlType,
        /// Elements in the row.
        n: usize,
        /// Elements per block of `ty`.
        block: usize,
    },
    /// Bytes for the requested number of elements overflow `usize`.
    #[error("byte size of {n} elements of {ty} overflows")]
    SizeOverflow {
        /// The tensor type.
        ty: GgmlType,
        /// Elements requested.
        n: usize,
    },
    /// A buffer whose length does not match what its shape and type need.
    #[error("{what}: expected {expected} bytes/elements, got {actual}")]
    LengthMismatch {
        /// Which buffer.
        what: &'static str,
        /// The length the shape and type need.
        expected: usize,
        /// The length given.
        actual: usize,
    },
}
