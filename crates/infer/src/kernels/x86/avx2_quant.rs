//! AVX2 quantized-row × Q8 dot products. A group of 8 consecutive 32-blocks fills the 8 lanes
//! of one vector (`acc[b % 8]`, lane = `b % 8`); the per-block f32 epilogue is the reference's,
//! lane-wise. Blocks past the last full group use the reference's scalar epilogue.

use std::arch::x86_64::*;

use super::Avx2;
use super::avx2::{
    dot_i8, dot_u8_i8, f16x8, hsum1, hsum8, load8_f32, load8_i32, load16, load32, load32_i8,
    store8_f32,
};
use crate::kernels::lanes::Lanes8;
use crate::kernels::q8::Q8Vec;
use crate::kernels::scalar;
use crate::quant::blocks::{Q4_K_BYTES, Q6_K_BYTES, Q6_K_D, Q6_K_SC, q4k_scale_min};
use crate::quant::{GgmlType, f16_to_f32};

const Q8_0: u8 = 0;
const Q4_0: u8 = 1;
const Q4_1: u8 = 2;
const Q5_0: u8 = 3;

/// Canonical dot of one quantized row with one Q8 vector.
pub(crate) fn dot_q8_row(_t: Avx2, ty: GgmlType, row: &[u8], x: Q8Vec<'_>) -> f32 {
    // SAFETY (every call below): the `Avx2` token proves AVX2 and F16C are available.
    match ty {
        GgmlType::Q8_0 => unsafe { blocks32::<Q8_0>(row, x) },
        GgmlType::Q4_0 => unsafe { blocks32::<Q4_0>(row, x) },
        GgmlType::Q4_1 => unsafe { blocks32::<Q4_1>(row, x) },
        GgmlType::Q5_0 => unsafe { blocks32::<Q5_0>(row, x) },
        GgmlType::Q4_K => unsafe { q4_k(row, x) },
        GgmlType::Q6_K => unsafe { q6_k(row, x) },
        GgmlType::F32 | GgmlType::F16 => scalar::dot_q8_row(ty, row, x),
    }
}

const fn block_bytes(k: u8) -> usize {
    match k {
        Q8_0 => 34,
        Q4_0 => 18,
        Q4_1 => 20,
        _ => 22,
    }
}

/// The constant subtracted from each stored quant (`isum = Σ q x - offset * Σ x`).
const fn offset(k: u8) -> i32 {
    match k {
        Q4_0 => 8,
        Q5_0 => 16,
        _ => 0,
    }
}

/// The 32 nibbles of a 16-byte Q4 field as bytes, elements 0..16 = low nibbles.
#[inline]
#[target_feature(enable = "avx2")]
fn nibbles(q: __m128i) -> __m256i {
    _mm256_and_si256(
        _mm256_set_m128i(_mm_srli_epi16::<4>(q), q),
        _mm256_set1_epi8(0x0f),
    )
}

/// Byte `j` is `0x10` where bit `j` of `qh` is set, else 0.
#[inline]
#[target_feature(enable = "avx2")]
fn fifth_bits(qh: u32) -> __m256i {
    let spread = _mm256_setr_epi8(
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, //
        2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
    );
    let bytes = _mm256_shuffle_epi8(_mm256_set1_epi32(qh as i32), spread);
    let bit = _mm256_set1_epi64x(0x8040_2010_0804_0201_u64 as i64);
    let set = _mm256_cmpeq_epi8(_mm256_and_si256(bytes, bit), bit);
    _mm256_and_si256(set, _mm256_set1_epi8(0x10))
}

/// 8 i32 partial sums of `Σ q_i x_i` (stored quants, before the offset) of one block.
#[inline]
#[target_feature(enable = "avx2")]
fn raw_isum<const K: u8>(blk: &[u8], xv: __m256i) -> __m256i {
    match K {
        Q8_0 => dot_i8(load32(blk, 2), xv),
        Q4_0 => dot_u8_i8(nibbles(load16(blk, 2)), xv),
        Q4_1 => dot_u8_i8(nibbles(load16(blk, 4)), xv),
        _ => {
            let qh = u32::from_le_bytes([blk[2], blk[3], blk[4], blk[5]]);
            dot_u8_i8(_mm256_or_si256(nibbles(load16(blk, 6)), fifth_bits(qh)), xv)
        }
    }
}

