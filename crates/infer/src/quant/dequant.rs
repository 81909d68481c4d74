//! Dequantization: the stored values of a row, as f32.
//!
//! The formulas are the format definitions (ggml `dequantize_row_*`), evaluated with separate
//! f32 multiplies and adds in the order written, so every machine gets the same bits.

use super::blocks::{self, q4k_scale_min, q6k_quant};
use super::half::f16_at;
use super::{GgmlType, QuantError};

/// Writes the `out.len()` values stored in `bytes` (one row of type `ty`) into `out`.
///
/// `out.len()` must be a whole number of blocks and `bytes.len()` exactly
/// `ty.row_bytes(out.len())`.
pub fn dequantize_row(ty: GgmlType, bytes: &[u8], out: &mut [f32]) -> Result<(), QuantError> {
    let expected = ty.row_bytes(out.len())?;
    if bytes.len() != expected {
        return Err(QuantError::LengthMismatch {
            what: "dequantize_row input bytes",
            expected,
            actual: bytes.len(),
        });
    }
    let per = ty.block_elems();
    let blocks = bytes
        .chunks_exact(ty.block_bytes())
        .zip(out.chunks_exact_mut(per));
    match ty {
        GgmlType::F32 => blocks.for_each(|(b, y)| {
            y[0] = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }),
        GgmlType::F16 => blocks.for_each(|(b, y)| y[0] = f16_at(b, 0)),
        GgmlType::Q4_0 => blocks.for_each(|(b, y)| q4_0(b, y)),
        GgmlType::Q4_1 => blocks.for_each(|(b, y)| q4_1(b, y)),
        GgmlType::Q5_0 => blocks.for_each(|(b, y)| q5_0(b, y)),
        GgmlType::Q8_0 => blocks.for_each(|(b, y)| q8_0(b, y)),
        GgmlType::Q4_K => blocks.for_each(|(b, y)| q4_k(b, y)),
        GgmlType::Q6_K => blocks.for_each(|(b, y)| q6_k(b, y)),
    }
    Ok(())
}

/// `x = (q - 8) * d`.
fn q4_0(b: &[u8], y: &mut [f32]) {
    let d = f16_at(b, 0);
    for (j, &q) in b[2..18].iter().enumerate() {
        y[j] = f32::from((q & 0x0f) as i8 - 8) * d;
        y[j + 16] = f32::from((q >> 4) as i8 - 8) * d;
    }
}

/// `x = q * d + m`.
fn q4_1(b: &[u8], y: &mut [f32]) {
    let (d, m) = (f16_at(b, 0), f16_at(b, 2));
    for (j, &q) in b[4..20].iter().enumerate() {
        y[j] = f32::from(q & 0x0f) * d + m;
        y[j + 16] = f32::from(q >> 4) * d + m;
    }
}

/// `x = (q - 16) * d`, `q` = low nibble | (bit `j` of `qh`) << 4.
fn q5_0(b: &[u8], y: &mut [f32]) {
    let d = f16_at(b, 0);
    let qh = u32::from_le_bytes([b[2], b[3], b[4], b[5]]);
    for (j, &q) in b[6..22].iter().enumerate() {
        let h0 = (((qh >> j) & 1) << 4) as u8;
        let h1 = (((qh >> (j + 16)) & 1) << 4) as u8;
        y[j] = f32::from(((q & 0x0f) | h0) as i8 - 16) * d;
        y[j + 16] = f32::from(((q >> 4) | h1) as i8 - 16) * d;
    }
}

/// `x = q * d`.
fn q8_0(b: &[u8], y: &mut [f32]) {
    let d = f16_at(b, 0);
    for (j, &q) in b[2..34].iter().enumerate() {
        y[j] = f32::from(q as i8) * d;
    }
}

/// Sub-block `j`: `x = (d * sc_j) * q - dmin * m_j` (ggml's `d1 * q - m1`).
fn q4_k(b: &[u8], y: &mut [f32]) {
    let (d, dmin) = (f16_at(b, 0), f16_at(b, 2));
    let (scales, qs) = (&b[4..16], &b[blocks::Q4_K_QS..blocks::Q4_K_BYTES]);
    for (j, sub) in y.chunks_exact_mut(32).enumerate() {
        let (sc, m) = q4k_scale_min(scales, j);
        let (d1, m1) = (d * f32::from(sc), dmin * f32::from(m));
        let chunk = &qs[32 * (j / 2)..32 * (j / 2) + 32];
        for (v, &q) in sub.iter_mut().zip(chunk) {
            let q = if j % 2 == 0 { q & 0x0f } else { q >> 4 };
            *v = d1 * f32::from(q) - m1;
        }
    }
}

/// `x = (d * sc[e / 16]) * (q - 32)`.
fn q6_k(b: &[u8], y: &mut [f32]) {
    let d = f16_at(b, blocks::Q6_K_D);
    for (e, v) in y.iter_mut().enumerate() {
        let sc = b[blocks::Q6_K_SC + e / 16] as i8;
        let q = q6k_quant(b, e) as i8 - 32;
        *v = d * f32::from(sc) * f32::from(q);
    }
}
