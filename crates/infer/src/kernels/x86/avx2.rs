//! AVX2 building blocks shared by the float and quantized kernels: bounds-checked loads and
//! exact integer reductions.

use std::arch::x86_64::*;

/// Loads the 32 bytes `s[at..at + 32]` (panics if out of bounds, never reads past `s`).
#[inline(always)]
pub(super) fn load32(s: &[u8], at: usize) -> __m256i {
    let s = &s[at..at + 32];
    // SAFETY: `s` has exactly 32 readable bytes (sliced above); `loadu` has no alignment need.
    unsafe { _mm256_loadu_si256(s.as_ptr().cast()) }
}

/// Loads the 32 activation quants `x[at..at + 32]`.
#[inline(always)]
pub(super) fn load32_i8(x: &[i8], at: usize) -> __m256i {
    let s = &x[at..at + 32];
    // SAFETY: `s` has exactly 32 readable bytes (sliced above); `loadu` has no alignment need.
    unsafe { _mm256_loadu_si256(s.as_ptr().cast()) }
}

/// Loads the 16 bytes `s[at..at + 16]`.
#[inline(always)]
pub(super) fn load16(s: &[u8], at: usize) -> __m128i {
    let s = &s[at..at + 16];
    // SAFETY: `s` has exactly 16 readable bytes (sliced above); `loadu` has no alignment need.
    unsafe { _mm_loadu_si128(s.as_ptr().cast()) }
}

/// Loads the 8 f32 `s[at..at + 8]`.
#[inline(always)]
pub(super) fn load8_f32(s: &[f32], at: usize) -> __m256 {
    let s = &s[at..at + 8];
    // SAFETY: `s` has exactly 8 readable f32 (sliced above); `loadu` has no alignment need.
    unsafe { _mm256_loadu_ps(s.as_ptr()) }
}

/// Loads the 8 i32 `s[at..at + 8]`.
#[inline(always)]
pub(super) fn load8_i32(s: &[i32], at: usize) -> __m256i {
    let s = &s[at..at + 8];
    // SAFETY: `s` has exactly 8 readable i32 (sliced above); `loadu` has no alignment need.
    unsafe { _mm256_loadu_si256(s.as_ptr().cast()) }
}

/// Stores 8 f32 lanes into an array.
#[inline(always)]
pub(super) fn store8_f32(v: __m256) -> [f32; 8] {
    let mut out = [0.0_f32; 8];
    // SAFETY: `out` has room for exactly 8 f32; `storeu` has no alignment need.
    unsafe { _mm256_storeu_ps(out.as_mut_ptr(), v) };
    out
}

/// Widens 8 f16 bit patterns exactly (F16C `vcvtph2ps`, identical to `f16_to_f32`).
#[inline]
#[target_feature(enable = "avx2,f16c")]
pub(super) fn f16x8(h: [u16; 8]) -> __m256 {
    // SAFETY: `h` is 16 readable bytes; `loadu` has no alignment need.
    let v = unsafe { _mm_loadu_si128(h.as_ptr().cast()) };
    _mm256_cvtph_ps(v)
}

/// Σ over 32 pairs `w_i * x_i` with `w` unsigned bytes (`0..=255`) and `x` signed, as 8 i32
/// partial sums. Exact while each adjacent pair sum fits i16: callers pass `w <= 63`,
/// `|x| <= 127` (`2 * 63 * 127 < 32767`). Signed weights move their signs onto `x` first
/// (`maddubs(|w|, sign(x, w))`): `|w| <= 128` as an unsigned byte, so a pair sums to at most
/// `2 * 128 * 127 = 32512` — exact because the quantizer never emits -128.
#[inline]
#[target_feature(enable = "avx2")]
pub(super) fn dot_u8_i8(w: __m256i, x: __m256i) -> __m256i {
    _mm256_madd_epi16(_mm256_maddubs_epi16(w, x), _mm256_set1_epi16(1))
}

/// Lane `i` of the result is the sum of the 8 lanes of `v[i]` (exact i32).
#[inline]
#[target_feature(enable = "avx2")]
pub(super) fn hsum8(v: [__m256i; 8]) -> __m256i {
    let a01 = _mm256_hadd_epi32(v[0], v[1]);
    let a23 = _mm256_hadd_epi32(v[2], v[3]);
    let a45 = _mm256_hadd_epi32(v[4], v[5]);
    let a67 = _mm256_hadd_epi32(v[6], v[7]);
    // [v0..v3 low halves | v0..v3 high halves], same for v4..v7.
    let b0 = _mm256_hadd_epi32(a01, a23);
    let b1 = _mm256_hadd_epi32(a45, a67);
    let lo = _mm256_permute2x128_si256::<0x20>(b0, b1);
    let hi = _mm256_permute2x128_si256::<0x31>(b0, b1);
    _mm256_add_epi32(lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::x86::Avx2;
    use crate::quant::f16_to_f32;

    #[test]
    fn f16c_widening_equals_the_portable_one_for_every_pattern() {
        let Some(_t) = Avx2::detect() else {
            eprintln!("no AVX2/F16C on this CPU: the SIMD path is never selected here");
            return;
        };
        for base in (0..=u16::MAX).step_by(8) {
            let h: [u16; 8] = std::array::from_fn(|i| base + i as u16);
            // SAFETY: `Avx2::detect` succeeded above.
            let got = store8_f32(unsafe { f16x8(h) });
            for i in 0..8 {
                assert_eq!(
                    got[i].to_bits(),
                    f16_to_f32(h[i]).to_bits(),
                    "{:#06x}",
                    h[i]
                );
            }
        }
    }

    #[test]
    fn hsum8_puts_each_vectors_total_in_its_lane() {
        let Some(_t) = Avx2::detect() else { return };
        let v: [__m256i; 8] = std::array::from_fn(|i| {
            let b = 100 * i as i32;
            // SAFETY: `Avx2::detect` succeeded above.
            unsafe { _mm256_setr_epi32(b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, -b) }
        });
        // SAFETY: `Avx2::detect` succeeded above.
        let s = unsafe { hsum8(v) };
        let mut out = [0_i32; 8];
        // SAFETY: `out` holds 8 i32; `storeu` has no alignment need.
        unsafe { _mm256_storeu_si256(out.as_mut_ptr().cast(), s) };
        let want: [i32; 8] = std::array::from_fn(|i| 6 * 100 * i as i32 + 21);
        assert_eq!(out, want);
    }
}
