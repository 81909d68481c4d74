//! # wicas-infer — the deterministic inference engine
//!
//! Every validator runs this engine and must get the same bits on every machine. The numeric
//! specification is DESIGN.md section 4: weights stay in their GGUF block formats, activations are
//! quantized to Q8 by one canonical quantizer, block dot products are exact integer sums, and the
//! float epilogue follows one canonical 8-lane order. The scalar kernels *are* the specification;
//! every SIMD path is proven bit-equal to them by tests.
//!
//! This crate must never: call platform transcendentals (`f32::exp` and friends, clippy-banned),
//! use FMA, split a reduction across threads, iterate a hash map, or read a clock.
//!
//! It knows nothing about chains: the node and the state machine use it through [`Engine`].
//!
//! `unsafe` is denied crate-wide with three documented exceptions, each unsafe block carrying a
//! `// SAFETY:` comment: the SIMD kernel modules under [`kernels`] (`kernels::x86`, …) use
//! intrinsics behind runtime CPU-feature detection and are proven equal to the scalar reference by
//! tests; the read-only memory map of model files (`gguf::GgufFile::open`); and the kernels'
//! worker pool (`kernels/pool.rs`), which lends a borrowed closure to its persistent threads for
//! the length of one parallel region (docs/decisions/0950).
#![deny(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod engine;
pub mod gguf;
pub mod kernels;
pub mod llama2c;
pub mod model;
pub mod quant;
mod runner;
pub mod sample;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tokenizer;

pub use engine::{
    ChatMessage, Engine, EngineError, GenerateRequest, Generation, ModelInfo, Prompt,
    SamplingParams, StopReason,
};
pub use runner::{
    EngineLoadError, EngineOptions, FloatEnvError, LlamaEngine, Session, TokenEvent,
    check_float_env,
};
pub use tokenizer::{
    ChatTemplate, PreTokenizer, StreamDecoder, Tokenizer, TokenizerError, TokenizerKind,
};
