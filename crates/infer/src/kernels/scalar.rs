//! The scalar reference kernels. **These functions are the numeric specification**
//! (DESIGN.md section 4.3); every SIMD path must return the same bits for every input.
//!
//! ## Quantized weights × Q8 activations
//! A row is a sequence of 32-element blocks `b = 0, 1, …` (a K-quant super-block `k` holds
//! blocks `8k .. 8k + 8`, sub-block `j = b % 8`). Activation block `b` has quants `x_i`
//! (`-127..=127`), scale `dx`, `sum = Σ x_i` and `s = dx * sum` (see [`super::q8`]).
//! For each block an exact integer `isum` (i32, no overflow possible: bounds below) and an f32
//! product `p` are formed; products use separate multiplies and adds (never FMA), evaluated
//! exactly in the order parenthesised:
//!
//! | type | `isum` (exact i32) | `p` |
//! |---|---|---|
//! | Q8_0 | `Σ w_i x_i` | `(d * dx) * f32(isum)` |
//! | Q4_0 | `Σ (q_i - 8) x_i` | `(d * dx) * f32(isum)` |
//! | Q5_0 | `Σ (q_i - 16) x_i` | `(d * dx) * f32(isum)` |
//! | Q4_1 | `Σ q_i x_i` | `((d * dx) * f32(isum)) + (m * s)` |
//! | Q4_K | `sc_j * Σ q_i x_i` | `((d * dx) * f32(isum)) - ((dmin * f32(m_j)) * s)` |
//! | Q6_K | `sc[2j] * Σ_{i<16} (q_i - 32) x_i + sc[2j+1] * Σ_{i≥16} (q_i - 32) x_i` | `(d * dx) * f32(isum)` |
//!
//! `d`, `m`, `dmin` are the block's f16 fields widened exactly; `sc_j, m_j` the 6-bit Q4_K
//! scale/min; `sc[]` the i8 Q6_K scales. Largest `|isum|`: Q8_0 32·128·127 = 520 192; Q4_K
//! 63·32·15·127 = 3 840 480; Q6_K 2·128·16·32·127 = 16 646 144 < 2^24 — every `isum` is exact
//! in i32 and converts to f32 exactly. Then `acc[b % 8] += p` ([`Lanes8`]) and the row's
//! result is `Lanes8::finish`.
//!
//! ## f32 dot products (F32/F16 weights × f32 activations, attention)
//! `acc[i % 8] += a_i * b_i` (product rounded, then the add), then `Lanes8::finish`. F16
//! weights are widened exactly first ([`crate::quant::f16_to_f32`]).

use super::lanes::Lanes8;
use super::q8::Q8Vec;
use crate::quant::blocks::{self, q4k_scale_min};
use crate::quant::{GgmlType, f16_to_f32};

/// Little-endian f16 at `b[at..at + 2]`, widened.
#[inline(always)]
fn f16le(b: &[u8], at: usize) -> f32 {
    f16_to_f32(u16::from_le_bytes([b[at], b[at + 1]]))
}

/// Canonical `Σ a_i b_i` over `min(a.len(), b.len())` elements (callers check lengths).
pub(crate) fn dot_f32(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = Lanes8::new();
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        acc.add(i, x * y);
    }
    acc.finish()
}

/// Canonical dot of one F32 or F16 weight row (raw little-endian bytes) with `x`.
pub(crate) fn dot_float_row(ty: GgmlType, row: &[u8], x: &[f32]) -> f32 {
    let mut acc = Lanes8::new();
    match ty {
        GgmlType::F16 => {
            for (i, (w, v)) in row.chunks_exact(2).zip(x).enumerate() {
                acc.add(i, f16le(w, 0) * v);
            }
        }
        _ => {
            for (i, (w, v)) in row.chunks_exact(4).zip(x).enumerate() {
                acc.add(i, f32::from_le_bytes([w[0], w[1], w[2], w[3]]) * v);
            }
        }
    }
    acc.finish()
}

