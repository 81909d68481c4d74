//! Tokenizers read from GGUF metadata: GPT-2 byte-level BPE and SentencePiece (SPM), token for token
//! what llama.cpp produces (its `src/llama-vocab.cpp` is the reference we follow, not copy).
//!
//! Invariants: encoding is a pure function of the vocabulary and the text (no hash-map order, no
//! locale, no clock); building from hostile metadata returns a [`TokenizerError`] and never panics;
//! encoding any `&str` of any length never panics and costs O(n log n).

mod bpe;
mod chat;
mod error;
mod llama2c;
mod load;
mod pretokenize;
mod special;
mod spm;
mod stream;
mod unicode;
mod vocab;

use std::collections::{BTreeMap, BTreeSet};

pub use bpe::MAX_MERGES;
pub use chat::ChatTemplate;
pub use error::TokenizerError;
pub use llama2c::{read_tokenizer_bin, write_tokenizer_bin};
pub use load::MAX_CHAT_TEMPLATE_BYTES;
pub use pretokenize::PreTokenizer;
pub use special::MAX_SPECIAL_TEXT_BYTES;
pub use stream::StreamDecoder;
pub use vocab::{MAX_TOKEN_BYTES, MAX_VOCAB_SIZE};

use crate::gguf::{MetaArray, MetaValue, StrArray};
use bpe::Bpe;
use special::{Fragment, NamedIds, Specials};
use unicode::char_to_byte;
use vocab::{Attr, TokenType, Vocab};

/// Which algorithm a tokenizer runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenizerKind {
    /// GPT-2 byte-level BPE (`tokenizer.ggml.model = gpt2`) with its pre-tokenizer.
    Bpe(PreTokenizer),
    /// SentencePiece BPE over scores (`tokenizer.ggml.model = llama`).
    Spm,
}

/// What [`Parts`] describes: the model-specific half.
#[derive(Debug, Clone)]
pub(crate) enum ModelSpec<'a> {
    Bpe {
        pre: PreTokenizer,
        /// Borrowed from the GGUF metadata: no copy of the merge list is made.
        merges: &'a StrArray,
        ignore_merges: bool,
    },
    Spm {
        add_space_prefix: bool,
    },
}

/// Token strings a tokenizer is built from: borrowed from GGUF metadata, or owned (llama2.c's
/// `tokenizer.bin`, whose tokens need not be UTF-8).
#[derive(Debug, Clone)]
pub(crate) enum TokenTexts<'a> {
    Gguf(&'a StrArray),
    Owned(Vec<Vec<u8>>),
}

impl TokenTexts<'_> {
    fn len(&self) -> usize {
        match self {
            TokenTexts::Gguf(s) => s.len(),
            TokenTexts::Owned(v) => v.len(),
        }
    }
}

/// Everything a tokenizer is built from (GGUF metadata or a llama2.c `tokenizer.bin`).
#[derive(Debug, Clone)]
pub(crate) struct Parts<'a> {
    pub(crate) spec: ModelSpec<'a>,
    pub(crate) tokens: TokenTexts<'a>,
    pub(crate) scores: Vec<f32>,
    pub(crate) types: Vec<TokenType>,
    pub(crate) bos: Option<u32>,
    pub(crate) eos: Option<u32>,
    pub(crate) eot: Option<u32>,
    pub(crate) eom: Option<u32>,
    pub(crate) unk: Option<u32>,
    pub(crate) pad: Option<u32>,
    pub(crate) add_bos: bool,
    pub(crate) add_eos: bool,
    pub(crate) chat_template: Option<String>,
}

#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // reason: one value per loaded tokenizer; size is irrelevant
enum Model {
    Bpe(Bpe),
    Spm {
        byte_tokens: [Option<u32>; 256],
        add_space_prefix: bool,
    },
}

