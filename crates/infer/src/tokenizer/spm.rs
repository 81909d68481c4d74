//! SentencePiece-style BPE over token scores (llama.cpp `llm_tokenizer_spm_session`).
//!
//! The text (spaces already escaped to `▁`) starts as one symbol per UTF-8 character; the adjacent
//! pair whose concatenation is a token with the highest score merges first, ties to the leftmost.
//! A final symbol that is not a token falls back to `<0xNN>` byte tokens (or the one-byte token,
//! or `unknown`).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use super::vocab::Vocab;

/// `▁` (U+2581), SentencePiece's stand-in for a space.
pub(crate) const SPACE_MARK: &str = "\u{2581}";

#[derive(Debug, Clone, Copy)]
struct Symbol {
    start: usize,
    len: usize,
    prev: usize,
    next: usize,
}

const NIL: usize = usize::MAX;

/// A candidate merge: higher score first, then leftmost.
#[derive(Debug, Clone, Copy)]
struct Pair {
    score: f32,
    left: usize,
    right: usize,
    size: usize,
}

impl PartialEq for Pair {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Pair {}
impl PartialOrd for Pair {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pair {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(Reverse(self.left).cmp(&Reverse(other.left)))
            .then(self.right.cmp(&other.right))
            .then(self.size.cmp(&other.size))
    }
}

/// The byte-fallback token for each byte: `<0xNN>`, else the one-byte token, else `None`.
pub(crate) fn byte_tokens(vocab: &Vocab) -> [Option<u32>; 256] {
    let mut out = [None; 256];
    for (b, slot) in out.iter_mut().enumerate() {
        let hex = format!("<0x{b:02X}>");
        *slot = vocab.id(hex.as_bytes()).or_else(|| vocab.id(&[b as u8]));
    }
    out
}

/// Tokenize `text` (already escaped) and append to `out`.
pub(crate) fn encode(
    vocab: &Vocab,
    byte_tokens: &[Option<u32>; 256],
    unknown: Option<u32>,
    text: &[u8],
    out: &mut Vec<u32>,
) {
    let mut syms: Vec<Symbol> = Vec::new();
    let mut offs = 0;
    while offs < text.len() {
        let len = utf8_len(text[offs]).min(text.len() - offs);
        let i = syms.len();
        syms.push(Symbol {
            start: offs,
            len,
            prev: if i == 0 { NIL } else { i - 1 },
            next: if offs + len == text.len() { NIL } else { i + 1 },
        });
        offs += len;
    }
    let mut heap = BinaryHeap::new();
    let try_pair = |syms: &[Symbol], heap: &mut BinaryHeap<Pair>, l: usize, r: usize| {
        if l == NIL || r == NIL {
            return;
        }
        let (a, b) = (syms[l], syms[r]);
        let piece = &text[a.start..b.start + b.len];
        if let Some(id) = vocab.id(piece) {
            heap.push(Pair {
                score: vocab.scores.get(id as usize).copied().unwrap_or(0.0),
                left: l,
                right: r,
                size: piece.len(),
            });
        }
    };
    for i in 1..syms.len() {
        try_pair(&syms, &mut heap, i - 1, i);
    }
    while let Some(p) = heap.pop() {
        let (l, r) = (syms[p.left], syms[p.right]);
        if l.len == 0 || r.len == 0 || l.len + r.len != p.size {
            continue; // one side already merged elsewhere
        }
        syms[p.left].len += r.len;
        syms[p.right].len = 0;
        syms[p.left].next = r.next;
        if r.next != NIL {
            syms[r.next].prev = p.left;
        }
        try_pair(&syms, &mut heap, l.prev, p.left);
        try_pair(&syms, &mut heap, p.left, r.next);
    }
    let mut i = if syms.is_empty() { NIL } else { 0 };
    while i != NIL {
        let s = syms[i];
        let piece = &text[s.start..s.start + s.len];
        match vocab.id(piece) {
            Some(id) => out.push(id),
            None => {
                for &b in piece {
                    if let Some(id) = byte_tokens[usize::from(b)].or(unknown) {
                        out.push(id);
                    }
                }
            }
        }
        i = s.next;
    }
}

/// Length of the UTF-8 sequence that starts with `b` (llama.cpp `unicode_len_utf8`).
fn utf8_len(b: u8) -> usize {
    match b >> 4 {
        0xC | 0xD => 2,
        0xE => 3,
        0xF => 4,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::vocab::TokenType;

    /// A small SentencePiece vocabulary with byte fallback.
    fn toy() -> Vocab {
        let mut tokens: Vec<(String, f32, TokenType)> = vec![
            ("<unk>".into(), 0.0, TokenType::Unknown),
            ("<s>".into(), 0.0, TokenType::Control),
            ("</s>".into(), 0.0, TokenType::Control),
        ];
        for b in 0..=255u8 {
            tokens.push((format!("<0x{b:02X}>"), 0.0, TokenType::Byte));
        }
        for (t, s) in [
            ("▁", -5.0),
            ("h", -5.0),
            ("e", -5.0),
            ("l", -5.0),
            ("o", -5.0),
            ("▁h", -1.0),
            ("▁he", -1.2),
            ("ll", -1.5),
            ("el", -2.0),
            ("▁hell", -0.5),
            ("▁hello", -0.3),
        ] {
            tokens.push((t.into(), s, TokenType::Normal));
        }
        Vocab::new(
            tokens.iter().map(|t| t.0.as_bytes()),
            tokens.iter().map(|t| t.1).collect(),
            tokens.iter().map(|t| t.2).collect(),
        )
        .unwrap()
    }

    fn enc(v: &Vocab, text: &str) -> Vec<String> {
        let bytes = byte_tokens(v);
        let mut out = Vec::new();
        encode(v, &bytes, Some(0), text.as_bytes(), &mut out);
        out.iter()
            .map(|&id| String::from_utf8_lossy(v.text(id)).into_owned())
            .collect()
    }

    #[test]
    fn highest_score_merges_first_and_needs_every_intermediate_token() {
        let v = toy();
        // ▁h (-1.0), then ▁he (-1.2), then ll (-1.5), then ▁hell, then ▁hello.
        assert_eq!(enc(&v, "▁hello"), ["▁hello"]);
        // "el" (-2.0) loses to "▁he" (-1.2) and "▁hel" is no token.
        assert_eq!(enc(&v, "▁hel"), ["▁he", "l"]);
    }

    #[test]
    fn equal_scores_merge_leftmost_first() {
        let v = toy();
        assert_eq!(enc(&v, "lll"), ["ll", "l"]);
    }

    #[test]
    fn unknown_characters_fall_back_to_byte_tokens() {
        let v = toy();
        assert_eq!(enc(&v, "é"), ["<0xC3>", "<0xA9>"]);
        assert_eq!(enc(&v, "▁hz"), ["▁h", "<0x7A>"]);
    }
}
