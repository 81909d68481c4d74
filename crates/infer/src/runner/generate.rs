//! The generation loop: prefill the prompt, then sample and decode one token at a time.
//!
//! Step `s` (0 = the logits after the prompt's last token) samples a token from that step's raw
//! logits, records both in the digest (`sample::OutputDigest`), and stops at an
//! end-of-generation token, after `max_tokens`, or when the context is full.

use super::LlamaEngine;
use crate::engine::{EngineError, GenerateRequest, Generation, StopReason};
use crate::model::Logits;
use crate::sample::{OutputDigest, Sampler};
use crate::tokenizer::StreamDecoder;

/// One generated token, handed to the streaming callback as soon as it is chosen.
#[derive(Debug, Clone, Copy)]
pub struct TokenEvent<'a> {
    /// Step index (0 = first generated token).
    pub step: usize,
    /// The token id.
    pub token: u32,
    /// Text completed by this token (may be empty mid-character or for end-of-generation).
    pub text: &'a str,
}

impl LlamaEngine {
    /// [`crate::Engine::generate`] with a callback per generated token (streaming output).
    pub fn generate_streaming(
        &self,
        request: &GenerateRequest,
        mut on_token: impl FnMut(TokenEvent<'_>),
    ) -> Result<Generation, EngineError> {
        let prompt = crate::Engine::tokenize(self, &request.prompt)?;
        let mut sampler = Sampler::new(request.sampling, request.seed)?;
        let max_tokens = request.max_tokens as usize;
        let ctx = self.info.context_length as usize;
        let mut session = self.session(prompt.len().saturating_add(max_tokens).min(ctx));
        let mut digest = OutputDigest::new();
        let mut history = prompt.clone();
        let mut tokens = Vec::new();
        let mut decoder = StreamDecoder::new();
        let mut text = String::new();

        let mut stop = StopReason::MaxTokens;
        if max_tokens > 0 {
            let mut logits = session.feed(&prompt, Logits::Last, 0)?;
            loop {
                let step = tokens.len();
                let token = sampler.sample(&logits, &history);
                digest.step(&logits, token);
                tokens.push(token);
                history.push(token);
                let eog = self.tokenizer.as_ref().is_some_and(|t| t.is_eog(token));
                let piece = match (&self.tokenizer, eog) {
                    (Some(t), false) => decoder.push(t, token),
                    _ => String::new(),
                };
                text.push_str(&piece);
                on_token(super::TokenEvent {
                    step,
                    token,
                    text: &piece,
                });
                if eog {
                    stop = StopReason::EndOfGeneration;
                    break;
                }
                if tokens.len() >= max_tokens {
                    stop = StopReason::MaxTokens;
                    break;
                }
                if session.len() >= ctx {
                    stop = StopReason::ContextFull;
                    break;
                }
                logits = session.feed(&[token], Logits::Last, step + 1)?;
            }
        }
        text.push_str(&decoder.finish());
        Ok(Generation {
            prompt_tokens: prompt,
            tokens,
            text,
            digest: digest.finish(),
            stop,
        })
    }
}
