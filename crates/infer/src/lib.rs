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
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod engine;
pub mod gguf;
pub mod tokenizer;

pub use engine::{
    ChatMessage, Engine, EngineError, GenerateRequest, Generation, ModelInfo, Prompt,
    SamplingParams, StopReason,
};
pub use tokenizer::{
    ChatTemplate, PreTokenizer, StreamDecoder, Tokenizer, TokenizerError, TokenizerKind,
};
