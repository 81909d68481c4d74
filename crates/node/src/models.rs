//! [`ModelDir`]: the node's [`ModelLoader`] over a directory of GGUF files. The chain names a
//! model by the SHA-256 of its file; the loader hashes the directory's `*.gguf` files (once per
//! file size and modification time) and opens the one whose hash matches.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use sha2::{Digest, Sha256};
use wicas_app::ai::ModelLoader;
use wicas_infer::gguf::GgufFile;
use wicas_infer::{Engine, EngineOptions, LlamaEngine};

use crate::metrics::{MeteredEngine, NodeMetrics};

type FileStamp = (u64, Option<SystemTime>);

/// A directory of model files.
#[derive(Debug)]
pub struct ModelDir {
    dir: PathBuf,
    metrics: NodeMetrics,
    hashes: Mutex<BTreeMap<PathBuf, (FileStamp, [u8; 32])>>,
}

impl ModelDir {
    /// A loader over `dir`; engines it opens count their calls into `metrics`.
    pub fn new(dir: impl Into<PathBuf>, metrics: NodeMetrics) -> Self {
        Self {
            dir: dir.into(),
            metrics,
            hashes: Mutex::new(BTreeMap::new()),
        }
    }

    fn file_hash(&self, path: &Path) -> Result<[u8; 32], String> {
        let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let stamp = (meta.len(), meta.modified().ok());
        let mut cache = self
            .hashes
            .lock()
            .map_err(|_| "model hash cache lock poisoned".to_owned())?;
        if let Some((s, h)) = cache.get(path)
            && *s == stamp
        {
            return Ok(*h);
        }
        let mut file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = file
                .read(&mut buf)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        let hash: [u8; 32] = hasher.finalize().into();
        cache.insert(path.to_owned(), (stamp, hash));
        Ok(hash)
    }

    /// The `*.gguf` files of the directory, sorted by name.
    fn files(&self) -> Result<Vec<PathBuf>, String> {
        let entries =
            std::fs::read_dir(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "gguf"))
            .collect();
        files.sort();
        Ok(files)
    }
}

impl ModelLoader for ModelDir {
    fn load(&self, sha256: &[u8; 32]) -> Result<Arc<dyn Engine>, String> {
        let files = self.files()?;
        for path in &files {
            if self.file_hash(path)? != *sha256 {
                continue;
            }
            let file = GgufFile::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let engine = LlamaEngine::from_file(file, EngineOptions::default())
                .map_err(|e| format!("{}: {e}", path.display()))?;
            return Ok(Arc::new(MeteredEngine::new(
                Arc::new(engine),
                self.metrics.clone(),
            )));
        }
        Err(format!(
            "none of the {} .gguf files in {} has this SHA-256",
            files.len(),
            self.dir.display()
        ))
    }
}
