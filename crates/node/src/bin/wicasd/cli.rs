//! Command-line flags (low-level, as typed) and their validation into plans (high-level, checked).

use std::path::PathBuf;

use anyhow::{Context, bail, ensure};
use clap::{Args, Parser, Subcommand};
use wicas_infer::SamplingParams;
use wicas_infer::kernels::KernelChoice;

/// The wicas node.
#[derive(Debug, Parser)]
#[command(name = "wicasd", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate text from a prompt, or print the top logits after each given token.
    Infer(InferArgs),
    /// Measure prefill (pp128, pp512) and decode (tg128) throughput.
    Bench(BenchArgs),
    /// Write a one-validator home: genesis, validator key, a funded account key.
    Init(crate::chain::InitArgs),
    /// Run the chain of a home until Ctrl-C (restarts continue from its store and WAL).
    Start(crate::chain::StartArgs),
    /// Account keys in the home's file keyring.
    Keys(crate::keys::KeysArgs),
    /// Edit the genesis of a home before its first start.
    Genesis(crate::genesis::GenesisArgs),
    /// Sign and send a transaction, wait for its block.
    Tx(crate::tx::TxArgs),
    /// Read chain state through a node.
    #[command(visible_alias = "q")]
    Query(crate::query::QueryArgs),
    /// A node's chain id and latest block.
    Status(crate::query::StatusArgs),
    /// Blocks/s, bank transfers/s and tx latency of a local N-validator network.
    BenchChain(crate::bench_chain::BenchChainArgs),
    /// Write ready-made validator homes for a local network (one genesis, distinct ports).
    Testnet(crate::testnet::TestnetArgs),
}

/// Flags shared by every command that runs a model.
#[derive(Debug, Args)]
pub struct EngineArgs {
    /// Path of the GGUF model file.
    #[arg(long)]
    pub model: PathBuf,
    /// Worker threads for the matrix products.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Kernel path: `auto` (fastest SIMD the CPU has), `scalar` (the reference), or `avx2` /
    /// `avx512` (that x86 path; an error where the CPU lacks it). Same bits.
    #[arg(long, default_value = "auto")]
    pub kernels: String,
}

/// `wicasd infer` flags.
#[derive(Debug, Args)]
pub struct InferArgs {
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Prompt text (special tokens such as `<|im_start|>` are recognised).
    #[arg(long, conflicts_with = "tokens")]
    pub prompt: Option<String>,
    /// Prompt as comma-separated token ids (e.g. `1,2,3`).
    #[arg(long, value_delimiter = ',')]
    pub tokens: Option<Vec<u32>>,
    /// Wrap the prompt as one user message in the model's chat template.
    #[arg(long, requires = "prompt")]
    pub chat: bool,
    /// Most tokens to generate.
    #[arg(long, default_value_t = 128)]
    pub max_tokens: u32,
    /// Sampling seed (the engine's 32-byte seed is this u64 little-endian, zero-padded).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Softmax temperature; 0 is greedy.
    #[arg(long, default_value_t = 0.0)]
    pub temperature: f32,
    /// Keep the k most likely tokens (0 = off).
    #[arg(long, default_value_t = 0)]
    pub top_k: u32,
    /// Nucleus threshold in (0, 1].
    #[arg(long, default_value_t = 1.0)]
    pub top_p: f32,
    /// Repetition penalty (1 = off) over the last 64 tokens.
    #[arg(long, default_value_t = 1.0)]
    pub repeat_penalty: f32,
    /// Evaluation mode: print the K largest logits after each of `--tokens`.
    #[arg(long, requires = "tokens")]
    pub top_logits: Option<usize>,
    /// Print one JSON object instead of streaming text.
    #[arg(long)]
    pub json: bool,
}

/// `wicasd bench` flags.
#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Runs of each test (best and median are reported).
    #[arg(long, default_value_t = 5)]
    pub repetitions: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Checked engine settings.
#[derive(Debug, Clone)]
pub struct EnginePlan {
    pub model: PathBuf,
    pub threads: usize,
    pub kernels: KernelChoice,
}

impl EngineArgs {
    fn validate(self) -> anyhow::Result<EnginePlan> {
        ensure!(self.threads >= 1, "--threads must be at least 1");
        ensure!(self.threads <= 256, "--threads must be at most 256");
        let kernels = self.kernels.parse::<KernelChoice>()?;
        Ok(EnginePlan {
            model: self.model,
            threads: self.threads,
            kernels,
        })
    }
}

/// What `wicasd infer` will do.
#[derive(Debug, Clone)]
pub enum InferPlan {
    /// Generate from a prompt.
    Generate {
        engine: EnginePlan,
        prompt: PromptInput,
        max_tokens: u32,
        sampling: SamplingParams,
        seed: [u8; 32],
        json: bool,
    },
    /// Print the top `k` logits after each token.
    Evaluate {
        engine: EnginePlan,
        tokens: Vec<u32>,
        k: usize,
    },
}

/// The prompt as given on the command line.
#[derive(Debug, Clone)]
pub enum PromptInput {
    Text(String),
    Chat(String),
    Tokens(Vec<u32>),
}

impl InferArgs {
    /// Checks the flags and decides the mode.
    pub fn validate(self) -> anyhow::Result<InferPlan> {
        let engine = self.engine.validate()?;
        if let Some(k) = self.top_logits {
            ensure!(k >= 1, "--top-logits must be at least 1");
            ensure!(self.json, "--top-logits prints JSON: add --json");
            let tokens = self.tokens.context("--top-logits needs --tokens")?;
            ensure!(!tokens.is_empty(), "--tokens is empty");
            return Ok(InferPlan::Evaluate { engine, tokens, k });
        }
        let prompt = match (self.prompt, self.tokens) {
            (Some(p), None) if self.chat => PromptInput::Chat(p),
            (Some(p), None) => PromptInput::Text(p),
            (None, Some(t)) => PromptInput::Tokens(t),
            _ => bail!("give exactly one of --prompt or --tokens"),
        };
        let sampling = SamplingParams {
            temperature: self.temperature,
            top_k: self.top_k,
            top_p: self.top_p,
            repeat_penalty: self.repeat_penalty,
            repeat_last_n: 64,
        };
        wicas_infer::sample::validate(&sampling)?;
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&self.seed.to_le_bytes());
        Ok(InferPlan::Generate {
            engine,
            prompt,
            max_tokens: self.max_tokens,
            sampling,
            seed,
            json: self.json,
        })
    }
}

/// What `wicasd bench` will do.
#[derive(Debug, Clone)]
pub struct BenchPlan {
    pub engine: EnginePlan,
    pub repetitions: usize,
    pub json: bool,
}

impl BenchArgs {
    /// Checks the flags.
    pub fn validate(self) -> anyhow::Result<BenchPlan> {
        ensure!(
            (1..=100).contains(&self.repetitions),
            "--repetitions must be in 1..=100"
        );
        Ok(BenchPlan {
            engine: self.engine.validate()?,
            repetitions: self.repetitions,
            json: self.json,
        })
    }
}
