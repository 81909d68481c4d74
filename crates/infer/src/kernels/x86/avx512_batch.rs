//! AVX-512 VNNI batched kernel (prefill): weight rows × up to [`CHUNK`] Q8 vectors.
//!
//! The integer part uses `vpdpbusd` (u8 × i8, four products summed into an i32 lane, no
//! saturation) in the transposed layout of `avx512` (lane = block, no horizontal reduction
//! per vector):
//!
//! - the weights of a group of 8 blocks are decoded once per row into *signed* quants
//!   `w_i` (the format's offset already subtracted: `q - 8`, `q - 16`, `q - 32`; Q8_0 as
//!   stored) and transposed;
//! - the activations enter as `x_i + 128` (`1..=255`, unsigned), transposed once per panel
//!   of groups and reused by every row of a tile;
//! - so `Σ (x_i + 128) w_i - 128 Σ w_i = Σ w_i x_i`, the reference's exact `isum`, where the
//!   weight-only `-128 Σ w_i` starts the accumulator (computed once per row and group).
//!   Bounds: `|Σ (x_i + 128) w_i|` over a lane's 16 products `<= 16 · 255 · 128`, and
//!   `|Q6_K sc · half| < 2^24` as in the reference — every i32 is exact.
//!
//! The f32 epilogue is the reference's per block, eight blocks in the eight lanes of a ymm
//! (`acc[b % 8]`), with the same separate multiplies and adds as the AVX2 kernels; a row's last
//! partial group is added only into its own lanes.

use std::arch::x86_64::*;

use super::Avx512;
use super::avx2::{load8_f32, load8_i32, load32, store8_f32};
use super::avx2_quant::{
    Q4_0, Q4_1, Q4_K, Q5_0, Q6_K, Q8_0, block_bytes, heads, nibbles, offset, rows_q8,
};
use super::avx512::{Transposed, activations, transpose};
use crate::kernels::lanes::Lanes8;
use crate::kernels::matvec::WeightMatrix;
use crate::kernels::q8::Q8Vec;
use crate::quant::blocks::{Q4_K_BYTES, Q6_K_BYTES, Q6_K_D, Q6_K_SC, q4k_scale_min};
use crate::quant::{GgmlType, f16_to_f32};

/// Vectors met by one decoded weight group (prefill chunk): by instruction count, decoding a
/// group costs about as much as the integer work of 4–5 vectors, so a large chunk amortises
/// it (16 → 32 measured ~2 % faster on Qwen prefill, within the noise of a loaded machine).
const CHUNK: usize = 32;
/// Groups of 8 blocks per panel of transposed activations (`CHUNK × PANEL × 256` bytes =
/// 32 KiB on the stack).
const PANEL: usize = 4;
/// Rows that share one transposed activation panel (their accumulators: `ROW_TILE × CHUNK ×
/// 32` bytes = 32 KiB on the stack).
const ROW_TILE: usize = 32;