/// A loaded tokenizer. Cheap to share (`Send + Sync`, no interior mutability).
#[derive(Debug)]
pub struct Tokenizer {
    vocab: Vocab,
    model: Model,
    /// Decoded bytes of every token, flat; `piece_offsets[i]..piece_offsets[i + 1]`.
    pieces: Vec<u8>,
    piece_offsets: Vec<usize>,
    /// Tokens recognised literally in text, longest first.
    specials: Specials,
    eog: BTreeSet<u32>,
    bos: Option<u32>,
    eos: Option<u32>,
    unk: Option<u32>,
    pad: Option<u32>,
    add_bos: bool,
    add_eos: bool,
    chat_template: Option<ChatTemplate>,
    chat_template_source: Option<String>,
}

impl Tokenizer {
    /// Build the tokenizer a GGUF file describes (`tokenizer.ggml.*` keys).
    pub fn from_gguf(meta: &BTreeMap<String, MetaValue>) -> Result<Tokenizer, TokenizerError> {
        Tokenizer::from_parts(load::parts_from_gguf(meta)?)
    }

    pub(crate) fn from_parts(p: Parts<'_>) -> Result<Tokenizer, TokenizerError> {
        let n = p.tokens.len();
        for (key, len) in [
            ("tokenizer.ggml.scores", p.scores.len()),
            ("tokenizer.ggml.token_type", p.types.len()),
        ] {
            if len != n {
                return Err(TokenizerError::LengthMismatch {
                    key,
                    len,
                    expected: n,
                });
            }
        }
        let mut vocab = match p.tokens {
            TokenTexts::Gguf(s) => Vocab::new(s.iter(), p.scores, p.types)?,
            TokenTexts::Owned(v) => Vocab::new(v, p.scores, p.types)?,
        };
        let eog = special::resolve(
            &mut vocab,
            NamedIds {
                eos: p.eos,
                eot: p.eot,
                eom: p.eom,
            },
        );
        let model = match p.spec {
            ModelSpec::Bpe {
                pre,
                merges,
                ignore_merges,
            } => Model::Bpe(Bpe::new(&vocab, merges.iter(), pre, ignore_merges)?),
            ModelSpec::Spm { add_space_prefix } => Model::Spm {
                byte_tokens: spm::byte_tokens(&vocab),
                add_space_prefix,
            },
        };
        let specials = Specials::new(&vocab)?;
        let mut pieces = Vec::new();
        let mut piece_offsets = Vec::with_capacity(n + 1);
        piece_offsets.push(0);
        for (id, text) in vocab.iter() {
            render_piece(&model, vocab.attr(id), text, &mut pieces);
            piece_offsets.push(pieces.len());
        }
        let chat_template = p.chat_template.as_deref().and_then(ChatTemplate::detect);
        Ok(Tokenizer {
            vocab,
            model,
            pieces,
            piece_offsets,
            specials,
            eog,
            bos: p.bos,
            eos: p.eos,
            unk: p.unk,
            pad: p.pad,
            add_bos: p.add_bos,
            add_eos: p.add_eos,
            chat_template,
            chat_template_source: p.chat_template,
        })
    }

    /// Tokenize `text`, adding BOS/EOS as the model says. With `parse_special`, control tokens such
    /// as `<|im_start|>` written in the text become their ids (user-defined tokens always do).
    pub fn encode(&self, text: &str, parse_special: bool) -> Vec<u32> {
        self.encode_with(text, true, parse_special)
    }

