//! AArch64 NEON kernels (NEON is part of the AArch64 baseline: no detection needed). The
//! integer block sums use `smull` + `sadalp` (exact: i8 products fit i16); the float epilogue is
//! the reference's own code ([`super::scalar::dot_q8_row_with`]), and the f32 dot keeps the 8
//! canonical lanes as two `float32x4_t` halves (separate `fmul`/`fadd`, never `fmla`).

mod neon;

pub(crate) use neon::{dot_f32, dot_float_row, dot_q8_row};

/// Marker for the NEON path (always available on AArch64).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Neon(());

impl Neon {
    /// Always `Some`: NEON is mandatory on AArch64.
    pub(crate) fn detect() -> Option<Self> {
        Some(Neon(()))
    }
}
