//! AVX2 f32 dot products: one 8-lane vector accumulator *is* `acc[i % 8]`; the tail continues
//! in the same lanes with the scalar reference's operations.

use std::arch::x86_64::*;

use super::Avx2;
use super::avx2::{load8_f32, load16, store8_f32};
use crate::kernels::lanes::Lanes8;
use crate::quant::{GgmlType, f16_to_f32};

/// Canonical `Σ a_i b_i` (callers pass equal lengths).
pub(crate) fn dot_f32(_t: Avx2, a: &[f32], b: &[f32]) -> f32 {
    // SAFETY: the `Avx2` token proves AVX2 and F16C are available.
    unsafe { f32_impl(a, b) }
}

/// Canonical dot of an F32 or F16 row (raw little-endian bytes) with `x`.
pub(crate) fn dot_float_row(_t: Avx2, ty: GgmlType, row: &[u8], x: &[f32]) -> f32 {
    // SAFETY: the `Avx2` token proves AVX2 and F16C are available.
    unsafe {
        match ty {
            GgmlType::F16 => f16_row_impl(row, x),
            _ => f32_row_impl(row, x),
        }
    }
}

#[target_feature(enable = "avx2,f16c")]
fn f32_impl(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let mut acc = _mm256_setzero_ps();
    let full = n / 8 * 8;
    for i in (0..full).step_by(8) {
        acc = _mm256_add_ps(acc, _mm256_mul_ps(load8_f32(a, i), load8_f32(b, i)));
    }
    let mut lanes = Lanes8(store8_f32(acc));
    for i in full..n {
        lanes.add(i, a[i] * b[i]);
    }
    lanes.finish()
}

#[target_feature(enable = "avx2,f16c")]
fn f32_row_impl(row: &[u8], x: &[f32]) -> f32 {
    let n = (row.len() / 4).min(x.len());
    let mut acc = _mm256_setzero_ps();
    let full = n / 8 * 8;
    for i in (0..full).step_by(8) {
        let w = &row[4 * i..4 * i + 32];
        // SAFETY: `w` has exactly 32 readable bytes; `loadu` has no alignment need.
        let wv = unsafe { _mm256_loadu_ps(w.as_ptr().cast()) };
        acc = _mm256_add_ps(acc, _mm256_mul_ps(wv, load8_f32(x, i)));
    }
    let mut lanes = Lanes8(store8_f32(acc));
    for i in full..n {
        let w = f32::from_le_bytes([row[4 * i], row[4 * i + 1], row[4 * i + 2], row[4 * i + 3]]);
        lanes.add(i, w * x[i]);
    }
    lanes.finish()
}

#[target_feature(enable = "avx2,f16c")]
fn f16_row_impl(row: &[u8], x: &[f32]) -> f32 {
    let n = (row.len() / 2).min(x.len());
    let mut acc = _mm256_setzero_ps();
    let full = n / 8 * 8;
    for i in (0..full).step_by(8) {
        let wv = _mm256_cvtph_ps(load16(row, 2 * i));
        acc = _mm256_add_ps(acc, _mm256_mul_ps(wv, load8_f32(x, i)));
    }
    let mut lanes = Lanes8(store8_f32(acc));
    for i in full..n {
        lanes.add(
            i,
            f16_to_f32(u16::from_le_bytes([row[2 * i], row[2 * i + 1]])) * x[i],
        );
    }
    lanes.finish()
}
