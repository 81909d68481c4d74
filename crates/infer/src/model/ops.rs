//! Element-wise operations of the forward pass, each in one fixed float order. `exp` is our own
//! add/mul-only function (`model/exp.rs`, docs/decisions/0155); nothing here uses FMA.

use super::exp::exp;
use crate::kernels::Kernels;

/// RMSNorm (llama.cpp `ggml_rms_norm` then `ggml_mul`): `y_i = (x_i * s) * w_i` with
/// `s = 1 / sqrt(mean(x²) + eps)`; the sum of squares is the kernels' canonical 8-lane f32 dot,
/// then one division, one `sqrt` (correctly rounded everywhere) and one division.
pub fn rms_norm(k: &Kernels, x: &[f32], w: &[f32], eps: f32, out: &mut [f32]) {
    let ss = k.dot_f32(x, x).unwrap_or(f32::NAN); // lengths are equal by construction
    let mean = ss / x.len() as f32;
    let scale = 1.0 / (mean + eps).sqrt();
    for ((o, &xi), &wi) in out.iter_mut().zip(x).zip(w) {
        *o = (xi * scale) * wi;
    }
}

/// SiLU(gate) * up, in place in `gate`: `g / (1 + exp(-g)) * u` ([`exp`]: add/mul only).
#[inline(always)] // compiled with AVX2/AVX-512 enabled by `Kernels::swiglu`
pub fn swiglu(gate: &mut [f32], up: &[f32]) {
    for (g, &u) in gate.iter_mut().zip(up) {
        let silu = *g / (1.0 + exp(-*g));
        *g = silu * u;
    }
}

/// Softmax in place: subtract the maximum, [`exp`], sum front to back, divide.
#[inline(always)] // compiled with AVX2/AVX-512 enabled by `Kernels::softmax`
pub fn softmax(x: &mut [f32]) {
    let max = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    for v in x.iter_mut() {
        *v = exp(*v - max);
    }
    let sum = x.iter().fold(0.0f32, |s, &v| s + v);
    for v in x.iter_mut() {
        *v /= sum;
    }
}

/// `x[i] += y[i]`.
pub fn add_in_place(x: &mut [f32], y: &[f32]) {
    for (a, &b) in x.iter_mut().zip(y) {
        *a += b;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_sums_to_one_and_keeps_order() {
        let mut x = [1.0, 3.0, 2.0];
        softmax(&mut x);
        assert!((x.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(x[1] > x[2] && x[2] > x[0]);
    }

    #[test]
    fn rms_norm_of_a_constant_vector_is_the_weight() {
        let k = Kernels::scalar();
        let x = [2.0f32; 8];
        let w = [0.5f32; 8];
        let mut out = [0.0f32; 8];
        rms_norm(&k, &x, &w, 0.0, &mut out);
        assert_eq!(out, [0.5f32; 8]);
    }

    #[test]
    fn swiglu_is_zero_at_zero_and_near_identity_for_large_gates() {
        let mut g = [0.0f32, 20.0];
        swiglu(&mut g, &[5.0, 1.0]);
        assert_eq!(g[0], 0.0);
        assert!((g[1] - 20.0).abs() < 1e-5);
    }
}
