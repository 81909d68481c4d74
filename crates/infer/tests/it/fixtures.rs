//! Where the real models and llama.cpp's golden outputs live. Missing files fail the test with the
//! command that fetches them: model tests never skip.

use std::path::PathBuf;

/// `$WICAS_MODEL_DIR/<file>` (default `~/.cache/wicas/models`).
pub fn model(file: &str, fetch_name: &str) -> PathBuf {
    let dir = std::env::var_os("WICAS_MODEL_DIR").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/wicas/models"),
        PathBuf::from,
    );
    let path = dir.join(file);
    assert!(
        path.is_file(),
        "model {} is missing: run scripts/fetch-model {fetch_name}",
        path.display()
    );
    path
}

/// `$WICAS_GOLDEN_DIR/<file>`, else `shared/golden/<file>` beside the repository root.
pub fn golden(file: &str) -> serde_json::Value {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates: Vec<PathBuf> = match std::env::var_os("WICAS_GOLDEN_DIR") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![manifest.join("../../../shared/golden")],
    };
    let path = candidates
        .iter()
        .map(|d| d.join(file))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "golden file {file} not found in {candidates:?}: put llama.cpp's outputs in \
                 ../shared/golden beside the repository, or set WICAS_GOLDEN_DIR"
            )
        });
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The default model (SmolLM2-135M-Instruct Q4_1).
pub fn smollm2() -> PathBuf {
    model("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2")
}

/// The Qwen test model (Qwen2.5-Coder-0.5B-Instruct Q4_K_M).
pub fn qwen() -> PathBuf {
    model("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", "qwen2.5-0.5b")
}
