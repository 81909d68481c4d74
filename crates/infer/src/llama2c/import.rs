//! llama2.c checkpoint → engine model (via an in-memory GGUF with F32 tensors).

use std::path::PathBuf;

use super::Llama2cError;
use super::header::{HEADER_BYTES, Llama2cConfig};
use crate::gguf::{GgufFile, GgufWriter, MetaValue};
use crate::model::Model;
use crate::quant::GgmlType;
use crate::tokenizer::{Tokenizer, read_tokenizer_bin};

/// What the llama2.c format does not store.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Llama2cOptions {
    /// RoPE base frequency (`run.c`: 10000).
    pub rope_base: f32,
    /// RMS-norm epsilon (`run.c`: 1e-5).
    pub rms_eps: f32,
}

impl Default for Llama2cOptions {
    fn default() -> Self {
        Llama2cOptions {
            rope_base: 10_000.0,
            rms_eps: 1e-5,
        }
    }
}

/// Load a checkpoint (`run.c` layout) and its `tokenizer.bin`.
///
/// When every token is UTF-8 (real llama2.c vocabularies) the model's in-memory GGUF also carries
/// the vocabulary, so `LlamaEngine::from_model` finds the tokenizer itself. The size of `checkpoint` must be exactly what the header implies; the tokenizer must hold
/// `vocab_size` tokens.
pub fn load_checkpoint(
    checkpoint: &[u8],
    tokenizer_bin: &[u8],
    opts: Llama2cOptions,
) -> Result<(Model, Tokenizer), Llama2cError> {
    let cfg = Llama2cConfig::parse(checkpoint)?;
    let expected = cfg.file_bytes().ok_or(Llama2cError::BadHeader {
        field: "dim",
        value: cfg.dim as i32,
    })?;
    let found = checkpoint.len() as u64;
    if found < expected {
        return Err(Llama2cError::Truncated { expected, found });
    }
    if found != expected {
        return Err(Llama2cError::SizeMismatch { expected, found });
    }
    let tokenizer = read_tokenizer_bin(tokenizer_bin, cfg.vocab_size)?;

    let mut w = GgufWriter::new();
    let u = |v: usize| MetaValue::U32(v as u32); // every field ≤ MAX_DIM
    w.meta("general.architecture", MetaValue::String("llama".into()))
        .meta(
            "general.name",
            MetaValue::String("llama2.c checkpoint".into()),
        )
        .meta("llama.embedding_length", u(cfg.dim))
        .meta("llama.feed_forward_length", u(cfg.hidden_dim))
        .meta("llama.block_count", u(cfg.n_layers))
        .meta("llama.attention.head_count", u(cfg.n_heads))
        .meta("llama.attention.head_count_kv", u(cfg.n_kv_heads))
        .meta("llama.context_length", u(cfg.seq_len))
        .meta("llama.rope.freq_base", MetaValue::F32(opts.rope_base))
        .meta(
            "llama.attention.layer_norm_rms_epsilon",
            MetaValue::F32(opts.rms_eps),
        );
    // The vocabulary travels in the file too (when GGUF can hold it), so an engine built from
    // this model finds its tokenizer like any GGUF model's.
    for (key, value) in tokenizer.spm_gguf_metadata().unwrap_or_default() {
        w.meta(key, value);
    }
    let mut off = HEADER_BYTES;
    for (part, rows, cols, count) in cfg.layout() {
        let n = rows * cols * 4; // fits: file_bytes() did not overflow
        for i in 0..count {
            let data = &checkpoint[off..off + n];
            off += n;
            let name = match part {
                "freq_cis" => continue, // unused by run.c
                "token_embd" | "output" | "output_norm" => format!("{part}.weight"),
                _ => format!("blk.{i}.{part}.weight"),
            };
            let dims: Vec<u64> = if rows == 1 {
                vec![cols as u64]
            } else {
                vec![cols as u64, rows as u64]
            };
            w.tensor(name, &dims, GgmlType::F32.id(), data.to_vec());
        }
    }
    let file = GgufFile::from_bytes(PathBuf::from("llama2.c checkpoint"), w.to_bytes())?;
    let model = Model::from_file(file)?;
    Ok((model, tokenizer))
}
