//! Test fixtures for this engine and the crates that host it (feature `testing`, never in a
//! node build): a tiny random llama/qwen2 model written with [`GgufWriter`] — the block formats
//! the real models use (Q8_0, Q4_K, Q6_K, Q5_0, Q4_1, Q4_0), grouped-query attention and qwen2's
//! attention biases — small enough that a forward pass takes microseconds natively and
//! milliseconds under wasmtime.

use crate::gguf::{GgufWriter, MetaValue};
use crate::quant::GgmlType;

/// Model width (K-quant rows hold whole 256-element blocks).
pub const DIM: usize = 256;
/// Query heads.
pub const HEADS: usize = 4;
/// Key/value heads (grouped-query attention: two query heads share one).
pub const KV_HEADS: usize = 2;
/// Width of one head.
pub const HEAD_DIM: usize = DIM / HEADS;
/// Feed-forward width.
pub const FFN: usize = 512;
/// Vocabulary size (no tokenizer: prompts are token ids).
pub const VOCAB: usize = 300;
/// Layers.
pub const LAYERS: usize = 2;
/// Context length.
pub const CONTEXT: usize = 64;

/// SplitMix64: a few lines of seeded randomness with a fixed stream (no dependency), enough
/// for test weights and mutation tests.
#[derive(Debug, Clone)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`; the modulo bias is irrelevant for tests).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in [0, 1): the top 24 bits, exactly representable.
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Offsets of the f16 scale fields inside one block of `ty` (ggml's layouts), with the block size.
fn scale_fields(ty: GgmlType) -> (usize, &'static [usize]) {
    match ty {
        GgmlType::Q4_0 | GgmlType::Q5_0 | GgmlType::Q8_0 => (ty.block_bytes(), &[0]),
        GgmlType::Q4_1 | GgmlType::Q4_K => (ty.block_bytes(), &[0, 2]),
        GgmlType::Q6_K => (ty.block_bytes(), &[208]),
        GgmlType::F16 => (2, &[0]),
        // Random f32 bits would be NaN and infinities: the fixture never asks for it.
        GgmlType::F32 => (4, &[]),
    }
}

/// Random `rows × cols` weights of `ty` whose f16 scales are small (±0.001..0.004), so the
/// activations stay finite through the layers.
fn matrix(ty: GgmlType, rows: usize, cols: usize, r: &mut SplitMix) -> Vec<u8> {
    let len = ty
        .row_bytes(cols)
        .expect("the fixture's widths are whole blocks")
        * rows;
    let mut bytes: Vec<u8> = (0..len).map(|_| r.next_u64() as u8).collect();
    let (block, scales) = scale_fields(ty);
    for blk in bytes.chunks_exact_mut(block) {
        for &at in scales {
            let scale = [0x1419u16, 0x1c19, 0x9419][(r.next_u64() % 3) as usize];
            blk[at..at + 2].copy_from_slice(&scale.to_le_bytes());
        }
    }
    bytes
}

/// The GGUF bytes of a tiny `arch` (`llama` or `qwen2`) model from `seed`; the same seed gives
/// the same bytes on every machine.
pub fn tiny_model(arch: &str, seed: u64) -> Vec<u8> {
    let mut r = SplitMix(seed);
    let mut w = GgufWriter::new();
    let key = |k: &str| format!("{arch}.{k}");
    let u32_of = |n: usize| MetaValue::U32(u32::try_from(n).unwrap_or(u32::MAX));
    w.meta("general.architecture", MetaValue::String(arch.into()))
        .meta("general.name", MetaValue::String(format!("tiny {arch}")))
        .meta(key("embedding_length"), u32_of(DIM))
        .meta(key("block_count"), u32_of(LAYERS))
        .meta(key("attention.head_count"), u32_of(HEADS))
        .meta(key("attention.head_count_kv"), u32_of(KV_HEADS))
        .meta(key("feed_forward_length"), u32_of(FFN))
        .meta(key("context_length"), u32_of(CONTEXT))
        .meta(key("rope.freq_base"), MetaValue::F32(10_000.0))
        .meta(
            key("attention.layer_norm_rms_epsilon"),
            MetaValue::F32(1e-5),
        );
    let kv = KV_HEADS * HEAD_DIM;
    let mut m = |w: &mut GgufWriter, name: String, ty: GgmlType, rows: usize, cols: usize| {
        let bytes = matrix(ty, rows, cols, &mut r);
        w.tensor(name, &[cols as u64, rows as u64], ty.id(), bytes);
    };
    m(
        &mut w,
        "token_embd.weight".into(),
        GgmlType::Q8_0,
        VOCAB,
        DIM,
    );
    for l in 0..LAYERS {
        let n = |s: &str| format!("blk.{l}.{s}");
        m(&mut w, n("attn_q.weight"), GgmlType::Q4_K, DIM, DIM);
        m(&mut w, n("attn_k.weight"), GgmlType::Q6_K, kv, DIM);
        m(&mut w, n("attn_v.weight"), GgmlType::Q8_0, kv, DIM);
        m(&mut w, n("attn_output.weight"), GgmlType::Q5_0, DIM, DIM);
        m(&mut w, n("ffn_gate.weight"), GgmlType::Q4_1, FFN, DIM);
        m(&mut w, n("ffn_up.weight"), GgmlType::Q4_0, FFN, DIM);
        m(&mut w, n("ffn_down.weight"), GgmlType::Q6_K, DIM, FFN);
    }
    if arch == "qwen2" {
        m(&mut w, "output.weight".into(), GgmlType::Q8_0, VOCAB, DIM);
    }
    let mut r = SplitMix(seed ^ 0x5EED);
    let mut floats = |n: usize, lo: f32, width: f32| -> Vec<f32> {
        (0..n).map(|_| lo + width * r.unit()).collect()
    };
    for l in 0..LAYERS {
        let n = |s: &str| format!("blk.{l}.{s}");
        w.tensor_f32(n("attn_norm.weight"), &[DIM as u64], &floats(DIM, 0.8, 0.4));
        w.tensor_f32(n("ffn_norm.weight"), &[DIM as u64], &floats(DIM, 0.8, 0.4));
        if arch == "qwen2" {
            w.tensor_f32(n("attn_q.bias"), &[DIM as u64], &floats(DIM, -0.1, 0.2));
            w.tensor_f32(n("attn_k.bias"), &[kv as u64], &floats(kv, -0.1, 0.2));
            w.tensor_f32(n("attn_v.bias"), &[kv as u64], &floats(kv, -0.1, 0.2));
        }
    }
    w.tensor_f32("output_norm.weight", &[DIM as u64], &floats(DIM, 0.8, 0.4));
    w.to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gguf::GgufFile;

    #[test]
    fn the_tiny_model_reads_back_with_its_shape_and_is_seeded() {
        let bytes = tiny_model("qwen2", 3);
        assert_eq!(bytes, tiny_model("qwen2", 3));
        assert_ne!(bytes, tiny_model("qwen2", 4));
        let file = GgufFile::from_bytes("tiny.gguf", bytes).unwrap();
        assert!(file.tensor("blk.1.attn_v.bias").is_some());
        assert!(file.tensor("output.weight").is_some());
    }
}
