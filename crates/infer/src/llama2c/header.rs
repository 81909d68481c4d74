//! The llama2.c checkpoint header and the weight layout it implies (karpathy/llama2.c `run.c`).
//!
//! Header: 7 little-endian `i32` — `dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size,
//! seq_len`; a negative `vocab_size` means the classifier is stored separately (not tied to the
//! embedding). Then `f32` weights in this order (shapes as `run.c` comments them):
//!
//! ```text
//! token_embedding_table (vocab_size, dim)
//! rms_att_weight        (n_layers, dim)
//! wq                    (n_layers, n_heads * head_size, dim)
//! wk                    (n_layers, n_kv_heads * head_size, dim)
//! wv                    (n_layers, n_kv_heads * head_size, dim)
//! wo                    (n_layers, dim, n_heads * head_size)
//! rms_ffn_weight        (n_layers, dim)
//! w1 (gate)             (n_layers, hidden_dim, dim)
//! w2 (down)             (n_layers, dim, hidden_dim)
//! w3 (up)               (n_layers, hidden_dim, dim)
//! rms_final_weight      (dim)
//! freq_cis_real, _imag  (seq_len, head_size / 2) each — unused by run.c, skipped
//! wcls                  (vocab_size, dim) — only when vocab_size was negative
//! ```

use super::Llama2cError;

/// Bytes of the header.
pub const HEADER_BYTES: usize = 7 * 4;
/// Largest width, layer count, head count or sequence length accepted.
pub const MAX_DIM: usize = 1 << 20;
/// Largest vocabulary accepted.
pub const MAX_VOCAB: usize = 1 << 20;

/// The hyper-parameters of a llama2.c checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Llama2cConfig {
    /// Model width.
    pub dim: usize,
    /// Feed-forward width.
    pub hidden_dim: usize,
    /// Transformer blocks.
    pub n_layers: usize,
    /// Query heads.
    pub n_heads: usize,
    /// Key/value heads (grouped-query attention when fewer than `n_heads`).
    pub n_kv_heads: usize,
    /// Vocabulary size.
    pub vocab_size: usize,
    /// Context length.
    pub seq_len: usize,
    /// Whether the classifier is the embedding table (llama2.c: `vocab_size > 0` in the header).
    pub shared_classifier: bool,
}

impl Llama2cConfig {
    /// Per-head width.
    pub fn head_size(&self) -> usize {
        self.dim / self.n_heads
    }

    /// Parse and check the header.
    pub fn parse(bytes: &[u8]) -> Result<Llama2cConfig, Llama2cError> {
        let h = bytes.get(..HEADER_BYTES).ok_or(Llama2cError::Truncated {
            expected: HEADER_BYTES as u64,
            found: bytes.len() as u64,
        })?;
        let field =
            |i: usize| i32::from_le_bytes([h[4 * i], h[4 * i + 1], h[4 * i + 2], h[4 * i + 3]]);
        let positive = |i: usize, name: &'static str, max: usize| {
            let v = field(i);
            usize::try_from(v)
                .ok()
                .filter(|&v| v > 0 && v <= max)
                .ok_or(Llama2cError::BadHeader {
                    field: name,
                    value: v,
                })
        };
        let vocab_raw = field(5);
        let vocab_size = usize::try_from(vocab_raw.unsigned_abs())
            .ok()
            .filter(|&v| v > 0 && v <= MAX_VOCAB)
            .ok_or(Llama2cError::BadHeader {
                field: "vocab_size",
                value: vocab_raw,
            })?;
        let c = Llama2cConfig {
            dim: positive(0, "dim", MAX_DIM)?,
            hidden_dim: positive(1, "hidden_dim", MAX_DIM)?,
            n_layers: positive(2, "n_layers", 4096)?,
            n_heads: positive(3, "n_heads", MAX_DIM)?,
            n_kv_heads: positive(4, "n_kv_heads", MAX_DIM)?,
            vocab_size,
            seq_len: positive(6, "seq_len", MAX_DIM)?,
            shared_classifier: vocab_raw > 0,
        };
        if !c.dim.is_multiple_of(c.n_heads) || !c.head_size().is_multiple_of(2) {
            return Err(Llama2cError::BadHeader {
                field: "n_heads",
                value: field(3),
            });
        }
        if !c.n_heads.is_multiple_of(c.n_kv_heads) {
            return Err(Llama2cError::BadHeader {
                field: "n_kv_heads",
                value: field(4),
            });
        }
        Ok(c)
    }

    /// The header's bytes.
    pub fn to_bytes(&self) -> [u8; HEADER_BYTES] {
        let vocab = self.vocab_size as i32;
        let fields = [
            self.dim as i32,
            self.hidden_dim as i32,
            self.n_layers as i32,
            self.n_heads as i32,
            self.n_kv_heads as i32,
            if self.shared_classifier {
                vocab
            } else {
                -vocab
            },
            self.seq_len as i32,
        ];
        let mut out = [0u8; HEADER_BYTES];
        for (i, f) in fields.iter().enumerate() {
            out[4 * i..4 * i + 4].copy_from_slice(&f.to_le_bytes());
        }
        out
    }

    /// Number of `f32` values after the header, in file order: `(name, rows, cols, count)` where
    /// `count` matrices of `rows × cols` follow one another (vectors have `rows = 1`).
    pub fn layout(&self) -> Vec<(&'static str, usize, usize, usize)> {
        let (d, h, l) = (self.dim, self.hidden_dim, self.n_layers);
        let q = self.n_heads * self.head_size();
        let kv = self.n_kv_heads * self.head_size();
        let mut v = vec![
            ("token_embd", self.vocab_size, d, 1),
            ("attn_norm", 1, d, l),
            ("attn_q", q, d, l),
            ("attn_k", kv, d, l),
            ("attn_v", kv, d, l),
            ("attn_output", d, q, l),
            ("ffn_norm", 1, d, l),
            ("ffn_gate", h, d, l),
            ("ffn_down", d, h, l),
            ("ffn_up", h, d, l),
            ("output_norm", 1, d, 1),
            ("freq_cis", self.seq_len, self.head_size() / 2, 2),
        ];
        if !self.shared_classifier {
            v.push(("output", self.vocab_size, d, 1));
        }
        v
    }

    /// Total file size in bytes, or `None` on overflow.
    pub fn file_bytes(&self) -> Option<u64> {
        let mut floats: u64 = 0;
        for (_, r, c, n) in self.layout() {
            let m = (r as u64).checked_mul(c as u64)?.checked_mul(n as u64)?;
            floats = floats.checked_add(m)?;
        }
        floats.checked_mul(4)?.checked_add(HEADER_BYTES as u64)
    }
}
