//! GGUF v3 (and v2) reader and writer: header, metadata, tensor directory, memory-mapped tensor
//! data (spec: ggml/docs/gguf.md).
//!
//! Untrusted bytes: every count, length and offset is bounded by a named constant in [`limits`]
//! and checked against the bytes that remain before use, so a hostile file yields a typed
//! [`GgufError`] and never a panic or an unbounded allocation.

mod array;
mod cursor;
mod error;
mod file;
pub mod limits;
mod parse;
mod types;
mod value;
mod writer;

pub use array::{MetaArray, StrArray, StrIter};
pub use error::{FormatError, GgufError};
pub use file::GgufFile;
pub use parse::{DEFAULT_ALIGNMENT, GGUF_MAGIC, GgufContent, TensorInfo, parse};
pub use types::{TypeLayout, type_layout};
pub use value::MetaValue;
pub use writer::GgufWriter;
