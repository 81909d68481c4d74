//! llama2.c's `tokenizer.bin`: reader (an SPM-style [`Tokenizer`]) and writer (an exporter from
//! any loaded vocabulary).
//!
//! Layout (karpathy/llama2.c `run.c`, `build_tokenizer`), little-endian:
//! `i32 max_token_length`, then for each of `vocab_size` tokens `f32 score, i32 len, u8[len]`.
//! The vocabulary size is not in the file: it comes from the checkpoint header. Token strings use
//! a plain space where SentencePiece writes `▁`; BOS is id 1, EOS id 2, and byte fallback uses the
//! `<0xNN>` tokens.
//!
//! llama2.c's encoder (a greedy best-score merge, leftmost on ties, with a leading space and byte
//! fallback) gives the same ids as llama.cpp's SPM session, so the reader builds that tokenizer.

use super::vocab::{MAX_TOKEN_BYTES, MAX_VOCAB_SIZE, TokenType};
use super::{ModelSpec, Parts, TokenTexts, Tokenizer, TokenizerError, TokenizerKind, spm};

/// BOS id llama2.c assumes.
const BOS: u32 = 1;
/// EOS id llama2.c assumes.
const EOS: u32 = 2;

/// Parse a `tokenizer.bin` holding `vocab_size` tokens.
pub fn read_tokenizer_bin(bytes: &[u8], vocab_size: usize) -> Result<Tokenizer, TokenizerError> {
    if vocab_size > MAX_VOCAB_SIZE {
        return Err(TokenizerError::TooLarge {
            what: "vocabulary",
            count: vocab_size,
            max: MAX_VOCAB_SIZE,
        });
    }
    let mut r = Reader { bytes, pos: 0 };
    let _max_token_length = r.i32()?;
    let mut tokens = Vec::with_capacity(vocab_size.min(bytes.len() / 8));
    let mut scores = Vec::with_capacity(tokens.capacity());
    for id in 0..vocab_size as u32 {
        scores.push(f32::from_bits(r.i32()? as u32));
        let len = r.i32()?;
        let len = usize::try_from(len)
            .ok()
            .filter(|&l| l <= MAX_TOKEN_BYTES)
            .ok_or(TokenizerError::TokenTooLong {
                id,
                len: len.unsigned_abs() as usize,
                max: MAX_TOKEN_BYTES,
            })?;
        tokens.push(r.take(len)?.to_vec());
    }
    if r.pos != bytes.len() {
        return Err(TokenizerError::TrailingBytes {
            extra: bytes.len() - r.pos,
        });
    }
    let types: Vec<TokenType> = tokens
        .iter()
        .enumerate()
        .map(|(id, t)| token_type(id as u32, t))
        .collect();
    // SentencePiece's `▁` is a space in this format; the SPM encoder works on `▁`.
    let tokens: Vec<Vec<u8>> = tokens
        .into_iter()
        .map(|t| replace(&t, b" ", spm::SPACE_MARK.as_bytes()))
        .collect();
    let in_range = |id: u32| ((id as usize) < vocab_size).then_some(id);
    let bos = in_range(BOS);
    if bos.is_none() {
        return Err(TokenizerError::MissingSpecialToken {
            flag: "llama2.c add_bos",
            key: "token 1",
        });
    }
    Tokenizer::from_parts(Parts {
        spec: ModelSpec::Spm {
            add_space_prefix: true,
        },
        tokens: TokenTexts::Owned(tokens),
        scores,
        types,
        bos,
        eos: in_range(EOS),
        eot: None,
        eom: None,
        unk: in_range(0),
        pad: None,
        add_bos: true,
        add_eos: false,
        chat_template: None,
    })
}

/// Write `tok`'s vocabulary as a `tokenizer.bin`.
///
/// SentencePiece vocabularies are written as llama2.c's exporter writes them (`▁` → space), so
/// [`read_tokenizer_bin`] gives back the same token strings and scores. Byte-level BPE
/// vocabularies (SmolLM2, Qwen) are written as the raw bytes each token decodes to, which is what
/// llama2.c prints; their score is minus the rank of the merge that creates the token (0 for the
/// 256 byte tokens and special tokens), so llama2.c's score-greedy encoder approximates the BPE
/// merge order. That approximation is llama2.c's limit, not this file's: decoding is exact.
pub fn write_tokenizer_bin(tok: &Tokenizer) -> Vec<u8> {
    let n = tok.vocab_size();
    let pieces: Vec<Vec<u8>> = (0..n)
        .map(|id| match tok.kind() {
            TokenizerKind::Spm => replace(tok.token_text(id), spm::SPACE_MARK.as_bytes(), b" "),
            _ => tok.token_bytes(id).to_vec(),
        })
        .collect();
    let max_len = pieces.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = Vec::new();
    out.extend_from_slice(&(max_len as i32).to_le_bytes());
    for (id, piece) in pieces.iter().enumerate() {
        let score = match tok.kind() {
            TokenizerKind::Spm => tok.token_score(id as u32),
            _ => tok
                .merge_rank_of(id as u32)
                .map_or(0.0, |r| -(r as f32) - 1.0),
        };
        out.extend_from_slice(&score.to_le_bytes());
        out.extend_from_slice(&(piece.len() as i32).to_le_bytes());
        out.extend_from_slice(piece);
    }
    out
}

