//! `exp` for f32 built only from IEEE-754 additions, multiplications and exponent-bit assembly
//! (DESIGN.md section 4.4: "our own exp built from add/mul/exponent bits"). Every step is a single
//! correctly rounded operation with no FMA and no branch on the value, so the result is the same on
//! every machine and the compiler may vectorise a loop of calls without changing a bit (Rust never
//! contracts `a * b + c`). Accuracy: within 2 ulp of the correctly rounded result for normal
//! outputs (checked against the pinned `libm` in the tests).
//!
//! Method (Cody–Waite range reduction, Cephes `expf` polynomial):
//! `n = round(x · log2 e)`, `r = (x − n·ln2_hi) − n·ln2_lo`, `e^r ≈ 1 + r + r²·P(r)` on
//! |r| ≤ ln2/2, then `e^x = (e^r · 2^⌊n/2⌋) · 2^(n − ⌊n/2⌋)`; the two-step scaling reaches the
//! subnormal range and overflows to +∞ exactly where the true result does (x > 88.72284).

/// 1.5 · 2^23: adding it rounds an f32 of magnitude < 2^22 to the nearest integer (ties to even).
const ROUND_MAGIC: f32 = 12_582_912.0;
const LOG2_E: f32 = std::f32::consts::LOG2_E;
/// ln 2 split so that `n · LN2_HI` is exact for |n| ≤ 2^9.
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
/// Inputs are clamped to this range first: below it the result rounds to 0, above it to +∞.
const X_MIN: f32 = -104.0;
const X_MAX: f32 = 89.0;

/// `2^k` for `k` in `-126..=127`, assembled from exponent bits.
#[inline(always)]
fn pow2i(k: i32) -> f32 {
    // `k + 127` is in 1..=254: wrapping (never wraps) keeps the release build's overflow
    // check, a branch, out of loops that LLVM may then vectorise.
    f32::from_bits((k.wrapping_add(127) as u32) << 23)
}

/// `e^x`; NaN stays NaN.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let xc = x.clamp(X_MIN, X_MAX);
    let t = xc * LOG2_E + ROUND_MAGIC;
    let n = t - ROUND_MAGIC; // round(x · log2 e), exact integer in -150..=129
    let r = (xc - n * LN2_HI) - n * LN2_LO;
    let p = 1.987_569_1e-4_f32;
    let p = p * r + 1.398_199_9e-3;
    let p = p * r + 8.333_452e-3;
    let p = p * r + 4.166_579_6e-2;
    let p = p * r + 1.666_666_5e-1;
    let p = p * r + 0.5; // Cephes 5.0000001201e-1 rounds to exactly 0.5 in f32
    let er = (p * (r * r) + r) + 1.0;
    let ni = n as i32;
    let n1 = ni >> 1;
    let y = (er * pow2i(n1)) * pow2i(ni.wrapping_sub(n1)); // |ni| <= 150: never wraps
    if x.is_nan() { x } else { y }
}

#[cfg(test)]
mod tests {
    use super::exp;

    fn ulps(a: f32, b: f32) -> u32 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs() as u32
    }

    #[test]
    fn exp_is_within_two_ulp_of_libm_across_the_normal_range() {
        // Every 61st bit pattern of [-87.3, 88.7] (about 35 million inputs, both signs).
        let mut worst = (0u32, 0.0f32);
        let (lo, hi) = (0u32, 0x42B1_7217u32); // +0 .. 88.7228
        for bits in (lo..=hi).step_by(61) {
            for x in [f32::from_bits(bits), -f32::from_bits(bits)] {
                if x < -87.33 {
                    continue;
                }
                let u = ulps(exp(x), libm::expf(x));
                if u > worst.0 {
                    worst = (u, x);
                }
            }
        }
        assert!(worst.0 <= 2, "{} ulp at {}", worst.0, worst.1);
    }

    #[test]
    fn exp_handles_the_edges() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp(-200.0), 0.0);
        assert_eq!(exp(f32::INFINITY), f32::INFINITY);
        assert_eq!(exp(89.0), f32::INFINITY);
        assert!(exp(88.7).is_finite());
        assert!(exp(f32::NAN).is_nan());
        let sub = exp(-95.0);
        assert!(sub > 0.0 && sub < f32::MIN_POSITIVE);
        let want = libm::expf(-95.0);
        assert!(ulps(sub, want) <= 1, "{sub:e} vs {want:e}");
    }
}