    /// Tokenize `text`; `add_special` adds BOS/EOS where the model asks for them.
    pub fn encode_with(&self, text: &str, add_special: bool, parse_special: bool) -> Vec<u32> {
        let mut out = Vec::new();
        if add_special && self.add_bos {
            out.extend(self.bos);
        }
        let frags = self.specials.partition(&self.vocab, text, parse_special);
        match &self.model {
            Model::Bpe(bpe) => {
                for f in frags {
                    match f {
                        Fragment::Text(r) => bpe.encode(&self.vocab, &text[r], &mut out),
                        Fragment::Token(id) => out.push(id),
                    }
                }
            }
            Model::Spm {
                byte_tokens,
                add_space_prefix,
            } => {
                // llama.cpp: a space goes before the first text fragment and before any fragment
                // that follows a special token; then every space becomes `▁`.
                let mut prev_special = true;
                for f in frags {
                    match f {
                        Fragment::Text(r) => {
                            let mut s = String::with_capacity(r.len() + 1);
                            if *add_space_prefix && prev_special {
                                s.push(' ');
                            }
                            s.push_str(&text[r]);
                            let escaped = s.replace(' ', spm::SPACE_MARK);
                            spm::encode(
                                &self.vocab,
                                byte_tokens,
                                self.unk,
                                escaped.as_bytes(),
                                &mut out,
                            );
                            prev_special = false;
                        }
                        Fragment::Token(id) => {
                            out.push(id);
                            prev_special = true;
                        }
                    }
                }
            }
        }
        if add_special && self.add_eos {
            out.extend(self.eos);
        }
        out
    }

    /// The bytes token `id` stands for: byte-level BPE characters mapped back to raw bytes, `▁` as
    /// a space, `<0xNN>` as its byte, special tokens as their text. Empty for unused tokens and
    /// for ids outside the vocabulary.
    pub fn token_bytes(&self, id: u32) -> &[u8] {
        let i = id as usize;
        match (self.piece_offsets.get(i), self.piece_offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.pieces[a..b],
            _ => &[],
        }
    }

    /// The token's string as stored in the vocabulary (`Ġthe`, `▁the`, `<0x0A>`).
    pub fn token_text(&self, id: u32) -> &[u8] {
        self.vocab.text(id)
    }

    /// The token's score (SentencePiece log-probability; 0 where the model has none).
    pub fn token_score(&self, id: u32) -> f32 {
        self.vocab.scores.get(id as usize).copied().unwrap_or(0.0)
    }

