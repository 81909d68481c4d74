//! The engine's public face: what the node and the state machine call.
//!
//! The shape is agreed between the engine and the chain (issues 3 and 4): a request carries
//! everything that determines the output — prompt, limits, sampling parameters and a 32-byte seed
//! derived from consensus data — so two validators with the same model file produce the same
//! [`Generation`], digest included.

/// A prompt: raw text, chat messages (the model's chat template is applied), or token ids.
#[derive(Debug, Clone, PartialEq)]
pub enum Prompt {
    /// Text, tokenized with special-token parsing on (`<|im_start|>` is one token).
    Text(String),
    /// Chat messages; the engine applies the model's chat template (ChatML, Llama-2 `[INST]`).
    Chat(Vec<ChatMessage>),
    /// Token ids, fed as they are.
    Tokens(Vec<u32>),
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// The message text.
    pub content: String,
}

/// Sampling parameters. `temperature == 0.0` means greedy (ties to the lowest token id).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SamplingParams {
    /// Softmax temperature; 0 selects greedy decoding.
    pub temperature: f32,
    /// Keep only the k most likely tokens (0 = off).
    pub top_k: u32,
    /// Nucleus sampling threshold in (0, 1]; 1 = off.
    pub top_p: f32,
    /// Repetition penalty (1 = off), applied over the last `repeat_last_n` tokens.
    pub repeat_penalty: f32,
    /// How many recent tokens the repetition penalty looks at.
    pub repeat_last_n: u32,
}

impl SamplingParams {
    /// Greedy decoding: argmax, ties to the lowest token id.
    pub const GREEDY: SamplingParams = SamplingParams {
        temperature: 0.0,
        top_k: 0,
        top_p: 1.0,
        repeat_penalty: 1.0,
        repeat_last_n: 64,
    };
}

impl Default for SamplingParams {
    fn default() -> Self {
        Self::GREEDY
    }
}

/// Everything that determines a generation.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateRequest {
    /// The prompt.
    pub prompt: Prompt,
    /// Most tokens to generate (generation also stops at an end-of-generation token).
    pub max_tokens: u32,
    /// Sampling parameters.
    pub sampling: SamplingParams,
    /// Seed for the integer PRNG (the chain derives it from block hash, contract, call index).
    pub seed: [u8; 32],
}

/// Why generation stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The model produced an end-of-generation token (it is included in `tokens`).
    EndOfGeneration,
    /// `max_tokens` were generated.
    MaxTokens,
    /// The context window is full.
    ContextFull,
}

/// The result of a generation: identical bits on every validator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    /// The prompt as token ids (after template and BOS).
    pub prompt_tokens: Vec<u32>,
    /// Generated token ids, in order.
    pub tokens: Vec<u32>,
    /// Generated text (end-of-generation tokens are not rendered).
    pub text: String,
    /// SHA-256 over the generated token ids and the bits of every step's logits.
    pub digest: [u8; 32],
    /// Why it stopped.
    pub stop: StopReason,
}

/// What the chain needs to know about a loaded model to price and bound requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    /// GGUF `general.architecture` (`llama`, `qwen2`, …).
    pub architecture: String,
    /// Human-readable name (`general.name`), may be empty.
    pub name: String,
    /// Bytes of weights read per token (the basis of gas prices).
    pub weight_bytes: u64,
    /// Context length the engine allows.
    pub context_length: u32,
    /// Vocabulary size.
    pub vocab_size: u32,
}

/// Why the engine refused or failed a request. Every variant is a deterministic outcome.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EngineError {
    /// The prompt (after template and BOS) does not fit the context window.
    #[error("prompt has {prompt_tokens} tokens but the context holds {context_length}")]
    PromptTooLong {
        /// Tokens in the prompt.
        prompt_tokens: usize,
        /// The model's context length.
        context_length: u32,
    },
    /// A token id outside the vocabulary was given.
    #[error("token id {id} is outside the vocabulary of {vocab_size}")]
    TokenOutOfRange {
        /// The offending id.
        id: u32,
        /// The vocabulary size.
        vocab_size: u32,
    },
    /// The model has no chat template to format chat messages with.
    #[error("the model has no chat template; send a text prompt")]
    NoChatTemplate,
    /// An invalid sampling parameter.
    #[error("invalid sampling parameter: {0}")]
    InvalidSampling(&'static str),
    /// The prompt has no tokens: there is nothing to predict from.
    #[error("the prompt is empty")]
    EmptyPrompt,
    /// A text or chat prompt was given but the model file carries no tokenizer.
    #[error("the model has no tokenizer; send token ids")]
    NoTokenizer,
    /// The kernels refused their operands. Shapes are checked when the model loads, so this is a
    /// bug in the engine, reported rather than panicking.
    #[error("kernel fault (engine bug): {detail}")]
    KernelFault {
        /// The kernels' message.
        detail: String,
    },
    /// NaN or infinity appeared in the activations at a step (deterministic on every machine).
    #[error("non-finite activation at generation step {step}")]
    NonFinite {
        /// The step (0 = the prompt's last position).
        step: usize,
    },
}

/// A loaded model that can generate. Implementations must be deterministic: the same request gives
/// the same [`Generation`] on every machine, whatever the thread count or SIMD path.
pub trait Engine: Send + Sync {
    /// Facts about the loaded model.
    fn model_info(&self) -> &ModelInfo;
    /// The prompt's token ids, exactly as `generate` would feed them (used to price a request
    /// before any work).
    fn tokenize(&self, prompt: &Prompt) -> Result<Vec<u32>, EngineError>;
    /// Run a generation.
    fn generate(&self, request: &GenerateRequest) -> Result<Generation, EngineError>;
}
