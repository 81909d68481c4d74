//! AVX2 + F16C kernels.

use super::Avx2;
use crate::kernels::q8::Q8Vec;
use crate::kernels::scalar;
use crate::quant::GgmlType;

/// Canonical f32 dot on AVX2.
pub(crate) fn dot_f32(_t: Avx2, a: &[f32], b: &[f32]) -> f32 {
    scalar::dot_f32(a, b)
}

/// Canonical F32/F16 row dot on AVX2.
pub(crate) fn dot_float_row(_t: Avx2, ty: GgmlType, row: &[u8], x: &[f32]) -> f32 {
    scalar::dot_float_row(ty, row, x)
}

/// Canonical quantized row dot on AVX2.
pub(crate) fn dot_q8_row(_t: Avx2, ty: GgmlType, row: &[u8], x: Q8Vec<'_>) -> f32 {
    scalar::dot_q8_row(ty, row, x)
}
