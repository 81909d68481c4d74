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

/// Element-wise engine loops compiled with AVX2 (`$avx2`) and AVX-512 (`$avx512`) enabled:
/// each wraps an `#[inline(always)]` function, so its whole body is compiled with the
/// features and LLVM may auto-vectorise it (and inline `f32::round` instead of calling
/// `roundf`). Enabling target features never changes an f32 result in Rust (no fast-math, no
/// FMA contraction: every operation stays the IEEE one the source spells), so the bits are
/// the portable build's; the engine digest tests compare them with the scalar path.
macro_rules! compiled_for_x86 {
    ($(#[$doc:meta])* $avx2:ident, $avx512:ident = $f:path, ($($a:ident: $t:ty),*)) => {
        compiled_for_x86! { $(#[$doc])* $avx2, $avx512 = $f, ($($a: $t),*) -> () }
    };
    ($(#[$doc:meta])* $avx2:ident, $avx512:ident = $f:path, ($($a:ident: $t:ty),*) -> $r:ty) => {
        $(#[$doc])*
        pub(crate) fn $avx2(_t: Avx2, $($a: $t),*) -> $r {
            #[target_feature(enable = "avx2,f16c")]
            fn run($($a: $t),*) -> $r {
                $f($($a),*)
            }
            // SAFETY: the `Avx2` token proves AVX2 and F16C are available.
            unsafe { run($($a),*) }
        }

        $(#[$doc])*
        pub(crate) fn $avx512(_t: Avx512, $($a: $t),*) -> $r {
            #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,f16c")]
            fn run($($a: $t),*) -> $r {
                $f($($a),*)
            }
            // SAFETY: the `Avx512` token proves AVX-512 F/BW/VL, AVX2 and F16C are available.
            unsafe { run($($a),*) }
        }
    };
}

compiled_for_x86! {
    /// The activation quantizer (`ActivationsQ8::quantize_batch`).
    quantize_avx2, quantize_avx512 = crate::kernels::ActivationsQ8::quantize_batch,
    (q: &mut crate::kernels::ActivationsQ8, x: &[f32], cols: usize)
        -> Result<(), crate::kernels::KernelError>
}

compiled_for_x86! {
    /// SwiGLU (`model::ops::swiglu`).
    swiglu_avx2, swiglu_avx512 = crate::model::ops::swiglu, (gate: &mut [f32], up: &[f32])
}

compiled_for_x86! {
    /// Softmax (`model::ops::softmax`).
    softmax_avx2, softmax_avx512 = crate::model::ops::softmax, (x: &mut [f32])
}
