//! simd128 integer block sums and f32 dots, written to the reference's order.

use core::arch::wasm32::*;

use super::Simd128;
use crate::kernels::lanes::Lanes8;
use crate::kernels::q8::Q8Vec;
use crate::kernels::scalar::{self, IntSums};
use crate::quant::blocks::Q6_K_QH;
use crate::quant::{GgmlType, f16_to_f32};

/// Loads `s[at..at + 16]`.
#[inline(always)]
fn load(s: &[u8], at: usize) -> v128 {
    let s = &s[at..at + 16];
    // SAFETY: `s` has exactly 16 readable bytes; `v128_load` has no alignment requirement.
    unsafe { v128_load(s.as_ptr().cast()) }
}

/// Loads `x[at..at + 16]`.
#[inline(always)]
fn load_i8(x: &[i8], at: usize) -> v128 {
    let s = &x[at..at + 16];
    // SAFETY: `s` has exactly 16 readable bytes; `v128_load` has no alignment requirement.
    unsafe { v128_load(s.as_ptr().cast()) }
}

/// Loads `x[at..at + 4]`.
#[inline(always)]
fn load_f32(x: &[f32], at: usize) -> v128 {
    let s = &x[at..at + 4];
    // SAFETY: `s` has exactly 4 readable f32; `v128_load` has no alignment requirement.
    unsafe { v128_load(s.as_ptr().cast()) }
}

/// `Σ w_i x_i` over 16 signed byte lanes, as 4 i32 partial sums (exact: products fit i16,
/// pair sums fit i32).
#[inline(always)]
fn dot16(w: v128, x: v128) -> v128 {
    let lo = i32x4_dot_i16x8(i16x8_extend_low_i8x16(w), i16x8_extend_low_i8x16(x));
    let hi = i32x4_dot_i16x8(i16x8_extend_high_i8x16(w), i16x8_extend_high_i8x16(x));
    i32x4_add(lo, hi)
}

#[inline(always)]
fn hsum(v: v128) -> i32 {
    i32x4_extract_lane::<0>(v)
        + i32x4_extract_lane::<1>(v)
        + i32x4_extract_lane::<2>(v)
        + i32x4_extract_lane::<3>(v)
}

/// Byte `i` is `0x10` where bit `i` of `bits` (16 bits) is set.
#[inline(always)]
fn fifth_bits(bits: u32) -> v128 {
    let spread = i8x16_swizzle(
        u32x4_splat(bits),
        u8x16(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1),
    );
    let bit = u8x16(1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);
    v128_and(i8x16_eq(v128_and(spread, bit), bit), u8x16_splat(0x10))
}

/// The simd128 integer sums (same integers as [`scalar::Reference`]).
struct Sums;

impl IntSums for Sums {
    #[inline(always)]
    fn q8_0(w: &[u8], x: &[i8]) -> i32 {
        hsum(i32x4_add(
            dot16(load(w, 0), load_i8(x, 0)),
            dot16(load(w, 16), load_i8(x, 16)),
        ))
    }

    #[inline(always)]
    fn nibbles(qs: &[u8], qh: u32, offset: i32, x: &[i8], xsum: i32) -> i32 {
        let q = load(qs, 0);
        let mut lo = v128_and(q, u8x16_splat(0x0f));
        let mut hi = u8x16_shr(q, 4);
        if qh != 0 {
            lo = v128_or(lo, fifth_bits(qh & 0xffff));
            hi = v128_or(hi, fifth_bits(qh >> 16));
        }
        let raw = hsum(i32x4_add(
            dot16(lo, load_i8(x, 0)),
            dot16(hi, load_i8(x, 16)),
        ));
        raw - offset * xsum
    }

    #[inline(always)]
    fn q4k(chunk: &[u8], high: bool, x: &[i8]) -> i32 {
        let nib = |v: v128| {
            if high {
                u8x16_shr(v, 4)
            } else {
                v128_and(v, u8x16_splat(0x0f))
            }
        };
        let a = dot16(nib(load(chunk, 0)), load_i8(x, 0));
        let b = dot16(nib(load(chunk, 16)), load_i8(x, 16));
        hsum(i32x4_add(a, b))
    }

