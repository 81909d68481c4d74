//! The node's model directory: the [`ModelLoader`] that gives the app the engine of a registered
//! model, found by the SHA-256 of a `*.gguf` file in one directory.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};
use wicas_app::ai::{ModelLoader, model_id};
use wicas_infer::{Engine, EngineOptions, LlamaEngine};

/// Models are `*.gguf` files in this directory, named anything: the chain knows them by hash.
#[derive(Debug, Clone)]
pub struct ModelDir {
    dir: PathBuf,
    options: EngineOptions,
}

/// SHA-256 of a file, streamed.
pub fn file_sha256(path: &Path) -> std::io::Result<[u8; 32]> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(h.finalize().into());
        }
        h.update(&buf[..n]);
    }
}

impl ModelDir {
    /// The directory `dir`, engines built with `options`.
    pub fn new(dir: impl Into<PathBuf>, options: EngineOptions) -> Self {
        Self {
            dir: dir.into(),
            options,
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file whose contents hash to `sha256`, if any (every `*.gguf` is hashed: seconds for
    /// large files, done once per model because the registry keeps what it loaded).
    pub fn find(&self, sha256: &[u8; 32]) -> Result<Option<PathBuf>, String> {
        let entries = std::fs::read_dir(&self.dir)
            .map_err(|e| format!("reading model directory {}: {e}", self.dir.display()))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "gguf") && p.is_file())
            .collect();
        paths.sort();
        for p in paths {
            let h = file_sha256(&p).map_err(|e| format!("hashing {}: {e}", p.display()))?;
            if &h == sha256 {
                return Ok(Some(p));
            }
        }
        Ok(None)
    }
}

impl ModelLoader for ModelDir {
    fn load(&self, sha256: &[u8; 32]) -> Result<Arc<dyn Engine>, String> {
        let path = self.find(sha256)?.ok_or_else(|| {
            format!(
                "no *.gguf file in {} has SHA-256 {}",
                self.dir.display(),
                model_id(sha256)
            )
        })?;
        let engine = LlamaEngine::load(&path, self.options)
            .map_err(|e| format!("loading {}: {e}", path.display()))?;
        Ok(Arc::new(engine))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_hash_or_directory_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.gguf"), b"not a model").unwrap();
        let d = ModelDir::new(dir.path(), EngineOptions::default());
        let h = file_sha256(&dir.path().join("a.gguf")).unwrap();
        assert_eq!(d.find(&h).unwrap(), Some(dir.path().join("a.gguf")));
        let err = d.load(&[7; 32]).err().unwrap();
        assert!(err.contains("no *.gguf file"), "{err}");
        let err = d.load(&h).err().unwrap();
        assert!(err.contains("loading"), "{err}");
        let gone = ModelDir::new(dir.path().join("none"), EngineOptions::default());
        assert!(
            gone.load(&h)
                .err()
                .unwrap()
                .contains("reading model directory")
        );
    }
}
