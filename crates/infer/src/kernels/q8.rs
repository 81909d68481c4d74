//! The one canonical activation quantizer (DESIGN.md section 4.1) and the Q8 activation buffer.
//!
//! A vector of `cols` f32 (a multiple of 32) becomes `cols / 32` blocks. For block `b` with
//! values `x[0..32]`:
//!
//! 1. `amax = max |x_i|` (f32 `abs`, exact);
//! 2. `d = amax / 127` (one correctly rounded f32 division);
//! 3. if `d < f32::MIN_POSITIVE` (zero or subnormal; `amax < 1.5e-36`) the block is all zeros
//!    with `d = 0` — this keeps `1 / d` finite, so no block ever holds an infinity or a NaN;
//! 4. otherwise `id = 1 / d` and `q_i = round_half_away(x_i * id)` clamped to `-127..=127`
//!    (`f32::round`, exact; the clamp never bites for finite input but makes the range a
//!    guarantee: SIMD kernels rely on `q != -128`);
//! 5. `sum = Σ q_i` (i32) and `s = d * (sum as f32)` (exact integer, one f32 multiply), used by
//!    formats with an offset term (Q4_0, Q5_0 through `sum`; Q4_1, Q4_K through `s`).
//!
//! K-quant super-blocks (256) consume these 32-blocks directly: sub-block `j` of super-block
//! `k` meets activation block `8k + j`; there is no separate Q8_K activation format.
//! A NaN or infinite input is refused with [`KernelError::NonFiniteActivation`] before anything
//! is written.

use super::KernelError;

/// Elements per activation block.
pub const Q8_BLOCK: usize = 32;

/// One or more activation vectors quantized to Q8 blocks of 32, ready for
/// [`crate::kernels::Kernels::matvec`]. Reuse one buffer across calls to avoid allocation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivationsQ8 {
    cols: usize,
    n_vectors: usize,
    /// `[n_vectors][padded_blocks * 32]` quants; padding blocks are zero.
    qs: Vec<i8>,
    /// `[n_vectors][padded_blocks]` block scales.
    d: Vec<f32>,
    /// `[n_vectors][padded_blocks]` block quant sums.
    sum: Vec<i32>,
    /// `[n_vectors][padded_blocks]` `d * sum`.
    s: Vec<f32>,
}

/// Blocks per vector rounded up to a whole group of 8, so SIMD kernels can load a full
/// group of per-block values for a row's last partial group without reading past the buffer.
fn padded_blocks(cols: usize) -> usize {
    (cols / Q8_BLOCK).div_ceil(8) * 8
}

/// A borrowed view of one quantized vector: `nb` blocks, then zero padding up to a multiple
/// of 8 blocks in every array.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Q8Vec<'a> {
    /// Real blocks (`cols / 32`).
    pub(crate) nb: usize,
    /// `[padded * 32]` quants in `-127..=127`.
    pub(crate) qs: &'a [i8],
    /// `[padded]` scales.
    pub(crate) d: &'a [f32],
    /// `[padded]` sums of quants.
    #[allow(dead_code)]
    // reason: read by the SIMD Q4_0/Q5_0 kernels (offset terms), not the reference
    pub(crate) sum: &'a [i32],
    /// `[padded]` `d * sum`.
    pub(crate) s: &'a [f32],
}

impl ActivationsQ8 {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Quantizes one vector `x` (length a multiple of 32).
    pub fn quantize(&mut self, x: &[f32]) -> Result<(), KernelError> {
        self.quantize_batch(x, x.len())
    }

