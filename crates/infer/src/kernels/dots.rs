//! f32 dot products for attention: one at a time, or one query against many strided rows
//! (every key of a head in the KV cache) in one call. Each result is the canonical 8-lane dot
//! ([`super::scalar::dot_f32`]) whatever the path.

use super::KernelError;
use super::scalar;
use super::select::{Kernels, Path};

impl Kernels {
    /// The canonical f32 dot product `Σ a_i b_i` (attention scores and the like).
    pub fn dot_f32(&self, a: &[f32], b: &[f32]) -> Result<f32, KernelError> {
        if a.len() != b.len() {
            return Err(KernelError::LengthMismatch {
                what: "dot_f32 operands",
                expected: a.len(),
                actual: b.len(),
            });
        }
        Ok(match self.path {
            Path::Scalar => scalar::dot_f32(a, b),
            #[cfg(target_arch = "x86_64")]
            Path::Avx2(t) => super::x86::dot_f32(t, a, b),
            #[cfg(target_arch = "x86_64")]
            Path::Avx512(t) => super::x86::dot_f32(t.avx2(), a, b),
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Path::Simd128(t) => super::wasm::dot_f32(t, a, b),
            #[cfg(target_arch = "aarch64")]
            Path::Neon(t) => super::arm::dot_f32(t, a, b),
        })
    }

    /// `out[t] = dot_f32(q, m[t * stride + offset ..][..q.len()])` for every `t < out.len()`:
    /// one query against `out.len()` rows of a row-major matrix (e.g. the keys of one KV head:
    /// `stride = kv_dim`, `offset = head * head_dim`). Same bits as calling
    /// [`Kernels::dot_f32`] per row, with the per-call overhead paid once (on AVX2, four rows
    /// are computed side by side). Runs on the calling thread.
    pub fn dot_f32_strided(
        &self,
        q: &[f32],
        m: &[f32],
        stride: usize,
        offset: usize,
        out: &mut [f32],
    ) -> Result<(), KernelError> {
        if let Some(last) = out.len().checked_sub(1) {
            let end = last
                .checked_mul(stride)
                .and_then(|v| v.checked_add(offset))
                .and_then(|v| v.checked_add(q.len()));
            match end {
                Some(end) if end <= m.len() => {}
                _ => {
                    return Err(KernelError::LengthMismatch {
                        what: "dot_f32_strided matrix (rows × stride + offset + len)",
                        expected: end.unwrap_or(usize::MAX),
                        actual: m.len(),
                    });
                }
            }
        }
        match self.path {
            #[cfg(target_arch = "x86_64")]
            Path::Avx2(t) => super::x86::dot_f32_strided(t, q, m, stride, offset, out),
            #[cfg(target_arch = "x86_64")]
            Path::Avx512(t) => {
                super::x86::dot_f32_strided(t.avx2(), q, m, stride, offset, out);
            }
            path => {
                for (t, o) in out.iter_mut().enumerate() {
                    let row = &m[t * stride + offset..t * stride + offset + q.len()];
                    *o = match path {
                        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
                        Path::Simd128(tk) => super::wasm::dot_f32(tk, q, row),
                        #[cfg(target_arch = "aarch64")]
                        Path::Neon(tk) => super::arm::dot_f32(tk, q, row),
                        _ => scalar::dot_f32(q, row),
                    };
                }
            }
        }
        Ok(())
    }
}
