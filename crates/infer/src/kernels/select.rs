//! Kernel selection: [`KernelChoice`] (what the user asks for) and [`Kernels`] (what runs).

use std::sync::Arc;

use super::pool::Pool;
use super::{ActivationsQ8, KernelError};

/// Which kernels to run; the CLI's `--kernels auto|scalar|avx2|avx512`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KernelChoice {
    /// The fastest path this CPU supports (runtime detection, never `target-cpu=native`).
    #[default]
    Auto,
    /// The scalar reference kernels (the specification).
    Scalar,
    /// The x86-64 AVX2 (+F16C) path; refused where the CPU lacks it. For testing and
    /// benchmarking one path against another on the same machine.
    Avx2,
    /// The x86-64 AVX-512 VNNI path (AVX-512 F/BW/VL/VNNI plus AVX2/F16C); refused where the
    /// CPU lacks it.
    Avx512,
}

impl std::str::FromStr for KernelChoice {
    type Err = UnknownKernelChoice;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(KernelChoice::Auto),
            "scalar" => Ok(KernelChoice::Scalar),
            "avx2" => Ok(KernelChoice::Avx2),
            "avx512" => Ok(KernelChoice::Avx512),
            other => Err(UnknownKernelChoice(other.to_owned())),
        }
    }
}

/// A `--kernels` value other than `auto`, `scalar`, `avx2` or `avx512`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kernel choice {0:?} (expected auto, scalar, avx2 or avx512)")]
pub struct UnknownKernelChoice(pub String);

/// The instruction set a [`Kernels`] runs on. Every variant gives the same bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Isa {
    /// Portable scalar reference.
    Scalar,
    /// x86-64 AVX2 (+F16C).
    Avx2,
    /// x86-64 AVX-512 F/BW/VL/VNNI (batched quantized products; the rest runs on AVX2).
    Avx512,
    /// wasm32 simd128.
    Simd128,
    /// AArch64 NEON.
    Neon,
}

impl Isa {
    /// A short name for reports (`scalar`, `avx2`).
    pub fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
            Isa::Simd128 => "simd128",
            Isa::Neon => "neon",
        }
    }
}

/// The path actually taken, holding proof that its CPU features were detected.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path {
    Scalar,
    #[cfg(target_arch = "x86_64")]
    Avx2(super::x86::Avx2),
    #[cfg(target_arch = "x86_64")]
    Avx512(super::x86::Avx512),
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    Simd128(super::wasm::Simd128),
    #[cfg(target_arch = "aarch64")]
    Neon(super::arm::Neon),
}

/// Resolved kernels: an instruction set plus the threads that split output rows.
///
/// Results never depend on the thread count or on the instruction set: threads only take
/// disjoint ranges of output rows, and every path computes each output in the canonical order.
#[derive(Clone)]
pub struct Kernels {
    pub(crate) path: Path,
    threads: usize,
    pool: Option<Arc<Pool>>,
    min_parallel_bytes: usize,
}

/// Default for [`Kernels::with_min_parallel_bytes`]: a call that streams fewer weight bytes
/// (summed over its vectors) runs on the calling thread alone. The pool's hand-off costs well
/// under a microsecond when its workers are spinning (`kernels/pool.rs`), while the AVX2
/// kernels stream ~14 GB/s per thread (64 KiB ≈ 4.5 µs): every SmolLM2 product is split,
/// only tiny test matrices stay on one thread.
pub const DEFAULT_MIN_PARALLEL_BYTES: usize = 64 * 1024;

/// Shares per thread of a parallel step. Shares are claimed dynamically (`kernels/pool.rs`),
/// so several small shares per thread bound what a descheduled worker holds up on a loaded
/// machine; each costs one lock and one atomic claim (~50 ns). The split never changes bits.
pub(crate) const SHARES_PER_THREAD: usize = 4;

impl std::fmt::Debug for Kernels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kernels")
            .field("isa", &self.isa())
            .field("threads", &self.threads)
            .finish()
    }
}