    /// Quantizes `x.len() / cols` vectors of `cols` elements each, stored back to back
    /// (`x` is `[n_vectors][cols]`). The result of each vector is independent of the others.
    #[inline(always)] // compiled with AVX2/AVX-512 enabled by `Kernels::quantize`
    pub fn quantize_batch(&mut self, x: &[f32], cols: usize) -> Result<(), KernelError> {
        if cols == 0 || !cols.is_multiple_of(Q8_BLOCK) {
            return Err(KernelError::ColsNotBlockAligned {
                cols,
                block: Q8_BLOCK,
            });
        }
        if !x.len().is_multiple_of(cols) {
            return Err(KernelError::LengthMismatch {
                what: "activations (a whole number of vectors)",
                expected: x.len() / cols * cols,
                actual: x.len(),
            });
        }
        // A branch-free pass first (it vectorises); the position only when something is wrong.
        let all_finite = x.iter().fold(true, |ok, v| ok & v.is_finite());
        if !all_finite && let Some(index) = x.iter().position(|v| !v.is_finite()) {
            return Err(KernelError::NonFiniteActivation {
                index,
                value: x[index],
            });
        }
        let (n, nb, nbp) = (x.len() / cols, cols / Q8_BLOCK, padded_blocks(cols));
        self.cols = cols;
        self.n_vectors = n;
        for buf in [&mut self.d, &mut self.s] {
            buf.clear();
            buf.resize(n * nbp, 0.0);
        }
        self.qs.clear();
        self.qs.resize(n * nbp * Q8_BLOCK, 0);
        self.sum.clear();
        self.sum.resize(n * nbp, 0);
        for (v, xv) in x.chunks_exact(cols).enumerate() {
            for (i, xb) in xv.chunks_exact(Q8_BLOCK).enumerate() {
                let b = v * nbp + i;
                let (d, sum) = quantize_block(xb, &mut self.qs[b * Q8_BLOCK..(b + 1) * Q8_BLOCK]);
                self.d[b] = d;
                self.sum[b] = sum;
                self.s[b] = d * sum as f32;
            }
        }
        debug_assert!(nb <= nbp);
        Ok(())
    }

    /// Elements per vector.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Number of vectors held.
    pub fn n_vectors(&self) -> usize {
        self.n_vectors
    }

    /// The quants of vector `v` (`[cols]`); empty if `v` is out of range.
    pub fn quants(&self, v: usize) -> &[i8] {
        let start = v * padded_blocks(self.cols) * Q8_BLOCK;
        self.qs.get(start..start + self.cols).unwrap_or(&[])
    }

    /// The block scales of vector `v` (`[cols / 32]`); empty if `v` is out of range.
    pub fn scales(&self, v: usize) -> &[f32] {
        let start = v * padded_blocks(self.cols);
        self.d
            .get(start..start + self.cols / Q8_BLOCK)
            .unwrap_or(&[])
    }

    /// The view of vector `v < n_vectors`.
    pub(crate) fn vector(&self, v: usize) -> Q8Vec<'_> {
        let nbp = padded_blocks(self.cols);
        let blocks = v * nbp..(v + 1) * nbp;
        Q8Vec {
            nb: self.cols / Q8_BLOCK,
            qs: &self.qs[v * nbp * Q8_BLOCK..(v + 1) * nbp * Q8_BLOCK],
            d: &self.d[blocks.clone()],
            sum: &self.sum[blocks.clone()],
            s: &self.s[blocks],
        }
    }
}

