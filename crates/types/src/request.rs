//! An inference request as a contract sends it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{ModelId, Sampling};

/// Most chat messages in one request (a bound on parsing work; the prompt token limit is a chain
/// parameter checked later).
pub const MAX_MESSAGES: usize = 64;

/// One chat message; the engine formats the list with the model's chat template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChatMessage {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// The message text.
    pub content: String,
}

/// Ask a registered model for a completion. Exactly one of `prompt` (raw text) and `messages`
/// (chat) is set. JSON:
/// `{"model":"sha256:…","prompt":"Hello","max_tokens":32,"sampling":"greedy"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InferRequest {
    /// The model, by the SHA-256 of its GGUF file.
    pub model: ModelId,
    /// Raw text prompt (special tokens such as `<|im_start|>` are parsed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Chat messages, formatted with the model's chat template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<ChatMessage>>,
    /// Most tokens to generate; the request is priced for all of them up front.
    pub max_tokens: u32,
    /// How tokens are chosen.
    #[serde(default)]
    pub sampling: Sampling,
}

/// Why an [`InferRequest`] is malformed (before any chain-specific limit is applied).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// Neither `prompt` nor `messages` is set.
    #[error("request has neither prompt nor messages")]
    NoPrompt,
    /// Both `prompt` and `messages` are set.
    #[error("request has both prompt and messages; set exactly one")]
    BothPromptAndMessages,
    /// `messages` is present but empty.
    #[error("messages is empty")]
    EmptyMessages,
    /// More than [`MAX_MESSAGES`] messages.
    #[error("{count} messages exceed the limit of {MAX_MESSAGES}")]
    TooManyMessages {
        /// Messages sent.
        count: usize,
    },
    /// `max_tokens` is zero.
    #[error("max_tokens must be at least 1")]
    ZeroMaxTokens,
    /// A sampling parameter is out of range.
    #[error("invalid sampling: {0}")]
    InvalidSampling(&'static str),
}

impl InferRequest {
    /// A greedy text-prompt request.
    pub fn text(model: ModelId, prompt: impl Into<String>, max_tokens: u32) -> Self {
        Self {
            model,
            prompt: Some(prompt.into()),
            messages: None,
            max_tokens,
            sampling: Sampling::Greedy,
        }
    }

    /// A greedy chat request.
    pub fn chat(model: ModelId, messages: Vec<ChatMessage>, max_tokens: u32) -> Self {
        Self {
            model,
            prompt: None,
            messages: Some(messages),
            max_tokens,
            sampling: Sampling::Greedy,
        }
    }

    /// Check the request's shape: exactly one of prompt|messages, a bounded non-empty message
    /// list, at least one token, sampling parameters in range.
    pub fn validate(&self) -> Result<(), RequestError> {
        match (&self.prompt, &self.messages) {
            (None, None) => return Err(RequestError::NoPrompt),
            (Some(_), Some(_)) => return Err(RequestError::BothPromptAndMessages),
            (None, Some(messages)) if messages.is_empty() => {
                return Err(RequestError::EmptyMessages);
            }
            (None, Some(messages)) if messages.len() > MAX_MESSAGES => {
                return Err(RequestError::TooManyMessages {
                    count: messages.len(),
                });
            }
            _ => {}
        }
        if self.max_tokens == 0 {
            return Err(RequestError::ZeroMaxTokens);
        }
        self.sampling
            .validate()
            .map_err(RequestError::InvalidSampling)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> ModelId {
        ModelId::from_sha256(&[7; 32])
    }

    #[test]
    fn text_request_round_trips_through_json() {
        let request = InferRequest::text(model(), "Hello", 8);
        let json = serde_json::to_string(&request).unwrap();
        assert!(!json.contains("messages"), "{json}");
        assert_eq!(
            serde_json::from_str::<InferRequest>(&json).unwrap(),
            request
        );
        assert_eq!(request.validate(), Ok(()));
    }

    #[test]
    fn shape_errors_are_named() {
        let mut request = InferRequest::text(model(), "Hello", 8);
        request.messages = Some(vec![ChatMessage {
            role: "user".into(),
            content: "hi".into(),
        }]);
        assert_eq!(request.validate(), Err(RequestError::BothPromptAndMessages));
        request.prompt = None;
        assert_eq!(request.validate(), Ok(()));
        request.messages = Some(vec![]);
        assert_eq!(request.validate(), Err(RequestError::EmptyMessages));
        request.messages = None;
        assert_eq!(request.validate(), Err(RequestError::NoPrompt));
        let zero = InferRequest::text(model(), "x", 0);
        assert_eq!(zero.validate(), Err(RequestError::ZeroMaxTokens));
    }
}
