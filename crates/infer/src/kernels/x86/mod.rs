//! x86-64 SIMD kernels, selected at run time. Each reproduces [`super::scalar`] bit for bit:
//! integer block sums are exact in any order, and the float epilogue performs the same f32
//! operations (IEEE single, round-to-nearest, no FMA) on the same lanes (`acc[b % 8]`) as the
//! reference; partial groups of blocks are finished with the reference's scalar epilogue.
//!
//! The AVX-512 VNNI path (`avx512*`) replaces only the batched quantized products (prefill,
//! compute-bound); single vectors (decode, bandwidth-bound) and f32 dots run on AVX2.

mod avx2;
mod avx2_batch;
mod avx2_float;
mod avx2_quant;
mod avx512;
mod avx512_batch;

pub(crate) use avx2_float::{dot_f32, dot_f32_strided, dot_float_row};
pub(crate) use avx2_quant::rows_q8;
pub(crate) use avx512_batch::rows_q8_avx512;

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

/// Proof that this CPU has AVX-512 F/BW/VL/VNNI as well as AVX2 and F16C: only
/// [`Avx512::detect`] makes one, so holding one makes calling the
/// `#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni,avx2,f16c")]` kernels sound.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Avx512(());

impl Avx512 {
    /// `Some` when the CPU supports every feature the AVX-512 kernels use.
    pub(crate) fn detect() -> Option<Self> {
        let ok = is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512bw")
            && is_x86_feature_detected!("avx512vl")
            && is_x86_feature_detected!("avx512vnni")
            && Avx2::detect().is_some();
        ok.then_some(Avx512(()))
    }

    /// The AVX2 token this CPU also earns (detected together with AVX-512).
    pub(crate) fn avx2(self) -> Avx2 {
        Avx2(())
    }
}
