//! The key/value cache in f32. Keys are stored position-major (`[len][kv_dim]`, grown as tokens
//! arrive); values are stored transposed (`[kv_dim][capacity]`, zero-filled on first use so the OS
//! maps pages only as they are written), so that each output element of attention is one
//! canonical f32 dot product over positions.

use super::config::ModelConfig;

/// Keys and values of every position seen so far, per layer.
#[derive(Debug, Clone)]
pub struct KvCache {
    /// `[n_layers]` of `[len][kv_dim]` keys (after RoPE).
    k: Vec<Vec<f32>>,
    /// `[n_layers]` of `[kv_dim][capacity]` values (transposed).
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
            for buf in self.k.iter_mut() {
                buf.truncate(len * self.kv_dim);
            }
            // Transposed values past `len` are never read again; they are overwritten on reuse.
        }
    }

    /// Appends one position's key and value for `layer` (positions in order, at most
    /// `capacity`; the forward pass checks the capacity first).
    pub(crate) fn push(&mut self, layer: usize, k: &[f32], v: &[f32]) {
        let pos = self.k[layer].len() / self.kv_dim;
        self.k[layer].extend_from_slice(k);
        let vt = &mut self.v[layer];
        if vt.is_empty() {
            *vt = vec![0.0; self.kv_dim * self.capacity];
        }
        for (i, &x) in v.iter().enumerate() {
            vt[i * self.capacity + pos] = x;
        }
    }

    /// Marks `n` more positions as held (after every layer has pushed them).
    pub(crate) fn advance(&mut self, n: usize) {
        self.len += n;
    }

    /// Keys `[positions][kv_dim]` and transposed values `[kv_dim][capacity]` of `layer`.
    pub(crate) fn layer(&self, layer: usize) -> (&[f32], &[f32]) {
        (&self.k[layer], &self.v[layer])
    }
}
