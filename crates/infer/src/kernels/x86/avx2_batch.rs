//! AVX2 batched kernel: each group of 8 blocks of a weight row is decoded once ([`Group`])
//! and met by up to 8 activation vectors (prefill), each vector's products computed by the
//! same per-lane operations as the single-vector kernels in `avx2_quant` (batch invariance,
//! proven by tests).

use std::arch::x86_64::*;

use super::avx2::{dot_u8_i8, hsum8, load8_f32, load8_i32, load32, load32_i8, store8_f32};
use super::avx2_quant::{
    Q4_0, Q4_1, Q4_K, Q6_K, Q8_0, block_bytes, fifth_bits, heads, nibbles, offset,
};
use crate::kernels::lanes::Lanes8;
use crate::kernels::q8::Q8Vec;
use crate::quant::blocks::{Q4_K_BYTES, Q6_K_BYTES, Q6_K_D, Q6_K_SC, q4k_scale_min};
use crate::quant::f16_to_f32;

/// One group of 8 blocks of a weight row, decoded once for every vector that meets it.
struct Group {
    /// Blocks in the group (`<= 8`); lanes past it are zeros and never added.
    cnt: usize,
    /// The unsigned `maddubs` operand of each block: the quants (nibble formats) or their
    /// magnitudes (Q8_0, Q6_K).
    u: [__m256i; 8],
    /// Q8_0, Q6_K: the signed quants, whose signs are moved onto the activations.
    sgn: [__m256i; 8],
    /// Q6_K: `[sc0 × 8 | sc1 × 8]` i16 scales of each block.
    sc16: [__m256i; 8],
    /// Per-lane `d` (32-blocks) or broadcast super-block `d` (K-quants).
    d: __m256,
    /// Q4_1: per-lane `m`; Q4_K: per-lane `dmin * m_j`.
    m: __m256,
    /// Q4_K: per-lane 6-bit scales.
    sc: __m256i,
}

/// Decodes blocks `b0 .. b0 + cnt` of `row` (a whole super-block for K-quants).
#[inline]
#[target_feature(enable = "avx2,f16c")]
fn decode<const K: u8>(row: &[u8], b0: usize, cnt: usize) -> Group {
    let zero = _mm256_setzero_si256();
    let mut g = Group {
        cnt,
        u: [zero; 8],
        sgn: [zero; 8],
        sc16: [zero; 8],
        d: _mm256_setzero_ps(),
        m: _mm256_setzero_ps(),
        sc: zero,
    };
    let m4 = _mm256_set1_epi8(0x0f);
    match K {
        Q4_K => {
            let blk = &row[b0 / 8 * Q4_K_BYTES..(b0 / 8 + 1) * Q4_K_BYTES];
            let d = f16_to_f32(u16::from_le_bytes([blk[0], blk[1]]));
            let dmin = f16_to_f32(u16::from_le_bytes([blk[2], blk[3]]));
            let (mut sc, mut mn) = ([0_i32; 8], [0_i32; 8]);
            for j in 0..8 {
                let (s, m) = q4k_scale_min(&blk[4..16], j);
                (sc[j], mn[j]) = (i32::from(s), i32::from(m));
            }
            for c in 0..4 {
                let v = load32(blk, 16 + 32 * c);
                g.u[2 * c] = _mm256_and_si256(v, m4);
                g.u[2 * c + 1] = _mm256_and_si256(_mm256_srli_epi16::<4>(v), m4);
            }
            g.d = _mm256_set1_ps(d);
            g.m = _mm256_mul_ps(_mm256_set1_ps(dmin), _mm256_cvtepi32_ps(load8_i32(&mn, 0)));
            g.sc = load8_i32(&sc, 0);
        }
        Q6_K => {
            let blk = &row[b0 / 8 * Q6_K_BYTES..(b0 / 8 + 1) * Q6_K_BYTES];
            let (m30, c32) = (_mm256_set1_epi8(0x30), _mm256_set1_epi8(32));
            for h in 0..2 {
                let ql0 = load32(blk, 64 * h);
                let ql1 = load32(blk, 64 * h + 32);
                let qh = load32(blk, 128 + 32 * h);
                let quarters = [
                    (_mm256_and_si256(ql0, m4), _mm256_slli_epi16::<4>(qh)),
                    (_mm256_and_si256(ql1, m4), _mm256_slli_epi16::<2>(qh)),
                    (_mm256_and_si256(_mm256_srli_epi16::<4>(ql0), m4), qh),
                    (
                        _mm256_and_si256(_mm256_srli_epi16::<4>(ql1), m4),
                        _mm256_srli_epi16::<2>(qh),
                    ),
                ];
                for (t, (low, high)) in quarters.into_iter().enumerate() {
                    let j = 4 * h + t;
                    let q = _mm256_or_si256(low, _mm256_and_si256(high, m30));
                    let q = _mm256_sub_epi8(q, c32); // -32..=31
                    (g.u[j], g.sgn[j]) = (_mm256_sign_epi8(q, q), q);
                    let sc = |i: usize| i16::from(blk[Q6_K_SC + 2 * j + i] as i8);
                    g.sc16[j] = _mm256_set_m128i(_mm_set1_epi16(sc(1)), _mm_set1_epi16(sc(0)));
                }
            }
            g.d = _mm256_set1_ps(f16_to_f32(u16::from_le_bytes([
                blk[Q6_K_D],
                blk[Q6_K_D + 1],
            ])));
        }
        _ => {
            let bb = block_bytes(K);
            // Slice the group once so the per-block bounds checks fold away.
            let gb = &row[b0 * bb..(b0 + cnt) * bb];
            for j in 0..8 {
                if j < cnt {
                    let blk = &gb[j * bb..j * bb + bb];
                    g.u[j] = match K {
                        Q8_0 => {
                            let w = load32(blk, 2);
                            g.sgn[j] = w;
                            _mm256_sign_epi8(w, w)
                        }
                        Q4_0 => nibbles(blk, 2),
                        Q4_1 => nibbles(blk, 4),
                        _ => {
                            let qh = u32::from_le_bytes([blk[2], blk[3], blk[4], blk[5]]);
                            _mm256_or_si256(nibbles(blk, 6), fifth_bits(qh))
                        }
                    };
                }
            }
            (g.d, g.m) = heads(gb, bb, cnt);
        }
    }
    g
}