/// Quantizes one block of 32 finite values; returns `(d, Σ q)`.
#[inline(always)]
fn quantize_block(x: &[f32], q: &mut [i8]) -> (f32, i32) {
    // max |x_i| in 8 lanes, then across them: the maximum of finite non-negative values is
    // the same in any order (no NaN, `abs` leaves no -0.0), and lanes let it vectorise.
    let mut lanes = [0.0_f32; 8];
    for c in x.chunks_exact(8) {
        for (m, v) in lanes.iter_mut().zip(c) {
            *m = m.max(v.abs());
        }
    }
    let amax = lanes.iter().fold(0.0_f32, |m, &v| m.max(v));
    let d = amax / 127.0;
    if d < f32::MIN_POSITIVE {
        q.fill(0);
        return (0.0, 0);
    }
    let id = 1.0 / d;
    let mut sum = 0_i32;
    for (qi, &xi) in q.iter_mut().zip(x) {
        // `as` saturates; the clamp makes the -127 bound explicit.
        let v = (xi * id).round().clamp(-127.0, 127.0) as i8;
        *qi = v;
        // |sum| <= 32 · 127: never wraps; no overflow-check branch in a vectorisable loop.
        sum = sum.wrapping_add(i32::from(v));
    }
    (d, sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_block(x: [f32; 32]) -> ActivationsQ8 {
        let mut a = ActivationsQ8::new();
        a.quantize(&x).expect("finite");
        a
    }

    #[test]
    fn all_zeros_give_zero_scale_and_quants() {
        let a = one_block([0.0; 32]);
        assert_eq!(a.scales(0), &[0.0]);
        assert!(a.quants(0).iter().all(|&q| q == 0));
        assert_eq!(a.vector(0).s[0], 0.0);
    }

    #[test]
    fn the_largest_magnitude_maps_to_plus_or_minus_127() {
        let mut x = [0.25_f32; 32];
        x[3] = -3.0;
        x[9] = 3.0;
        let a = one_block(x);
        assert_eq!(a.scales(0)[0], 3.0 / 127.0);
        assert_eq!((a.quants(0)[3], a.quants(0)[9]), (-127, 127));
        // 0.25 / (3/127) = 10.58 -> 11
        assert_eq!(a.quants(0)[0], 11);
        let sum: i32 = a.quants(0).iter().map(|&q| i32::from(q)).sum();
        assert_eq!(a.vector(0).sum[0], sum);
        assert_eq!(a.vector(0).s[0], a.scales(0)[0] * sum as f32);
    }

    #[test]
    fn exact_halves_round_away_from_zero() {
        // amax = 127 gives d = 1 and id = 1, so x * id is x itself.
        let mut x = [0.0_f32; 32];
        x[0] = 127.0;
        (x[1], x[2], x[3], x[4], x[5]) = (0.5, -0.5, 2.5, -2.5, 0.49999997);
        let a = one_block(x);
        assert_eq!(a.scales(0)[0], 1.0);
        assert_eq!(&a.quants(0)[1..6], &[1, -1, 3, -3, 0]);
    }

    #[test]
    fn subnormal_scales_flush_the_block_to_zero() {
        let mut x = [0.0_f32; 32];
        x[0] = 1.0e-37; // amax / 127 is subnormal
        x[1] = -5.0e-38;
        let a = one_block(x);
        assert_eq!(a.scales(0), &[0.0]);
        assert!(a.quants(0).iter().all(|&q| q == 0));
        x[0] = 1.0e-30; // normal scale: quantized normally
        let a = one_block(x);
        assert_eq!(a.quants(0)[0], 127);
    }

    #[test]
    fn nan_and_infinity_are_refused_and_the_buffer_is_untouched() {
        let mut a = one_block([1.0; 32]);
        let before = a.clone();
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            let mut x = [1.0_f32; 64];
            x[40] = bad;
            match a.quantize(&x) {
                Err(KernelError::NonFiniteActivation { index: 40, .. }) => {}
                other => panic!("expected NonFiniteActivation, got {other:?}"),
            }
            assert_eq!(a, before);
        }
    }

    #[test]
    fn lengths_that_are_not_whole_blocks_or_vectors_are_refused() {
        let mut a = ActivationsQ8::new();
        assert!(matches!(
            a.quantize(&[1.0; 33]),
            Err(KernelError::ColsNotBlockAligned { .. })
        ));
        assert!(matches!(
            a.quantize(&[]),
            Err(KernelError::ColsNotBlockAligned { .. })
        ));
        assert!(matches!(
            a.quantize_batch(&[1.0; 96], 64),
            Err(KernelError::LengthMismatch { .. })
        ));
        a.quantize_batch(&[1.0; 128], 64).expect("two vectors");
        assert_eq!((a.n_vectors(), a.cols()), (2, 64));
    }
}

#[cfg(test)]
mod amax_tests {
    use super::*;

    #[test]
    fn the_block_scale_is_the_sequential_maximum_magnitude_over_127() {
        // Values of mixed signs and magnitudes, the maximum at every position in turn.
        for at in 0..32 {
            let x: Vec<f32> = (0..32)
                .map(|i| {
                    let v = ((i * 37 + 11) % 97) as f32 * 0.013 - 0.6;
                    if i == at { -7.25 + i as f32 * 1e-3 } else { v }
                })
                .collect();
            let seq = x.iter().fold(0.0_f32, |m, v| m.max(v.abs()));
            let mut a = ActivationsQ8::new();
            a.quantize(&x).expect("finite");
            assert_eq!(
                a.scales(0)[0].to_bits(),
                (seq / 127.0).to_bits(),
                "max at {at}"
            );
        }
    }
}

#[cfg(test)]
mod padding_tests {
    use super::*;

    #[test]
    fn every_vector_is_padded_with_zero_blocks_to_a_group_of_8() {
        let mut a = ActivationsQ8::new();
        let x: Vec<f32> = (0..2 * 96).map(|i| i as f32 - 50.0).collect();
        a.quantize_batch(&x, 96).expect("finite");
        for v in 0..2 {
            let q = a.vector(v);
            assert_eq!((q.nb, q.d.len(), q.qs.len()), (3, 8, 256));
            assert!(q.d[3..].iter().all(|&d| d == 0.0) && q.s[3..].iter().all(|&s| s == 0.0));
            assert!(q.qs[96..].iter().all(|&x| x == 0) && q.sum[3..].iter().all(|&s| s == 0));
            assert_eq!(a.quants(v).len(), 96);
            assert_eq!(a.scales(v).len(), 3);
        }
        assert_eq!(a.quants(1)[0], a.vector(1).qs[0]);
    }
}
