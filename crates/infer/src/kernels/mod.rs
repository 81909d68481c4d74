//! The canonical kernels: activation quantizer, row dot products and matrix-vector products.
//!
//! [`scalar`] is the numeric specification (DESIGN.md section 4); the SIMD modules reproduce
//! it bit for bit and are chosen at run time ([`KernelChoice`]), never by `target-cpu`.
//! Paths: `x86` (AVX2 + F16C, run-time detected), `arm` (AArch64 NEON, baseline) and `wasm`
//! (simd128, when the wasm build enables it with `-C target-feature=+simd128`). Unsafe code
//! lives in the SIMD modules (CPU features proven by a detection token, bounds checked before
//! every raw load) and in `pool` (a borrowed closure lent to persistent worker threads for one
//! parallel region), each unsafe block justified by a `// SAFETY:` comment.

#[cfg(target_arch = "aarch64")]
#[allow(unsafe_code)]
mod arm;
mod dots;
mod error;
mod lanes;
mod matvec;
mod pool;
mod q8;
mod scalar;
mod select;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[allow(unsafe_code)]
mod wasm;
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod x86;

pub use error::KernelError;
pub use matvec::{Activations, MatvecJob, WeightMatrix};
pub use q8::{ActivationsQ8, Q8_BLOCK};
pub(crate) use select::SHARES_PER_THREAD;
pub use select::{DEFAULT_MIN_PARALLEL_BYTES, Isa, KernelChoice, Kernels, UnknownKernelChoice};
