//! Start-up check of the floating-point environment (DESIGN.md section 4.6): the engine's bits
//! assume IEEE-754 round-to-nearest-even with subnormals kept (no FTZ/DAZ). A process that
//! changed MXCSR/FPCR (some libraries do) would silently compute other bits; we refuse instead.

use std::hint::black_box;

/// What is wrong with the floating-point environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FloatEnvError {
    /// Rounding is not to nearest (1 + 0.75 ulp must round up, -1 - 0.75 ulp down).
    #[error("floating-point rounding is not round-to-nearest")]
    NotRoundToNearest,
    /// Subnormal results are flushed to zero.
    #[error("subnormal results are flushed to zero (FTZ)")]
    FlushToZero,
    /// Subnormal inputs are treated as zero.
    #[error("subnormal inputs are treated as zero (DAZ)")]
    DenormalsAreZero,
}

/// Checks the current thread's floating-point environment.
pub fn check_float_env() -> Result<(), FloatEnvError> {
    let ulp = f32::EPSILON; // 2^-23
    let up = black_box(1.0f32) + black_box(0.75 * ulp);
    let down = black_box(-1.0f32) - black_box(0.75 * ulp);
    if up != 1.0 + ulp || down != -1.0 - ulp {
        return Err(FloatEnvError::NotRoundToNearest);
    }
    let sub = black_box(f32::MIN_POSITIVE) / black_box(4.0f32);
    if sub == 0.0 {
        return Err(FloatEnvError::FlushToZero);
    }
    let sub_in = f32::from_bits(black_box(1u32)); // the smallest subnormal
    if black_box(sub_in) * black_box(2.0f32) != f32::from_bits(2) {
        return Err(FloatEnvError::DenormalsAreZero);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_test_process_has_the_default_environment() {
        assert_eq!(super::check_float_env(), Ok(()));
    }
}
