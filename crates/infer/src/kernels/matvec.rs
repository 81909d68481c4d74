//! Matrix-vector products: one weight matrix against one or more activation vectors.
//!
//! Threads split the *output rows* into contiguous ranges; each output element is one call of
//! the canonical row dot product, so results are identical for any thread count, for any
//! number of vectors in a batch (prefill == decode), and for every instruction set.

use std::sync::{Mutex, PoisonError};

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

/// The activation vectors of one product, split and checked.
#[derive(Debug)]
pub(crate) enum Vectors<'a> {
    F32(Vec<&'a [f32]>),
    Q8(Vec<Q8Vec<'a>>),
}

impl Vectors<'_> {
    fn len(&self) -> usize {
        match self {
            Vectors::F32(v) => v.len(),
            Vectors::Q8(v) => v.len(),
        }
    }
}

/// One product of a [`Kernels::matvec_many`] call: `out = w · x` as in [`Kernels::matvec`].
#[derive(Debug)]
pub struct MatvecJob<'w, 'x, 'o> {
    /// The weights `[rows][cols]`.
    pub w: WeightMatrix<'w>,
    /// The activations `[n_vectors][cols]`.
    pub x: Activations<'x>,
    /// The result `[n_vectors][rows]`.
    pub out: &'o mut [f32],
}

/// A contiguous range of one job's rows, for every vector of that job.
struct Piece<'a> {
    job: usize,
    r0: usize,
    /// `[n_vectors]` output slices for rows `r0 .. r0 + len`.
    outs: Vec<&'a mut [f32]>,
}

impl Kernels {
    /// `out[v * rows + r] = Σ_c W[r][c] · x_v[c]` for every vector `v` of `x` and row `r`,
    /// each in the canonical order of [`super::scalar`].
    ///
    /// F32/F16 weights take [`Activations::F32`]; quantized weights take [`Activations::Q8`].
    /// `out.len()` must be `n_vectors * rows`. Each row is read once per call and reused for
    /// all vectors while in cache, so a batch (prefill) costs one pass over the weights.
    pub fn matvec(
        &self,
        w: &WeightMatrix<'_>,
        x: Activations<'_>,
        out: &mut [f32],
    ) -> Result<(), KernelError> {
        self.matvec_many(&mut [MatvecJob { w: *w, x, out }])
    }

