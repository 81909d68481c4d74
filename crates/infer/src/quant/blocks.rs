//! Block layouts, byte for byte as ggml stores them (`ggml-common.h`), all little-endian.
//!
//! | type | elems | bytes | layout |
//! |---|---|---|---|
//! | Q4_0 | 32 | 18 | `d: f16`, `qs: [u8; 16]` — element `j < 16` is `qs[j] & 0xF`, element `j + 16` is `qs[j] >> 4` |
//! | Q4_1 | 32 | 20 | `d: f16`, `m: f16`, `qs: [u8; 16]` (nibbles as Q4_0) |
//! | Q5_0 | 32 | 22 | `d: f16`, `qh: u32` (bit `j` = 5th bit of element `j`), `qs: [u8; 16]` (low nibbles as Q4_0) |
//! | Q8_0 | 32 | 34 | `d: f16`, `qs: [i8; 32]` |
//! | Q4_K | 256 | 144 | `d: f16`, `dmin: f16`, `scales: [u8; 12]` (8 × 6-bit scale and min), `qs: [u8; 128]` |
//! | Q6_K | 256 | 210 | `ql: [u8; 128]`, `qh: [u8; 64]`, `scales: [i8; 16]`, `d: f16` |
//!
//! Q4_K sub-block `j` (32 elements, `j < 8`): element `i` is nibble `(j % 2)` (low, then high) of
//! `qs[32 * (j / 2) + i]`; its scale/min are [`q4k_scale_min`]. Q6_K: see [`q6k_quant`].

/// Bytes of one Q4_0 block.
pub(crate) const Q4_0_BYTES: usize = 18;
/// Bytes of one Q4_1 block.
pub(crate) const Q4_1_BYTES: usize = 20;
/// Bytes of one Q5_0 block.
pub(crate) const Q5_0_BYTES: usize = 22;
/// Bytes of one Q8_0 block.
pub(crate) const Q8_0_BYTES: usize = 34;
/// Bytes of one Q4_K super-block.
pub(crate) const Q4_K_BYTES: usize = 144;
/// Bytes of one Q6_K super-block.
pub(crate) const Q6_K_BYTES: usize = 210;

/// Offset of `qs` in a Q4_K super-block (after d, dmin, scales).
pub(crate) const Q4_K_QS: usize = 16;
/// Offset of `qh` in a Q6_K super-block.
pub(crate) const Q6_K_QH: usize = 128;
/// Offset of `scales` in a Q6_K super-block.
pub(crate) const Q6_K_SC: usize = 192;
/// Offset of `d` in a Q6_K super-block.
pub(crate) const Q6_K_D: usize = 208;

/// The 6-bit (scale, min) of Q4_K sub-block `j < 8` from the 12 packed bytes `s`:
/// `j < 4`: low 6 bits of `s[j]` and `s[j + 4]`; `j >= 4`: low nibble / high nibble of
/// `s[j + 4]` with the top two bits of `s[j - 4]` / `s[j]` as bits 4..5.
#[inline(always)]
pub(crate) fn q4k_scale_min(s: &[u8], j: usize) -> (u8, u8) {
    if j < 4 {
        (s[j] & 63, s[j + 4] & 63)
    } else {
        (
            (s[j + 4] & 0x0f) | ((s[j - 4] >> 6) << 4),
            (s[j + 4] >> 4) | ((s[j] >> 6) << 4),
        )
    }
}

/// The 6-bit quant (0..=63, stored value + 32) of element `e < 256` of a Q6_K super-block.
///
/// Half `h = e / 128`, position `l = e % 32`, quarter `t = (e % 128) / 32`:
/// low nibble of `ql[64h + l + 32 (t % 2)]` (`t < 2`) or its high nibble (`t >= 2`),
/// plus bits `2t..2t+1` of `qh[32h + l]` as bits 4..5. Its scale is `scales[e / 16]`.
#[inline(always)]
pub(crate) fn q6k_quant(block: &[u8], e: usize) -> u8 {
    let (h, t, l) = (e / 128, (e % 128) / 32, e % 32);
    let ql = block[64 * h + l + 32 * (t % 2)];
    let low = if t < 2 { ql & 0x0f } else { ql >> 4 };
    let high = (block[Q6_K_QH + 32 * h + l] >> (2 * t)) & 3;
    low | (high << 4)
}
