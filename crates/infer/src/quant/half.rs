//! Exact IEEE 754 binary16 → binary32 widening (every f16 value is exactly representable as f32).

/// Widens the f16 with bit pattern `h` to f32, exactly.
///
/// Normal and subnormal values and infinities map to the identical value. A NaN keeps its sign
/// and payload and has the quiet bit set, which is what x86 F16C (`vcvtph2ps`) and AArch64
/// `fcvt` produce, so the scalar and SIMD paths widen every pattern alike.
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h & 0x8000) << 16;
    let exp = u32::from((h >> 10) & 0x1f);
    let man = u32::from(h & 0x03ff);
    let bits = match exp {
        0 if man == 0 => sign,
        0 => {
            // Subnormal: man * 2^-24. Normalise so the leading one lands on bit 10.
            let shift = man.leading_zeros() - 21; // 1..=10
            let e = 113 - shift; // f32 biased exponent of 2^(p-24), p = 10 - shift
            sign | (e << 23) | (((man << shift) & 0x03ff) << 13)
        }
        31 if man == 0 => sign | 0x7f80_0000,
        31 => sign | 0x7fc0_0000 | (man << 13),
        _ => sign | ((exp + 112) << 23) | (man << 13),
    };
    f32::from_bits(bits)
}

/// Reads the little-endian f16 at `bytes[at..at + 2]` and widens it.
#[inline(always)]
pub(crate) fn f16_at(bytes: &[u8], at: usize) -> f32 {
    f16_to_f32(u16::from_le_bytes([bytes[at], bytes[at + 1]]))
}

#[cfg(test)]
mod tests {
    use super::f16_to_f32;

    /// The value of an f16 computed from the format description in f64 (exact for every f16).
    fn reference(h: u16) -> f64 {
        let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
        let exp = i32::from((h >> 10) & 0x1f);
        let man = f64::from(h & 0x3ff);
        let two = |e: i32| -> f64 { f64::from_bits(((e + 1023) as u64) << 52) };
        match exp {
            0 => sign * man * two(-24),
            31 if man == 0.0 => sign * f64::INFINITY,
            31 => f64::NAN,
            _ => sign * (1.0 + man / 1024.0) * two(exp - 15),
        }
    }

    #[test]
    fn every_f16_widens_to_its_exact_value() {
        for h in 0..=u16::MAX {
            let got = f16_to_f32(h);
            let want = reference(h);
            if want.is_nan() {
                assert!(got.is_nan(), "{h:#06x}");
                assert_eq!(
                    got.to_bits() & 0x0040_0000,
                    0x0040_0000,
                    "quiet bit {h:#06x}"
                );
                assert_eq!(got.is_sign_negative(), h & 0x8000 != 0);
            } else {
                assert_eq!(f64::from(got), want, "{h:#06x}");
                assert_eq!(got.is_sign_negative(), h & 0x8000 != 0, "sign {h:#06x}");
            }
        }
    }
}
