//! Export a GGUF model to llama2.c's format (karpathy/llama2.c `run.c`):
//!
//! ```text
//! cargo run --release -p wicas-infer --example export_llama2c -- MODEL.gguf OUT_DIR
//! ```
//!
//! Writes `OUT_DIR/model.bin` (7 × i32 header, f32 weights, dequantized exactly) and
//! `OUT_DIR/tokenizer.bin`. `run.c` hard-codes RoPE base 10000: the model's own base is printed so
//! a loader can pass it (`llama2c::Llama2cOptions`).

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use anyhow::{Context, bail};
use wicas_infer::Tokenizer;
use wicas_infer::llama2c::export_checkpoint;
use wicas_infer::model::Model;
use wicas_infer::tokenizer::write_tokenizer_bin;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model_path, out_dir] = args.as_slice() else {
        bail!("usage: export_llama2c MODEL.gguf OUT_DIR");
    };
    let out_dir = PathBuf::from(out_dir);
    std::fs::create_dir_all(&out_dir).with_context(|| format!("create {}", out_dir.display()))?;
    let model = Model::load(model_path).with_context(|| format!("load {model_path}"))?;
    let tokenizer = Tokenizer::from_gguf(model.file().metadata()).context("tokenizer")?;

    let ckpt = out_dir.join("model.bin");
    let mut w = BufWriter::new(File::create(&ckpt).with_context(|| ckpt.display().to_string())?);
    export_checkpoint(&model, &mut w).context("export weights")?;
    w.into_inner().context("flush")?.sync_all()?;
    let tok = out_dir.join("tokenizer.bin");
    std::fs::write(&tok, write_tokenizer_bin(&tokenizer))
        .with_context(|| tok.display().to_string())?;

    let c = model.config();
    println!(
        "{}: dim {}, layers {}, heads {}/{}, vocab {}, context {}; rope base {} (run.c assumes 10000), rms eps {}",
        ckpt.display(),
        c.dim,
        c.n_layers,
        c.n_heads,
        c.n_kv_heads,
        c.vocab_size,
        c.context_length,
        c.rope_base,
        c.rms_eps
    );
    println!("{}: {} tokens", tok.display(), tokenizer.vocab_size());
    Ok(())
}