/// Q8_0, Q4_0, Q4_1 and Q5_0 rows (32-element blocks).
#[target_feature(enable = "avx2,f16c")]
fn blocks32<const K: u8>(row: &[u8], x: Q8Vec<'_>) -> f32 {
    let bb = block_bytes(K);
    let nb = (row.len() / bb).min(x.d.len());
    let groups = nb / 8;
    let mut acc = _mm256_setzero_ps();
    for g in 0..groups {
        let mut parts = [_mm256_setzero_si256(); 8];
        let (mut dh, mut mh) = ([0_u16; 8], [0_u16; 8]);
        for j in 0..8 {
            let b = 8 * g + j;
            let blk = &row[b * bb..b * bb + bb];
            dh[j] = u16::from_le_bytes([blk[0], blk[1]]);
            if K == Q4_1 {
                mh[j] = u16::from_le_bytes([blk[2], blk[3]]);
            }
            parts[j] = raw_isum::<K>(blk, load32_i8(x.qs, 32 * b));
        }
        let mut isum = hsum8(parts);
        if offset(K) != 0 {
            let sums = load8_i32(x.sum, 8 * g);
            isum = _mm256_sub_epi32(isum, _mm256_mullo_epi32(sums, _mm256_set1_epi32(offset(K))));
        }
        let dd = _mm256_mul_ps(f16x8(dh), load8_f32(x.d, 8 * g));
        let mut p = _mm256_mul_ps(dd, _mm256_cvtepi32_ps(isum));
        if K == Q4_1 {
            p = _mm256_add_ps(p, _mm256_mul_ps(f16x8(mh), load8_f32(x.s, 8 * g)));
        }
        acc = _mm256_add_ps(acc, p);
    }
    let mut lanes = Lanes8(store8_f32(acc));
    for b in groups * 8..nb {
        let blk = &row[b * bb..b * bb + bb];
        let isum = hsum1(raw_isum::<K>(blk, load32_i8(x.qs, 32 * b))) - offset(K) * x.sum[b];
        let d = f16_to_f32(u16::from_le_bytes([blk[0], blk[1]]));
        let mut p = (d * x.d[b]) * isum as f32;
        if K == Q4_1 {
            p += f16_to_f32(u16::from_le_bytes([blk[2], blk[3]])) * x.s[b];
        }
        lanes.add(b, p);
    }
    lanes.finish()
}

/// Q4_K rows: one super-block = 8 sub-blocks = one vector of lanes.
#[target_feature(enable = "avx2,f16c")]
fn q4_k(row: &[u8], x: Q8Vec<'_>) -> f32 {
    let nsb = (row.len() / Q4_K_BYTES).min(x.d.len() / 8);
    let m4 = _mm256_set1_epi8(0x0f);
    let mut acc = _mm256_setzero_ps();
    for k in 0..nsb {
        let blk = &row[k * Q4_K_BYTES..(k + 1) * Q4_K_BYTES];
        let d = f16_to_f32(u16::from_le_bytes([blk[0], blk[1]]));
        let dmin = f16_to_f32(u16::from_le_bytes([blk[2], blk[3]]));
        let (mut sc, mut mn) = ([0_i32; 8], [0_i32; 8]);
        for j in 0..8 {
            let (s, m) = q4k_scale_min(&blk[4..16], j);
            (sc[j], mn[j]) = (i32::from(s), i32::from(m));
        }
        let mut parts = [_mm256_setzero_si256(); 8];
        for c in 0..4 {
            let v = load32(blk, 16 + 32 * c);
            let xb = 256 * k + 64 * c;
            parts[2 * c] = dot_u8_i8(_mm256_and_si256(v, m4), load32_i8(x.qs, xb));
            let hi = _mm256_and_si256(_mm256_srli_epi16::<4>(v), m4);
            parts[2 * c + 1] = dot_u8_i8(hi, load32_i8(x.qs, xb + 32));
        }
        let isum = _mm256_mullo_epi32(hsum8(parts), load8_i32(&sc, 0));
        let a = _mm256_mul_ps(
            _mm256_mul_ps(_mm256_set1_ps(d), load8_f32(x.d, 8 * k)),
            _mm256_cvtepi32_ps(isum),
        );
        let mins = _mm256_mul_ps(_mm256_set1_ps(dmin), _mm256_cvtepi32_ps(load8_i32(&mn, 0)));
        let b = _mm256_mul_ps(mins, load8_f32(x.s, 8 * k));
        acc = _mm256_add_ps(acc, _mm256_sub_ps(a, b));
    }
    Lanes8(store8_f32(acc)).finish()
}

