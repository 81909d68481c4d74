//! GGML tensor types and their block formats, exactly as ggml/llama.cpp store them.
//!
//! Each quantized format stores a row of `n` elements as `n / block_elems` fixed-size blocks
//! (layouts in [`blocks`]). f16 scales are widened to f32 exactly ([`f16_to_f32`]).
//! [`dequantize_row`] recovers the stored values; it is used for embedding lookup and the
//! llama2.c exporter, never inside matrix-vector products (those use [`crate::kernels`]).

pub(crate) mod blocks;
mod dequant;
mod error;
mod half;
mod ty;

pub use dequant::dequantize_row;
pub use error::QuantError;
pub use half::f16_to_f32;
pub use ty::GgmlType;
