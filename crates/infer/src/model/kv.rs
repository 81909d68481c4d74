//! The key/value cache: f32, one growable buffer per layer, so memory follows the tokens actually
//! held rather than the model's whole context.

use super::config::ModelConfig;

/// Keys and values of every position seen so far, per layer.
#[derive(Debug, Clone)]
pub struct KvCache {
    /// `[n_layers]` of `[len][kv_dim]` keys (after RoPE).
    k: Vec<Vec<f32>>,
    /// `[n_layers]` of `[len][kv_dim]` values.
    v: Vec<Vec<f32>>,
    kv_dim: usize,
    len: usize,
    capacity: usize,
}

impl KvCache {
    /// An empty cache for `config` that holds at most `capacity` positions (clamped to the
    /// model's context length).
    pub fn new(config: &ModelConfig, capacity: usize) -> Self {
        KvCache {
            k: vec![Vec::new(); config.n_layers],
            v: vec![Vec::new(); config.n_layers],
            kv_dim: config.kv_dim(),
            len: 0,
            capacity: capacity.min(config.context_length),
        }
    }

    /// Positions held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no position is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Most positions this cache may hold.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Forgets every position after the first `len` (to re-use a shared prefix).
    pub fn truncate(&mut self, len: usize) {
        if len < self.len {
            self.len = len;
            for buf in self.k.iter_mut().chain(self.v.iter_mut()) {
                buf.truncate(len * self.kv_dim);
            }
        }
    }

    /// Appends one position's key and value for `layer`.
    pub(crate) fn push(&mut self, layer: usize, k: &[f32], v: &[f32]) {
        self.k[layer].extend_from_slice(k);
        self.v[layer].extend_from_slice(v);
    }

    /// Marks `n` more positions as held (after every layer has pushed them).
    pub(crate) fn advance(&mut self, n: usize) {
        self.len += n;
    }

    /// `[positions][kv_dim]` keys and values of `layer`.
    pub(crate) fn layer(&self, layer: usize) -> (&[f32], &[f32]) {
        (&self.k[layer], &self.v[layer])
    }
}
