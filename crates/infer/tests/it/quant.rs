//! Dequantization against slow per-element formulas written from the ggml format description
//! (`ggml-common.h` block structs), independent of the crate's block helpers.

use wicas_infer::quant::{GgmlType, QuantError, dequantize_row, f16_to_f32};

use crate::support;

fn f16(b: &[u8], at: usize) -> f32 {
    f16_to_f32(u16::from_le_bytes([b[at], b[at + 1]]))
}

/// Nibble `i` (0..32) of a 16-byte Q4 field: elements 0..16 are low nibbles, 16..32 high.
fn nib(qs: &[u8], i: usize) -> u8 {
    if i < 16 { qs[i] & 15 } else { qs[i - 16] >> 4 }
}

/// Element `e` of a row of `ty`, straight from the format description.
fn element(ty: GgmlType, row: &[u8], e: usize) -> f32 {
    let bb = ty.block_bytes();
    let blk = &row[e / ty.block_elems() * bb..][..bb];
    let i = e % ty.block_elems();
    match ty {
        GgmlType::F32 => f32::from_le_bytes(blk[..4].try_into().expect("4")),
        GgmlType::F16 => f16(blk, 0),
        GgmlType::Q4_0 => (f32::from(nib(&blk[2..], i)) - 8.0) * f16(blk, 0),
        GgmlType::Q4_1 => f32::from(nib(&blk[4..], i)) * f16(blk, 0) + f16(blk, 2),
        GgmlType::Q5_0 => {
            let qh = u32::from_le_bytes(blk[2..6].try_into().expect("4"));
            let q = nib(&blk[6..], i) as u32 | (((qh >> i) & 1) << 4);
            (q as f32 - 16.0) * f16(blk, 0)
        }
        GgmlType::Q8_0 => f32::from(blk[2 + i] as i8) * f16(blk, 0),
        GgmlType::Q4_K => {
            // 12 scale bytes: bytes 0..4 = sc0..3 (6 bits) + top bits of sc4..7; bytes 4..8 =
            // m0..3 + top bits of m4..7; bytes 8..12 = low nibble sc4..7, high nibble m4..7.
            let s = &blk[4..16];
            let j = i / 32;
            let (sc, m) = if j < 4 {
                (s[j] % 64, s[4 + j] % 64)
            } else {
                (
                    s[8 + j - 4] % 16 + (s[j - 4] / 64) * 16,
                    s[8 + j - 4] / 16 + (s[j] / 64) * 16,
                )
            };
            let byte = blk[16 + 32 * (j / 2) + i % 32];
            let q = if j.is_multiple_of(2) {
                byte % 16
            } else {
                byte / 16
            };
            (f16(blk, 0) * f32::from(sc)) * f32::from(q) - f16(blk, 2) * f32::from(m)
        }
        GgmlType::Q6_K => {
            // 128-element halves; in a half, 32-element quarter t takes ql[l + 32 (t & 1)]'s
            // low (t < 2) or high nibble and bits 2t.. of qh[l].
            let (h, t, l) = (i / 128, i % 128 / 32, i % 32);
            let ql = blk[64 * h + 32 * (t & 1) + l];
            let lo = if t < 2 { ql % 16 } else { ql / 16 };
            let hi = (blk[128 + 32 * h + l] >> (2 * t)) % 4;
            let q = i32::from(lo) + 16 * i32::from(hi) - 32;
            let sc = blk[192 + i / 16] as i8;
            (f16(blk, 208) * f32::from(sc)) * q as f32
        }
        other => panic!("no reference for {other}"),
    }
}

#[test]
fn every_type_dequantizes_to_the_format_formula() {
    let mut rng = support::rng(11);
    for ty in GgmlType::ALL {
        for blocks in [1, 2, 5] {
            let n = blocks * ty.block_elems().max(32);
            let row = support::weights(ty, 1, n, &mut rng);
            let mut out = vec![f32::NAN; n];
            dequantize_row(ty, &row, &mut out).expect("dequantize");
            for (e, got) in out.iter().enumerate() {
                let want = element(ty, &row, e);
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "{ty} element {e}: {got} vs {want}"
                );
            }
        }
    }
}

#[test]
fn dequantize_refuses_wrong_lengths() {
    let mut out = vec![0.0; 32];
    assert!(matches!(
        dequantize_row(GgmlType::Q8_0, &[0; 33], &mut out),
        Err(QuantError::LengthMismatch {
            expected: 34,
            actual: 33,
            ..
        })
    ));
    let mut out = vec![0.0; 40];
    assert!(matches!(
        dequantize_row(GgmlType::Q4_1, &[0; 40], &mut out),
        Err(QuantError::RowNotBlockAligned { .. })
    ));
}
