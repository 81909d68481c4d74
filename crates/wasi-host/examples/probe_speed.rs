//! Measures decode time per token of the engine natively and compiled to wasm under the
//! deterministic wasmtime (a measurement, not a test). Both sides run the same program,
//! `wicas-infer-wasi-probe`: natively as a process, as wasm through [`WasiProgram`]. Decode time
//! per token is `(t(1 + n tokens) - t(1 token)) / n`, so loading, compiling and prefill cancel
//! out; each time is the best of three runs (the machine is shared).
//!
//! ```text
//! cargo build -p wicas-infer-wasi-probe --release
//! cargo build -p wicas-infer-wasi-probe --release --target wasm32-wasip1 --target-dir T1
//! RUSTFLAGS=-Ctarget-feature=+simd128 cargo build -p wicas-infer-wasi-probe --release \
//!     --target wasm32-wasip1 --target-dir T2
//! cargo run -p wicas-wasi-host --example probe_speed -- MODEL.gguf \
//!     target/release/wicas-infer-wasi-probe \
//!     T1/wasm32-wasip1/release/wicas-infer-wasi-probe.wasm \
//!     T2/wasm32-wasip1/release/wicas-infer-wasi-probe.wasm [N]
//! ```
//! The host's own build profile does not matter for the wasm numbers: Cranelift's output is the
//! same, and its compile time cancels out.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use wicas_wasi_host::{Preopen, RunLimits, WasiProgram};

const PROMPT: &str = "The capital of France is";
const REPEATS: usize = 3;

fn native_secs(probe: &str, model: &Path, kernels: &str, max_tokens: u32) -> Result<f64> {
    let t = Instant::now();
    let out = Command::new(probe)
        .arg("--model")
        .arg(model)
        .args(["--prompt", PROMPT, "--kernels", kernels])
        .args(["--max-tokens", &max_tokens.to_string()])
        .output()
        .with_context(|| format!("run {probe}"))?;
    if !out.status.success() {
        bail!("probe failed: {}", String::from_utf8_lossy(&out.stderr));
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

/// Milliseconds per decoded token: best-of-three times of 1 and 1 + n tokens.
fn per_token(n: u32, mut run: impl FnMut(u32) -> Result<f64>) -> Result<f64> {
    let mut best = |tokens: u32| -> Result<f64> {
        let mut t = f64::INFINITY;
        for _ in 0..REPEATS {
            t = t.min(run(tokens)?);
        }
        Ok(t)
    };
    let one = best(1)?;
    let many = best(1 + n)?;
    Ok((many - one) / f64::from(n) * 1e3)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, native, portable, simd, rest @ ..] = args.as_slice() else {
        bail!("usage: probe_speed MODEL.gguf NATIVE_PROBE PORTABLE.wasm SIMD128.wasm [N]");
    };
    let n: u32 = rest.first().map_or(Ok(16), |s| s.parse())?;
    let model = Path::new(model);
    for kernels in ["scalar", "auto"] {
        let ms = per_token(n, |k| native_secs(native, model, kernels, k))?;
        println!("native --kernels {kernels:6} {ms:8.2} ms/token");
    }
    for (label, wasm, kernels) in [
        ("wasm portable (scalar)", portable, "scalar"),
        ("wasm simd128", simd, "auto"),
    ] {
        let program = WasiProgram::from_file(wasm)?;
        let ms = per_token(n, |k| wasm_secs(&program, model, kernels, k))?;
        println!("{label:23} {ms:8.2} ms/token");
    }
    Ok(())
}
