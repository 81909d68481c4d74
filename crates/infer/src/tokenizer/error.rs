//! Why a tokenizer could not be built from a model's metadata.

/// A tokenizer could not be built. Every variant names the metadata key or the limit at fault.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenizerError {
    /// A required metadata key is absent.
    #[error("tokenizer metadata `{key}` is missing")]
    MissingKey {
        /// The key.
        key: &'static str,
    },
    /// A metadata key holds a value of the wrong type.
    #[error("tokenizer metadata `{key}` has the wrong type: expected {expected}")]
    WrongType {
        /// The key.
        key: &'static str,
        /// What the key must hold.
        expected: &'static str,
    },
    /// `tokenizer.ggml.model` names a tokenizer this engine does not implement.
    #[error("unsupported tokenizer model `{model}` (supported: gpt2, llama)")]
    UnsupportedModel {
        /// The value of `tokenizer.ggml.model`.
        model: String,
    },
    /// `tokenizer.ggml.pre` names a pre-tokenizer this engine does not implement.
    #[error(
        "unsupported pre-tokenizer `{pre}` (supported: default, gpt-2, smollm, starcoder, qwen2, llama-bpe, …)"
    )]
    UnsupportedPreTokenizer {
        /// The value of `tokenizer.ggml.pre`.
        pre: String,
    },
    /// A list is longer than the named cap allows.
    #[error("the {what} has {count} entries; at most {max} are accepted")]
    TooLarge {
        /// Which list.
        what: &'static str,
        /// Its length.
        count: usize,
        /// The cap.
        max: usize,
    },
    /// A token string is longer than [`MAX_TOKEN_BYTES`](super::MAX_TOKEN_BYTES).
    #[error("token {id} is {len} bytes long; at most {max} are accepted")]
    TokenTooLong {
        /// The token id.
        id: u32,
        /// Its length in bytes.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// Two tokens have the same text.
    #[error("tokens {first} and {second} have the same text")]
    DuplicateToken {
        /// The first id.
        first: u32,
        /// The second id.
        second: u32,
    },
    /// A per-token list is shorter than the token list.
    #[error("`{key}` has {len} entries but the vocabulary has {expected} tokens")]
    LengthMismatch {
        /// The key.
        key: &'static str,
        /// Its length.
        len: usize,
        /// The number of tokens.
        expected: usize,
    },
    /// A special token id in the metadata is outside the vocabulary.
    #[error("`{key}` = {id} is outside the vocabulary of {vocab_size} tokens")]
    SpecialIdOutOfRange {
        /// The key.
        key: &'static str,
        /// The id as stored.
        id: i64,
        /// The vocabulary size.
        vocab_size: usize,
    },
    /// The model asks for a BOS/EOS token to be added but names none.
    #[error("`{flag}` is set but the vocabulary has no `{key}`")]
    MissingSpecialToken {
        /// The flag (`tokenizer.ggml.add_bos_token` …).
        flag: &'static str,
        /// The id key it needs.
        key: &'static str,
    },
    /// A llama2.c `tokenizer.bin` ends before its last token.
    #[error("tokenizer.bin is truncated at byte {offset}")]
    Truncated {
        /// Where the missing bytes start.
        offset: usize,
    },
    /// A llama2.c `tokenizer.bin` has bytes after its last token (a vocabulary-size mismatch).
    #[error(
        "tokenizer.bin has {extra} bytes after the last token: does vocab_size match the checkpoint?"
    )]
    TrailingBytes {
        /// How many.
        extra: usize,
    },
}
