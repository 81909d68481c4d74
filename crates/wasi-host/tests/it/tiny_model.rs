//! A tiny random llama/qwen2 model written with the engine's GGUF writer: several block formats,
//! grouped-query attention, qwen2's attention biases — a forward pass takes microseconds natively
//! and milliseconds under wasmtime.

use wicas_infer::gguf::{GgufWriter, MetaValue};
use wicas_infer::quant::GgmlType;

pub const VOCAB: usize = 256;
const DIM: usize = 256; // K-quant rows hold whole 256-element blocks
const HEADS: usize = 4;
const KV_HEADS: usize = 2;
const FFN: usize = 512;
const LAYERS: usize = 2;
const CONTEXT: usize = 64;

/// SplitMix64: a few lines of seeded randomness, enough for test weights.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Random `rows × cols` weights of `ty` whose f16 block scales are small (±0.001..0.004), so the
/// activations stay finite through the layers.
fn matrix(ty: GgmlType, rows: usize, cols: usize, r: &mut SplitMix) -> Vec<u8> {
    let len = ty.row_bytes(cols).expect("cols fit the block size") * rows;
    let mut bytes: Vec<u8> = (0..len).map(|_| r.next() as u8).collect();
    // Offsets of the f16 scale fields inside one block (ggml's layouts).
    let (block, scales): (usize, &[usize]) = match ty {
        GgmlType::Q4_0 | GgmlType::Q5_0 | GgmlType::Q8_0 => (ty.block_bytes(), &[0]),
        GgmlType::Q4_1 | GgmlType::Q4_K => (ty.block_bytes(), &[0, 2]),
        GgmlType::Q6_K => (ty.block_bytes(), &[208]),
        other => panic!("the tiny model does not generate {other:?}"),
    };
    for blk in bytes.chunks_exact_mut(block) {
        for &at in scales {
            let scale = [0x1419u16, 0x1c19, 0x9419][(r.next() % 3) as usize];
            blk[at..at + 2].copy_from_slice(&scale.to_le_bytes());
        }
    }
    bytes
}

/// The GGUF bytes of a tiny `arch` (`llama` or `qwen2`) model from `seed`.
pub fn tiny_model(arch: &str, seed: u64) -> Vec<u8> {
    let mut r = SplitMix(seed);
    let mut w = GgufWriter::new();
    let key = |k: &str| format!("{arch}.{k}");
    w.meta("general.architecture", MetaValue::String(arch.into()))
        .meta(key("embedding_length"), MetaValue::U32(DIM as u32))
        .meta(key("block_count"), MetaValue::U32(LAYERS as u32))
        .meta(key("attention.head_count"), MetaValue::U32(HEADS as u32))
        .meta(
            key("attention.head_count_kv"),
            MetaValue::U32(KV_HEADS as u32),
        )
        .meta(key("feed_forward_length"), MetaValue::U32(FFN as u32))
        .meta(key("context_length"), MetaValue::U32(CONTEXT as u32))
        .meta(key("rope.freq_base"), MetaValue::F32(10_000.0))
        .meta(
            key("attention.layer_norm_rms_epsilon"),
            MetaValue::F32(1e-5),
        );
    let kv = KV_HEADS * (DIM / HEADS);
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
