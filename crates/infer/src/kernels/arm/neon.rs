//! NEON integer block sums and f32 dots, written to the reference's order.

use core::arch::aarch64::*;

use super::Neon;
use crate::kernels::lanes::Lanes8;
use crate::kernels::q8::Q8Vec;
use crate::kernels::scalar::{self, IntSums};
use crate::quant::blocks::Q6_K_QH;
use crate::quant::{GgmlType, f16_to_f32};

/// Loads `s[at..at + 16]`.
#[inline]
#[target_feature(enable = "neon")]
fn load(s: &[u8], at: usize) -> uint8x16_t {
    let s = &s[at..at + 16];
    // SAFETY: `s` has exactly 16 readable bytes; `vld1q_u8` has no alignment requirement.
    unsafe { vld1q_u8(s.as_ptr()) }
}

/// Loads `x[at..at + 16]`.
#[inline]
#[target_feature(enable = "neon")]
fn load_i8(x: &[i8], at: usize) -> int8x16_t {
    let s = &x[at..at + 16];
    // SAFETY: `s` has exactly 16 readable bytes; `vld1q_s8` has no alignment requirement.
    unsafe { vld1q_s8(s.as_ptr()) }
}

/// Loads `x[at..at + 4]`.
#[inline]
#[target_feature(enable = "neon")]
fn load_f32(x: &[f32], at: usize) -> float32x4_t {
    let s = &x[at..at + 4];
    // SAFETY: `s` has exactly 4 readable f32; `vld1q_f32` has no alignment requirement.
    unsafe { vld1q_f32(s.as_ptr()) }
}

/// Loads 4 f32 from the little-endian bytes `s[at..at + 16]`.
#[inline]
#[target_feature(enable = "neon")]
fn load_f32_bytes(s: &[u8], at: usize) -> float32x4_t {
    vreinterpretq_f32_u8(load(s, at))
}

/// `acc + Σ w_i x_i` over 16 signed byte lanes, as 4 i32 partial sums (exact).
#[inline]
#[target_feature(enable = "neon")]
fn dot16(acc: int32x4_t, w: int8x16_t, x: int8x16_t) -> int32x4_t {
    let lo = vmull_s8(vget_low_s8(w), vget_low_s8(x));
    let hi = vmull_high_s8(w, x);
    vpadalq_s16(vpadalq_s16(acc, lo), hi)
}

/// Byte `i` is `0x10` where bit `i` of `bits` (16 bits) is set.
#[inline]
#[target_feature(enable = "neon")]
fn fifth_bits(bits: u32) -> uint8x16_t {
    let bytes = vcombine_u8(vdup_n_u8(bits as u8), vdup_n_u8((bits >> 8) as u8));
    let mask = vreinterpretq_u8_u64(vdupq_n_u64(0x8040_2010_0804_0201));
    vandq_u8(vtstq_u8(bytes, mask), vdupq_n_u8(0x10))
}

/// The NEON integer sums (same integers as [`scalar::Reference`]).
struct Sums;

// SAFETY (every call below): NEON is mandatory on AArch64 and enabled by every aarch64 target.
impl IntSums for Sums {
    #[inline(always)]
    fn q8_0(w: &[u8], x: &[i8]) -> i32 {
        unsafe { q8_0_impl(w, x) }
    }

    #[inline(always)]
    fn nibbles(qs: &[u8], qh: u32, offset: i32, x: &[i8], xsum: i32) -> i32 {
        unsafe { nibbles_impl(qs, qh, offset, x, xsum) }
    }

    #[inline(always)]
    fn q4k(chunk: &[u8], high: bool, x: &[i8]) -> i32 {
        unsafe { q4k_impl(chunk, high, x) }
    }

    #[inline(always)]
    fn q6k(blk: &[u8], j: usize, x: &[i8]) -> [i32; 2] {
        unsafe { q6k_impl(blk, j, x) }
    }
}

#[inline]
#[target_feature(enable = "neon")]
fn q8_0_impl(w: &[u8], x: &[i8]) -> i32 {
    let z = vdupq_n_s32(0);
    let a = dot16(z, vreinterpretq_s8_u8(load(w, 0)), load_i8(x, 0));
    vaddvq_s32(dot16(a, vreinterpretq_s8_u8(load(w, 16)), load_i8(x, 16)))
}

#[inline]
#[target_feature(enable = "neon")]
fn nibbles_impl(qs: &[u8], qh: u32, offset: i32, x: &[i8], xsum: i32) -> i32 {
    let q = load(qs, 0);
    let mut lo = vandq_u8(q, vdupq_n_u8(0x0f));
    let mut hi = vshrq_n_u8::<4>(q);
    if qh != 0 {
        lo = vorrq_u8(lo, fifth_bits(qh & 0xffff));
        hi = vorrq_u8(hi, fifth_bits(qh >> 16));
    }
    let a = dot16(vdupq_n_s32(0), vreinterpretq_s8_u8(lo), load_i8(x, 0));
    vaddvq_s32(dot16(a, vreinterpretq_s8_u8(hi), load_i8(x, 16))) - offset * xsum
}

#[inline]
#[target_feature(enable = "neon")]
fn q4k_impl(chunk: &[u8], high: bool, x: &[i8]) -> i32 {
    let nib = |v: uint8x16_t| {
        vreinterpretq_s8_u8(if high {
            vshrq_n_u8::<4>(v)
        } else {
            vandq_u8(v, vdupq_n_u8(0x0f))
        })
    };
    let a = dot16(vdupq_n_s32(0), nib(load(chunk, 0)), load_i8(x, 0));
    vaddvq_s32(dot16(a, nib(load(chunk, 16)), load_i8(x, 16)))
}

