//! The transformer: configuration from GGUF metadata, weights in the memory map, the forward pass
//! and its KV cache. Architectures: `llama` (SmolLM2, TinyLlama, Llama 2/3) and `qwen2`.

mod attention;
mod config;
mod error;
mod exp;
mod forward;
mod kv;
pub(crate) mod ops;
mod rope;
mod weights;

use std::path::Path;

pub use config::{Architecture, ModelConfig, RopeStyle};
pub use error::{LoadError, ModelError};
pub use forward::{Logits, MAX_BATCH, Scratch};
pub use kv::KvCache;
pub use weights::{LayerWeights, Matrix, Weights};

use crate::gguf::GgufFile;
use crate::kernels::KernelError;
use crate::quant::QuantError;
use rope::Rope;

/// Why a forward pass stopped. All are deterministic outcomes of the inputs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ForwardError {
    /// NaN or infinity in the activations or logits.
    #[error("non-finite activation")]
    NonFinite,
    /// The cache cannot hold the new positions.
    #[error("the KV cache holds at most {capacity} positions")]
    ContextFull {
        /// The cache's capacity.
        capacity: usize,
    },
    /// A token id outside the vocabulary.
    #[error("token id {id} is outside the vocabulary")]
    TokenOutOfRange {
        /// The id.
        id: u32,
    },
    /// A kernel refused its operands (a bug: shapes are checked at load).
    #[error("kernel error: {0}")]
    Kernel(KernelError),
    /// A tensor could not be viewed (a bug: tensors are checked at load).
    #[error(transparent)]
    Model(#[from] ModelError),
}

impl From<KernelError> for ForwardError {
    fn from(e: KernelError) -> Self {
        match e {
            KernelError::NonFiniteActivation { .. } => ForwardError::NonFinite,
            other => ForwardError::Kernel(other),
        }
    }
}

impl From<QuantError> for ForwardError {
    fn from(e: QuantError) -> Self {
        ForwardError::Kernel(KernelError::from(e))
    }
}

/// A loaded model: the mapped file, its configuration and the located weights.
#[derive(Debug)]
pub struct Model {
    file: GgufFile,
    config: ModelConfig,
    weights: Weights,
    rope: Rope,
}

impl Model {
    /// Maps and checks the GGUF file at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        Self::from_file(GgufFile::open(path)?)
    }

    /// Checks an already parsed file and locates its weights.
    pub fn from_file(file: GgufFile) -> Result<Self, LoadError> {
        let wrap = |reason| LoadError::Model {
            path: file.path().to_path_buf(),
            reason,
        };
        let vocab = weights::vocab_size(&file).map_err(wrap)?;
        let config = ModelConfig::from_metadata(file.metadata(), vocab).map_err(wrap)?;
        let weights = Weights::load(&file, &config).map_err(wrap)?;
        let rope = Rope::new(config.arch.rope_style(), config.rope_base, config.rope_dim);
        Ok(Model {
            file,
            config,
            weights,
            rope,
        })
    }

    /// The underlying GGUF file (metadata, tensor directory).
    pub fn file(&self) -> &GgufFile {
        &self.file
    }

    /// Hyper-parameters.
    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// The located weights.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    fn rope(&self) -> &Rope {
        &self.rope
    }

    /// A KV cache for this model holding up to `capacity` positions.
    pub fn new_cache(&self, capacity: usize) -> KvCache {
        KvCache::new(&self.config, capacity)
    }
}
