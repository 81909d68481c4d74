//! llama2.c checkpoints (karpathy/llama2.c `run.c` format): load one into the engine, and export a
//! GGUF model to one — so the format the paper compiles to WASM is tested on a real model.
//!
//! Loading converts the checkpoint into an in-memory GGUF file with F32 tensors and hands it to
//! [`crate::model::Model`], so a llama2.c model runs through exactly the same forward pass.
//! The format stores no RoPE base and no RMS epsilon (`run.c` hard-codes 10000 and 1e-5):
//! [`Llama2cOptions`] supplies them, with `run.c`'s values as defaults.

mod export;
mod header;
mod import;

pub use export::export_checkpoint;
pub use header::{HEADER_BYTES, Llama2cConfig, MAX_DIM, MAX_VOCAB};
pub use import::{Llama2cOptions, load_checkpoint};

use crate::gguf::GgufError;
use crate::model::LoadError;
use crate::quant::QuantError;
use crate::tokenizer::TokenizerError;

/// Why a llama2.c checkpoint could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Llama2cError {
    /// The file is shorter than its header says.
    #[error("checkpoint is truncated: {found} bytes, {expected} expected")]
    Truncated {
        /// Bytes the header implies.
        expected: u64,
        /// Bytes present.
        found: u64,
    },
    /// The file size does not match the header (wrong vocab sign, extra data, …).
    #[error("checkpoint has {found} bytes but its header implies {expected}")]
    SizeMismatch {
        /// Bytes the header implies.
        expected: u64,
        /// Bytes present.
        found: u64,
    },
    /// A header field is out of range or inconsistent.
    #[error("checkpoint header field `{field}` = {value} is invalid")]
    BadHeader {
        /// The field.
        field: &'static str,
        /// Its value.
        value: i32,
    },
    /// The model cannot be expressed in the llama2.c format.
    #[error("cannot export to llama2.c: {what}")]
    Unsupported {
        /// What the format lacks.
        what: &'static str,
    },
    /// The converted model was refused by the engine.
    #[error(transparent)]
    Model(#[from] LoadError),
    /// The in-memory GGUF could not be built.
    #[error(transparent)]
    Gguf(#[from] GgufError),
    /// A tensor could not be dequantized.
    #[error(transparent)]
    Quant(#[from] QuantError),
    /// The `tokenizer.bin` was refused.
    #[error(transparent)]
    Tokenizer(#[from] TokenizerError),
    /// Writing failed.
    #[error("write failed: {0}")]
    Io(#[from] std::io::Error),
}
