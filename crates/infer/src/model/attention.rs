//! Causal multi-head attention with grouped key/value heads over the KV cache.
//!
//! For query position `p` and head `h` (key/value head `h / (n_heads / n_kv_heads)`):
//! `score_t = dot(q_h, k_t) * (1 / sqrt(head_dim))` for `t = 0..=p` (the kernels' canonical f32
//! dot), softmax over `t`, then `out_h[d] = dot(a, v[d][0..=p])` over the transposed value cache
//! (the same canonical 8-lane dot). A position's
//! result depends only on its own query and the cache, never on how many positions are computed
//! together: prefill and one-token decode give the same bits.

use rayon::prelude::*;

use super::config::ModelConfig;
use super::ops::softmax;
use crate::kernels::{KernelError, Kernels};

/// Attention for `n` query positions `p0..p0 + n` (`q`: `[n][n_heads][head_dim]`) into `out`
/// (same shape). Each (position, head) pair is independent and computed by [`attend_head`]; with
/// several threads the pairs are shared out, which changes who computes a pair, never its bits.
#[allow(clippy::too_many_arguments)] // reason: shapes are spelled out; a struct would only rename them
pub fn attend_batch(
    k: &Kernels,
    c: &ModelConfig,
    q: &[f32],
    keys: &[f32],
    values: &[f32],
    capacity: usize,
    p0: usize,
    scores: &mut Vec<f32>,
    out: &mut [f32],
) -> Result<(), KernelError> {
    let hd = c.head_dim;
    let cache = Cache {
        keys,
        values,
        capacity,
    };
    let job = |i: usize, o: &mut [f32], scores: &mut Vec<f32>| {
        let (b, h) = (i / c.n_heads, i % c.n_heads);
        let qh = &q[i * hd..(i + 1) * hd];
        attend_head(k, c, qh, h, &cache, p0 + b, scores, o)
    };
    match k.pool() {
        Some(pool) if k.threads() > 1 => pool.install(|| {
            out.par_chunks_mut(hd)
                .enumerate()
                .try_for_each_init(Vec::new, |scores, (i, o)| job(i, o, scores))
        }),
        _ => out
            .chunks_mut(hd)
            .enumerate()
            .try_for_each(|(i, o)| job(i, o, scores)),
    }
}

/// One layer of the KV cache.
struct Cache<'a> {
    /// `[positions][kv_dim]`
    keys: &'a [f32],
    /// `[kv_dim][capacity]` (transposed)
    values: &'a [f32],
    capacity: usize,
}

/// Attention of query head `h` (`qh`: `[head_dim]`) at position `pos` against cache positions
/// `0..=pos`, written to `out` (`[head_dim]`).
#[allow(clippy::too_many_arguments)] // reason: shapes are spelled out; a struct would only rename them
fn attend_head(
    k: &Kernels,
    c: &ModelConfig,
    qh: &[f32],
    h: usize,
    cache: &Cache<'_>,
    pos: usize,
    scores: &mut Vec<f32>,
    out: &mut [f32],
) -> Result<(), KernelError> {
    let hd = c.head_dim;
    let kv_dim = c.kv_dim();
    let group = c.n_heads / c.n_kv_heads;
    let scale = 1.0 / (hd as f32).sqrt();
    let kv_off = (h / group) * hd;
    scores.clear();
    for t in 0..=pos {
        let kt = &cache.keys[t * kv_dim + kv_off..t * kv_dim + kv_off + hd];
        scores.push(k.dot_f32(qh, kt)? * scale);
    }
    softmax(scores);
    for (d, o) in out.iter_mut().enumerate() {
        let row = (kv_off + d) * cache.capacity;
        *o = k.dot_f32(scores, &cache.values[row..row + pos + 1])?;
    }
    Ok(())
}
