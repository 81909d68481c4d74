//! [`LlamaEngine`]: the [`Engine`] over a GGUF llama/qwen2 model — tokenizer, forward pass,
//! sampler and digest wired together, plus a lower-level [`Session`] API for evaluation,
//! streaming and benchmarks.

mod fpenv;
mod generate;
mod session;

use std::path::Path;

pub use fpenv::{FloatEnvError, check_float_env};
pub use generate::TokenEvent;
pub use session::Session;

use crate::engine::{Engine, EngineError, GenerateRequest, Generation, ModelInfo, Prompt};
use crate::gguf::GgufFile;
use crate::kernels::{KernelChoice, KernelError, Kernels};
use crate::model::{LoadError, Model};
use crate::tokenizer::{Tokenizer, TokenizerError};

/// How to run a model: threads and kernel path change speed, never bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineOptions {
    /// Worker threads for the matrix products (1 = the calling thread only).
    pub threads: usize,
    /// `Auto` picks the fastest SIMD path the CPU has; `Scalar` forces the reference kernels.
    pub kernels: KernelChoice,
    /// Cap on the context length (`None`: the model's own `context_length`).
    pub max_context: Option<u32>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            threads: 1,
            kernels: KernelChoice::Auto,
            max_context: None,
        }
    }
}

/// Why an engine could not be started.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineLoadError {
    /// The model file is unusable.
    #[error(transparent)]
    Model(#[from] LoadError),
    /// The file's tokenizer metadata is present but unusable.
    #[error("{path}: tokenizer: {source}")]
    Tokenizer {
        /// The file.
        path: String,
        /// The tokenizer's reason.
        #[source]
        source: TokenizerError,
    },
    /// The kernels could not start (zero threads, thread pool failure).
    #[error(transparent)]
    Kernels(#[from] KernelError),
    /// The process's floating-point environment would change the engine's bits.
    #[error(transparent)]
    FloatEnv(#[from] FloatEnvError),
}

/// A loaded model ready to generate; `Send + Sync`, so one engine serves many requests.
#[derive(Debug)]
pub struct LlamaEngine {
    model: Model,
    tokenizer: Option<Tokenizer>,
    kernels: Kernels,
    info: ModelInfo,
}

impl LlamaEngine {
    /// Maps the GGUF file at `path` and prepares it to run.
    pub fn load(path: impl AsRef<Path>, options: EngineOptions) -> Result<Self, EngineLoadError> {
        Self::from_model(Model::load(path)?, options)
    }

    /// Runs an already opened GGUF file.
    pub fn from_file(file: GgufFile, options: EngineOptions) -> Result<Self, EngineLoadError> {
        Self::from_model(Model::from_file(file)?, options)
    }

    /// Runs a loaded model.
    pub fn from_model(model: Model, options: EngineOptions) -> Result<Self, EngineLoadError> {
        check_float_env()?;
        let kernels = Kernels::new(options.kernels, options.threads)?;
        let meta = model.file().metadata();
        // A file without `tokenizer.ggml.model` has no tokenizer: token-id prompts still work.
        let tokenizer = if meta.contains_key("tokenizer.ggml.model") {
            Some(
                Tokenizer::from_gguf(meta).map_err(|source| EngineLoadError::Tokenizer {
                    path: model.file().path().display().to_string(),
                    source,
                })?,
            )
        } else {
            None
        };
        let c = model.config();
        let ctx = (c.context_length as u64).min(u64::from(u32::MAX)) as u32;
        let info = ModelInfo {
            architecture: c.arch.name().to_owned(),
            name: meta
                .get("general.name")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned(),
            weight_bytes: model.weights().bytes_per_token(),
            context_length: options.max_context.map_or(ctx, |m| m.min(ctx)),
            vocab_size: c.vocab_size as u32,
        };
        Ok(LlamaEngine {
            model,
            tokenizer,
            kernels,
            info,
        })
    }

    /// The model (configuration, file, weights).
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The tokenizer, if the file has one.
    pub fn tokenizer(&self) -> Option<&Tokenizer> {
        self.tokenizer.as_ref()
    }

    /// The kernels in use (ISA, threads).
    pub fn kernels(&self) -> &Kernels {
        &self.kernels
    }

    /// A fresh session holding up to `capacity` positions (clamped to the context length).
    pub fn session(&self, capacity: usize) -> Session<'_> {
        Session::new(self, capacity.min(self.info.context_length as usize))
    }

    /// Logits after every token of `tokens` (`[tokens.len()][vocab]`), from an empty context:
    /// the evaluation mode (compare with llama.cpp, verify a generation by prefill).
    pub fn eval(&self, tokens: &[u32]) -> Result<Vec<f32>, EngineError> {
        self.check_prompt(tokens)?;
        self.session(tokens.len())
            .feed(tokens, crate::model::Logits::All, 0)
    }

    fn check_prompt(&self, tokens: &[u32]) -> Result<(), EngineError> {
        if tokens.is_empty() {
            return Err(EngineError::EmptyPrompt);
        }
        if tokens.len() > self.info.context_length as usize {
            return Err(EngineError::PromptTooLong {
                prompt_tokens: tokens.len(),
                context_length: self.info.context_length,
            });
        }
        if let Some(&id) = tokens.iter().find(|&&t| t >= self.info.vocab_size) {
            return Err(EngineError::TokenOutOfRange {
                id,
                vocab_size: self.info.vocab_size,
            });
        }
        Ok(())
    }
}

impl Engine for LlamaEngine {
    fn model_info(&self) -> &ModelInfo {
        &self.info
    }

    fn tokenize(&self, prompt: &Prompt) -> Result<Vec<u32>, EngineError> {
        let tokens = match prompt {
            Prompt::Tokens(t) => t.clone(),
            Prompt::Text(text) => self
                .tokenizer
                .as_ref()
                .ok_or(EngineError::NoTokenizer)?
                .encode(text, true),
            Prompt::Chat(messages) => {
                let tok = self.tokenizer.as_ref().ok_or(EngineError::NoTokenizer)?;
                let template = tok.chat_template().ok_or(EngineError::NoChatTemplate)?;
                tok.encode(&template.apply(messages, true), true)
            }
        };
        self.check_prompt(&tokens)?;
        Ok(tokens)
    }

    fn generate(&self, request: &GenerateRequest) -> Result<Generation, EngineError> {
        self.generate_streaming(request, |_| {})
    }
}
