//! A session: one KV cache and scratch buffers over a loaded engine. The lower-level API for
//! evaluation (feed tokens, read the logits of every position) and benchmarks.

use super::LlamaEngine;
use crate::engine::EngineError;
use crate::model::{ForwardError, KvCache, Logits, Scratch};

/// An in-progress sequence: the positions fed so far live in the KV cache.
#[derive(Debug)]
pub struct Session<'e> {
    engine: &'e LlamaEngine,
    cache: KvCache,
    scratch: Scratch,
}

impl<'e> Session<'e> {
    pub(super) fn new(engine: &'e LlamaEngine, capacity: usize) -> Self {
        Session {
            engine,
            cache: engine.model.new_cache(capacity),
            scratch: Scratch::default(),
        }
    }

    /// Positions fed so far.
    pub fn len(&self) -> usize {
        self.cache.len()
    }

    /// Whether nothing has been fed.
    pub fn is_empty(&self) -> bool {
        self.cache.is_empty()
    }

    /// Most positions this session can hold.
    pub fn capacity(&self) -> usize {
        self.cache.capacity()
    }

    /// Forgets every position (the buffers are kept).
    pub fn reset(&mut self) {
        self.cache.truncate(0);
    }

    /// Feeds `tokens` and returns the logits after the last one (`[vocab]`) or after each
    /// (`[tokens.len()][vocab]`). `step` labels a non-finite error.
    pub fn feed(
        &mut self,
        tokens: &[u32],
        want: Logits,
        step: usize,
    ) -> Result<Vec<f32>, EngineError> {
        let e = self.engine;
        e.model
            .forward(&e.kernels, &mut self.cache, tokens, want, &mut self.scratch)
            .map_err(|err| forward_error(err, step, e.info.vocab_size, self.cache.capacity()))
    }
}

/// Maps a forward-pass failure to the engine's deterministic error.
pub(super) fn forward_error(
    e: ForwardError,
    step: usize,
    vocab: u32,
    capacity: usize,
) -> EngineError {
    match e {
        ForwardError::NonFinite => EngineError::NonFinite { step },
        ForwardError::ContextFull { .. } => EngineError::PromptTooLong {
            prompt_tokens: capacity + 1,
            context_length: capacity as u32,
        },
        ForwardError::TokenOutOfRange { id } => EngineError::TokenOutOfRange {
            id,
            vocab_size: vocab,
        },
        other => EngineError::KernelFault {
            detail: other.to_string(),
        },
    }
}
