//! Pre-tokenizers: split text into the pieces that BPE merges never cross.
//!
//! llama.cpp (`src/llama-vocab.cpp`, `llm_tokenizer_bpe`) gives each `tokenizer.ggml.pre` a list of
//! regexes applied one after the other, each splitting the pieces of the previous one
//! (`unicode_regex_split` in `src/unicode.cpp`). Some regexes run through hand-written matchers there
//! (GPT-2, Llama-3), the rest through `std::regex` with ECMAScript semantics: leftmost match, first
//! alternative that succeeds, greedy quantifiers with backtracking, and text between matches kept as
//! its own piece. Here every regex is a hand-written matcher over code points that reproduces exactly
//! that behaviour (decision 0201): no regex engine, linear time, the same split on every machine.

use std::ops::Range;

use super::unicode::CharClass;

/// Which regex list splits the text (llama.cpp `llama_vocab_pre_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreTokenizer {
    /// llama.cpp `DEFAULT`: punctuation runs, GPT-2, number runs, groups of three ASCII digits.
    Default,
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)`.
    Gpt2,
    /// SmolLM / StarCoder: every digit alone (`\p{N}`), then GPT-2.
    SmolLm,
    /// Qwen2: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    Qwen2,
    /// Llama-3: as Qwen2 but numbers in groups of up to three (`\p{N}{1,3}`); whole words that are
    /// tokens skip the merges.
    Llama3,
}

impl PreTokenizer {
    /// The pre-tokenizer for a `tokenizer.ggml.pre` value, as llama.cpp maps the names.
    pub fn from_name(name: &str) -> Option<PreTokenizer> {
        Some(match name {
            "" | "default" => PreTokenizer::Default,
            "gpt-2" | "phi-2" | "mpt" | "olmo" | "jina-es" | "jina-de" => PreTokenizer::Gpt2,
            "smollm" | "starcoder" | "refact" | "codeshell" | "exaone" | "minerva-7b"
            | "command-r" => PreTokenizer::SmolLm,
            "qwen2" | "deepseek-r1-qwen" | "megrez" | "stablelm2" => PreTokenizer::Qwen2,
            "llama3" | "llama-v3" | "llama-bpe" | "falcon3" => PreTokenizer::Llama3,
            _ => return None,
        })
    }

    /// Split `text` into pieces; returns byte ranges of `text`, in order, covering all of it.
    pub fn split(self, text: &str) -> Vec<Range<usize>> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let classes: Vec<CharClass> = chars.iter().map(|&(_, c)| CharClass::of(c)).collect();
        let t = Text {
            chars: chars.iter().map(|&(_, c)| c).collect(),
            classes,
        };
        let mut segs: Vec<Range<usize>> = std::iter::once(0..t.chars.len()).collect();
        let passes: &[Pass] = match self {
            PreTokenizer::Default => &[
                Pass::Regex(punct_run),
                Pass::Custom(gpt2),
                Pass::Regex(number_run),
                Pass::Regex(ascii_digit_triple),
            ],
            PreTokenizer::Gpt2 => &[Pass::Custom(gpt2)],
            PreTokenizer::SmolLm => &[Pass::Regex(single_number), Pass::Custom(gpt2)],
            PreTokenizer::Qwen2 => &[Pass::Regex(qwen2)],
            PreTokenizer::Llama3 => &[Pass::Custom(llama3)],
        };
        for pass in passes {
            segs = run_pass(&t, &segs, *pass);
        }
        segs.into_iter()
            .filter(|r| !r.is_empty())
            .map(|r| {
                let start = chars.get(r.start).map_or(text.len(), |c| c.0);
                let end = chars.get(r.end).map_or(text.len(), |c| c.0);
                start..end
            })
            .collect()
    }
}

/// Code points of the text and their classes.
struct Text {
    chars: Vec<char>,
    classes: Vec<CharClass>,
}

/// A matcher: given a segment and a position in it, the end of the match there, if any.
type Matcher = fn(&Text, Range<usize>, usize) -> Option<usize>;

#[derive(Clone, Copy)]
enum Pass {
    /// `std::regex` semantics: unmatched text between matches is one piece.
    Regex(Matcher),
    /// llama.cpp's hand-written matchers: they always return a match (one code point at worst).
    Custom(Matcher),
}

fn run_pass(t: &Text, segs: &[Range<usize>], pass: Pass) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(segs.len());
    for seg in segs {
        let mut piece_start = seg.start;
        let mut pos = seg.start;
        while pos < seg.end {
            let m = match pass {
                Pass::Regex(f) | Pass::Custom(f) => f(t, seg.clone(), pos),
            };
            match m {
                Some(end) if end > pos => {
                    if piece_start < pos {
                        out.push(piece_start..pos);
                    }
                    out.push(pos..end);
                    pos = end;
                    piece_start = end;
                }
                _ => {
                    pos += 1;
                    if matches!(pass, Pass::Custom(_)) {
                        out.push(piece_start..pos);
                        piece_start = pos;
                    }
                }
            }
        }
        if piece_start < seg.end {
            out.push(piece_start..seg.end);
        }
    }
    out
}

impl Text {
    fn class(&self, seg: &Range<usize>, pos: usize) -> CharClass {
        if seg.contains(&pos) {
            self.classes[pos]
        } else {
            CharClass::default()
        }
    }
    fn char(&self, seg: &Range<usize>, pos: usize) -> Option<char> {
        if seg.contains(&pos) {
            Some(self.chars[pos])
        } else {
            None
        }
    }
    /// End of the run of code points from `pos` that satisfy `f`.
    fn run(
        &self,
        seg: &Range<usize>,
        mut pos: usize,
        f: impl Fn(char, CharClass) -> bool,
    ) -> usize {
        while pos < seg.end && f(self.chars[pos], self.classes[pos]) {
            pos += 1;
        }
        pos
    }
}

/// `'s|'t|'re|'ve|'m|'ll|'d` (optionally ASCII case-insensitive) at `pos`.
fn contraction(t: &Text, seg: &Range<usize>, pos: usize, fold_case: bool) -> Option<usize> {
    if t.char(seg, pos) != Some('\'') {
        return None;
    }
    let at = |p| {
        t.char(seg, p)
            .map(|c: char| if fold_case { c.to_ascii_lowercase() } else { c })
    };
    match (at(pos + 1), at(pos + 2)) {
        (Some('s' | 't' | 'm' | 'd'), _) => Some(pos + 2),
        (Some('r'), Some('e')) | (Some('v'), Some('e')) | (Some('l'), Some('l')) => Some(pos + 3),
        _ => None,
    }
}

