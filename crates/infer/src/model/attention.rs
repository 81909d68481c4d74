//! Causal multi-head attention with grouped key/value heads over the KV cache.
//!
//! For query position `p` and head `h` (key/value head `h / (n_heads / n_kv_heads)`):
//! `score_t = dot(q_h, k_t) * (1 / sqrt(head_dim))` for `t = 0..=p` (the kernels' canonical f32
//! dot), softmax over `t`, then `out_h[d] = dot(a, v[d][0..=p])` over the transposed value cache
//! (the same canonical 8-lane dot). A position's
//! result depends only on its own query and the cache, never on how many positions are computed
//! together: prefill and one-token decode give the same bits.

use std::sync::{Mutex, PoisonError};

use super::config::ModelConfig;
use crate::kernels::{KernelError, Kernels, SHARES_PER_THREAD};

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
    let pairs = out.len() / hd;
    let n_shares = if pairs > 1 && k.threads() > 1 {
        (k.threads() * SHARES_PER_THREAD).min(pairs)
    } else {
        1
    };
    if n_shares == 1 {
        for (i, o) in out.chunks_mut(hd).enumerate() {
            let (b, h) = (i / c.n_heads, i % c.n_heads);
            attend_head(k, c, &q[i * hd..(i + 1) * hd], h, &cache, p0 + b, scores, o)?;
        }
        return Ok(());
    }
    // Contiguous ranges of (position, head) pairs, a few per thread, each with its own scores
    // buffer. Pairs of later positions see more keys: weight each pair by its positions.
    let weight = |i: usize| (p0 + i / c.n_heads + 1) as u128;
    let total: u128 = (0..pairs).map(weight).sum();
    let mut shares = Vec::with_capacity(n_shares);
    let (mut rest, mut first, mut acc) = (&mut *out, 0_usize, 0_u128);
    for t in 0..n_shares {
        let target = total * (t as u128 + 1) / n_shares as u128;
        let mut end = first;
        while end < pairs && (t + 1 == n_shares || acc < target) {
            acc += weight(end);
            end += 1;
        }
        let (mine, tail) = std::mem::take(&mut rest).split_at_mut((end - first) * hd);
        // Allocated here, not on a worker: a worker's first allocation would give it its own
        // malloc arena (resident memory counted against the RSS budget of issue 3).
        let scores = Vec::with_capacity(p0 + pairs / c.n_heads);
        shares.push(Mutex::new((first, mine, scores, Ok(()))));
        (rest, first) = (tail, end);
    }
    k.parallel(n_shares, &|t| {
        let mut share = shares[t].lock().unwrap_or_else(PoisonError::into_inner);
        let (first, o, sc, result) = &mut *share;
        *result = o.chunks_mut(hd).enumerate().try_for_each(|(j, o)| {
            let i = *first + j;
            let (b, h) = (i / c.n_heads, i % c.n_heads);
            attend_head(k, c, &q[i * hd..(i + 1) * hd], h, &cache, p0 + b, sc, o)
        });
    });
    for share in shares {
        share
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .3?;
    }
    Ok(())
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
    scores.resize(pos + 1, 0.0);
    k.dot_f32_strided(qh, cache.keys, kv_dim, kv_off, scores)?;
    for s in scores.iter_mut() {
        *s *= scale;
    }
    k.softmax(scores);
    // out[d] = dot(a, v[kv_off + d][0..=pos]): rows of the transposed value cache.
    k.dot_f32_strided(
        scores,
        cache.values,
        cache.capacity,
        kv_off * cache.capacity,
        out,
    )
}
