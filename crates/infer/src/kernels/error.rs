//! Errors of the kernel layer.

use crate::quant::{GgmlType, QuantError};

/// Why a kernel call was refused. Nothing is written to outputs when an error is returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KernelError {
    /// An activation is NaN or infinite (DESIGN.md section 4.6: a deterministic error result).
    #[error("activation {index} is not finite ({value})")]
    NonFiniteActivation {
        /// Position in the input buffer.
        index: usize,
        /// The value found.
        value: f32,
    },
    /// Q8 activations need a whole number of 32-element blocks per vector.
    #[error("activation length {cols} is not a multiple of {block}")]
    ColsNotBlockAligned {
        /// Elements per vector.
        cols: usize,
        /// The block size (32).
        block: usize,
    },
    /// A buffer length that does not fit the shapes.
    #[error("{what}: expected length {expected}, got {actual}")]
    LengthMismatch {
        /// Which buffer.
        what: &'static str,
        /// The length the shapes need.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// Activations of the wrong kind for the weight type (F32/F16 weights take f32
    /// activations, quantized weights take Q8 activations).
    #[error("{ty} weights need {needed} activations")]
    ActivationKind {
        /// The weight type.
        ty: GgmlType,
        /// `"f32"` or `"Q8"`.
        needed: &'static str,
    },
    /// A tensor type or size error from the block-format layer.
    #[error(transparent)]
    Quant(#[from] QuantError),
    /// `--kernels avx2|avx512` on a CPU (or build target) without that instruction set.
    #[error("the {} kernels need CPU features this machine lacks", isa.name())]
    IsaUnavailable {
        /// The instruction set asked for.
        isa: crate::kernels::Isa,
    },
    /// `threads` must be at least 1.
    #[error("thread count must be at least 1")]
    ZeroThreads,
    /// The worker pool could not be started.
    #[error("could not start {threads} kernel threads")]
    ThreadPool {
        /// Threads requested.
        threads: usize,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}
