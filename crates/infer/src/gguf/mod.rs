//! GGUF v3 reader: header, metadata, tensor directory, memory-mapped tensor data.
//!
//! Untrusted bytes: every count, length and offset is bounded by a named constant before use.

mod value;

pub use value::MetaValue;
