//! wasm32 simd128 kernels (compiled when the build enables `simd128`; wasm has no run-time
//! detection). The integer block sums use `i32x4.dot_i16x8_s` (exact); the float epilogue is the
//! reference's own code ([`super::scalar::dot_q8_row_with`]), and the f32 dot keeps the 8
//! canonical lanes as two `f32x4` halves. Wasm float arithmetic is IEEE with round-to-nearest;
//! only NaN bit patterns may differ between engines (wasmtime canonicalises them).

mod simd128;

pub(crate) use simd128::{dot_f32, dot_float_row, dot_q8_row};

/// Marker that the simd128 path was compiled in (the feature is a build-time choice).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Simd128(());

impl Simd128 {
    /// Always `Some`: the module only exists when `simd128` is enabled at build time.
    pub(crate) fn detect() -> Option<Self> {
        Some(Simd128(()))
    }
}
