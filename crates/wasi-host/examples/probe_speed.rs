//! Measures decode time per token of the engine natively and compiled to wasm under the
//! deterministic wasmtime (a measurement, not a test). Decode time per token is
//! `(t(1 + n tokens) - t(1 token)) / n`, so model loading, compilation and prefill cancel out.
//!
//! ```text
//! cargo run -p wicas-wasi-host --release --example probe_speed -- \
//!     MODEL.gguf PORTABLE.wasm SIMD128.wasm [N]
//! ```
//! (the `.wasm` files: `cargo build -p wicas-infer-wasi-probe --release --target wasm32-wasip1`,
//! once plain and once with `RUSTFLAGS=-Ctarget-feature=+simd128`, into two target dirs).

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use wicas_infer::kernels::KernelChoice;
use wicas_infer::{Engine, EngineOptions, GenerateRequest, LlamaEngine, Prompt, SamplingParams};
use wicas_wasi_host::{Preopen, RunLimits, WasiProgram};

const PROMPT: &str = "The capital of France is";

fn native_secs(engine: &LlamaEngine, max_tokens: u32) -> Result<f64> {
    let request = GenerateRequest {
        prompt: Prompt::Text(PROMPT.into()),
        max_tokens,
        sampling: SamplingParams::GREEDY,
        seed: [0; 32],
    };
    let t = Instant::now();
    let g = engine.generate(&request)?;
    if g.tokens.len() != max_tokens as usize {
        bail!("generation stopped early ({:?})", g.stop);
    }
    Ok(t.elapsed().as_secs_f64())
}

fn wasm_secs(program: &WasiProgram, model: &Path, kernels: &str, max_tokens: u32) -> Result<f64> {
    let dir = model.parent().context("model directory")?;
    let name = model.file_name().context("model name")?.to_string_lossy();
    let guest = format!("/models/{name}");
    let n = max_tokens.to_string();
    let args = [
        "--model",
        &guest,
        "--prompt",
        PROMPT,
        "--max-tokens",
        &n,
        "--kernels",
        kernels,
    ];
    let preopen = Preopen {
        host: dir.to_path_buf(),
        guest: "/models".into(),
    };
    let t = Instant::now();
    let out = program.run(&args, &[preopen], RunLimits::default())?;
    if out.exit_code != 0 {
        bail!("probe failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(t.elapsed().as_secs_f64())
}

fn per_token(n: u32, mut run: impl FnMut(u32) -> Result<f64>) -> Result<f64> {
    let one = run(1)?;
    let many = run(1 + n)?;
    Ok((many - one) / f64::from(n) * 1e3)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, portable, simd, rest @ ..] = args.as_slice() else {
        bail!("usage: probe_speed MODEL.gguf PORTABLE.wasm SIMD128.wasm [N]");
    };
    let n: u32 = rest.first().map_or(Ok(16), |s| s.parse())?;
    let model = Path::new(model);
    for kernels in [KernelChoice::Scalar, KernelChoice::Auto] {
        let options = EngineOptions {
            threads: 1,
            kernels,
            max_context: None,
        };
        let engine = LlamaEngine::load(model, options)?;
        let ms = per_token(n, |k| native_secs(&engine, k))?;
        println!(
            "native {:8} {ms:8.2} ms/token",
            engine.kernels().isa().name()
        );
    }
    for (label, wasm, kernels) in [
        ("wasm portable", portable, "scalar"),
        ("wasm simd128", simd, "auto"),
    ] {
        let program = WasiProgram::from_file(wasm)?;
        let ms = per_token(n, |k| wasm_secs(&program, model, kernels, k))?;
        println!("{label:15} {ms:8.2} ms/token");
    }
    Ok(())
}
