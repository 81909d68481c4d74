//! The engine compiled to `wasm32-wasip1` — portable (scalar kernels) and simd128 — run under the
//! deterministic wasmtime produces exactly the native engine's tokens and digest (SHA-256 over the
//! tokens and every step's logits bits), for the scalar and the native SIMD kernels alike.

use std::path::{Path, PathBuf};

use wicas_infer::gguf::GgufFile;
use wicas_infer::kernels::KernelChoice;
use wicas_infer::{Engine, EngineOptions, GenerateRequest, LlamaEngine, Prompt, SamplingParams};

use crate::probe::{self, ProbeOutput, Variant};
use wicas_infer::testing::{VOCAB, tiny_model};

/// Greedy generation natively from the model's bytes, reported like the probe reports it.
fn native(bytes: Vec<u8>, prompt: Prompt, max_tokens: u32, kernels: KernelChoice) -> ProbeOutput {
    let file = GgufFile::from_bytes("native.gguf", bytes).expect("parse the model");
    let options = EngineOptions {
        threads: 1,
        kernels,
        max_context: None,
    };
    let engine = LlamaEngine::from_file(file, options).expect("load the model");
    let request = GenerateRequest {
        prompt,
        max_tokens,
        sampling: SamplingParams::GREEDY,
        seed: [0; 32],
    };
    let g = engine.generate(&request).expect("generate");
    ProbeOutput {
        isa: engine.kernels().isa().name().to_owned(),
        prompt_tokens: g.prompt_tokens,
        tokens: g.tokens,
        stop: format!("{:?}", g.stop),
        digest: g.digest.iter().map(|b| format!("{b:02x}")).collect(),
    }
}

/// Asserts that all four wasm runs (portable/simd128 × `--kernels scalar|auto`) equal `reference`
/// in tokens and digest, and that the simd128 build really took its simd128 kernels.
fn assert_wasm_matches(reference: &ProbeOutput, model: &Path, args: &[&str]) {
    for variant in [Variant::Portable, Variant::Simd128] {
        for kernels in ["scalar", "auto"] {
            let mut full = args.to_vec();
            full.extend_from_slice(&["--kernels", kernels]);
            let wasm = probe::run(variant, model, &full);
            let expected_isa = match (variant, kernels) {
                (Variant::Simd128, "auto") => "simd128",
                _ => "scalar",
            };
            assert_eq!(wasm.isa, expected_isa, "{variant:?} --kernels {kernels}");
            assert_eq!(
                (&wasm.prompt_tokens, &wasm.tokens, &wasm.digest),
                (
                    &reference.prompt_tokens,
                    &reference.tokens,
                    &reference.digest
                ),
                "{variant:?} --kernels {kernels} differs from native"
            );
        }
    }
}

/// A scratch directory for model files the guest reads, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("wicas-wasi-host-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn native_pair(bytes: &[u8], prompt: &Prompt, max_tokens: u32) -> ProbeOutput {
    let scalar = native(
        bytes.to_vec(),
        prompt.clone(),
        max_tokens,
        KernelChoice::Scalar,
    );
    let simd = native(
        bytes.to_vec(),
        prompt.clone(),
        max_tokens,
        KernelChoice::Auto,
    );
    assert_eq!(
        (&scalar.tokens, &scalar.digest),
        (&simd.tokens, &simd.digest),
        "native scalar and native {} differ",
        simd.isa
    );
    scalar
}

#[test]
fn tiny_random_models_give_native_digests_under_wasmtime() {
    let scratch = Scratch::new("tiny");
    for (arch, seed) in [("llama", 11), ("qwen2", 12)] {
        let bytes = tiny_model(arch, seed);
        let path = scratch.0.join(format!("tiny-{arch}.gguf"));
        std::fs::write(&path, &bytes).expect("write the tiny model");
        let prompt = [1u32, 7, 42, 200, 3];
        assert!(prompt.iter().all(|&t| (t as usize) < VOCAB));
        let reference = native_pair(&bytes, &Prompt::Tokens(prompt.to_vec()), 12);
        assert_eq!(
            reference.tokens.len(),
            12,
            "{arch}: generation ran its full length"
        );
        assert_wasm_matches(
            &reference,
            &path,
            &["--tokens", "1,7,42,200,3", "--max-tokens", "12"],
        );
    }
}

fn model_path(file: &str, fetch_name: &str) -> PathBuf {
    let dir = std::env::var_os("WICAS_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
                .join(".cache/wicas/models")
        });
    let path = dir.join(file);
    assert!(
        path.is_file(),
        "{} is missing: run scripts/fetch-model {fetch_name}",
        path.display()
    );
    path
}

#[test]
fn smollm2_gives_native_digests_under_wasmtime() {
    let path = model_path("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2");
    let bytes = std::fs::read(&path).expect("read SmolLM2");
    let text = "The capital of France is";
    let reference = native_pair(&bytes, &Prompt::Text(text.into()), 4);
    assert_eq!(reference.tokens.len(), 4);
    assert_wasm_matches(&reference, &path, &["--prompt", text, "--max-tokens", "4"]);
}
