//! x86-64 SIMD kernels, selected at run time. Each reproduces [`super::scalar`] bit for bit:
//! integer block sums are exact in any order, and the float epilogue performs the same f32
//! operations on the same lanes (`acc[b % 8]`) as the reference.

mod avx2;

pub(crate) use avx2::{dot_f32, dot_float_row, dot_q8_row};

/// Proof that this CPU has AVX2, F16C and FMA-free float ops (we never emit FMA): only
/// [`Avx2::detect`] makes one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Avx2(());

impl Avx2 {
    /// `Some` when the CPU supports AVX2 and F16C.
    pub(crate) fn detect() -> Option<Self> {
        (is_x86_feature_detected!("avx2") && is_x86_feature_detected!("f16c")).then_some(Avx2(()))
    }
}
