//! Causal multi-head attention with grouped key/value heads over the KV cache.
//!
//! For query position `p` and head `h` (key/value head `h / (n_heads / n_kv_heads)`):
//! `score_t = dot(q_h, k_t) * (1 / sqrt(head_dim))` for `t = 0..=p` (the kernels' canonical f32
//! dot), softmax over `t`, then `out_h = Σ_t a_t · v_t` accumulated for `t` ascending. A position's
//! result depends only on its own query and the cache, never on how many positions are computed
//! together: prefill and one-token decode give the same bits.

use super::config::ModelConfig;
use super::ops::softmax;
use crate::kernels::{KernelError, Kernels};

/// Attention for one query position `pos` (`q`: `[n_heads][head_dim]`) against cache positions
/// `0..=pos` (`keys`, `values`: `[positions][kv_dim]`), written to `out` (`[n_heads][head_dim]`).
#[allow(clippy::too_many_arguments)] // reason: shapes are spelled out; a struct would only rename them
pub fn attend(
    k: &Kernels,
    c: &ModelConfig,
    q: &[f32],
    keys: &[f32],
    values: &[f32],
    pos: usize,
    scores: &mut Vec<f32>,
    out: &mut [f32],
) -> Result<(), KernelError> {
    let hd = c.head_dim;
    let kv_dim = c.kv_dim();
    let group = c.n_heads / c.n_kv_heads;
    let scale = 1.0 / (hd as f32).sqrt();
    for h in 0..c.n_heads {
        let qh = &q[h * hd..(h + 1) * hd];
        let kv_off = (h / group) * hd;
        scores.clear();
        for t in 0..=pos {
            let kt = &keys[t * kv_dim + kv_off..t * kv_dim + kv_off + hd];
            scores.push(k.dot_f32(qh, kt)? * scale);
        }
        softmax(scores);
        let oh = &mut out[h * hd..(h + 1) * hd];
        oh.fill(0.0);
        for (t, &a) in scores.iter().enumerate() {
            let vt = &values[t * kv_dim + kv_off..t * kv_dim + kv_off + hd];
            for (o, &v) in oh.iter_mut().zip(vt) {
                *o += a * v;
            }
        }
    }
    Ok(())
}
