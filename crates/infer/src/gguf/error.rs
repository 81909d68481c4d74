//! Typed errors of the GGUF reader: every one names the file and the reason.

use std::path::PathBuf;

/// Why a GGUF file could not be opened or parsed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GgufError {
    /// The file could not be opened or mapped (missing, unreadable, a directory, ...).
    #[error("{}: cannot read the model file", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a GGUF file this reader accepts.
    #[error("{}: {reason}", path.display())]
    Format {
        /// The file (`<memory>` for in-memory bytes).
        path: PathBuf,
        /// What is wrong with it.
        reason: FormatError,
    },
}

/// What is wrong with the bytes of a GGUF file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The file ends before a field it declares.
    #[error("truncated: needs {needed} bytes at offset {offset}, the file has {len}")]
    Truncated {
        /// Where the field starts.
        offset: u64,
        /// Bytes the field needs.
        needed: u64,
        /// File length.
        len: u64,
    },
    /// The first four bytes are not `GGUF`.
    #[error("not a GGUF file (magic {found:#010x}, expected 0x46554747 \"GGUF\")")]
    BadMagic {
        /// The little-endian u32 found.
        found: u32,
    },
    /// A GGUF version other than 2 or 3.
    #[error("unsupported GGUF version {0} (supported: 2, 3)")]
    UnsupportedVersion(u32),
    /// A count or length above its cap (see `gguf::limits`).
    #[error("{what} is {value}, above the limit of {limit}")]
    LimitExceeded {
        /// Which count or length.
        what: &'static str,
        /// The value in the file.
        value: u64,
        /// The cap.
        limit: u64,
    },
    /// A metadata value type id outside the spec.
    #[error("metadata key {key:?} has unknown value type {type_id}")]
    BadValueType {
        /// The key.
        key: String,
        /// The type id found.
        type_id: u32,
    },
    /// A string that is not UTF-8.
    #[error("string at offset {offset} is not valid UTF-8")]
    InvalidUtf8 {
        /// Where the string starts.
        offset: u64,
    },
    /// The same metadata key twice.
    #[error("metadata key {0:?} appears twice")]
    DuplicateKey(String),
    /// The same tensor name twice.
    #[error("tensor {0:?} appears twice")]
    DuplicateTensor(String),
    /// `general.alignment` is zero, not a power of two, too large, or not an integer.
    #[error("general.alignment must be a power of two up to 65536, found {0}")]
    BadAlignment(String),
    /// A tensor type this engine does not know.
    #[error("tensor {tensor:?} has unsupported type id {type_id}")]
    UnsupportedTensorType {
        /// The tensor.
        tensor: String,
        /// The ggml type id.
        type_id: u32,
    },
    /// A tensor shape that is empty, has a zero dimension or does not fill whole blocks.
    #[error("tensor {tensor:?} has invalid shape {dims:?}: {why}")]
    BadShape {
        /// The tensor.
        tensor: String,
        /// Its dimensions.
        dims: Vec<u64>,
        /// What is wrong.
        why: &'static str,
    },
    /// A tensor whose data lies outside the file or is misaligned.
    #[error(
        "tensor {tensor:?} data [{start}, {end}) is outside the data section of {data_len} bytes or misaligned"
    )]
    TensorOutOfBounds {
        /// The tensor.
        tensor: String,
        /// Start offset relative to the data section.
        start: u64,
        /// End offset relative to the data section.
        end: u64,
        /// Bytes in the data section.
        data_len: u64,
    },
}
