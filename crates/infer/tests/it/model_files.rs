//! Where the real model files and llama.cpp's golden outputs live, and reading a model's metadata.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use wicas_infer::gguf::{GgufFile, MetaValue};

/// `$WICAS_MODEL_DIR/<file>` (default `~/.cache/wicas/models`); panics with the fetch command when
/// the model is missing — model tests never skip.
pub fn model_path(file: &str, fetch_name: &str) -> PathBuf {
    let dir = std::env::var_os("WICAS_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default();
            home.join(".cache/wicas/models")
        });
    let path = dir.join(file);
    assert!(
        path.is_file(),
        "model {} is missing: run scripts/fetch-model {fetch_name}",
        path.display()
    );
    path
}

/// `$WICAS_GOLDEN_DIR`, else `shared/golden` beside the repository; panics when absent.
pub fn golden_dir() -> PathBuf {
    let dir = std::env::var_os("WICAS_GOLDEN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/golden"));
    assert!(
        dir.is_dir(),
        "golden directory {} is missing: set WICAS_GOLDEN_DIR to llama.cpp's reference outputs",
        dir.display()
    );
    dir
}

/// The metadata of a GGUF model file, read with the crate's own GGUF reader.
pub fn gguf_metadata(path: &Path) -> BTreeMap<String, MetaValue> {
    let file = GgufFile::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.metadata().clone()
}