/// Token types llama2.c implies: `<unk>`, the BOS/EOS markers, `<0xNN>` byte tokens, else normal.
fn token_type(id: u32, text: &[u8]) -> TokenType {
    let trimmed = trim_newlines(text);
    if id == 0 && trimmed == b"<unk>" {
        TokenType::Unknown
    } else if (id == BOS && trimmed == b"<s>") || (id == EOS && trimmed == b"</s>") {
        TokenType::Control
    } else if is_byte_token(text) {
        TokenType::Byte
    } else {
        TokenType::Normal
    }
}

fn trim_newlines(t: &[u8]) -> &[u8] {
    let start = t.iter().position(|&b| b != b'\n').unwrap_or(t.len());
    let end = t.iter().rposition(|&b| b != b'\n').map_or(start, |e| e + 1);
    &t[start..end]
}

fn is_byte_token(t: &[u8]) -> bool {
    t.len() == 6
        && t.starts_with(b"<0x")
        && t[5] == b'>'
        && t[3..5].iter().all(u8::is_ascii_hexdigit)
}

/// `hay` with every `from` replaced by `to`.
pub(crate) fn replace(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TokenizerError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(TokenizerError::Truncated { offset: self.pos })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn i32(&mut self) -> Result<i32, TokenizerError> {
        let b = self.take(4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A llama2.c-style file: <unk>, <s>, </s>, 256 byte tokens, then a few pieces.
    fn sample() -> Vec<u8> {
        let mut toks: Vec<(Vec<u8>, f32)> = vec![
            (b"<unk>".to_vec(), 0.0),
            (b"\n<s>\n".to_vec(), 0.0),
            (b"\n</s>\n".to_vec(), 0.0),
        ];
        for b in 0..=255u8 {
            toks.push((format!("<0x{b:02X}>").into_bytes(), 0.0));
        }
        for (t, s) in [
            (" ", -1.0),
            ("h", -2.0),
            ("i", -2.0),
            (" h", -0.5),
            (" hi", -0.1),
        ] {
            toks.push((t.as_bytes().to_vec(), s));
        }
        let mut out = 16i32.to_le_bytes().to_vec();
        for (t, s) in &toks {
            out.extend_from_slice(&f32::to_le_bytes(*s));
            out.extend_from_slice(&(t.len() as i32).to_le_bytes());
            out.extend_from_slice(t);
        }
        out
    }

    #[test]
    fn reads_a_llama2c_vocabulary_and_encodes_like_run_c() {
        let bytes = sample();
        let tok = read_tokenizer_bin(&bytes, 264).unwrap();
        // BOS, then " hi" (the dummy prefix space merges in), then byte fallback for 'é'.
        assert_eq!(tok.encode("hi", true), [1, 263]);
        assert_eq!(
            tok.encode_with("hé", false, false),
            [262, 3 + 0xC3, 3 + 0xA9]
        );
        assert_eq!(tok.decode(&[263, 3 + 0x21]), " hi!");
        assert!(tok.is_eog(2));
        // The writer gives back the same bytes.
        assert_eq!(write_tokenizer_bin(&tok)[4..], bytes[4..]);
    }

    #[test]
    fn truncated_negative_and_trailing_input_are_errors() {
        let bytes = sample();
        for cut in [0, 3, 5, 11, bytes.len() - 1] {
            assert!(matches!(
                read_tokenizer_bin(&bytes[..cut], 264),
                Err(TokenizerError::Truncated { .. })
            ));
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            read_tokenizer_bin(&longer, 264).unwrap_err(),
            TokenizerError::TrailingBytes { extra: 1 }
        );
        let mut neg = bytes.clone();
        neg[8..12].copy_from_slice(&(-5i32).to_le_bytes());
        assert!(matches!(
            read_tokenizer_bin(&neg, 264),
            Err(TokenizerError::TokenTooLong { id: 0, .. })
        ));
        assert!(matches!(
            read_tokenizer_bin(&bytes, usize::MAX),
            Err(TokenizerError::TooLarge { .. })
        ));
    }
}