/// Rows `r0 .. r0 + out[v].len()` of `w` (quantized) against every vector:
/// `out[v][i] = row(r0 + i) · xs[v]`, each exactly as `scalar::dot_q8_row`. A single vector
/// (decode, bandwidth-bound) and F32/F16 weights take the AVX2 kernels.
pub(crate) fn rows_q8_avx512(
    t: Avx512,
    w: &WeightMatrix<'_>,
    r0: usize,
    xs: &[Q8Vec<'_>],
    out: &mut [&mut [f32]],
) {
    if xs.len() < 2 {
        rows_q8(t.avx2(), w, r0, xs, out);
        return;
    }
    // SAFETY (every call below): the `Avx512` token proves AVX-512 F/BW/VL/VNNI, AVX2 and
    // F16C are available.
    match w.ty() {
        GgmlType::Q8_0 => unsafe { rows::<Q8_0>(w, r0, xs, out) },
        GgmlType::Q4_0 => unsafe { rows::<Q4_0>(w, r0, xs, out) },
        GgmlType::Q4_1 => unsafe { rows::<Q4_1>(w, r0, xs, out) },
        GgmlType::Q5_0 => unsafe { rows::<Q5_0>(w, r0, xs, out) },
        GgmlType::Q4_K => unsafe { rows::<Q4_K>(w, r0, xs, out) },
        GgmlType::Q6_K => unsafe { rows::<Q6_K>(w, r0, xs, out) },
        GgmlType::F32 | GgmlType::F16 => rows_q8(t.avx2(), w, r0, xs, out),
    }
}

/// 32-blocks of a row of format `K` met by vectors of `nb` blocks (whole super-blocks for
/// K-quants), as the reference counts them.
fn blocks_in_row<const K: u8>(row_len: usize, nb: usize) -> usize {
    match K {
        Q4_K => (row_len / Q4_K_BYTES * 8).min(nb / 8 * 8),
        Q6_K => (row_len / Q6_K_BYTES * 8).min(nb / 8 * 8),
        _ => (row_len / block_bytes(K)).min(nb),
    }
}

/// Tiles of [`ROW_TILE`] rows × chunks of [`CHUNK`] vectors × panels of [`PANEL`] groups; the
/// accumulators of a tile persist across its panels, so every lane still receives its blocks
/// in order.
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni,avx2,f16c")]
fn rows<const K: u8>(w: &WeightMatrix<'_>, r0: usize, xs: &[Q8Vec<'_>], out: &mut [&mut [f32]]) {
    let n = out.first().map_or(0, |o| o.len());
    if n == 0 {
        return;
    }
    let nb = blocks_in_row::<K>(w.row(r0).len(), xs[0].nb);
    let groups = nb.div_ceil(8);
    let mut xt = [[_mm512_setzero_si512(); 4]; PANEL * CHUNK];
    let mut acc = [[_mm256_setzero_ps(); CHUNK]; ROW_TILE];
    for t0 in (0..n).step_by(ROW_TILE) {
        let tile = t0..(t0 + ROW_TILE).min(n);
        for (xc, oc) in xs.chunks(CHUNK).zip(out.chunks_mut(CHUNK)) {
            for a in acc.iter_mut() {
                *a = [_mm256_setzero_ps(); CHUNK];
            }
            for p0 in (0..groups).step_by(PANEL) {
                let pg = (groups - p0).min(PANEL);
                for g in 0..pg {
                    for (v, x) in xc.iter().enumerate() {
                        xt[g * CHUNK + v] = activations(x.qs, 8 * (p0 + g));
                    }
                }
                for (i, a) in tile.clone().zip(acc.iter_mut()) {
                    let row = w.row(r0 + i);
                    for g in 0..pg {
                        let b0 = 8 * (p0 + g);
                        let cnt = (nb - b0).min(8);
                        let dec = decode::<K>(row, b0, cnt);
                        let xg = &xt[g * CHUNK..g * CHUNK + xc.len()];
                        add_group::<K>(&dec, xc, xg, b0, &mut a[..xc.len()]);
                    }
                }
            }
            for (i, a) in tile.clone().zip(acc.iter()) {
                for (o, av) in oc.iter_mut().zip(a) {
                    o[i] = Lanes8(store8_f32(*av)).finish();
                }
            }
        }
    }
}

/// One group of 8 blocks of a weight row, decoded once for every vector that meets it.
struct Decoded {
    /// Blocks in the group (`<= 8`); lanes past it hold zeros and are never added.
    cnt: usize,
    /// The signed quants `w_i`, transposed.
    w: Transposed,
    /// `-128 Σ w_i` per lane of the transposed layout (the accumulator's start).
    init: __m512i,
    /// Per-lane `d` (32-blocks) or the broadcast super-block `d` (K-quants).
    d: __m256,
    /// Q4_1: per-lane `m`; Q4_K: per-lane `dmin * m_j`.
    m: __m256,
    /// Q4_K: per-lane 6-bit scales; Q6_K: `[sc[2j] for j | sc[2j + 1] for j]` (16 lanes).
    sc: __m512i,
}

