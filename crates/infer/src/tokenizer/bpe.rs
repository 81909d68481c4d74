//! GPT-2 byte-level BPE (llama.cpp `llm_tokenizer_bpe_session`).
//!
//! Each pre-tokenizer piece is turned into bytes, each byte into the token of its GPT-2 character,
//! and adjacent pairs merge by rank: the lowest rank first, ties to the leftmost pair. Symbols live
//! in a linked list over a vector and candidate pairs in a binary heap, so a word of n bytes costs
//! O(n log n), not a rescan per merge. A queued pair is stale once either side has changed; we
//! compare token ids where llama.cpp compares strings, which is the same test because a symbol's
//! text determines its id.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::TokenizerError;
use super::pretokenize::PreTokenizer;
use super::unicode::byte_to_char;
use super::vocab::Vocab;

/// Most merge rules accepted (real vocabularies have up to ~300k).
pub const MAX_MERGES: usize = 1 << 21;

/// No token for this symbol (a byte whose GPT-2 character is missing from the vocabulary): it
/// never merges and is dropped from the output, as llama.cpp drops it.
const NO_TOKEN: u32 = u32::MAX;

/// The BPE model: merge table, byte alphabet and pre-tokenizer.
#[derive(Debug)]
pub(crate) struct Bpe {
    pub(crate) pre: PreTokenizer,
    /// Usable merge rules, sorted by `(left id, right id)`, one per pair (searched by bisection:
    /// 16 bytes a rule, no map nodes).
    merges: Vec<Merge>,
    /// By token id: the lowest rank of a rule that creates it, [`NO_RANK`] if none does.
    rank_by_token: Vec<u32>,
    /// The token of each byte's GPT-2 character.
    byte_tokens: [u32; 256],
    /// Llama-3 style: a whole piece that is a token is emitted as is.
    ignore_merges: bool,
}

/// One merge rule: `left right` → `merged`, with its rank (position in the merge list).
#[derive(Debug, Clone, Copy)]
struct Merge {
    pair: (u32, u32),
    rank: u32,
    merged: u32,
}

/// No rule creates this token (ranks are below [`MAX_MERGES`]).
const NO_RANK: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Symbol {
    id: u32,
    prev: usize,
    next: usize,
    alive: bool,
}

const NIL: usize = usize::MAX;

/// Candidate merges, lowest `(rank, left index)` first:
/// `(rank, left index, right index, left id, right id, merged id)`.
type MergeHeap = BinaryHeap<Reverse<(u32, usize, usize, u32, u32, u32)>>;

impl Bpe {
    /// Build from the vocabulary and merge rules (`"left right"`, rank = position). A rule whose
    /// parts or result are not tokens can never apply to byte-level symbols and is skipped; a
    /// repeated rule keeps its first rank, as in llama.cpp.
    pub(crate) fn new<T: AsRef<[u8]>>(
        vocab: &Vocab,
        merges: impl IntoIterator<Item = T, IntoIter: ExactSizeIterator>,
        pre: PreTokenizer,
        ignore_merges: bool,
    ) -> Result<Bpe, TokenizerError> {
        let merges = merges.into_iter();
        if merges.len() > MAX_MERGES {
            return Err(TokenizerError::TooLarge {
                what: "merge list",
                count: merges.len(),
                max: MAX_MERGES,
            });
        }
        let mut table = Vec::with_capacity(merges.len());
        let mut merged = Vec::new();
        for (rank, rule) in merges.enumerate() {
            let rule = rule.as_ref();
            let Some(split) = rule.iter().skip(1).position(|&b| b == b' ').map(|p| p + 1) else {
                continue;
            };
            let (left, right) = (&rule[..split], &rule[split + 1..]);
            merged.clear();
            merged.extend_from_slice(left);
            merged.extend_from_slice(right);
            if let (Some(l), Some(r), Some(m)) =
                (vocab.id(left), vocab.id(right), vocab.id(&merged))
            {
                table.push(Merge {
                    pair: (l, r),
                    rank: rank as u32, // rank < MAX_MERGES
                    merged: m,
                });
            }
        }
        // Stable sort: rules for one pair stay in rank order, and dedup keeps the first.
        table.sort_by_key(|m| m.pair);
        table.dedup_by_key(|m| m.pair);
        table.shrink_to_fit();
        let mut rank_by_token = vec![NO_RANK; vocab.len()];
        for m in &table {
            // `merged` came from the vocabulary, so it is in range.
            if let Some(r) = rank_by_token.get_mut(m.merged as usize) {
                *r = (*r).min(m.rank);
            }
        }
        let mut byte_tokens = [NO_TOKEN; 256];
        for (b, slot) in byte_tokens.iter_mut().enumerate() {
            let mut buf = [0u8; 4];
            let s = byte_to_char(b as u8).encode_utf8(&mut buf);
            *slot = vocab.id(s.as_bytes()).unwrap_or(NO_TOKEN);
        }
        Ok(Bpe {
            pre,
            merges: table,
            rank_by_token,
            byte_tokens,
            ignore_merges,
        })
    }