impl Kernels {
    /// Resolves `choice` on this CPU and starts `threads - 1` persistent workers (none for 1).
    /// A parallel step (matrix rows, attention heads) computes one share on the calling thread
    /// and hands the other `threads - 1` shares to the workers (`kernels/pool.rs`).
    pub fn new(choice: KernelChoice, threads: usize) -> Result<Self, KernelError> {
        if threads == 0 {
            return Err(KernelError::ZeroThreads);
        }
        let path = match choice {
            KernelChoice::Scalar => Path::Scalar,
            KernelChoice::Auto => detect(),
            KernelChoice::Avx2 => avx2().ok_or(KernelError::IsaUnavailable { isa: Isa::Avx2 })?,
            KernelChoice::Avx512 => {
                avx512().ok_or(KernelError::IsaUnavailable { isa: Isa::Avx512 })?
            }
        };
        let pool = if threads > 1 {
            let pool =
                Pool::new(threads).map_err(|source| KernelError::ThreadPool { threads, source })?;
            Some(Arc::new(pool))
        } else {
            None
        };
        Ok(Kernels {
            path,
            threads,
            pool,
            min_parallel_bytes: DEFAULT_MIN_PARALLEL_BYTES,
        })
    }

    /// The scalar reference kernels on the calling thread.
    pub fn scalar() -> Self {
        Kernels {
            path: Path::Scalar,
            threads: 1,
            pool: None,
            min_parallel_bytes: DEFAULT_MIN_PARALLEL_BYTES,
        }
    }

    /// The instruction set in use.
    pub fn isa(&self) -> Isa {
        match self.path {
            Path::Scalar => Isa::Scalar,
            #[cfg(target_arch = "x86_64")]
            Path::Avx2(_) => Isa::Avx2,
            #[cfg(target_arch = "x86_64")]
            Path::Avx512(_) => Isa::Avx512,
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Path::Simd128(_) => Isa::Simd128,
            #[cfg(target_arch = "aarch64")]
            Path::Neon(_) => Isa::Neon,
        }
    }

    /// Threads that split output rows.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Sets the work (weight bytes × vectors) below which a call runs on the calling thread
    /// alone. A speed knob only: results are identical for every value.
    pub fn with_min_parallel_bytes(mut self, bytes: usize) -> Self {
        self.min_parallel_bytes = bytes;
        self
    }

    /// The shares a call with `work` weight bytes × vectors is split into: 1 below the
    /// threshold, else [`SHARES_PER_THREAD`] per thread.
    pub(crate) fn shares_for(&self, work: u128) -> usize {
        if work < self.min_parallel_bytes as u128 || self.threads == 1 {
            1
        } else {
            self.threads * SHARES_PER_THREAD
        }
    }

    /// Runs `f(i)` once for every share `i < shares` and returns when all are done, on the
    /// calling thread and the pool's workers (any share on any thread; with no pool, all on
    /// the calling thread). Shares must write disjoint outputs.
    pub(crate) fn parallel(&self, shares: usize, f: &(dyn Fn(usize) + Sync)) {
        match &self.pool {
            Some(pool) => pool.run(shares, f),
            None => (0..shares).for_each(f),
        }
    }
}

impl Kernels {
    /// Quantizes `x` into `q` ([`ActivationsQ8::quantize_batch`]), compiled for this path's
    /// vector unit: the same bits on every path (see `x86::compiled_for_x86`).
    pub(crate) fn quantize(
        &self,
        q: &mut ActivationsQ8,
        x: &[f32],
        cols: usize,
    ) -> Result<(), KernelError> {
        #[cfg(target_arch = "x86_64")]
        match self.path {
            Path::Avx2(t) => return super::x86::quantize_avx2(t, q, x, cols),
            Path::Avx512(t) => return super::x86::quantize_avx512(t, q, x, cols),
            _ => {}
        }
        q.quantize_batch(x, cols)
    }

    /// `model::ops::swiglu`, compiled for this path's vector unit (same bits).
    pub(crate) fn swiglu(&self, gate: &mut [f32], up: &[f32]) {
        #[cfg(target_arch = "x86_64")]
        match self.path {
            Path::Avx2(t) => return super::x86::swiglu_avx2(t, gate, up),
            Path::Avx512(t) => return super::x86::swiglu_avx512(t, gate, up),
            _ => {}
        }
        crate::model::ops::swiglu(gate, up)
    }