/// Decodes blocks `b0 .. b0 + cnt` of `row` (a whole super-block for K-quants).
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni,avx2,f16c")]
fn decode<const K: u8>(row: &[u8], b0: usize, cnt: usize) -> Decoded {
    let mut q = [_mm256_setzero_si256(); 8];
    let d;
    let mut m = _mm256_setzero_ps(); // unused by Q8_0, Q4_0, Q5_0, Q6_K
    let mut sc = _mm512_setzero_si512();
    let m4 = _mm256_set1_epi8(0x0f);
    match K {
        Q4_K => {
            let blk = &row[b0 / 8 * Q4_K_BYTES..(b0 / 8 + 1) * Q4_K_BYTES];
            let dd = f16_to_f32(u16::from_le_bytes([blk[0], blk[1]]));
            let dmin = f16_to_f32(u16::from_le_bytes([blk[2], blk[3]]));
            let (mut s, mut mn) = ([0_i32; 16], [0_i32; 8]);
            for j in 0..8 {
                let (sj, mj) = q4k_scale_min(&blk[4..16], j);
                (s[j], mn[j]) = (i32::from(sj), i32::from(mj));
            }
            for c in 0..4 {
                let v = load32(blk, 16 + 32 * c);
                q[2 * c] = _mm256_and_si256(v, m4);
                q[2 * c + 1] = _mm256_and_si256(_mm256_srli_epi16::<4>(v), m4);
            }
            d = _mm256_set1_ps(dd);
            m = _mm256_mul_ps(_mm256_set1_ps(dmin), _mm256_cvtepi32_ps(load8_i32(&mn, 0)));
            sc = load16_i32(&s);
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
                    let v = _mm256_or_si256(low, _mm256_and_si256(high, m30));
                    q[4 * h + t] = _mm256_sub_epi8(v, c32); // -32..=31
                }
            }
            let mut s = [0_i32; 16];
            for j in 0..8 {
                s[j] = i32::from(blk[Q6_K_SC + 2 * j] as i8);
                s[8 + j] = i32::from(blk[Q6_K_SC + 2 * j + 1] as i8);
            }
            sc = load16_i32(&s);
            d = _mm256_set1_ps(f16_to_f32(u16::from_le_bytes([
                blk[Q6_K_D],
                blk[Q6_K_D + 1],
            ])));
        }
        _ => {
            let bb = block_bytes(K);
            // Slice the group once so the per-block bounds checks fold away.
            let gb = &row[b0 * bb..(b0 + cnt) * bb];
            let off = _mm256_set1_epi8(offset(K) as i8);
            for (j, qj) in q.iter_mut().enumerate().take(cnt) {
                let blk = &gb[j * bb..j * bb + bb];
                *qj = match K {
                    Q8_0 => load32(blk, 2),
                    Q4_0 => _mm256_sub_epi8(nibbles(blk, 2), off),
                    Q4_1 => nibbles(blk, 4),
                    _ => {
                        // Q5_0: q - 16 = nibble where the fifth bit is set, nibble - 16 elsewhere.
                        let qh = u32::from_le_bytes([blk[2], blk[3], blk[4], blk[5]]);
                        let nib = nibbles(blk, 6);
                        _mm256_mask_sub_epi8(nib, !qh, nib, off)
                    }
                };
            }
            (d, m) = heads(gb, bb, cnt);
        }
    }
    let w = transpose(q);
    let c128 = _mm512_set1_epi8(-128); // 0x80 = 128 as the unsigned operand
    let mut s = _mm512_setzero_si512();
    for wm in w {
        s = _mm512_dpbusd_epi32(s, c128, wm);
    }
    Decoded {
        cnt,
        w,
        init: _mm512_sub_epi32(_mm512_setzero_si512(), s),
        d,
        m,
        sc,
    }
}

/// Adds the products of one decoded group to the accumulators `acc[v]` of the vectors `xs`
/// (blocks `b0 ..`; `xt[v]` their transposed activations): the reference's per-block epilogue
/// in each lane, only lanes `< cnt` for a partial group.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni,avx2,f16c")]
fn add_group<const K: u8>(
    g: &Decoded,
    xs: &[Q8Vec<'_>],
    xt: &[Transposed],
    b0: usize,
    acc: &mut [__m256],
) {
    let live = ((1_u16 << g.cnt) - 1) as u8;
    for ((a, x), xv) in acc.iter_mut().zip(xs).zip(xt) {
        // Two independent chains of `vpdpbusd` (its latency, not its throughput, would bound
        // one chain of four); integer addition is exact in any order.
        let s0 = _mm512_dpbusd_epi32(g.init, xv[0], g.w[0]);
        let s1 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), xv[2], g.w[2]);
        let s0 = _mm512_dpbusd_epi32(s0, xv[1], g.w[1]);
        let s1 = _mm512_dpbusd_epi32(s1, xv[3], g.w[3]);
        let mut s = _mm512_add_epi32(s0, s1);
        if K == Q6_K {
            s = _mm512_mullo_epi32(s, g.sc); // sc[2j] · half 0, sc[2j + 1] · half 1
        }
        let mut isum =
            _mm256_add_epi32(_mm512_castsi512_si256(s), _mm512_extracti64x4_epi64::<1>(s));
        if K == Q4_K {
            isum = _mm256_mullo_epi32(isum, _mm512_castsi512_si256(g.sc));
        }
        // `x` is padded with zero blocks to a whole group of 8, so these loads stay in bounds.
        let p = _mm256_mul_ps(
            _mm256_mul_ps(g.d, load8_f32(x.d, b0)),
            _mm256_cvtepi32_ps(isum),
        );
        let p = match K {
            Q4_1 => _mm256_add_ps(p, _mm256_mul_ps(g.m, load8_f32(x.s, b0))),
            Q4_K => _mm256_sub_ps(p, _mm256_mul_ps(g.m, load8_f32(x.s, b0))),
            _ => p,
        };
        // A partial group adds only into its own lanes; the others keep their bits.
        *a = _mm256_mask_add_ps(*a, live, *a, p);
    }
}

/// Loads 16 i32.
#[inline]
#[target_feature(enable = "avx512f")]
fn load16_i32(s: &[i32; 16]) -> __m512i {
    // SAFETY: `s` is 16 readable i32; `loadu` has no alignment need.
    unsafe { _mm512_loadu_si512(s.as_ptr().cast()) }
}
