//! Special tokens: the ids named in metadata, the ones llama.cpp recognises by their text, the
//! end-of-generation set, and the partition of prompt text around special tokens.
//!
//! Follows `llama_vocab::impl::load` and `tokenizer_st_partition` in llama.cpp
//! `src/llama-vocab.cpp`. Where llama.cpp picks "the first match" while iterating a hash map, we
//! pick the lowest id, so the choice is the same on every machine.

use std::collections::BTreeSet;
use std::ops::Range;

use aho_corasick::AhoCorasick;

use super::TokenizerError;
use super::vocab::{Attr, Vocab};

/// Texts llama.cpp treats as end-of-turn when `eot_token_id` is absent.
const EOT_TEXTS: &[&str] = &[
    "<|eot_id|>",
    "<|im_end|>",
    "<|end|>",
    "<end_of_turn>",
    "<|endoftext|>",
    "<|end_of_text|>",
    "<EOT>",
    "_<EOT>",
    "[EOT]",
    "<｜end▁of▁sentence｜>",
    "<end_of_utterance>",
];
/// Fill-in-the-middle pad / repository / file-separator tokens (end generation in llama.cpp).
const FIM_PAD_TEXTS: &[&str] = &["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"];
const FIM_REP_TEXTS: &[&str] = &[
    "<|fim_repo|>",
    "<|repo_name|>",
    "<fim-repo>",
    "<REPO>",
    "<reponame>",
];
const FIM_SEP_TEXTS: &[&str] = &["<|file_sep|>"];
/// Other texts that look like control tokens to llama.cpp (forced to control type).
const FIM_OTHER_TEXTS: &[&str] = &[
    "<|fim_prefix|>",
    "<fim-prefix>",
    "<fim_prefix>",
    "<｜fim▁begin｜>",
    "<PRE>",
    "▁<PRE>",
    "<|fim_suffix|>",
    "<fim-suffix>",
    "<fim_suffix>",
    "<｜fim▁hole｜>",
    "<SUF>",
    "▁<SUF>",
    "<|fim_middle|>",
    "<fim-middle>",
    "<fim_middle>",
    "<｜fim▁end｜>",
    "<MID>",
    "▁<MID>",
];
/// Texts that end generation whatever the metadata says.
const EOG_TEXTS: &[&str] = &[
    "<|eot_id|>",
    "<|im_end|>",
    "<|end|>",
    "<end_of_turn>",
    "<|endoftext|>",
    "<|eom_id|>",
    "<EOT>",
    "_<EOT>",
    "[EOT]",
    "[EOS]",
    "<|end_of_text|>",
    "<end_of_utterance>",
    "<｜end▁of▁sentence｜>",
    "</s>",
    "<eos>",
];

/// The lowest id whose text is one of `texts`.
fn first_with_text(vocab: &Vocab, texts: &[&str]) -> Option<u32> {
    texts.iter().filter_map(|t| vocab.id(t.as_bytes())).min()
}

/// Ids the model names explicitly (after range checks).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct NamedIds {
    pub(crate) eos: Option<u32>,
    pub(crate) eot: Option<u32>,
    pub(crate) eom: Option<u32>,
}

