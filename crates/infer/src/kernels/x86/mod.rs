//! x86-64 SIMD kernels, selected at run time. Each reproduces [`super::scalar`] bit for bit:
//! integer block sums are exact in any order, and the float epilogue performs the same f32
//! operations (IEEE single, round-to-nearest, no FMA) on the same lanes (`acc[b % 8]`) as the
//! reference; partial groups of blocks are finished with the reference's scalar epilogue.

mod avx2;
mod avx2_batch;
mod avx2_float;
mod avx2_quant;

pub(crate) use avx2_float::{dot_f32, dot_float_row};
pub(crate) use avx2_quant::rows_q8;

/// Proof that this CPU has AVX2 and F16C: only [`Avx2::detect`] makes one, so holding one
/// makes calling the `#[target_feature(enable = "avx2,f16c")]` kernels sound.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Avx2(());

impl Avx2 {
    /// `Some` when the CPU supports AVX2 and F16C.
    pub(crate) fn detect() -> Option<Self> {
        (is_x86_feature_detected!("avx2") && is_x86_feature_detected!("f16c")).then_some(Avx2(()))
    }
}