    #[inline(always)]
    fn q6k(blk: &[u8], j: usize, x: &[i8]) -> [i32; 2] {
        let (h, t) = (j / 4, j % 4);
        let quant = |i: usize| {
            let ql = load(blk, 64 * h + 32 * (t % 2) + 16 * i);
            let low = if t < 2 {
                v128_and(ql, u8x16_splat(0x0f))
            } else {
                u8x16_shr(ql, 4)
            };
            let qh = u8x16_shr(load(blk, Q6_K_QH + 32 * h + 16 * i), 2 * t as u32);
            let high = i8x16_shl(v128_and(qh, u8x16_splat(3)), 4);
            i8x16_sub(v128_or(low, high), i8x16_splat(32))
        };
        [
            hsum(dot16(quant(0), load_i8(x, 0))),
            hsum(dot16(quant(1), load_i8(x, 16))),
        ]
    }
}

/// Canonical quantized row dot on simd128.
pub(crate) fn dot_q8_row(_t: Simd128, ty: GgmlType, row: &[u8], x: Q8Vec<'_>) -> f32 {
    scalar::dot_q8_row_with::<Sums>(ty, row, x)
}

/// Canonical `Σ a_i b_i`: lanes 0..4 and 4..8 of `acc[i % 8]` as two `f32x4`.
pub(crate) fn dot_f32(_t: Simd128, a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let full = n / 8 * 8;
    let (mut lo, mut hi) = (f32x4_splat(0.0), f32x4_splat(0.0));
    for i in (0..full).step_by(8) {
        lo = f32x4_add(lo, f32x4_mul(load_f32(a, i), load_f32(b, i)));
        hi = f32x4_add(hi, f32x4_mul(load_f32(a, i + 4), load_f32(b, i + 4)));
    }
    let mut lanes = lanes_of(lo, hi);
    for i in full..n {
        lanes.add(i, a[i] * b[i]);
    }
    lanes.finish()
}

/// Canonical dot of an F32 or F16 row with `x`.
pub(crate) fn dot_float_row(_t: Simd128, ty: GgmlType, row: &[u8], x: &[f32]) -> f32 {
    if ty == GgmlType::F16 {
        // No f16 conversion in simd128: widen 8 at a time (exactly), then the f32 lanes.
        let n = (row.len() / 2).min(x.len());
        let full = n / 8 * 8;
        let (mut lo, mut hi) = (f32x4_splat(0.0), f32x4_splat(0.0));
        let w = |i: usize| f16_to_f32(u16::from_le_bytes([row[2 * i], row[2 * i + 1]]));
        for i in (0..full).step_by(8) {
            let a = f32x4(w(i), w(i + 1), w(i + 2), w(i + 3));
            let b = f32x4(w(i + 4), w(i + 5), w(i + 6), w(i + 7));
            lo = f32x4_add(lo, f32x4_mul(a, load_f32(x, i)));
            hi = f32x4_add(hi, f32x4_mul(b, load_f32(x, i + 4)));
        }
        let mut lanes = lanes_of(lo, hi);
        for (i, xi) in x.iter().enumerate().take(n).skip(full) {
            lanes.add(i, w(i) * xi);
        }
        return lanes.finish();
    }
    let n = (row.len() / 4).min(x.len());
    let full = n / 8 * 8;
    let (mut lo, mut hi) = (f32x4_splat(0.0), f32x4_splat(0.0));
    for i in (0..full).step_by(8) {
        lo = f32x4_add(lo, f32x4_mul(load(row, 4 * i), load_f32(x, i)));
        hi = f32x4_add(hi, f32x4_mul(load(row, 4 * i + 16), load_f32(x, i + 4)));
    }
    let mut lanes = lanes_of(lo, hi);
    for i in full..n {
        let w = f32::from_le_bytes([row[4 * i], row[4 * i + 1], row[4 * i + 2], row[4 * i + 3]]);
        lanes.add(i, w * x[i]);
    }
    lanes.finish()
}

fn lanes_of(lo: v128, hi: v128) -> Lanes8 {
    Lanes8([
        f32x4_extract_lane::<0>(lo),
        f32x4_extract_lane::<1>(lo),
        f32x4_extract_lane::<2>(lo),
        f32x4_extract_lane::<3>(lo),
        f32x4_extract_lane::<0>(hi),
        f32x4_extract_lane::<1>(hi),
        f32x4_extract_lane::<2>(hi),
        f32x4_extract_lane::<3>(hi),
    ])
}