/// Mark control-looking tokens as control, mark unused control tokens, and return the
/// end-of-generation set (llama.cpp `special_eog_ids`).
pub(crate) fn resolve(vocab: &mut Vocab, named: NamedIds) -> BTreeSet<u32> {
    let force_control = |vocab: &mut Vocab, id: u32| {
        if let Some(a) = vocab.attrs.get_mut(id as usize) {
            *a = a.with(Attr::CONTROL);
        }
    };
    let eot = named.eot.or_else(|| first_with_text(vocab, EOT_TEXTS));
    let fim_pad = first_with_text(vocab, FIM_PAD_TEXTS);
    let fim_rep = first_with_text(vocab, FIM_REP_TEXTS);
    let fim_sep = first_with_text(vocab, FIM_SEP_TEXTS);
    let eom = named.eom.or_else(|| vocab.id(b"<|eom_id|>"));
    for id in [
        named.eot.is_none().then_some(eot),
        Some(fim_pad),
        Some(fim_rep),
        Some(fim_sep),
    ]
    .into_iter()
    .flatten()
    .flatten()
    {
        force_control(vocab, id);
    }
    if let (None, Some(id)) = (named.eom, eom) {
        force_control(vocab, id);
    }
    for t in FIM_OTHER_TEXTS {
        if let Some(id) = vocab.id(t.as_bytes()) {
            force_control(vocab, id);
        }
    }
    // Control tokens whose text says "unused" are unused.
    for id in 0..vocab.len() as u32 {
        let a = vocab.attr(id);
        if a.has(Attr::CONTROL) && contains(vocab.text(id), b"unused") {
            vocab.attrs[id as usize] = a.with(Attr::UNUSED);
        }
    }

    let mut eog: BTreeSet<u32> = [fim_pad, fim_rep, fim_sep].into_iter().flatten().collect();
    for t in EOG_TEXTS {
        if let Some(id) = vocab.id(t.as_bytes()) {
            eog.insert(id);
            force_control(vocab, id);
        }
    }
    eog.extend([named.eos, eot, eom].into_iter().flatten());
    eog
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Most bytes of special-token text (all such tokens together) the literal matcher accepts.
pub const MAX_SPECIAL_TEXT_BYTES: usize = 16 << 20;

/// The tokens matched literally in prompt text — control, user-defined and unknown tokens, longest
/// first (ties by id, so the order is total) — and one automaton that finds them all in one pass.
#[derive(Debug)]
pub(crate) struct Specials {
    ids: Vec<u32>,
    automaton: Option<AhoCorasick>,
}

impl Specials {
    pub(crate) fn new(vocab: &Vocab) -> Result<Specials, TokenizerError> {
        let mut ids: Vec<u32> = (0..vocab.len() as u32)
            .filter(|&id| {
                let a = vocab.attr(id);
                a.has(Attr::CONTROL) || a.has(Attr::USER_DEFINED) || a.has(Attr::UNKNOWN)
            })
            .collect();
        ids.sort_by(|&a, &b| {
            vocab
                .text(b)
                .len()
                .cmp(&vocab.text(a).len())
                .then(a.cmp(&b))
        });
        let total: usize = ids.iter().map(|&id| vocab.text(id).len()).sum();
        if total > MAX_SPECIAL_TEXT_BYTES {
            return Err(TokenizerError::TooLarge {
                what: "special-token text",
                count: total,
                max: MAX_SPECIAL_TEXT_BYTES,
            });
        }
        let automaton = if ids.is_empty() {
            None
        } else {
            let patterns: Vec<&[u8]> = ids.iter().map(|&id| vocab.text(id)).collect();
            Some(
                AhoCorasick::new(patterns).map_err(|_| TokenizerError::TooLarge {
                    what: "special-token automaton",
                    count: total,
                    max: MAX_SPECIAL_TEXT_BYTES,
                })?,
            )
        };
        Ok(Specials { ids, automaton })
    }

    /// The special tokens, longest first.
    #[cfg(test)]
    pub(crate) fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// Split `text` around special tokens exactly as llama.cpp's `tokenizer_st_partition` does:
    /// token by token, longest first, each cut at its leftmost non-overlapping occurrences inside
    /// the text fragments still uncut. Without `parse_special` only user-defined tokens are cut.
    ///
    /// llama.cpp searches the text once per special token; we find every occurrence of every
    /// special token in one Aho-Corasick pass and then replay the same order (decision 0202), so
    /// vocabularies with
    /// thousands of special tokens (Gemma: ~6,400) stay linear in the text.
    pub(crate) fn partition(
        &self,
        vocab: &Vocab,
        text: &str,
        parse_special: bool,
    ) -> Vec<Fragment> {
        if text.is_empty() {
            return Vec::new();
        }
        let mut frags = vec![Fragment::Text(0..text.len())];
        let Some(ac) = &self.automaton else {
            return frags;
        };
        // (pattern index, start) of every occurrence, overlapping ones included.
        let mut occ: Vec<(usize, usize)> = ac
            .find_overlapping_iter(text.as_bytes())
            .map(|m| (m.pattern().as_usize(), m.start()))
            .collect();
        occ.sort_unstable();
        let mut i = 0;
        while i < occ.len() {
            let pattern = occ[i].0;
            let j = i + occ[i..].partition_point(|o| o.0 == pattern);
            let starts: Vec<usize> = occ[i..j].iter().map(|o| o.1).collect();
            i = j;
            let id = self.ids[pattern];
            let a = vocab.attr(id);
            if !parse_special && (a.has(Attr::CONTROL) || a.has(Attr::UNKNOWN)) {
                continue;
            }
            frags = cut(frags, id, vocab.text(id).len(), &starts);
        }
        frags
    }
}

/// Cut token `id` (of `len` bytes, occurring at sorted `starts`) out of the text fragments.
fn cut(frags: Vec<Fragment>, id: u32, len: usize, starts: &[usize]) -> Vec<Fragment> {
    let mut next = Vec::with_capacity(frags.len() + 2);
    for f in frags {
        let Fragment::Text(range) = f else {
            next.push(f);
            continue;
        };
        let mut cur = range.start;
        loop {
            let k = starts.partition_point(|&p| p < cur);
            let Some(&m) = starts.get(k) else { break };
            if m + len > range.end {
                break;
            }
            if m > cur {
                next.push(Fragment::Text(cur..m));
            }
            next.push(Fragment::Token(id));
            cur = m + len;
        }
        if cur < range.end {
            next.push(Fragment::Text(cur..range.end));
        }
    }
    next
}

/// A piece of the prompt: raw text (a byte range) or a special token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fragment {
    Text(Range<usize>),
    Token(u32),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::vocab::TokenType;

    fn vocab(tokens: &[(&str, TokenType)]) -> Vocab {
        Vocab::new(
            tokens.iter().map(|t| t.0.as_bytes()),
            vec![0.0; tokens.len()],
            tokens.iter().map(|t| t.1).collect(),
        )
        .unwrap()
    }

    #[test]
    fn partition_cuts_longest_tokens_first_and_keeps_text_between() {
        let v = vocab(&[
            ("a", TokenType::Normal),
            ("<|im_start|>", TokenType::Control),
            ("<|im", TokenType::UserDefined),
        ]);
        let s = Specials::new(&v).unwrap();
        assert_eq!(s.ids(), [1, 2]);
        let text = "x<|im_start|>y<|imz<|im_start|>";
        let f = s.partition(&v, text, true);
        assert_eq!(
            f,
            [
                Fragment::Text(0..1),
                Fragment::Token(1),
                Fragment::Text(13..14),
                Fragment::Token(2),
                Fragment::Text(18..19),
                Fragment::Token(1),
            ]
        );
        // Without parse_special, control tokens stay text but user-defined ones are still cut.
        let f = s.partition(&v, text, false);
        assert_eq!(f.iter().filter(|f| **f == Fragment::Token(2)).count(), 3);
        assert!(!f.contains(&Fragment::Token(1)));
    }

    #[test]
    fn eog_includes_named_eos_and_recognised_texts() {
        let mut v = vocab(&[
            ("<|endoftext|>", TokenType::Control),
            ("<|im_end|>", TokenType::Normal),
            ("hi", TokenType::Normal),
            ("<reponame>", TokenType::Control),
            ("</s>", TokenType::Control),
        ]);
        let eog = resolve(
            &mut v,
            NamedIds {
                eos: Some(4),
                ..NamedIds::default()
            },
        );
        assert_eq!(eog.into_iter().collect::<Vec<_>>(), [0, 1, 3, 4]);
        assert!(
            v.attr(1).has(Attr::CONTROL),
            "<|im_end|> is forced to control"
        );
    }

    #[test]
    fn overlapping_and_adjacent_occurrences_follow_llama_cpp_order() {
        let v = vocab(&[
            ("<a><a>", TokenType::Control),
            ("<a>", TokenType::Control),
            ("a><", TokenType::Control),
        ]);
        let s = Specials::new(&v).unwrap();
        // "<a><a>" first (longest), then "<a>" in what is left, then "a><" never fits.
        let f = s.partition(&v, "<a><a><a>x<a", true);
        assert_eq!(
            f,
            [
                Fragment::Token(0),
                Fragment::Token(1),
                Fragment::Text(9..12),
            ]
        );
        assert_eq!(s.partition(&v, "", true), []);
    }
}