    /// Several independent products in one parallel step (e.g. Q, K and V of one layer):
    /// the same bits as calling [`Kernels::matvec`] for each, with one thread hand-off
    /// instead of one per product. Every job is checked before anything is computed.
    pub fn matvec_many(&self, jobs: &mut [MatvecJob<'_, '_, '_>]) -> Result<(), KernelError> {
        let mut vectors = Vec::with_capacity(jobs.len());
        for job in jobs.iter() {
            let v = self.vectors(&job.w, job.x)?;
            let expected = v.len() * job.w.rows;
            if job.out.len() != expected {
                return Err(KernelError::LengthMismatch {
                    what: "matvec output",
                    expected,
                    actual: job.out.len(),
                });
            }
            vectors.push(v);
        }
        let ws: Vec<WeightMatrix<'_>> = jobs.iter().map(|j| j.w).collect();
        // Work of a row ~ its bytes times the vectors it meets; split the concatenated rows
        // of all jobs into `n_shares` contiguous shares (a few per thread) of about equal work.
        let cost: Vec<u128> = jobs
            .iter()
            .zip(&vectors)
            .map(|(j, v)| (j.w.row_bytes * v.len()) as u128)
            .collect();
        let total: u128 = jobs
            .iter()
            .zip(&cost)
            .map(|(j, c)| j.w.rows as u128 * c)
            .sum();
        let n_shares = self.shares_for(total);
        let mut parts: Vec<Vec<Piece<'_>>> = (0..n_shares).map(|_| Vec::new()).collect();
        let mut start = 0_u128; // work before this job
        for (ji, job) in jobs.iter_mut().enumerate() {
            let (rows, c) = (job.w.rows, cost[ji]);
            if rows == 0 || c == 0 {
                continue;
            }
            // First row of share t's share within this job: ceil((t*total/n_shares - start)/c).
            let first = |t: usize| -> usize {
                let target = t as u128 * total;
                let here = n_shares as u128 * start;
                if target <= here {
                    0
                } else {
                    (target - here)
                        .div_ceil(n_shares as u128 * c)
                        .min(rows as u128) as usize
                }
            };
            let bounds: Vec<usize> = (0..=n_shares)
                .map(|t| if t == n_shares { rows } else { first(t) })
                .collect();
            let mut outs: Vec<Vec<&mut [f32]>> = (0..n_shares).map(|_| Vec::new()).collect();
            for mut rest in job.out.chunks_mut(rows) {
                for t in 0..n_shares {
                    let (head, tail) = rest.split_at_mut(bounds[t + 1] - bounds[t]);
                    outs[t].push(head);
                    rest = tail;
                }
            }
            for (t, o) in outs.into_iter().enumerate() {
                if bounds[t + 1] > bounds[t] {
                    parts[t].push(Piece {
                        job: ji,
                        r0: bounds[t],
                        outs: o,
                    });
                }
            }
            start += rows as u128 * c;
        }
        let (path, ws, vectors) = (self.path, &ws, &vectors);
        // Each share is claimed, and so run, by exactly one thread.
        let shares: Vec<Mutex<Vec<Piece<'_>>>> = parts.into_iter().map(Mutex::new).collect();
        self.parallel(n_shares, &|t| {
            // Borrowed, not taken: a worker that frees memory would get its own malloc arena.
            let mut pieces = shares[t].lock().unwrap_or_else(PoisonError::into_inner);
            for p in pieces.iter_mut() {
                rows_job(path, &ws[p.job], &vectors[p.job], p.r0, &mut p.outs);
            }
        });
        Ok(())
    }

    /// Splits `x` into vectors after checking it fits `w`.
    fn vectors<'x>(
        &self,
        w: &WeightMatrix<'_>,
        x: Activations<'x>,
    ) -> Result<Vectors<'x>, KernelError> {
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
                Ok(Vectors::F32(v.chunks_exact(w.cols).collect()))
            }
            (true, Activations::Q8(a)) => {
                if a.cols() != w.cols {
                    return Err(KernelError::LengthMismatch {
                        what: "Q8 activation columns",
                        expected: w.cols,
                        actual: a.cols(),
                    });
                }
                Ok(Vectors::Q8(
                    (0..a.n_vectors()).map(|v| a.vector(v)).collect(),
                ))
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
/// Rows outside, vectors inside: each row is read once and reused for the whole batch.
fn rows_job(
    path: Path,
    w: &WeightMatrix<'_>,
    vectors: &Vectors<'_>,
    r0: usize,
    out: &mut [&mut [f32]],
) {
    let n = out.first().map_or(0, |o| o.len());
    match vectors {
        Vectors::Q8(xs) => match path {
            #[cfg(target_arch = "x86_64")]
            Path::Avx2(t) => super::x86::rows_q8(t, w, r0, xs, out),
            #[cfg(target_arch = "x86_64")]
            Path::Avx512(t) => super::x86::rows_q8_avx512(t, w, r0, xs, out),
            Path::Scalar => {
                for i in 0..n {
                    for (o, x) in out.iter_mut().zip(xs) {
                        o[i] = scalar::dot_q8_row(w.ty, w.row(r0 + i), *x);
                    }
                }
            }
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Path::Simd128(t) => {
                for i in 0..n {
                    for (o, x) in out.iter_mut().zip(xs) {
                        o[i] = super::wasm::dot_q8_row(t, w.ty, w.row(r0 + i), *x);
                    }
                }
            }
            #[cfg(target_arch = "aarch64")]
            Path::Neon(t) => {
                for i in 0..n {
                    for (o, x) in out.iter_mut().zip(xs) {
                        o[i] = super::arm::dot_q8_row(t, w.ty, w.row(r0 + i), *x);
                    }
                }
            }
        },
        Vectors::F32(xs) => {
            for i in 0..n {
                let row = w.row(r0 + i);
                for (o, x) in out.iter_mut().zip(xs) {
                    o[i] = match path {
                        Path::Scalar => scalar::dot_float_row(w.ty, row, x),
                        #[cfg(target_arch = "x86_64")]
                        Path::Avx2(t) => super::x86::dot_float_row(t, w.ty, row, x),
                        #[cfg(target_arch = "x86_64")]
                        Path::Avx512(t) => super::x86::dot_float_row(t.avx2(), w.ty, row, x),
                        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
                        Path::Simd128(t) => super::wasm::dot_float_row(t, w.ty, row, x),
                        #[cfg(target_arch = "aarch64")]
                        Path::Neon(t) => super::arm::dot_float_row(t, w.ty, row, x),
                    };
                }
            }
        }
    }
}
