//! Reading the tokenizer from GGUF metadata (`tokenizer.ggml.*`, `tokenizer.chat_template`).
//!
//! Keys and defaults follow llama.cpp `llama_vocab::impl::load`. Metadata comes from an untrusted
//! file: every list is bounded, every type checked, every id range-checked, and a failure is a
//! [`TokenizerError`] naming the key — never a panic.

use std::collections::BTreeMap;

use super::bpe::MAX_MERGES;
use super::pretokenize::PreTokenizer;
use super::vocab::{MAX_TOKEN_BYTES, MAX_VOCAB_SIZE, TokenType};
use super::{ModelSpec, Parts, TokenTexts, TokenizerError};
use crate::gguf::{MetaValue, StrArray};

type Meta = BTreeMap<String, MetaValue>;

const KEY_MODEL: &str = "tokenizer.ggml.model";
const KEY_PRE: &str = "tokenizer.ggml.pre";
const KEY_TOKENS: &str = "tokenizer.ggml.tokens";
const KEY_SCORES: &str = "tokenizer.ggml.scores";
const KEY_TYPES: &str = "tokenizer.ggml.token_type";
const KEY_MERGES: &str = "tokenizer.ggml.merges";
const KEY_ADD_BOS: &str = "tokenizer.ggml.add_bos_token";
const KEY_ADD_EOS: &str = "tokenizer.ggml.add_eos_token";
const KEY_ADD_SPACE: &str = "tokenizer.ggml.add_space_prefix";
const KEY_TEMPLATE: &str = "tokenizer.chat_template";
const KEY_BOS: &str = "tokenizer.ggml.bos_token_id";
const KEY_EOS: &str = "tokenizer.ggml.eos_token_id";
const KEY_EOT: &str = "tokenizer.ggml.eot_token_id";
const KEY_EOM: &str = "tokenizer.ggml.eom_token_id";
const KEY_UNK: &str = "tokenizer.ggml.unknown_token_id";
const KEY_PAD: &str = "tokenizer.ggml.padding_token_id";

/// Longest chat template accepted, in bytes (real ones are a few KiB).
pub const MAX_CHAT_TEMPLATE_BYTES: usize = 1 << 20;

/// Parse the tokenizer keys of a GGUF file into [`Parts`]; token strings and merges stay in
/// `meta` (borrowed), so building the tokenizer never holds a second per-string copy of them.
pub(crate) fn parts_from_gguf(meta: &Meta) -> Result<Parts<'_>, TokenizerError> {
    let model = string(meta, KEY_MODEL)?.ok_or(TokenizerError::MissingKey { key: KEY_MODEL })?;
    let pre = string(meta, KEY_PRE)?.unwrap_or_default();
    let tokens = string_list(meta, KEY_TOKENS, MAX_VOCAB_SIZE, "vocabulary")?
        .ok_or(TokenizerError::MissingKey { key: KEY_TOKENS })?;
    let n = tokens.len();
    if let Some((t, s)) = tokens
        .iter()
        .enumerate()
        .find(|(_, s)| s.len() > MAX_TOKEN_BYTES)
    {
        return Err(TokenizerError::TokenTooLong {
            id: t as u32,
            len: s.len(),
            max: MAX_TOKEN_BYTES,
        });
    }
    let scores = match meta.get(KEY_SCORES) {
        None => vec![0.0; n],
        Some(v) => per_token(v, KEY_SCORES, n, "array of f32", |e| match e {
            MetaValue::I32(i) => Some(i as f32),
            _ => e.as_f32(),
        })?,
    };
    let types = match meta.get(KEY_TYPES) {
        None => vec![TokenType::Normal; n],
        Some(v) => per_token(v, KEY_TYPES, n, "array of i32", |e| {
            e.as_i64().map(TokenType::from_i64)
        })?,
    };

    let (spec, defaults) = match model.as_str() {
        "gpt2" => {
            let merges = string_list(meta, KEY_MERGES, MAX_MERGES, "merge list")?
                .ok_or(TokenizerError::MissingKey { key: KEY_MERGES })?;
            let pre_tok = PreTokenizer::from_name(&pre)
                .ok_or_else(|| TokenizerError::UnsupportedPreTokenizer { pre: pre.clone() })?;
            let llama3 = pre_tok == PreTokenizer::Llama3;
            let spec = ModelSpec::Bpe {
                pre: pre_tok,
                merges,
                ignore_merges: llama3,
            };
            // llama.cpp defaults for BPE: bos = eos = 11, no unknown; Llama-3 adds BOS.
            (
                spec,
                Defaults {
                    bos: Some(11),
                    eos: Some(11),
                    unk: None,
                    add_bos: llama3,
                },
            )
        }
        "llama" => {
            let add_space_prefix = bool_key(meta, KEY_ADD_SPACE)?.unwrap_or(true);
            let spec = ModelSpec::Spm { add_space_prefix };
            (
                spec,
                Defaults {
                    bos: Some(1),
                    eos: Some(2),
                    unk: Some(0),
                    add_bos: true,
                },
            )
        }
        _ => return Err(TokenizerError::UnsupportedModel { model }),
    };
    // A default id outside the vocabulary is simply absent (llama.cpp disables it too).
    let in_range = |id: Option<u32>| id.filter(|&i| (i as usize) < n);
    let bos = special_id(meta, KEY_BOS, n)?.or(in_range(defaults.bos));
    let eos = special_id(meta, KEY_EOS, n)?.or(in_range(defaults.eos));
    let add_bos = bool_key(meta, KEY_ADD_BOS)?.unwrap_or(defaults.add_bos);
    let add_eos = bool_key(meta, KEY_ADD_EOS)?.unwrap_or(false);
    if add_bos && bos.is_none() {
        return Err(TokenizerError::MissingSpecialToken {
            flag: KEY_ADD_BOS,
            key: KEY_BOS,
        });
    }
    if add_eos && eos.is_none() {
        return Err(TokenizerError::MissingSpecialToken {
            flag: KEY_ADD_EOS,
            key: KEY_EOS,
        });
    }
    let chat_template = string(meta, KEY_TEMPLATE)?;
    if let Some(t) = &chat_template
        && t.len() > MAX_CHAT_TEMPLATE_BYTES
    {
        {
            return Err(TokenizerError::TooLarge {
                what: "chat template",
                count: t.len(),
                max: MAX_CHAT_TEMPLATE_BYTES,
            });
        }
    }
    Ok(Parts {
        spec,
        tokens: TokenTexts::Gguf(tokens),
        scores,
        types,
        bos,
        eos,
        eot: special_id(meta, KEY_EOT, n)?,
        eom: special_id(meta, KEY_EOM, n)?,
        unk: special_id(meta, KEY_UNK, n)?.or(in_range(defaults.unk)),
        pad: special_id(meta, KEY_PAD, n)?,
        add_bos,
        add_eos,
        chat_template,
    })
}