/// The exact integer parts of the block dot products. [`Reference`] defines them with plain
/// loops; a SIMD module may supply its own implementation (same integers, any summation
/// order — integer addition is exact) and reuse the float epilogues below unchanged.
pub(crate) trait IntSums {
    /// Q8_0: `Σ w_i x_i` over the 32 signed weight bytes `w`.
    fn q8_0(w: &[u8], x: &[i8]) -> i32;
    /// Q4_0/Q4_1/Q5_0: `Σ (q_i - offset) x_i`, `q_i` = nibble `i` of `qs[16]` (low nibbles
    /// first) with bit `i` of `qh` as its 5th bit; `xsum = Σ x_i`.
    fn nibbles(qs: &[u8], qh: u32, offset: i32, x: &[i8], xsum: i32) -> i32;
    /// Q4_K: `Σ n_i x_i`, `n_i` the low (`high == false`) or high nibble of `chunk[i]`.
    fn q4k(chunk: &[u8], high: bool, x: &[i8]) -> i32;
    /// Q6_K block `j` of super-block `blk`: `[Σ_{i<16}, Σ_{i≥16}] (q_i - 32) x_i`.
    fn q6k(blk: &[u8], j: usize, x: &[i8]) -> [i32; 2];
}

/// The reference integer sums.
#[derive(Debug)]
pub(crate) struct Reference;

impl IntSums for Reference {
    fn q8_0(w: &[u8], x: &[i8]) -> i32 {
        w.iter()
            .zip(x)
            .map(|(&w, &v)| i32::from(w as i8) * i32::from(v))
            .sum()
    }

    fn nibbles(qs: &[u8], qh: u32, offset: i32, x: &[i8], _xsum: i32) -> i32 {
        let mut isum = 0;
        for j in 0..16 {
            let lo = i32::from(qs[j] & 0x0f) | (((qh >> j) & 1) << 4) as i32;
            let hi = i32::from(qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4) as i32;
            isum += (lo - offset) * i32::from(x[j]) + (hi - offset) * i32::from(x[j + 16]);
        }
        isum
    }

    fn q4k(chunk: &[u8], high: bool, x: &[i8]) -> i32 {
        let shift = if high { 4 } else { 0 };
        chunk
            .iter()
            .zip(x)
            .map(|(&q, &v)| i32::from((q >> shift) & 0x0f) * i32::from(v))
            .sum()
    }

    fn q6k(blk: &[u8], j: usize, x: &[i8]) -> [i32; 2] {
        let mut half = [0_i32; 2];
        for (i, &v) in x.iter().enumerate() {
            let q = i32::from(blocks::q6k_quant(blk, 32 * j + i)) - 32;
            half[i / 16] += q * i32::from(v);
        }
        half
    }
}

/// Canonical dot of one quantized weight row with one Q8 activation vector.
/// `ty` must be quantized; `row` holds whole blocks for at most `x.nb` 32-blocks.
pub(crate) fn dot_q8_row(ty: GgmlType, row: &[u8], x: Q8Vec<'_>) -> f32 {
    dot_q8_row_with::<Reference>(ty, row, x)
}

/// [`dot_q8_row`] with the integer sums of `S` (the float epilogue is always this one).
#[inline(always)]
pub(crate) fn dot_q8_row_with<S: IntSums>(ty: GgmlType, row: &[u8], x: Q8Vec<'_>) -> f32 {
    let mut acc = Lanes8::new();
    match ty {
        GgmlType::Q8_0 => q8_0::<S>(row, x, &mut acc),
        GgmlType::Q4_0 => q4_0::<S>(row, x, &mut acc),
        GgmlType::Q4_1 => q4_1::<S>(row, x, &mut acc),
        GgmlType::Q5_0 => q5_0::<S>(row, x, &mut acc),
        GgmlType::Q4_K => q4_k::<S>(row, x, &mut acc),
        GgmlType::Q6_K => q6_k::<S>(row, x, &mut acc),
        GgmlType::F32 | GgmlType::F16 => {}
    }
    acc.finish()
}