#[inline]
#[target_feature(enable = "neon")]
fn q6k_impl(blk: &[u8], j: usize, x: &[i8]) -> [i32; 2] {
    let (h, t) = (j / 4, j % 4);
    let shift = vdupq_n_s8(-2 * t as i8); // ushl by a negative count shifts right
    let quant = |i: usize| {
        let ql = load(blk, 64 * h + 32 * (t % 2) + 16 * i);
        let low = if t < 2 {
            vandq_u8(ql, vdupq_n_u8(0x0f))
        } else {
            vshrq_n_u8::<4>(ql)
        };
        let qh = vshlq_u8(load(blk, Q6_K_QH + 32 * h + 16 * i), shift);
        let high = vshlq_n_u8::<4>(vandq_u8(qh, vdupq_n_u8(3)));
        vsubq_s8(vreinterpretq_s8_u8(vorrq_u8(low, high)), vdupq_n_s8(32))
    };
    let z = vdupq_n_s32(0);
    [
        vaddvq_s32(dot16(z, quant(0), load_i8(x, 0))),
        vaddvq_s32(dot16(z, quant(1), load_i8(x, 16))),
    ]
}

/// Canonical quantized row dot on NEON.
pub(crate) fn dot_q8_row(_t: Neon, ty: GgmlType, row: &[u8], x: Q8Vec<'_>) -> f32 {
    scalar::dot_q8_row_with::<Sums>(ty, row, x)
}

/// Canonical `Σ a_i b_i`: lanes 0..4 and 4..8 of `acc[i % 8]` as two `float32x4_t`.
pub(crate) fn dot_f32(_t: Neon, a: &[f32], b: &[f32]) -> f32 {
    // SAFETY: NEON is mandatory on AArch64 (the `Neon` token).
    unsafe { dot_f32_impl(a, b) }
}

#[target_feature(enable = "neon")]
fn dot_f32_impl(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let full = n / 8 * 8;
    let (mut lo, mut hi) = (vdupq_n_f32(0.0), vdupq_n_f32(0.0));
    for i in (0..full).step_by(8) {
        lo = vaddq_f32(lo, vmulq_f32(load_f32(a, i), load_f32(b, i)));
        hi = vaddq_f32(hi, vmulq_f32(load_f32(a, i + 4), load_f32(b, i + 4)));
    }
    let mut lanes = lanes_of(lo, hi);
    for i in full..n {
        lanes.add(i, a[i] * b[i]);
    }
    lanes.finish()
}

/// Canonical dot of an F32 or F16 row with `x`.
pub(crate) fn dot_float_row(_t: Neon, ty: GgmlType, row: &[u8], x: &[f32]) -> f32 {
    // SAFETY: NEON is mandatory on AArch64 (the `Neon` token).
    unsafe { dot_float_row_impl(ty, row, x) }
}

#[target_feature(enable = "neon")]
fn dot_float_row_impl(ty: GgmlType, row: &[u8], x: &[f32]) -> f32 {
    let (mut lo, mut hi) = (vdupq_n_f32(0.0), vdupq_n_f32(0.0));
    if ty == GgmlType::F16 {
        // Widened exactly by the portable conversion, 8 at a time, then the f32 lanes.
        let n = (row.len() / 2).min(x.len());
        let full = n / 8 * 8;
        let w = |i: usize| f16_to_f32(u16::from_le_bytes([row[2 * i], row[2 * i + 1]]));
        for i in (0..full).step_by(8) {
            let wa = [w(i), w(i + 1), w(i + 2), w(i + 3)];
            let wb = [w(i + 4), w(i + 5), w(i + 6), w(i + 7)];
            lo = vaddq_f32(lo, vmulq_f32(load_f32(&wa, 0), load_f32(x, i)));
            hi = vaddq_f32(hi, vmulq_f32(load_f32(&wb, 0), load_f32(x, i + 4)));
        }
        let mut lanes = lanes_of(lo, hi);
        for (i, xi) in x.iter().enumerate().take(n).skip(full) {
            lanes.add(i, w(i) * xi);
        }
        return lanes.finish();
    }
    let n = (row.len() / 4).min(x.len());
    let full = n / 8 * 8;
    for i in (0..full).step_by(8) {
        lo = vaddq_f32(lo, vmulq_f32(load_f32_bytes(row, 4 * i), load_f32(x, i)));
        hi = vaddq_f32(
            hi,
            vmulq_f32(load_f32_bytes(row, 4 * i + 16), load_f32(x, i + 4)),
        );
    }
    let mut lanes = lanes_of(lo, hi);
    for i in full..n {
        let w = f32::from_le_bytes([row[4 * i], row[4 * i + 1], row[4 * i + 2], row[4 * i + 3]]);
        lanes.add(i, w * x[i]);
    }
    lanes.finish()
}

#[inline]
#[target_feature(enable = "neon")]
fn lanes_of(lo: float32x4_t, hi: float32x4_t) -> Lanes8 {
    Lanes8([
        vgetq_lane_f32::<0>(lo),
        vgetq_lane_f32::<1>(lo),
        vgetq_lane_f32::<2>(lo),
        vgetq_lane_f32::<3>(lo),
        vgetq_lane_f32::<0>(hi),
        vgetq_lane_f32::<1>(hi),
        vgetq_lane_f32::<2>(hi),
        vgetq_lane_f32::<3>(hi),
    ])
}
