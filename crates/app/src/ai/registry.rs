//! Loaded engines by model hash, and how the node provides them.
//!
//! The chain stores only a model's hash and prices; the weights live in files on each validator.
//! The node gives the app a [`ModelLoader`] that opens the file whose SHA-256 is the registered
//! hash (and checks it). A validator that cannot load a registered model must not answer
//! differently from the others, so the app reports it as a node fault
//! ([`ModelUnavailable`]) instead of a transaction result.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use wicas_infer::Engine;

use super::model::model_id;

/// Why a node could not provide a registered model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "model {id} is registered on chain but this node cannot load it: {reason} (add the GGUF file whose SHA-256 is this hash to the node's model directory)"
)]
pub struct ModelUnavailable {
    /// `sha256:<hex>`.
    pub id: String,
    /// What the loader said.
    pub reason: String,
}

/// Opens a model file by the SHA-256 of its contents (the node implements this over its model
/// directory). Implementations must verify the hash of what they load.
pub trait ModelLoader: Send + Sync {
    /// The engine for the GGUF file with this SHA-256.
    fn load(&self, sha256: &[u8; 32]) -> Result<Arc<dyn Engine>, String>;
}

/// Engines by model hash, loaded on first use and kept.
#[derive(Default)]
pub struct ModelRegistry {
    loader: Option<Arc<dyn ModelLoader>>,
    loaded: Mutex<BTreeMap<[u8; 32], Arc<dyn Engine>>>,
}

impl std::fmt::Debug for ModelRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.loaded.lock().map(|m| m.len()).unwrap_or(0);
        f.debug_struct("ModelRegistry")
            .field("loaded", &n)
            .field("has_loader", &self.loader.is_some())
            .finish()
    }
}

impl ModelRegistry {
    /// A registry that loads through `loader`.
    pub fn with_loader(loader: Arc<dyn ModelLoader>) -> Self {
        Self {
            loader: Some(loader),
            loaded: Mutex::new(BTreeMap::new()),
        }
    }

    /// Add an engine already loaded (the node preloads; tests inject).
    pub fn insert(&self, sha256: [u8; 32], engine: Arc<dyn Engine>) {
        if let Ok(mut m) = self.loaded.lock() {
            m.insert(sha256, engine);
        }
    }

    /// The engine for `sha256`, loading it if needed.
    pub fn get(&self, sha256: &[u8; 32]) -> Result<Arc<dyn Engine>, ModelUnavailable> {
        let unavailable = |reason: String| ModelUnavailable {
            id: model_id(sha256),
            reason,
        };
        let mut m = self
            .loaded
            .lock()
            .map_err(|_| unavailable("registry lock poisoned".into()))?;
        if let Some(e) = m.get(sha256) {
            return Ok(Arc::clone(e));
        }
        let loader = self
            .loader
            .as_ref()
            .ok_or_else(|| unavailable("no model loader configured".into()))?;
        let engine = loader.load(sha256).map_err(unavailable)?;
        m.insert(*sha256, Arc::clone(&engine));
        Ok(engine)
    }
}