/// Q6_K rows: one super-block = 8 blocks of 32 = one vector of lanes; the two 16-element
/// scales of a block are applied in the integer sum (`madd` with `[sc0 × 8, sc1 × 8]`).
#[target_feature(enable = "avx2,f16c")]
fn q6_k(row: &[u8], x: Q8Vec<'_>) -> f32 {
    let nsb = (row.len() / Q6_K_BYTES).min(x.d.len() / 8);
    let (m4, m30, c32) = (
        _mm256_set1_epi8(0x0f),
        _mm256_set1_epi8(0x30),
        _mm256_set1_epi8(32),
    );
    let mut acc = _mm256_setzero_ps();
    for k in 0..nsb {
        let blk = &row[k * Q6_K_BYTES..(k + 1) * Q6_K_BYTES];
        let d = f16_to_f32(u16::from_le_bytes([blk[Q6_K_D], blk[Q6_K_D + 1]]));
        let sc = |i: usize| i16::from(blk[Q6_K_SC + i] as i8);
        let mut parts = [_mm256_setzero_si256(); 8];
        for h in 0..2 {
            let ql0 = load32(blk, 64 * h);
            let ql1 = load32(blk, 64 * h + 32);
            let qh = load32(blk, 128 + 32 * h);
            let quarters = [
                _mm256_or_si256(
                    _mm256_and_si256(ql0, m4),
                    _mm256_and_si256(_mm256_slli_epi16::<4>(qh), m30),
                ),
                _mm256_or_si256(
                    _mm256_and_si256(ql1, m4),
                    _mm256_and_si256(_mm256_slli_epi16::<2>(qh), m30),
                ),
                _mm256_or_si256(
                    _mm256_and_si256(_mm256_srli_epi16::<4>(ql0), m4),
                    _mm256_and_si256(qh, m30),
                ),
                _mm256_or_si256(
                    _mm256_and_si256(_mm256_srli_epi16::<4>(ql1), m4),
                    _mm256_and_si256(_mm256_srli_epi16::<2>(qh), m30),
                ),
            ];
            for (t, q) in quarters.into_iter().enumerate() {
                let j = 4 * h + t;
                let q = _mm256_sub_epi8(q, c32); // -32..=31
                let xv = load32_i8(x.qs, 256 * k + 32 * j);
                let pairs = _mm256_maddubs_epi16(_mm256_sign_epi8(q, q), _mm256_sign_epi8(xv, q));
                let scv =
                    _mm256_set_m128i(_mm_set1_epi16(sc(2 * j + 1)), _mm_set1_epi16(sc(2 * j)));
                parts[j] = _mm256_madd_epi16(pairs, scv);
            }
        }
        let dd = _mm256_mul_ps(_mm256_set1_ps(d), load8_f32(x.d, 8 * k));
        acc = _mm256_add_ps(acc, _mm256_mul_ps(dd, _mm256_cvtepi32_ps(hsum8(parts))));
    }
    Lanes8(store8_f32(acc)).finish()
}
