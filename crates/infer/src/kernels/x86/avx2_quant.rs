//! AVX2 quantized-row × Q8 dot products. A group of 8 consecutive 32-blocks fills the 8 lanes
//! of one vector (`acc[b % 8]`, lane = `b % 8`); the per-block f32 epilogue is the reference's,
//! lane-wise. A row's last partial group is added only into its own lanes (masked).
//!
//! A single vector (decode) uses the fused kernels below; a batch (prefill) uses
//! `avx2_batch`, which decodes each weight group once for up to 8 vectors.

use std::arch::x86_64::*;

use super::Avx2;
use super::avx2::{dot_u8_i8, f16x8, hsum8, load8_f32, load8_i32, load32, load32_i8, store8_f32};
use super::avx2_batch::row_dots;
use crate::kernels::lanes::Lanes8;
use crate::kernels::matvec::WeightMatrix;
use crate::kernels::q8::Q8Vec;
use crate::kernels::scalar;
use crate::quant::blocks::{Q4_K_BYTES, Q6_K_BYTES, Q6_K_D, Q6_K_SC, q4k_scale_min};
use crate::quant::{GgmlType, f16_to_f32};

pub(super) const Q8_0: u8 = 0;
pub(super) const Q4_0: u8 = 1;
pub(super) const Q4_1: u8 = 2;
pub(super) const Q5_0: u8 = 3;

pub(super) const Q4_K: u8 = 4;
pub(super) const Q6_K: u8 = 5;

/// Rows `r0 .. r0 + out[v].len()` of `w` (quantized) against every vector:
/// `out[v][i] = row(r0 + i) · xs[v]`, each exactly as [`scalar::dot_q8_row`].
pub(crate) fn rows_q8(
    _t: Avx2,
    w: &WeightMatrix<'_>,
    r0: usize,
    xs: &[Q8Vec<'_>],
    out: &mut [&mut [f32]],
) {
    // SAFETY (every call below): the `Avx2` token proves AVX2 and F16C are available.
    match w.ty() {
        GgmlType::Q8_0 => unsafe { rows::<Q8_0>(w, r0, xs, out) },
        GgmlType::Q4_0 => unsafe { rows::<Q4_0>(w, r0, xs, out) },
        GgmlType::Q4_1 => unsafe { rows::<Q4_1>(w, r0, xs, out) },
        GgmlType::Q5_0 => unsafe { rows::<Q5_0>(w, r0, xs, out) },
        GgmlType::Q4_K => unsafe { rows::<Q4_K>(w, r0, xs, out) },
        GgmlType::Q6_K => unsafe { rows::<Q6_K>(w, r0, xs, out) },
        GgmlType::F32 | GgmlType::F16 => {
            for (o, x) in out.iter_mut().zip(xs) {
                for (i, v) in o.iter_mut().enumerate() {
                    *v = scalar::dot_q8_row(w.ty(), w.row(r0 + i), *x);
                }
            }
        }
    }
}

/// Rows per tile of a batched product: a tile of weight rows (a few KiB) stays in cache while
/// every chunk of 8 vectors (a few KiB of Q8 activations) meets it.
const ROW_TILE: usize = 32;

/// The row loop, compiled once per format so the row kernel inlines into it. A single vector
/// takes the fused decode kernels; a batch is tiled (rows × chunks of 8 vectors).
#[target_feature(enable = "avx2,f16c")]
fn rows<const K: u8>(w: &WeightMatrix<'_>, r0: usize, xs: &[Q8Vec<'_>], out: &mut [&mut [f32]]) {
    let n = out.first().map_or(0, |o| o.len());
    if let ([x], [o]) = (xs, &mut *out) {
        for (i, v) in o.iter_mut().enumerate() {
            let row = w.row(r0 + i);
            *v = match K {
                Q4_K => q4_k(row, *x),
                Q6_K => q6_k(row, *x),
                _ => blocks32::<K>(row, *x),
            };
        }
        return;
    }
    for t0 in (0..n).step_by(ROW_TILE) {
        for (xc, oc) in xs.chunks(8).zip(out.chunks_mut(8)) {
            for i in t0..(t0 + ROW_TILE).min(n) {
                let res = row_dots::<K>(w.row(r0 + i), xc);
                for (o, r) in oc.iter_mut().zip(res) {
                    o[i] = r;
                }
            }
        }
    }
}

pub(super) const fn block_bytes(k: u8) -> usize {
    match k {
        Q8_0 => 34,
        Q4_0 => 18,
        Q4_1 => 20,
        _ => 22,
    }
}