/// llama.cpp `unicode_regex_split_custom_gpt2`.
fn gpt2(t: &Text, seg: Range<usize>, pos: usize) -> Option<usize> {
    if let Some(end) = contraction(t, &seg, pos, false) {
        return Some(end);
    }
    let c = t.chars[pos];
    let lead = usize::from(c == ' ');
    let next = t.class(&seg, pos + lead);
    // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+` (assigned code points only)
    if next.is_letter() {
        return Some(t.run(&seg, pos + lead, |_, k| k.is_letter()));
    }
    if next.is_number() {
        return Some(t.run(&seg, pos + lead, |_, k| k.is_number()));
    }
    if next.is_other() && next.is_defined() {
        return Some(t.run(&seg, pos + lead, |_, k| k.is_other() && k.is_defined()));
    }
    let ws_end = t.run(&seg, pos, |_, k| k.is_whitespace());
    let n = ws_end - pos;
    // `\s+(?!\S)`: a run followed by more text gives up its last space to the next piece.
    if n > 1 && ws_end < seg.end {
        return Some(ws_end - 1);
    }
    if n > 0 {
        return Some(ws_end);
    }
    Some(pos + 1)
}

/// The whitespace alternatives shared by Qwen2 and Llama-3:
/// `\s*[\r\n]+|\s+(?!\S)|\s+`.
fn whitespace_tail(t: &Text, seg: &Range<usize>, pos: usize) -> Option<usize> {
    let ws_end = t.run(seg, pos, |_, k| k.is_whitespace());
    if ws_end == pos {
        return None;
    }
    if let Some(last_nl) = (pos..ws_end)
        .rev()
        .find(|&p| matches!(t.chars[p], '\r' | '\n'))
    {
        return Some(last_nl + 1);
    }
    if ws_end < seg.end && ws_end - pos > 1 {
        return Some(ws_end - 1);
    }
    Some(ws_end)
}

/// `[^\r\n\p{L}\p{N}]?\p{L}+` at `pos`.
fn letters_with_lead(t: &Text, seg: &Range<usize>, pos: usize) -> Option<usize> {
    let c = t.chars[pos];
    let k = t.classes[pos];
    if k.is_letter() {
        return Some(t.run(seg, pos, |_, k| k.is_letter()));
    }
    if !matches!(c, '\r' | '\n') && !k.is_number() && t.class(seg, pos + 1).is_letter() {
        return Some(t.run(seg, pos + 1, |_, k| k.is_letter()));
    }
    None
}

/// ` ?[^\s\p{L}\p{N}]+[\r\n]*` at `pos`; `defined_only` mirrors llama.cpp's custom matcher.
fn symbols_then_newlines(
    t: &Text,
    seg: &Range<usize>,
    pos: usize,
    defined_only: bool,
) -> Option<usize> {
    let ok = |k: CharClass| k.is_other() && (!defined_only || k.is_defined());
    let lead = usize::from(t.chars[pos] == ' ');
    if !ok(t.class(seg, pos + lead)) {
        return None;
    }
    let end = t.run(seg, pos + lead, |_, k| ok(k));
    Some(t.run(seg, end, |c, _| matches!(c, '\r' | '\n')))
}

