//! Tiny random models written with the GGUF writer: every tensor type the real models use, GQA,
//! and both architectures, small enough that a forward pass takes microseconds.

use rand::Rng;
use wicas_infer::gguf::{GgufWriter, MetaValue};
use wicas_infer::quant::GgmlType;

use crate::support::rng;

/// Shape of the tiny model.
pub const DIM: usize = 256;
pub const HEADS: usize = 4;
pub const KV_HEADS: usize = 2;
pub const HEAD_DIM: usize = DIM / HEADS;
pub const FFN: usize = 512;
pub const VOCAB: usize = 300;
pub const LAYERS: usize = 2;
pub const CONTEXT: usize = 64;

/// Random bytes of a `rows × cols` matrix of `ty` whose f16 scales are all small (≈0.001..0.004),
/// so activations stay finite through the layers.
fn matrix(ty: GgmlType, rows: usize, cols: usize, r: &mut impl Rng) -> Vec<u8> {
    let n = ty.row_bytes(cols).unwrap() * rows;
    let mut bytes: Vec<u8> = (0..n).map(|_| r.random()).collect();
    let small = |r: &mut dyn rand::RngCore| -> [u8; 2] {
        let pick = [0x1419u16, 0x1c19, 0x9419][(r.next_u32() % 3) as usize];
        pick.to_le_bytes()
    };
    let (block, fields): (usize, &[usize]) = match ty {
        GgmlType::Q4_0 | GgmlType::Q5_0 | GgmlType::Q8_0 => (ty.block_bytes(), &[0]),
        GgmlType::Q4_1 | GgmlType::Q4_K => (ty.block_bytes(), &[0, 2]),
        GgmlType::Q6_K => (210, &[208]),
        GgmlType::F16 => (2, &[0]),
        _ => panic!("tiny model does not generate {ty:?}"),
    };
    for blk in bytes.chunks_exact_mut(block) {
        for &f in fields {
            blk[f..f + 2].copy_from_slice(&small(r));
        }
    }
    bytes
}

fn norm(n: usize, r: &mut impl Rng) -> Vec<f32> {
    (0..n).map(|_| 0.8 + 0.4 * r.random::<f32>()).collect()
}

/// The GGUF bytes of a tiny `arch` (`llama` or `qwen2`) model from `seed`.
pub fn tiny_model(arch: &str, seed: u64) -> Vec<u8> {
    let mut r = rng(seed);
    let mut w = GgufWriter::new();
    let key = |k: &str| format!("{arch}.{k}");
    w.meta("general.architecture", MetaValue::String(arch.into()))
        .meta("general.name", MetaValue::String(format!("tiny {arch}")))
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
    let kv = KV_HEADS * HEAD_DIM;
    let mut m = |w: &mut GgufWriter, name: &str, ty: GgmlType, rows: usize, cols: usize| {
        let bytes = matrix(ty, rows, cols, &mut r);
        w.tensor(name, &[cols as u64, rows as u64], ty.id(), bytes);
    };
    m(&mut w, "token_embd.weight", GgmlType::Q8_0, VOCAB, DIM);
    for l in 0..LAYERS {
        let n = |s: &str| format!("blk.{l}.{s}");
        m(&mut w, &n("attn_q.weight"), GgmlType::Q4_K, DIM, DIM);
        m(&mut w, &n("attn_k.weight"), GgmlType::Q6_K, kv, DIM);
        m(&mut w, &n("attn_v.weight"), GgmlType::Q8_0, kv, DIM);
        m(&mut w, &n("attn_output.weight"), GgmlType::Q5_0, DIM, DIM);
        m(&mut w, &n("ffn_gate.weight"), GgmlType::Q4_1, FFN, DIM);
        m(&mut w, &n("ffn_up.weight"), GgmlType::Q4_0, FFN, DIM);
        m(&mut w, &n("ffn_down.weight"), GgmlType::Q6_K, DIM, FFN);
    }
    if arch == "qwen2" {
        m(&mut w, "output.weight", GgmlType::Q8_0, VOCAB, DIM);
    }
    let mut r2 = rng(seed ^ 0xABCD);
    for l in 0..LAYERS {
        let n = |s: &str| format!("blk.{l}.{s}");
        w.tensor_f32(n("attn_norm.weight"), &[DIM as u64], &norm(DIM, &mut r2));
        w.tensor_f32(n("ffn_norm.weight"), &[DIM as u64], &norm(DIM, &mut r2));
        if arch == "qwen2" {
            let bias = |n: usize, r: &mut _| -> Vec<f32> {
                (0..n)
                    .map(|_| rand::Rng::random::<f32>(r) * 0.2 - 0.1)
                    .collect()
            };
            w.tensor_f32(n("attn_q.bias"), &[DIM as u64], &bias(DIM, &mut r2));
            w.tensor_f32(n("attn_k.bias"), &[kv as u64], &bias(kv, &mut r2));
            w.tensor_f32(n("attn_v.bias"), &[kv as u64], &bias(kv, &mut r2));
        }
    }
    w.tensor_f32("output_norm.weight", &[DIM as u64], &norm(DIM, &mut r2));
    w.to_bytes()
}
