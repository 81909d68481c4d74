//! Special tokens: the ids named in metadata, the ones llama.cpp recognises by their text, the
//! end-of-generation set, and the partition of prompt text around special tokens.
//!
//! Follows `llama_vocab::impl::load` and `tokenizer_st_partition` in llama.cpp
//! `src/llama-vocab.cpp`. Where llama.cpp picks "the first match" while iterating a hash map, we
//! pick the lowest id, so the choice is the same on every machine.

use std::collections::BTreeSet;
use std::ops::Range;

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

/// Tokens matched literally in prompt text: control, user-defined and unknown tokens, longest
/// first (ties by id, so the order is total).
pub(crate) fn special_cache(vocab: &Vocab) -> Vec<u32> {
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
    ids
}

/// A piece of the prompt: raw text (a byte range) or a special token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fragment {
    Text(Range<usize>),
    Token(u32),
}

/// Split `text` around special tokens, longest token first, leftmost occurrences first
/// (llama.cpp `tokenizer_st_partition`). Without `parse_special` only user-defined tokens are cut.
pub(crate) fn partition(
    vocab: &Vocab,
    specials: &[u32],
    text: &str,
    parse_special: bool,
) -> Vec<Fragment> {
    let bytes = text.as_bytes();
    let mut frags = if text.is_empty() {
        Vec::new()
    } else {
        vec![Fragment::Text(0..text.len())]
    };
    for &id in specials {
        let a = vocab.attr(id);
        if !parse_special && (a.has(Attr::CONTROL) || a.has(Attr::UNKNOWN)) {
            continue;
        }
        let needle = vocab.text(id);
        if needle.is_empty() || !frags.iter().any(|f| matches!(f, Fragment::Text(_))) {
            continue;
        }
        let mut next = Vec::with_capacity(frags.len());
        for f in frags {
            let Fragment::Text(range) = f else {
                next.push(f);
                continue;
            };
            let mut start = range.start;
            while let Some(at) = find(&bytes[start..range.end], needle) {
                let m = start + at;
                if m > start {
                    next.push(Fragment::Text(start..m));
                }
                next.push(Fragment::Token(id));
                start = m + needle.len();
            }
            if start < range.end {
                next.push(Fragment::Text(start..range.end));
            }
        }
        frags = next;
    }
    frags
}

/// First occurrence of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        let at = hay[i..=hay.len() - needle.len()]
            .iter()
            .position(|&b| b == first)?;
        let p = i + at;
        if &hay[p + 1..p + needle.len()] == rest {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::vocab::TokenType;

    fn vocab(tokens: &[(&str, TokenType)]) -> Vocab {
        Vocab::new(
            tokens.iter().map(|t| t.0.as_bytes().to_vec()).collect(),
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
        let s = special_cache(&v);
        assert_eq!(s, [1, 2]);
        let text = "x<|im_start|>y<|imz<|im_start|>";
        let f = partition(&v, &s, text, true);
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
        let f = partition(&v, &s, text, false);
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
    fn find_handles_edges() {
        assert_eq!(find(b"abcabd", b"abd"), Some(3));
        assert_eq!(find(b"ab", b"abc"), None);
        assert_eq!(find(b"", b"a"), None);
    }
}
