//! Prefill and decode timing of one model without building the node (for profiling the engine
//! with `perf`/callgrind, and for A/B runs of kernel paths):
//!
//! ```text
//! cargo run --release -p wicas-infer --example prefill -- MODEL.gguf [N=512] [KERNELS=auto] [REPS=3] [THREADS=1] [DECODE=32]
//! ```
//!
//! Feeds the same N token ids as `wicasd bench`'s ppN (logits of the last position only), REPS
//! times, each followed by DECODE single-token decode steps (0 for a prefill-only profile), and prints tokens/s (best and median) and the
//! output's first logit bits (identical for every kernel path).

use std::time::Instant;

use anyhow::{Context, bail};
use wicas_infer::kernels::KernelChoice;
use wicas_infer::model::Logits;
use wicas_infer::{Engine, EngineOptions, LlamaEngine};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(model) = args.first() else {
        bail!("usage: prefill MODEL.gguf [N] [auto|scalar|avx2|avx512] [REPS] [THREADS] [DECODE]");
    };
    let arg = |i: usize, default: &str| args.get(i).cloned().unwrap_or_else(|| default.into());
    let n: usize = arg(1, "512").parse().context("N")?;
    let kernels: KernelChoice = arg(2, "auto").parse()?;
    let reps: usize = arg(3, "3").parse().context("REPS")?;
    let threads: usize = arg(4, "1").parse().context("THREADS")?;
    let decode: usize = arg(5, "32").parse().context("DECODE")?;
    let options = EngineOptions {
        threads,
        kernels,
        max_context: Some(u32::try_from(n + decode + 1).context("N")?),
    };
    let engine = LlamaEngine::load(model, options).with_context(|| format!("load {model}"))?;
    let vocab = engine.model_info().vocab_size;
    let ids: Vec<u32> = (0..n as u32).map(|i| (i * 7919 + 13) % vocab).collect();
    let mut rates = Vec::new();
    let mut first = 0_u32;
    for _ in 0..reps {
        let mut session = engine.session(n + decode);
        let start = Instant::now();
        let logits = session.feed(&ids, Logits::Last, 0)?;
        rates.push(n as f64 / start.elapsed().as_secs_f64());
        first = logits[0].to_bits();
        if decode > 0 {
            let start = Instant::now();
            for step in 0..decode {
                session.feed(&[ids[step % n]], Logits::Last, n + step)?;
            }
            let tg = decode as f64 / start.elapsed().as_secs_f64();
            eprintln!("tg{decode} after pp{n}: {tg:.2} tok/s");
        }
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "{} pp{n} {} {threads}T: best {:.2} median {:.2} tok/s (logit[0] bits {first:#010x})",
        engine.model_info().name,
        engine.kernels().isa().name(),
        rates[rates.len() - 1],
        rates[rates.len() / 2],
    );
    Ok(())
}
