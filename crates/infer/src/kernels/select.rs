//! Kernel selection: [`KernelChoice`] (what the user asks for) and [`Kernels`] (what runs).

use std::sync::Arc;

use super::KernelError;

/// Which kernels to run; the CLI's `--kernels auto|scalar`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KernelChoice {
    /// The fastest path this CPU supports (runtime detection, never `target-cpu=native`).
    #[default]
    Auto,
    /// The scalar reference kernels (the specification).
    Scalar,
}

impl std::str::FromStr for KernelChoice {
    type Err = UnknownKernelChoice;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(KernelChoice::Auto),
            "scalar" => Ok(KernelChoice::Scalar),
            other => Err(UnknownKernelChoice(other.to_owned())),
        }
    }
}

/// A `--kernels` value other than `auto` or `scalar`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kernel choice {0:?} (expected auto or scalar)")]
pub struct UnknownKernelChoice(pub String);

/// The instruction set a [`Kernels`] runs on. Every variant gives the same bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Isa {
    /// Portable scalar reference.
    Scalar,
    /// x86-64 AVX2 (+F16C).
    Avx2,
}

impl Isa {
    /// A short name for reports (`scalar`, `avx2`).
    pub fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Avx2 => "avx2",
        }
    }
}

/// The path actually taken, holding proof that its CPU features were detected.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path {
    Scalar,
    #[cfg(target_arch = "x86_64")]
    Avx2(super::x86::Avx2),
}

/// Resolved kernels: an instruction set plus the threads that split output rows.
///
/// Results never depend on the thread count or on the instruction set: threads only take
/// disjoint ranges of output rows, and every path computes each output in the canonical order.
#[derive(Clone)]
pub struct Kernels {
    pub(crate) path: Path,
    threads: usize,
    pool: Option<Arc<rayon::ThreadPool>>,
}

impl std::fmt::Debug for Kernels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kernels")
            .field("isa", &self.isa())
            .field("threads", &self.threads)
            .finish()
    }
}

impl Kernels {
    /// Resolves `choice` on this CPU and starts `threads - 1` helper threads (none for 1); the
    /// calling thread always computes one share of the rows.
    pub fn new(choice: KernelChoice, threads: usize) -> Result<Self, KernelError> {
        if threads == 0 {
            return Err(KernelError::ZeroThreads);
        }
        let path = match choice {
            KernelChoice::Scalar => Path::Scalar,
            KernelChoice::Auto => detect(),
        };
        let pool = if threads > 1 {
            // The calling thread computes the first share itself: `threads - 1` helpers.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads - 1)
                .thread_name(|i| format!("wicas-kernel-{i}"))
                .build()
                .map_err(|source| KernelError::ThreadPool { threads, source })?;
            Some(Arc::new(pool))
        } else {
            None
        };
        Ok(Kernels {
            path,
            threads,
            pool,
        })
    }

    /// The scalar reference kernels on the calling thread.
    pub fn scalar() -> Self {
        Kernels {
            path: Path::Scalar,
            threads: 1,
            pool: None,
        }
    }

    /// The instruction set in use.
    pub fn isa(&self) -> Isa {
        match self.path {
            Path::Scalar => Isa::Scalar,
            #[cfg(target_arch = "x86_64")]
            Path::Avx2(_) => Isa::Avx2,
        }
    }

    /// Threads that split output rows.
    pub fn threads(&self) -> usize {
        self.threads
    }

    pub(crate) fn pool(&self) -> Option<&rayon::ThreadPool> {
        self.pool.as_deref()
    }
}

/// The fastest path this CPU supports.
fn detect() -> Path {
    #[cfg(target_arch = "x86_64")]
    if let Some(t) = super::x86::Avx2::detect() {
        return Path::Avx2(t);
    }
    Path::Scalar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_and_zero_threads_is_refused() {
        assert_eq!("auto".parse::<KernelChoice>(), Ok(KernelChoice::Auto));
        assert_eq!("scalar".parse::<KernelChoice>(), Ok(KernelChoice::Scalar));
        assert!("avx9".parse::<KernelChoice>().is_err());
        assert!(matches!(
            Kernels::new(KernelChoice::Auto, 0),
            Err(KernelError::ZeroThreads)
        ));
        let k = Kernels::new(KernelChoice::Scalar, 2).expect("pool");
        assert_eq!((k.isa(), k.threads()), (Isa::Scalar, 2));
    }
}