/// The 32 activation quants of block `b`.
#[inline(always)]
fn xq(x: Q8Vec<'_>, b: usize) -> &[i8] {
    &x.qs[32 * b..32 * b + 32]
}

/// Blocks of `bytes` each in `row`, at most `nb`.
#[inline(always)]
fn blocks_of(row: &[u8], bytes: usize, nb: usize) -> impl Iterator<Item = (usize, &[u8])> {
    row.chunks_exact(bytes).take(nb).enumerate()
}

#[inline(always)]
fn q8_0<S: IntSums>(row: &[u8], x: Q8Vec<'_>, acc: &mut Lanes8) {
    for (b, blk) in blocks_of(row, blocks::Q8_0_BYTES, x.nb) {
        let isum = S::q8_0(&blk[2..34], xq(x, b));
        acc.add(b, (f16le(blk, 0) * x.d[b]) * isum as f32);
    }
}

#[inline(always)]
fn q4_0<S: IntSums>(row: &[u8], x: Q8Vec<'_>, acc: &mut Lanes8) {
    for (b, blk) in blocks_of(row, blocks::Q4_0_BYTES, x.nb) {
        let isum = S::nibbles(&blk[2..18], 0, 8, xq(x, b), x.sum[b]);
        acc.add(b, (f16le(blk, 0) * x.d[b]) * isum as f32);
    }
}

#[inline(always)]
fn q5_0<S: IntSums>(row: &[u8], x: Q8Vec<'_>, acc: &mut Lanes8) {
    for (b, blk) in blocks_of(row, blocks::Q5_0_BYTES, x.nb) {
        let qh = u32::from_le_bytes([blk[2], blk[3], blk[4], blk[5]]);
        let isum = S::nibbles(&blk[6..22], qh, 16, xq(x, b), x.sum[b]);
        acc.add(b, (f16le(blk, 0) * x.d[b]) * isum as f32);
    }
}

#[inline(always)]
fn q4_1<S: IntSums>(row: &[u8], x: Q8Vec<'_>, acc: &mut Lanes8) {
    for (b, blk) in blocks_of(row, blocks::Q4_1_BYTES, x.nb) {
        let isum = S::nibbles(&blk[4..20], 0, 0, xq(x, b), x.sum[b]);
        let (d, m) = (f16le(blk, 0), f16le(blk, 2));
        acc.add(b, ((d * x.d[b]) * isum as f32) + (m * x.s[b]));
    }
}

#[inline(always)]
fn q4_k<S: IntSums>(row: &[u8], x: Q8Vec<'_>, acc: &mut Lanes8) {
    for (k, blk) in row
        .chunks_exact(blocks::Q4_K_BYTES)
        .take(x.nb / 8)
        .enumerate()
    {
        let (d, dmin) = (f16le(blk, 0), f16le(blk, 2));
        let qs = &blk[blocks::Q4_K_QS..];
        for j in 0..8 {
            let b = 8 * k + j;
            let (sc, m) = q4k_scale_min(&blk[4..16], j);
            let raw = S::q4k(&qs[32 * (j / 2)..32 * (j / 2) + 32], j % 2 == 1, xq(x, b));
            let isum = i32::from(sc) * raw;
            acc.add(
                b,
                ((d * x.d[b]) * isum as f32) - ((dmin * f32::from(m)) * x.s[b]),
            );
        }
    }
}

#[inline(always)]
fn q6_k<S: IntSums>(row: &[u8], x: Q8Vec<'_>, acc: &mut Lanes8) {
    for (k, blk) in row
        .chunks_exact(blocks::Q6_K_BYTES)
        .take(x.nb / 8)
        .enumerate()
    {
        let d = f16le(blk, blocks::Q6_K_D);
        for j in 0..8 {
            let b = 8 * k + j;
            let half = S::q6k(blk, j, xq(x, b));
            let sc = |t: usize| i32::from(blk[blocks::Q6_K_SC + 2 * j + t] as i8);
            let isum = sc(0) * half[0] + sc(1) * half[1];
            acc.add(b, (d * x.d[b]) * isum as f32);
        }
    }
}