    /// `model::ops::softmax`, compiled for this path's vector unit (same bits).
    pub(crate) fn softmax(&self, x: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        match self.path {
            Path::Avx2(t) => return super::x86::softmax_avx2(t, x),
            Path::Avx512(t) => return super::x86::softmax_avx512(t, x),
            _ => {}
        }
        crate::model::ops::softmax(x)
    }
}

/// The AVX2 path, where this CPU has it.
fn avx2() -> Option<Path> {
    #[cfg(target_arch = "x86_64")]
    if let Some(t) = super::x86::Avx2::detect() {
        return Some(Path::Avx2(t));
    }
    None
}

/// The AVX-512 VNNI path, where this CPU has it.
fn avx512() -> Option<Path> {
    #[cfg(target_arch = "x86_64")]
    if let Some(t) = super::x86::Avx512::detect() {
        return Some(Path::Avx512(t));
    }
    None
}

/// The fastest path this CPU supports.
fn detect() -> Path {
    if let Some(p) = avx512().or_else(avx2) {
        return p;
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if let Some(t) = super::wasm::Simd128::detect() {
        return Path::Simd128(t);
    }
    #[cfg(target_arch = "aarch64")]
    if let Some(t) = super::arm::Neon::detect() {
        return Path::Neon(t);
    }
    Path::Scalar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_isa_is_given_exactly_where_the_cpu_has_it_and_refused_elsewhere() {
        for (choice, isa, have) in [
            (KernelChoice::Avx2, Isa::Avx2, avx2().is_some()),
            (KernelChoice::Avx512, Isa::Avx512, avx512().is_some()),
        ] {
            match Kernels::new(choice, 1) {
                Ok(k) => {
                    assert!(have, "{choice:?} given without CPU support");
                    assert_eq!(k.isa(), isa);
                }
                Err(KernelError::IsaUnavailable { isa: missing }) => {
                    assert!(!have, "{choice:?} refused although the CPU has it");
                    assert_eq!(missing, isa);
                    eprintln!("skipped: this CPU has no {}", isa.name());
                }
                Err(other) => panic!("{choice:?}: {other}"),
            }
        }
    }

    #[test]
    fn choices_parse_and_zero_threads_is_refused() {
        assert_eq!("auto".parse::<KernelChoice>(), Ok(KernelChoice::Auto));
        assert_eq!("scalar".parse::<KernelChoice>(), Ok(KernelChoice::Scalar));
        assert_eq!("avx2".parse::<KernelChoice>(), Ok(KernelChoice::Avx2));
        assert_eq!("avx512".parse::<KernelChoice>(), Ok(KernelChoice::Avx512));
        let err = "avx9".parse::<KernelChoice>().unwrap_err().to_string();
        assert!(err.contains("auto, scalar, avx2 or avx512"), "{err}");
        assert!(matches!(
            Kernels::new(KernelChoice::Auto, 0),
            Err(KernelError::ZeroThreads)
        ));
        if cfg!(not(target_family = "wasm")) {
            let k = Kernels::new(KernelChoice::Scalar, 2).expect("pool");
            assert_eq!((k.isa(), k.threads()), (Isa::Scalar, 2));
        }
    }

    #[test]
    fn auto_picks_the_simd_path_this_build_and_cpu_offer() {
        let isa = Kernels::new(KernelChoice::Auto, 1).expect("auto").isa();
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        assert_eq!(isa, Isa::Simd128);
        #[cfg(target_arch = "aarch64")]
        assert_eq!(isa, Isa::Neon);
        #[cfg(target_arch = "x86_64")]
        if super::super::x86::Avx512::detect().is_some() {
            assert_eq!(isa, Isa::Avx512);
        } else if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("f16c") {
            eprintln!("no avx512vnni: auto picks AVX2");
            assert_eq!(isa, Isa::Avx2);
        }
        assert_eq!(
            Kernels::new(KernelChoice::Scalar, 1).expect("scalar").isa(),
            Isa::Scalar
        );
    }
}
