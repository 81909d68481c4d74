//! AVX-512 building blocks: the dword transpose of a group of 8 blocks that lets `vpdpbusd`
//! accumulate each block's integer sum in its own lanes, and the activations in that layout.
//!
//! A group is 8 blocks × 32 bytes = 8 × 8 dwords. [`transpose`] puts dword `m` and dword
//! `m + 4` of every block into zmm `m` (`m < 4`): lane `j` (`< 8`) holds dword `m` of block `j`,
//! lane `8 + j` dword `m + 4`. Weights and activations get the same transpose, so a
//! `vpdpbusd` pairs the same bytes as the natural layout; after the four zmm, lane `j` holds
//! block `j`'s sum over elements 0..16 and lane `8 + j` over elements 16..32 (the two halves
//! Q6_K scales separately).

use std::arch::x86_64::*;

use super::avx2::load32_i8;

/// The transposed layout of blocks `b0 .. b0 + 8` (`m`-th zmm as described above).
pub(super) type Transposed = [__m512i; 4];

/// Stage A picks, from two zmm holding blocks `[0 | 1]` and `[2 | 3]` (32 dwords, index
/// `8 * block + dword`), four dwords `k = [ka, ka + 4, kb, kb + 4]` of each block:
/// lane `4 * s + block` = dword `k[s]`. Pair (0, 1), then pair (2, 3).
const STAGE_A: [[i32; 16]; 2] = [
    [0, 8, 16, 24, 4, 12, 20, 28, 1, 9, 17, 25, 5, 13, 21, 29],
    [2, 10, 18, 26, 6, 14, 22, 30, 3, 11, 19, 27, 7, 15, 23, 31],
];

/// Stage B merges stage A of blocks 0..4 (indices 0..16) and 4..8 (16..32) into one output:
/// lane `j < 8` from `s = 2 * which`, lane `8 + j` from `s = 2 * which + 1`.
const STAGE_B: [[i32; 16]; 2] = [
    [0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23],
    [8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31],
];

#[inline]
#[target_feature(enable = "avx512f")]
fn idx(v: &[i32; 16]) -> __m512i {
    // SAFETY: `v` is 16 readable i32; `loadu` has no alignment need.
    unsafe { _mm512_loadu_si512(v.as_ptr().cast()) }
}

/// 8 blocks (one ymm each, natural byte order) in the transposed layout.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2")]
pub(super) fn transpose(b: [__m256i; 8]) -> Transposed {
    let z = [
        pair(b[0], b[1]),
        pair(b[2], b[3]),
        pair(b[4], b[5]),
        pair(b[6], b[7]),
    ];
    let mut out = [_mm512_setzero_si512(); 4];
    for p in 0..2 {
        let a = idx(&STAGE_A[p]);
        let low = _mm512_permutex2var_epi32(z[0], a, z[1]); // blocks 0..4
        let high = _mm512_permutex2var_epi32(z[2], a, z[3]); // blocks 4..8
        for which in 0..2 {
            out[2 * p + which] = _mm512_permutex2var_epi32(low, idx(&STAGE_B[which]), high);
        }
    }
    out
}

/// `[lo | hi]` as one zmm.
#[inline]
#[target_feature(enable = "avx512f")]
fn pair(lo: __m256i, hi: __m256i) -> __m512i {
    _mm512_inserti64x4::<1>(_mm512_castsi256_si512(lo), hi)
}

/// The activation quants of blocks `b0 .. b0 + 8` of `x` (padded to whole groups) in the
/// transposed layout, each byte offset by 128 (`x + 128` as u8, `1..=255`): the unsigned
/// operand of `vpdpbusd`, whose signed operand is the weight.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2")]
pub(super) fn activations(qs: &[i8], b0: usize) -> Transposed {
    let g = &qs[32 * b0..32 * b0 + 256];
    let mut b = [_mm256_setzero_si256(); 8];
    for (j, v) in b.iter_mut().enumerate() {
        *v = load32_i8(g, 32 * j);
    }
    let mut t = transpose(b);
    let flip = _mm512_set1_epi8(-128);
    for v in t.iter_mut() {
        *v = _mm512_xor_si512(*v, flip);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::x86::Avx512;

    fn bytes(v: __m512i) -> [u8; 64] {
        let mut out = [0_u8; 64];
        // SAFETY: `out` has room for 64 bytes; `storeu` has no alignment need.
        unsafe { _mm512_storeu_si512(out.as_mut_ptr().cast(), v) };
        out
    }

    #[test]
    fn transpose_puts_dwords_m_and_m_plus_4_of_each_block_in_zmm_m() {
        let Some(_t) = Avx512::detect() else {
            eprintln!("skipped: no avx512vnni");
            return;
        };
        let src: Vec<i8> = (0..256).map(|i| (i as u8).wrapping_mul(7) as i8).collect();
        // SAFETY: `Avx512::detect` succeeded above.
        let got = unsafe { activations(&src, 0) };
        for (m, zmm) in got.iter().enumerate() {
            let b = bytes(*zmm);
            for lane in 0..16 {
                let (block, dword) = (lane % 8, m + 4 * (lane / 8));
                for byte in 0..4 {
                    let want = (src[32 * block + 4 * dword + byte] as u8) ^ 0x80;
                    assert_eq!(b[4 * lane + byte], want, "m {m} lane {lane} byte {byte}");
                }
            }
        }
    }
}
