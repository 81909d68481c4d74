//! The two real models and llama.cpp's golden outputs (paths from `model_files`).

use std::path::PathBuf;

use crate::model_files::{golden_dir, model_path};

/// A golden JSON file from `shared/golden`.
pub fn golden(file: &str) -> serde_json::Value {
    let path = golden_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read golden file {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The default model (SmolLM2-135M-Instruct Q4_1).
pub fn smollm2() -> PathBuf {
    model_path("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2")
}

/// The Qwen test model (Qwen2.5-Coder-0.5B-Instruct Q4_K_M).
pub fn qwen() -> PathBuf {
    model_path("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", "qwen2.5-0.5b")
}
