//! Matrix-vector products: one weight matrix against one or more activation vectors.
//!
//! Threads split the *output rows* into contiguous ranges; each output element is one call of
//! the canonical row dot product, so results are identical for any thread count, for any
//! number of vectors in a batch (prefill == decode), and for every instruction set.

use super::KernelError;
use super::q8::{ActivationsQ8, Q8Vec};
use super::scalar;
use super::select::{Kernels, Path};
use crate::quant::GgmlType;

/// A weight matrix `[rows][cols]` stored row-major in one GGML type (a GGUF tensor with
/// `ne = [cols, rows]`), borrowed from the model file.
#[derive(Debug, Clone, Copy)]
pub struct WeightMatrix<'a> {
    ty: GgmlType,
    rows: usize,
    cols: usize,
    row_bytes: usize,
    /// `[rows][row_bytes]`.
    bytes: &'a [u8],
}

impl<'a> WeightMatrix<'a> {
    /// Checks that `bytes` holds exactly `rows` rows of `cols` elements of `ty`.
    pub fn new(
        ty: GgmlType,
        rows: usize,
        cols: usize,
        bytes: &'a [u8],
    ) -> Result<Self, KernelError> {
        let row_bytes = ty.row_bytes(cols)?;
        let expected = row_bytes
            .checked_mul(rows)
            .ok_or(crate::quant::QuantError::SizeOverflow { ty, n: cols })?;
        if bytes.len() != expected {
            return Err(KernelError::LengthMismatch {
                what: "weight matrix bytes",
                expected,
                actual: bytes.len(),
            });
        }
        Ok(WeightMatrix {
            ty,
            rows,
            cols,
            row_bytes,
            bytes,
        })
    }

    /// The element type.
    pub fn ty(&self) -> GgmlType {
        self.ty
    }

    /// Output rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Input columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The raw bytes of row `r < rows`.
    pub fn row(&self, r: usize) -> &'a [u8] {
        &self.bytes[r * self.row_bytes..(r + 1) * self.row_bytes]
    }
}

/// Activations for [`Kernels::matvec`]: `[n_vectors][cols]`.
#[derive(Debug, Clone, Copy)]
pub enum Activations<'a> {
    /// Plain f32 vectors back to back, for F32/F16 weights.
    F32(&'a [f32]),
    /// Q8 vectors, for quantized weights.
    Q8(&'a ActivationsQ8),
}

/// One activation vector, ready for a row dot product.
#[derive(Debug, Clone, Copy)]
pub(crate) enum XVec<'a> {
    F32(&'a [f32]),
    Q8(Q8Vec<'a>),
}

impl Kernels {
    /// `out[v * rows + r] = Σ_c W[r][c] · x_v[c]` for every vector `v` of `x` and row `r`,
    /// each in the canonical order of [`super::scalar`].
    ///
    /// F32/F16 weights take [`Activations::F32`]; quantized weights take [`Activations::Q8`].
    /// `out.len()` must be `n_vectors * rows`. Rows are read once per call and reused for all
    /// vectors while in cache.
    pub fn matvec(
        &self,
        w: &WeightMatrix<'_>,
        x: Activations<'_>,
        out: &mut [f32],
    ) -> Result<(), KernelError> {
        let vectors = self.vectors(w, x)?;
        let expected = vectors.len() * w.rows;
        if out.len() != expected {
            return Err(KernelError::LengthMismatch {
                what: "matvec output",
                expected,
                actual: out.len(),
            });
        }
        if w.rows == 0 || vectors.is_empty() {
            return Ok(());
        }
        let threads = self.threads().min(w.rows);
        match self.pool() {
            Some(pool) if threads > 1 => {
                let chunk = w.rows.div_ceil(threads);
                let mut parts: Vec<Vec<&mut [f32]>> = (0..threads)
                    .map(|_| Vec::with_capacity(vectors.len()))
                    .collect();
                for mut rest in out.chunks_mut(w.rows) {
                    for part in parts.iter_mut() {
                        let take = chunk.min(rest.len());
                        let (head, tail) = rest.split_at_mut(take);
                        part.push(head);
                        rest = tail;
                    }
                }
                let path = self.path;
                let vectors = &vectors;
                pool.scope(|s| {
                    for (t, mut part) in parts.into_iter().enumerate() {
                        s.spawn(move |_| rows_job(path, w, vectors, t * chunk, &mut part));
                    }
                });
            }
            _ => {
                let mut part: Vec<&mut [f32]> = out.chunks_mut(w.rows).collect();
                rows_job(self.path, w, &vectors, 0, &mut part);
            }
        }
        Ok(())
    }

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
        })
    }

    /// Splits `x` into vectors after checking it fits `w`.
    fn vectors<'x>(
        &self,
        w: &WeightMatrix<'_>,
        x: Activations<'x>,
    ) -> Result<Vec<XVec<'x>>, KernelError> {
        match (w.ty.is_quantized(), x) {
            (false, Activations::F32(v)) => {
                if w.cols == 0 || !v.len().is_multiple_of(w.cols) {
                    let expected = v.len().div_ceil(w.cols.max(1)) * w.cols;
                    return Err(KernelError::LengthMismatch {
                        what: "f32 activations",
                        expected,
                        actual: v.len(),
                    });
                }
                Ok(v.chunks_exact(w.cols).map(XVec::F32).collect())
            }
            (true, Activations::Q8(a)) => {
                if a.cols() != w.cols {
                    return Err(KernelError::LengthMismatch {
                        what: "Q8 activation columns",
                        expected: w.cols,
                        actual: a.cols(),
                    });
                }
                Ok((0..a.n_vectors()).map(|v| XVec::Q8(a.vector(v))).collect())
            }
            (true, Activations::F32(_)) => Err(KernelError::ActivationKind {
                ty: w.ty,
                needed: "Q8",
            }),
            (false, Activations::Q8(_)) => Err(KernelError::ActivationKind {
                ty: w.ty,
                needed: "f32",
            }),
        }
    }
}

/// Rows `r0 .. r0 + out[v].len()` of `w` against every vector: `out[v][i] = row(r0 + i) · x_v`.
fn rows_job(
    path: Path,
    w: &WeightMatrix<'_>,
    vectors: &[XVec<'_>],
    r0: usize,
    out: &mut [&mut [f32]],
) {
    let n = out.first().map_or(0, |o| o.len());
    for i in 0..n {
        let row = w.row(r0 + i);
        for (o, x) in out.iter_mut().zip(vectors) {
            o[i] = dot_row(path, w.ty, row, *x);
        }
    }
}

/// One canonical row dot product on `path`.
#[inline]
pub(crate) fn dot_row(path: Path, ty: GgmlType, row: &[u8], x: XVec<'_>) -> f32 {
    match (path, x) {
        (Path::Scalar, XVec::F32(x)) => scalar::dot_float_row(ty, row, x),
        (Path::Scalar, XVec::Q8(x)) => scalar::dot_q8_row(ty, row, x),
        #[cfg(target_arch = "x86_64")]
        (Path::Avx2(t), XVec::F32(x)) => super::x86::dot_float_row(t, ty, row, x),
        #[cfg(target_arch = "x86_64")]
        (Path::Avx2(t), XVec::Q8(x)) => super::x86::dot_q8_row(t, ty, row, x),
    }
}