struct Defaults {
    bos: Option<u32>,
    eos: Option<u32>,
    unk: Option<u32>,
    add_bos: bool,
}

fn string(meta: &Meta, key: &'static str) -> Result<Option<String>, TokenizerError> {
    match meta.get(key) {
        None => Ok(None),
        Some(MetaValue::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(TokenizerError::WrongType {
            key,
            expected: "string",
        }),
    }
}

fn bool_key(meta: &Meta, key: &'static str) -> Result<Option<bool>, TokenizerError> {
    match meta.get(key) {
        None => Ok(None),
        Some(v) => v.as_bool().map(Some).ok_or(TokenizerError::WrongType {
            key,
            expected: "bool",
        }),
    }
}

fn special_id(meta: &Meta, key: &'static str, n: usize) -> Result<Option<u32>, TokenizerError> {
    let Some(v) = meta.get(key) else {
        return Ok(None);
    };
    let id = v.as_i64().ok_or(TokenizerError::WrongType {
        key,
        expected: "integer",
    })?;
    match u32::try_from(id) {
        Ok(i) if (i as usize) < n => Ok(Some(i)),
        _ => Err(TokenizerError::SpecialIdOutOfRange {
            key,
            id,
            vocab_size: n,
        }),
    }
}

fn string_list<'m>(
    meta: &'m Meta,
    key: &'static str,
    max: usize,
    what: &'static str,
) -> Result<Option<&'m StrArray>, TokenizerError> {
    let Some(v) = meta.get(key) else {
        return Ok(None);
    };
    let arr = v.as_str_array().ok_or(TokenizerError::WrongType {
        key,
        expected: "array of string",
    })?;
    if arr.len() > max {
        return Err(TokenizerError::TooLarge {
            what,
            count: arr.len(),
            max,
        });
    }
    Ok(Some(arr))
}

/// A per-token array: at least `n` entries (llama.cpp accepts longer ones), each converted by `f`.
fn per_token<T>(
    v: &MetaValue,
    key: &'static str,
    n: usize,
    expected: &'static str,
    f: impl Fn(MetaValue) -> Option<T>,
) -> Result<Vec<T>, TokenizerError> {
    let arr = v
        .as_array()
        .ok_or(TokenizerError::WrongType { key, expected })?;
    if arr.len() < n {
        return Err(TokenizerError::LengthMismatch {
            key,
            len: arr.len(),
            expected: n,
        });
    }
    (0..n)
        .map(|i| {
            arr.get(i)
                .and_then(&f)
                .ok_or(TokenizerError::WrongType { key, expected })
        })
        .collect()
}
