//! Engine model (GGUF) → llama2.c checkpoint, dequantizing every weight to f32.

use std::io::Write;

use super::Llama2cError;
use super::header::Llama2cConfig;
use crate::model::{LayerWeights, Matrix, Model};
use crate::quant::dequantize_row;

/// Write `model` as a llama2.c checkpoint (`run.c` layout) to `out`.
///
/// Weights are dequantized exactly (`quant::dequantize_row`); the classifier is stored separately
/// when the GGUF has `output.weight`, else tied. The unused `freq_cis` tables are written as zeros.
/// Refused: attention biases (Qwen2), head sizes other than `dim / n_heads`, partial RoPE.
pub fn export_checkpoint(model: &Model, out: &mut impl Write) -> Result<(), Llama2cError> {
    let c = model.config();
    if c.arch.has_qkv_bias() {
        return Err(Llama2cError::Unsupported {
            what: "attention biases (qwen2)",
        });
    }
    if c.head_dim * c.n_heads != c.dim || c.rope_dim != c.head_dim {
        return Err(Llama2cError::Unsupported {
            what: "head size other than dim / n_heads, or partial RoPE",
        });
    }
    if c.vocab_size > i32::MAX as usize || c.context_length > i32::MAX as usize {
        return Err(Llama2cError::Unsupported {
            what: "sizes beyond i32",
        });
    }
    let cfg = Llama2cConfig {
        dim: c.dim,
        hidden_dim: c.ffn_dim,
        n_layers: c.n_layers,
        n_heads: c.n_heads,
        n_kv_heads: c.n_kv_heads,
        vocab_size: c.vocab_size,
        seq_len: c.context_length,
        shared_classifier: model.file().tensor("output.weight").is_none(),
    };
    out.write_all(&cfg.to_bytes())?;
    let w = model.weights();
    write_matrix(model, &w.token_embd, out)?;
    for l in &w.layers {
        write_f32s(&l.attn_norm, out)?;
    }
    let attn: [fn(&LayerWeights) -> &Matrix; 4] = [|l| &l.wq, |l| &l.wk, |l| &l.wv, |l| &l.wo];
    for part in attn {
        for l in &w.layers {
            write_matrix(model, part(l), out)?;
        }
    }
    for l in &w.layers {
        write_f32s(&l.ffn_norm, out)?;
    }
    // run.c: w1 = gate, w2 = down, w3 = up.
    let ffn: [fn(&LayerWeights) -> &Matrix; 3] = [|l| &l.w_gate, |l| &l.w_down, |l| &l.w_up];
    for part in ffn {
        for l in &w.layers {
            write_matrix(model, part(l), out)?;
        }
    }
    write_f32s(&w.output_norm, out)?;
    let zeros = vec![0f32; cfg.head_size() / 2];
    for _ in 0..2 * cfg.seq_len {
        write_f32s(&zeros, out)?;
    }
    if !cfg.shared_classifier {
        write_matrix(model, &w.output, out)?;
    }
    Ok(())
}

fn write_matrix(model: &Model, m: &Matrix, out: &mut impl Write) -> Result<(), Llama2cError> {
    let file = model.file();
    let info = file.tensor(&m.name).ok_or(Llama2cError::Unsupported {
        what: "a weight matrix is missing from the file",
    })?;
    let data = file.tensor_data(info);
    let row_bytes = m.ty.row_bytes(m.cols)?;
    let mut row = vec![0f32; m.cols];
    for r in 0..m.rows {
        let bytes =
            data.get(r * row_bytes..(r + 1) * row_bytes)
                .ok_or(Llama2cError::Unsupported {
                    what: "a weight matrix is shorter than its shape",
                })?;
        dequantize_row(m.ty, bytes, &mut row)?;
        write_f32s(&row, out)?;
    }
    Ok(())
}

fn write_f32s(v: &[f32], out: &mut impl Write) -> Result<(), Llama2cError> {
    let mut buf = Vec::with_capacity(v.len() * 4);
    for x in v {
        buf.extend_from_slice(&x.to_le_bytes());
    }
    out.write_all(&buf)?;
    Ok(())
}
