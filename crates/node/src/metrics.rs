//! [`NodeMetrics`]: counters since the node started, for the RPC's `GET /metrics`. Node-edge
//! observation only: nothing here feeds back into execution or consensus.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use wicas_infer::{Engine, EngineError, GenerateRequest, Generation, ModelInfo, Prompt};

/// Counters shared by the executor, the engines and the RPC. Cheap to clone.
#[derive(Debug, Default, Clone)]
pub struct NodeMetrics {
    inner: Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    txs_committed: AtomicU64,
    txs_failed: AtomicU64,
    inference_calls: AtomicU64,
    inference_nanos: AtomicU64,
    inference_tokens: AtomicU64,
}

/// A reading of the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MetricsReading {
    /// Txs committed (any code).
    pub txs_committed: u64,
    /// Of which failed.
    pub txs_failed: u64,
    /// Engine `generate` calls.
    pub inference_calls: u64,
    /// Their total wall time, nanoseconds.
    pub inference_nanos: u64,
    /// Tokens they generated.
    pub inference_tokens: u64,
}

impl NodeMetrics {
    /// Count a committed block's txs.
    pub fn txs(&self, committed: u64, failed: u64) {
        self.inner
            .txs_committed
            .fetch_add(committed, Ordering::Relaxed);
        self.inner.txs_failed.fetch_add(failed, Ordering::Relaxed);
    }

    /// Count one inference call.
    pub fn inference(&self, nanos: u64, tokens: u64) {
        self.inner.inference_calls.fetch_add(1, Ordering::Relaxed);
        self.inner
            .inference_nanos
            .fetch_add(nanos, Ordering::Relaxed);
        self.inner
            .inference_tokens
            .fetch_add(tokens, Ordering::Relaxed);
    }

    /// Read every counter.
    pub fn read(&self) -> MetricsReading {
        let c = &self.inner;
        MetricsReading {
            txs_committed: c.txs_committed.load(Ordering::Relaxed),
            txs_failed: c.txs_failed.load(Ordering::Relaxed),
            inference_calls: c.inference_calls.load(Ordering::Relaxed),
            inference_nanos: c.inference_nanos.load(Ordering::Relaxed),
            inference_tokens: c.inference_tokens.load(Ordering::Relaxed),
        }
    }
}

/// An engine that counts its calls and their wall time into [`NodeMetrics`]; the generation
/// itself is the inner engine's, untouched.
pub struct MeteredEngine {
    inner: Arc<dyn Engine>,
    metrics: NodeMetrics,
}

impl std::fmt::Debug for MeteredEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeteredEngine").finish_non_exhaustive()
    }
}

impl MeteredEngine {
    /// Wrap `inner`.
    pub fn new(inner: Arc<dyn Engine>, metrics: NodeMetrics) -> Self {
        Self { inner, metrics }
    }
}

impl Engine for MeteredEngine {
    fn model_info(&self) -> &ModelInfo {
        self.inner.model_info()
    }

    fn tokenize(&self, prompt: &Prompt) -> Result<Vec<u32>, EngineError> {
        self.inner.tokenize(prompt)
    }

    fn generate(&self, request: &GenerateRequest) -> Result<Generation, EngineError> {
        let started = Instant::now();
        let out = self.inner.generate(request);
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let tokens = out.as_ref().map_or(0, |g| g.tokens.len() as u64);
        self.metrics.inference(nanos, tokens);
        out
    }
}