/// The constant subtracted from each stored quant (`isum = Σ q x - offset * Σ x`).
pub(super) const fn offset(k: u8) -> i32 {
    match k {
        Q4_0 => 8,
        Q5_0 => 16,
        _ => 0,
    }
}

/// The 32 nibbles of the 16-byte Q4 field at `blk[at..at + 16]` as bytes, elements 0..16 =
/// low nibbles: the field is broadcast to both halves and the high half shifted by 4.
#[inline]
#[target_feature(enable = "avx2")]
pub(super) fn nibbles(blk: &[u8], at: usize) -> __m256i {
    let s = &blk[at..at + 16];
    // SAFETY: `s` has exactly 16 readable bytes (sliced above); no alignment needed.
    let both = unsafe { _mm256_broadcastsi128_si256(_mm_loadu_si128(s.as_ptr().cast())) };
    let shifted = _mm256_srlv_epi64(both, _mm256_setr_epi64x(0, 0, 4, 4));
    _mm256_and_si256(shifted, _mm256_set1_epi8(0x0f))
}

/// Byte `j` is `0x10` where bit `j` of `qh` is set, else 0.
#[inline]
#[target_feature(enable = "avx2")]
pub(super) fn fifth_bits(qh: u32) -> __m256i {
    let spread = _mm256_setr_epi8(
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, //
        2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
    );
    let bytes = _mm256_shuffle_epi8(_mm256_set1_epi32(qh as i32), spread);
    let bit = _mm256_set1_epi64x(0x8040_2010_0804_0201_u64 as i64);
    let set = _mm256_cmpeq_epi8(_mm256_and_si256(bytes, bit), bit);
    _mm256_and_si256(set, _mm256_set1_epi8(0x10))
}

/// The first 4 bytes of block `b` (`d`, and `m` for Q4_1) as a little-endian u32.
#[inline(always)]
pub(super) fn head(row: &[u8], bb: usize, b: usize) -> i32 {
    let h = &row[b * bb..b * bb + 4];
    i32::from_le_bytes([h[0], h[1], h[2], h[3]])
}

/// The widened f16 heads of the `cnt <= 8` blocks of `g` (`bb` bytes each): per-lane `d`
/// and, for Q4_1, `m` (the next f16; meaningless for other formats). Lanes past `cnt` are 0.
#[inline]
#[target_feature(enable = "avx2,f16c")]
pub(super) fn heads(g: &[u8], bb: usize, cnt: usize) -> (__m256, __m256) {
    if cnt == 8 {
        heads8(g, bb)
    } else {
        heads_partial(g, bb, cnt)
    }
}

/// [`heads`] of a whole group of 8. Kept small and separate so that it inlines into the
/// decode loop (`group::<K, true>`): as one function with the partial case, LLVM kept it out of
/// line, and the call per group cost SmolLM2's 1-thread decode about 20 %.
#[inline]
#[target_feature(enable = "avx2,f16c")]
fn heads8(g: &[u8], bb: usize) -> (__m256, __m256) {
    // The 8 block heads (d | m << 16); per 128-bit half, the four low u16 (d) then the
    // four high u16 (m); then the halves are regrouped into [d0..d7 | m0..m7].
    let h = |j: usize| head(g, bb, j);
    let dm = _mm256_setr_epi32(h(0), h(1), h(2), h(3), h(4), h(5), h(6), h(7));
    let split = _mm256_setr_epi8(
        0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15, //
        0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15,
    );
    let v = _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_shuffle_epi8(dm, split));
    (
        _mm256_cvtph_ps(_mm256_castsi256_si128(v)),
        _mm256_cvtph_ps(_mm256_extracti128_si256::<1>(v)),
    )
}

/// [`heads`] of a partial group (`cnt < 8`), lanes past `cnt` zero.
#[target_feature(enable = "avx2,f16c")]
fn heads_partial(g: &[u8], bb: usize, cnt: usize) -> (__m256, __m256) {
    let (mut dh, mut mh) = ([0_u16; 8], [0_u16; 8]);
    for j in 0..cnt {
        let h = head(g, bb, j) as u32;
        (dh[j], mh[j]) = (h as u16, (h >> 16) as u16);
    }
    (f16x8(dh), f16x8(mh))
}

// ---- Single-vector kernels (decode): the same per-lane operations as
// `avx2_batch::products`, fused with the weight decoding so a group stays in registers.
// Tests prove both agree bit for bit.