    /// The lowest rank of a merge rule that creates token `id`.
    pub(crate) fn rank_of(&self, id: u32) -> Option<u32> {
        self.rank_by_token
            .get(id as usize)
            .copied()
            .filter(|&r| r != NO_RANK)
    }

    /// Number of usable merge rules.
    #[cfg(test)]
    pub(crate) fn merge_count(&self) -> usize {
        self.merges.len()
    }

    /// Tokenize raw text (no special tokens in it) and append the ids to `out`.
    pub(crate) fn encode(&self, vocab: &Vocab, text: &str, out: &mut Vec<u32>) {
        let mut syms = Vec::new();
        let mut heap = BinaryHeap::new();
        for piece in self.pre.split(text) {
            self.encode_word(vocab, &text.as_bytes()[piece], &mut syms, &mut heap, out);
        }
    }

    fn encode_word(
        &self,
        vocab: &Vocab,
        word: &[u8],
        syms: &mut Vec<Symbol>,
        heap: &mut MergeHeap,
        out: &mut Vec<u32>,
    ) {
        if self.ignore_merges {
            let mapped: String = word.iter().map(|&b| byte_to_char(b)).collect();
            if let Some(id) = vocab.id(mapped.as_bytes()) {
                out.push(id);
                return;
            }
        }
        syms.clear();
        heap.clear();
        let n = word.len();
        syms.extend(word.iter().enumerate().map(|(i, &b)| Symbol {
            id: self.byte_tokens[usize::from(b)],
            prev: if i == 0 { NIL } else { i - 1 },
            next: if i + 1 == n { NIL } else { i + 1 },
            alive: true,
        }));
        for i in 1..n {
            self.push_pair(syms, heap, i - 1, i);
        }
        // Entry: (rank, left index, right index, left id, right id, merged id).
        while let Some(Reverse((_, l, r, lid, rid, merged))) = heap.pop() {
            let (ls, rs) = (syms[l], syms[r]);
            if !ls.alive || !rs.alive || ls.id != lid || rs.id != rid || ls.next != r {
                continue; // stale
            }
            syms[l].id = merged;
            syms[l].next = rs.next;
            syms[r].alive = false;
            if rs.next != NIL {
                syms[rs.next].prev = l;
            }
            if ls.prev != NIL {
                self.push_pair(syms, heap, ls.prev, l);
            }
            if rs.next != NIL {
                self.push_pair(syms, heap, l, rs.next);
            }
        }
        let mut i = if n == 0 { NIL } else { 0 };
        while i != NIL {
            if syms[i].id != NO_TOKEN {
                out.push(syms[i].id);
            }
            i = syms[i].next;
        }
    }

    fn push_pair(&self, syms: &[Symbol], heap: &mut MergeHeap, l: usize, r: usize) {
        let (lid, rid) = (syms[l].id, syms[r].id);
        if let Ok(at) = self.merges.binary_search_by_key(&(lid, rid), |m| m.pair) {
            let m = self.merges[at];
            heap.push(Reverse((m.rank, l, r, lid, rid, m.merged)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::vocab::TokenType;

    fn toy() -> (Vocab, Bpe) {
        let tokens = ["a", "b", "c", "ab", "bc", "abc", "Ġ", "Ġa"];
        let vocab = Vocab::new(
            tokens.iter().map(|t| t.as_bytes()),
            vec![0.0; tokens.len()],
            vec![TokenType::Normal; tokens.len()],
        )
        .unwrap();
        let merges: Vec<Vec<u8>> = ["b c", "a b", "a bc", "Ġ a", "x y"]
            .iter()
            .map(|m| m.as_bytes().to_vec())
            .collect();
        let bpe = Bpe::new(&vocab, &merges, PreTokenizer::Gpt2, false).unwrap();
        (vocab, bpe)
    }

    #[test]
    fn merges_apply_by_rank_then_leftmost() {
        let (vocab, bpe) = toy();
        assert_eq!(bpe.merge_count(), 4);
        let mut out = Vec::new();
        // "abc": "b c" (rank 0) first, then "a bc" (rank 2) → "abc".
        bpe.encode(&vocab, "abc", &mut out);
        assert_eq!(out, [5]);
        out.clear();
        // "abab": two "a b" pairs of equal rank, both merge.
        bpe.encode(&vocab, "abab", &mut out);
        assert_eq!(out, [3, 3]);
        out.clear();
        // " a" is one piece: "Ġ a" merges; in " z" the byte 'z' has no token and is dropped.
        bpe.encode(&vocab, " a z", &mut out);
        assert_eq!(out, [7, 6]);
    }
}