/// The Qwen2 regex under `std::regex` (ECMAScript) semantics.
fn qwen2(t: &Text, seg: Range<usize>, pos: usize) -> Option<usize> {
    contraction(t, &seg, pos, true)
        .or_else(|| letters_with_lead(t, &seg, pos))
        .or_else(|| t.classes[pos].is_number().then_some(pos + 1))
        .or_else(|| symbols_then_newlines(t, &seg, pos, false))
        .or_else(|| whitespace_tail(t, &seg, pos))
}

/// llama.cpp `unicode_regex_split_custom_llama3`.
fn llama3(t: &Text, seg: Range<usize>, pos: usize) -> Option<usize> {
    let digits = || {
        t.classes[pos].is_number().then(|| {
            let end = t.run(&seg, pos, |_, k| k.is_number());
            end.min(pos + 3)
        })
    };
    contraction(t, &seg, pos, true)
        .or_else(|| letters_with_lead(t, &seg, pos))
        .or_else(digits)
        .or_else(|| symbols_then_newlines(t, &seg, pos, true))
        .or_else(|| whitespace_tail(t, &seg, pos))
        .or(Some(pos + 1))
}

/// `\p{N}` (each number code point alone).
fn single_number(t: &Text, _seg: Range<usize>, pos: usize) -> Option<usize> {
    t.classes[pos].is_number().then_some(pos + 1)
}

/// `\p{N}+`.
fn number_run(t: &Text, seg: Range<usize>, pos: usize) -> Option<usize> {
    t.classes[pos]
        .is_number()
        .then(|| t.run(&seg, pos, |_, k| k.is_number()))
}

/// `[\p{P}\$\+<=>\^~\|]+`: ASCII punctuation and symbols except `` ` ``, and non-ASCII `P*`.
fn punct_run(t: &Text, seg: Range<usize>, pos: usize) -> Option<usize> {
    let is_punct = |c: char, k: CharClass| {
        if c.is_ascii() {
            c.is_ascii_punctuation() && c != '`'
        } else {
            k.is_punctuation() && !k.is_whitespace()
        }
    };
    let end = t.run(&seg, pos, is_punct);
    (end > pos).then_some(end)
}

/// `[0-9][0-9][0-9]`.
fn ascii_digit_triple(t: &Text, seg: Range<usize>, pos: usize) -> Option<usize> {
    let end = t.run(&seg, pos, |c, _| c.is_ascii_digit());
    (end - pos >= 3).then_some(pos + 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(p: PreTokenizer, text: &str) -> Vec<&str> {
        p.split(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn smollm_splits_every_digit_and_keeps_gpt2_words() {
        assert_eq!(
            pieces(PreTokenizer::SmolLm, "Hello world's 1234 +  x"),
            [
                "Hello", " world", "'s", " ", "1", "2", "3", "4", " +", " ", " x"
            ]
        );
    }

    #[test]
    fn gpt2_trailing_spaces_and_unassigned_code_points() {
        assert_eq!(
            pieces(PreTokenizer::Gpt2, "a   b  "),
            ["a", "  ", " b", "  "]
        );
        assert_eq!(
            pieces(PreTokenizer::Gpt2, "!!\u{378}!!"),
            ["!!", "\u{378}", "!!"]
        );
        assert_eq!(pieces(PreTokenizer::Gpt2, "\ttabs"), ["\t", "tabs"]);
    }

    #[test]
    fn qwen2_follows_the_ecmascript_alternation_order() {
        assert_eq!(
            pieces(
                PreTokenizer::Qwen2,
                "I'M fine.\n\n  def f(x):\n    return 12"
            ),
            [
                "I", "'M", " fine", ".\n\n", " ", " def", " f", "(x", "):\n", "   ", " return",
                " ", "1", "2"
            ]
        );
        assert_eq!(pieces(PreTokenizer::Qwen2, "a \n b"), ["a", " \n", " b"]);
        assert_eq!(pieces(PreTokenizer::Qwen2, "x  "), ["x", "  "]);
    }

    #[test]
    fn llama3_groups_digits_by_three() {
        assert_eq!(pieces(PreTokenizer::Llama3, "1234567"), ["123", "456", "7"]);
    }

    #[test]
    fn default_splits_punctuation_then_digit_triples() {
        assert_eq!(
            pieces(PreTokenizer::Default, "ab,c 12345"),
            ["ab", ",", "c", " ", "123", "45"]
        );
    }

    #[test]
    fn pieces_cover_the_text_exactly() {
        let text = "Ünïcödé tëxt, emoji 🚀🌍, and\ttabs   spaced    words — all.\r\n";
        for p in [
            PreTokenizer::Default,
            PreTokenizer::Gpt2,
            PreTokenizer::SmolLm,
            PreTokenizer::Qwen2,
            PreTokenizer::Llama3,
        ] {
            assert_eq!(pieces(p, text).concat(), text);
        }
    }
}