/// The 8-lane products `p_b` of blocks `b0 .. b0 + cnt` (`cnt <= 8`; lanes past `cnt` are
/// computed from zeros and must be discarded by the caller).
#[inline]
#[target_feature(enable = "avx2,f16c")]
fn group<const K: u8, const FULL: bool>(row: &[u8], x: Q8Vec<'_>, b0: usize, cnt: usize) -> __m256 {
    let bb = block_bytes(K);
    let cnt = if FULL { 8 } else { cnt };
    // Slice the group once so the per-block bounds checks fold away.
    let g = &row[b0 * bb..(b0 + cnt) * bb];
    let xq = &x.qs[32 * b0..32 * (b0 + cnt)];
    let mut parts = [_mm256_setzero_si256(); 8];
    for (j, part) in parts.iter_mut().enumerate() {
        if FULL || j < cnt {
            *part = raw_isum::<K>(&g[j * bb..j * bb + bb], load32_i8(xq, 32 * j));
        }
    }
    let mut isum = hsum8(parts);
    // `x` is padded with zero blocks to a whole group of 8, so its loads are always in bounds.
    let (dx, s, sum) = (load8_f32(x.d, b0), load8_f32(x.s, b0), load8_i32(x.sum, b0));
    let (d, m) = if FULL {
        heads8(g, bb)
    } else {
        heads_partial(g, bb, cnt)
    };
    if offset(K) != 0 {
        isum = _mm256_sub_epi32(isum, _mm256_mullo_epi32(sum, _mm256_set1_epi32(offset(K))));
    }
    let p = _mm256_mul_ps(_mm256_mul_ps(d, dx), _mm256_cvtepi32_ps(isum));
    if K == Q4_1 {
        _mm256_add_ps(p, _mm256_mul_ps(m, s))
    } else {
        p
    }
}

/// Q8_0, Q4_0, Q4_1 and Q5_0 rows (32-element blocks).
#[inline]
#[target_feature(enable = "avx2,f16c")]
fn blocks32<const K: u8>(row: &[u8], x: Q8Vec<'_>) -> f32 {
    let nb = (row.len() / block_bytes(K)).min(x.nb);
    let full = nb / 8 * 8;
    let mut acc = _mm256_setzero_ps();
    for b0 in (0..full).step_by(8) {
        acc = _mm256_add_ps(acc, group::<K, true>(row, x, b0, 8));
    }
    if full < nb {
        // Partial group: add only into lanes `j < cnt`; other lanes keep their bits.
        let cnt = nb - full;
        let p = group::<K, false>(row, x, full, cnt);
        let live = _mm256_cmpgt_epi32(
            _mm256_set1_epi32(cnt as i32),
            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
        );
        acc = _mm256_blendv_ps(acc, _mm256_add_ps(acc, p), _mm256_castsi256_ps(live));
    }
    Lanes8(store8_f32(acc)).finish()
}

/// Q4_K rows: one super-block = 8 sub-blocks = one vector of lanes.
#[inline]
#[target_feature(enable = "avx2,f16c")]
fn q4_k(row: &[u8], x: Q8Vec<'_>) -> f32 {
    let nsb = (row.len() / Q4_K_BYTES).min(x.nb / 8);
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
#[inline]
#[target_feature(enable = "avx2,f16c")]
fn q6_k(row: &[u8], x: Q8Vec<'_>) -> f32 {
    let nsb = (row.len() / Q6_K_BYTES).min(x.nb / 8);
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

/// 8 i32 partial sums of `Σ q_i x_i` (stored quants, before the offset) of one block.
#[inline]
#[target_feature(enable = "avx2")]
fn raw_isum<const K: u8>(blk: &[u8], xv: __m256i) -> __m256i {
    match K {
        Q8_0 => signed_dot(load32(blk, 2), xv),
        Q4_0 => dot_u8_i8(nibbles(blk, 2), xv),
        Q4_1 => dot_u8_i8(nibbles(blk, 4), xv),
        _ => {
            let qh = u32::from_le_bytes([blk[2], blk[3], blk[4], blk[5]]);
            dot_u8_i8(_mm256_or_si256(nibbles(blk, 6), fifth_bits(qh)), xv)
        }
    }
}

/// `Σ w_i x_i` of signed weight bytes, as 8 i32 partial sums (see [`dot_u8_i8`] for exactness).
#[inline]
#[target_feature(enable = "avx2")]
fn signed_dot(w: __m256i, x: __m256i) -> __m256i {
    dot_u8_i8(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w))
}