    /// Concatenated bytes of `ids` as text; invalid UTF-8 (e.g. a character cut at the end)
    /// becomes U+FFFD.
    pub fn decode(&self, ids: &[u32]) -> String {
        let mut bytes = Vec::new();
        for &id in ids {
            bytes.extend_from_slice(self.token_bytes(id));
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Whether `id` ends generation (eos, eot, `<|im_end|>`, `<|endoftext|>`, … as llama.cpp).
    pub fn is_eog(&self, id: u32) -> bool {
        self.eog.contains(&id)
    }

    /// All end-of-generation ids, ascending.
    pub fn eog_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.eog.iter().copied()
    }

    /// The beginning-of-sequence token, if any.
    pub fn bos_id(&self) -> Option<u32> {
        self.bos
    }

    /// The end-of-sequence token, if any.
    pub fn eos_id(&self) -> Option<u32> {
        self.eos
    }

    /// The unknown token, if any.
    pub fn unknown_id(&self) -> Option<u32> {
        self.unk
    }

    /// The padding token, if any.
    pub fn pad_id(&self) -> Option<u32> {
        self.pad
    }

    /// Whether [`encode`](Self::encode) puts BOS first.
    pub fn adds_bos(&self) -> bool {
        self.add_bos
    }

    /// Number of tokens.
    pub fn vocab_size(&self) -> u32 {
        self.vocab.len() as u32 // ≤ MAX_VOCAB_SIZE
    }

    /// The algorithm.
    pub fn kind(&self) -> TokenizerKind {
        match &self.model {
            Model::Bpe(b) => TokenizerKind::Bpe(b.pre),
            Model::Spm { .. } => TokenizerKind::Spm,
        }
    }

    /// The chat format recognised in `tokenizer.chat_template`, if any.
    pub fn chat_template(&self) -> Option<&ChatTemplate> {
        self.chat_template.as_ref()
    }

    /// For byte-level BPE: the rank of the merge rule that creates token `id` (the lowest, if
    /// several do); `None` for SPM vocabularies and for tokens no merge creates.
    pub fn merge_rank_of(&self, id: u32) -> Option<u32> {
        match &self.model {
            Model::Bpe(b) => b.rank_of(id),
            Model::Spm { .. } => None,
        }
    }

    /// The `tokenizer.ggml.*` metadata that rebuilds this tokenizer with [`Tokenizer::from_gguf`]
    /// (SentencePiece vocabularies whose tokens are all UTF-8; `None` otherwise, since GGUF
    /// strings are UTF-8 and BPE would also need its merge list).
    pub fn spm_gguf_metadata(&self) -> Option<Vec<(&'static str, MetaValue)>> {
        let Model::Spm {
            add_space_prefix, ..
        } = &self.model
        else {
            return None;
        };
        let n = self.vocab_size();
        let mut tokens = StrArray::with_capacity(n as usize, self.vocab.text_bytes());
        for id in 0..n {
            tokens
                .push(std::str::from_utf8(self.token_text(id)).ok()?)
                .ok()?;
        }
        let scores = (0..n).map(|id| self.token_score(id)).collect();
        let types = (0..n)
            .map(|id| self.vocab.attr(id).token_type_id())
            .collect();
        let mut meta = vec![
            ("tokenizer.ggml.model", MetaValue::String("llama".into())),
            (
                "tokenizer.ggml.tokens",
                MetaValue::Array(MetaArray::Str(tokens)),
            ),
            (
                "tokenizer.ggml.scores",
                MetaValue::Array(MetaArray::F32(scores)),
            ),
            (
                "tokenizer.ggml.token_type",
                MetaValue::Array(MetaArray::I32(types)),
            ),
            (
                "tokenizer.ggml.add_bos_token",
                MetaValue::Bool(self.add_bos),
            ),
            (
                "tokenizer.ggml.add_eos_token",
                MetaValue::Bool(self.add_eos),
            ),
            (
                "tokenizer.ggml.add_space_prefix",
                MetaValue::Bool(*add_space_prefix),
            ),
        ];
        for (key, id) in [
            ("tokenizer.ggml.bos_token_id", self.bos),
            ("tokenizer.ggml.eos_token_id", self.eos),
            ("tokenizer.ggml.unknown_token_id", self.unk),
            ("tokenizer.ggml.padding_token_id", self.pad),
        ] {
            if let Some(id) = id {
                meta.push((key, MetaValue::U32(id)));
            }
        }
        if let Some(t) = &self.chat_template_source {
            meta.push(("tokenizer.chat_template", MetaValue::String(t.clone())));
        }
        Some(meta)
    }

    /// The raw `tokenizer.chat_template` text, if the model has one.
    pub fn chat_template_source(&self) -> Option<&str> {
        self.chat_template_source.as_deref()
    }
}

/// The bytes a token decodes to (llama.cpp `token_to_piece` with `special = true`).
fn render_piece(model: &Model, attr: Attr, text: &[u8], out: &mut Vec<u8>) {
    if attr.has(Attr::CONTROL) || attr.has(Attr::USER_DEFINED) || attr.has(Attr::UNKNOWN) {
        out.extend_from_slice(text);
    } else if attr.has(Attr::NORMAL) {
        match model {
            Model::Bpe(_) => {
                // Each character of a byte-level token is one byte; a character outside the
                // 256-character alphabet (malformed vocabulary) is kept as its UTF-8.
                for c in String::from_utf8_lossy(text).chars() {
                    match char_to_byte(c) {
                        Some(b) => out.push(b),
                        None => {
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                    }
                }
            }
            Model::Spm { .. } => {
                // Byte-wise: a llama2.c vocabulary may hold tokens that are not UTF-8.
                out.extend_from_slice(&llama2c::replace(text, spm::SPACE_MARK.as_bytes(), b" "));
            }
        }
    } else if attr.has(Attr::BYTE) {
        // `<0xNN>`
        let hex = text.get(3..5).and_then(|h| std::str::from_utf8(h).ok());
        if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            out.push(b);
        }
    }
}