/// The 8-lane products `p_b` of a decoded group against vector `x` (blocks `b0 ..`), exactly
/// the reference's per-block epilogue in each lane.
#[inline]
#[target_feature(enable = "avx2,f16c")]
fn products<const K: u8>(g: &Group, x: Q8Vec<'_>, b0: usize) -> __m256 {
    let ones = _mm256_set1_epi16(1);
    let mut parts = [_mm256_setzero_si256(); 8];
    for (j, part) in parts.iter_mut().enumerate() {
        if j < g.cnt {
            let xv = load32_i8(x.qs, 32 * (b0 + j));
            *part = match K {
                Q8_0 => _mm256_madd_epi16(
                    _mm256_maddubs_epi16(g.u[j], _mm256_sign_epi8(xv, g.sgn[j])),
                    ones,
                ),
                Q6_K => _mm256_madd_epi16(
                    _mm256_maddubs_epi16(g.u[j], _mm256_sign_epi8(xv, g.sgn[j])),
                    g.sc16[j],
                ),
                _ => dot_u8_i8(g.u[j], xv),
            };
        }
    }
    let mut isum = hsum8(parts);
    // `x` is padded with zero blocks to a whole group of 8, so these loads stay in bounds.
    let dx = load8_f32(x.d, b0);
    if offset(K) != 0 {
        let sum = load8_i32(x.sum, b0);
        isum = _mm256_sub_epi32(isum, _mm256_mullo_epi32(sum, _mm256_set1_epi32(offset(K))));
    }
    if K == Q4_K {
        isum = _mm256_mullo_epi32(isum, g.sc);
    }
    let p = _mm256_mul_ps(_mm256_mul_ps(g.d, dx), _mm256_cvtepi32_ps(isum));
    match K {
        Q4_1 => _mm256_add_ps(p, _mm256_mul_ps(g.m, load8_f32(x.s, b0))),
        Q4_K => _mm256_sub_ps(p, _mm256_mul_ps(g.m, load8_f32(x.s, b0))),
        _ => p,
    }
}

/// One weight row against up to 8 vectors; entry `v` of the result is `row · xs[v]`.
#[inline]
#[target_feature(enable = "avx2,f16c")]
pub(super) fn row_dots<const K: u8>(row: &[u8], xs: &[Q8Vec<'_>]) -> [f32; 8] {
    let nb = xs.first().map_or(0, |x| x.nb);
    let nb = match K {
        Q4_K => (row.len() / Q4_K_BYTES * 8).min(nb / 8 * 8),
        Q6_K => (row.len() / Q6_K_BYTES * 8).min(nb / 8 * 8),
        _ => (row.len() / block_bytes(K)).min(nb),
    };
    let mut acc = [_mm256_setzero_ps(); 8];
    for b0 in (0..nb).step_by(8) {
        let cnt = (nb - b0).min(8);
        let g = decode::<K>(row, b0, cnt);
        let live = _mm256_castsi256_ps(_mm256_cmpgt_epi32(
            _mm256_set1_epi32(cnt as i32),
            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
        ));
        for (a, x) in acc.iter_mut().zip(xs) {
            let sum = _mm256_add_ps(*a, products::<K>(&g, *x, b0));
            // A partial group adds only into its own lanes; the others keep their bits.
            *a = if cnt == 8 {
                sum
            } else {
                _mm256_blendv_ps(*a, sum, live)
            };
        }
    }
    let mut res = [0.0_f32; 8];
    for (r, a) in res.iter_mut().zip(acc).take(xs.len()) {
        *r = Lanes8(store8_f32(a)).finish();
    }
    res
}
