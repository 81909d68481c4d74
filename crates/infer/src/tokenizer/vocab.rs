//! The vocabulary: token strings, scores, attributes, and the text → id index.

use super::TokenizerError;

/// Most tokens a vocabulary may hold (the largest real vocabularies are ~262k).
pub const MAX_VOCAB_SIZE: usize = 1 << 20;
/// Longest token string in bytes (real vocabularies stay under ~256; runs of spaces are the longest).
pub const MAX_TOKEN_BYTES: usize = 4096;

/// A token's type as stored in `tokenizer.ggml.token_type` (llama.cpp `llama_token_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenType {
    Undefined,
    Normal,
    Unknown,
    Control,
    UserDefined,
    Unused,
    Byte,
}

impl TokenType {
    pub(crate) fn from_i64(v: i64) -> TokenType {
        match v {
            1 => TokenType::Normal,
            2 => TokenType::Unknown,
            3 => TokenType::Control,
            4 => TokenType::UserDefined,
            5 => TokenType::Unused,
            6 => TokenType::Byte,
            _ => TokenType::Undefined,
        }
    }
}

/// Attribute bits of one token (llama.cpp `llama_token_attr`, the subset the tokenizer uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Attr(u8);

impl Attr {
    pub(crate) const NORMAL: Attr = Attr(1);
    pub(crate) const UNKNOWN: Attr = Attr(2);
    pub(crate) const CONTROL: Attr = Attr(4);
    pub(crate) const USER_DEFINED: Attr = Attr(8);
    pub(crate) const UNUSED: Attr = Attr(16);
    pub(crate) const BYTE: Attr = Attr(32);

    pub(crate) fn from_type(t: TokenType) -> Attr {
        match t {
            TokenType::Undefined => Attr(0),
            TokenType::Normal => Attr::NORMAL,
            TokenType::Unknown => Attr::UNKNOWN,
            TokenType::Control => Attr::CONTROL,
            TokenType::UserDefined => Attr::USER_DEFINED,
            TokenType::Unused => Attr::UNUSED,
            TokenType::Byte => Attr::BYTE,
        }
    }
    /// The `tokenizer.ggml.token_type` value this attribute stands for.
    pub(crate) fn token_type_id(self) -> i32 {
        if self.has(Attr::UNKNOWN) {
            2
        } else if self.has(Attr::CONTROL) {
            3
        } else if self.has(Attr::USER_DEFINED) {
            4
        } else if self.has(Attr::BYTE) {
            6
        } else if self.has(Attr::UNUSED) {
            5
        } else if self.has(Attr::NORMAL) {
            1
        } else {
            0
        }
    }

    pub(crate) fn has(self, other: Attr) -> bool {
        self.0 & other.0 != 0
    }
    pub(crate) fn with(self, other: Attr) -> Attr {
        Attr(self.0 | other.0)
    }
}

/// Token strings (one flat buffer), scores, attributes and the exact-text index.
#[derive(Debug)]
pub(crate) struct Vocab {
    text: Vec<u8>,
    /// `offsets[i]..offsets[i + 1]` is token `i`'s text in `text`.
    offsets: Vec<usize>,
    pub(crate) scores: Vec<f32>,
    pub(crate) attrs: Vec<Attr>,
    /// Every id, sorted by the token's text: the text → id index, searched by bisection (one u32
    /// per token instead of a map node and a boxed copy of the text).
    by_text: Vec<u32>,
}

impl Vocab {
    /// Build from token strings, scores and types (all of the same length, checked by the caller).
    /// An empty token becomes `[EMPTY_<id>]` as llama.cpp names it; a duplicate is an error.
    pub(crate) fn new<T: AsRef<[u8]>>(
        tokens: impl IntoIterator<Item = T, IntoIter: ExactSizeIterator>,
        scores: Vec<f32>,
        types: Vec<TokenType>,
    ) -> Result<Vocab, TokenizerError> {
        let tokens = tokens.into_iter();
        if tokens.len() > MAX_VOCAB_SIZE {
            return Err(TokenizerError::TooLarge {
                what: "vocabulary",
                count: tokens.len(),
                max: MAX_VOCAB_SIZE,
            });
        }
        let mut text = Vec::new();
        let mut offsets = Vec::with_capacity(tokens.len() + 1);
        offsets.push(0);
        for (i, tok) in tokens.enumerate() {
            let id = i as u32; // i < MAX_VOCAB_SIZE
            let tok = tok.as_ref();
            if tok.len() > MAX_TOKEN_BYTES {
                return Err(TokenizerError::TokenTooLong {
                    id,
                    len: tok.len(),
                    max: MAX_TOKEN_BYTES,
                });
            }
            if tok.is_empty() {
                text.extend_from_slice(format!("[EMPTY_{id}]").as_bytes());
            } else {
                text.extend_from_slice(tok);
            }
            offsets.push(text.len());
        }
        text.shrink_to_fit();
        let n = offsets.len() - 1;
        let text_of = |id: u32| &text[offsets[id as usize]..offsets[id as usize + 1]];
        // A stable sort keeps equal texts in id order.
        let mut by_text: Vec<u32> = (0..n as u32).collect();
        by_text.sort_by(|&a, &b| text_of(a).cmp(text_of(b)));
        // The duplicate reported is the one a scan in id order meets first: the smallest second
        // id of any run of equal texts, with the first id of that run.
        let duplicate = by_text
            .windows(2)
            .filter(|w| text_of(w[0]) == text_of(w[1]))
            .map(|w| (w[0], w[1]))
            .min_by_key(|&(_, second)| second);
        if let Some((first, second)) = duplicate {
            return Err(TokenizerError::DuplicateToken { first, second });
        }
        let attrs = types.into_iter().map(Attr::from_type).collect();
        Ok(Vocab {
            text,
            offsets,
            scores,
            attrs,
            by_text,
        })
    }

    /// Bytes of all token texts together.
    pub(crate) fn text_bytes(&self) -> usize {
        self.text.len()
    }

    /// Number of tokens.
    pub(crate) fn len(&self) -> usize {
        self.attrs.len()
    }

    /// The stored text of token `id` (empty for an id outside the vocabulary).
    pub(crate) fn text(&self, id: u32) -> &[u8] {
        let i = id as usize;
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.text[a..b],
            _ => &[],
        }
    }

    /// The id of the token whose text is exactly `text`.
    pub(crate) fn id(&self, text: &[u8]) -> Option<u32> {
        let at = self
            .by_text
            .binary_search_by(|&id| self.text(id).cmp(text))
            .ok()?;
        Some(self.by_text[at])
    }

    /// The attribute of token `id` (empty outside the vocabulary).
    pub(crate) fn attr(&self, id: u32) -> Attr {
        self.attrs.get(id as usize).copied().unwrap_or_default()
    }

    /// Tokens in id order with their text.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &[u8])> {
        (0..self.len() as u32).map(|id| (id, self.text(id)))
    }
}
