//! Tokenizers built from hostile metadata: small synthetic vocabularies, each broken in one way,
//! must give a typed error (or a defined result), never a panic.

use std::collections::BTreeMap;

use wicas_infer::gguf::{MetaArray, MetaValue, StrArray};
use wicas_infer::{Tokenizer, TokenizerError};

fn strings(items: &[&str]) -> MetaValue {
    MetaValue::Array(MetaArray::Str(StrArray::from_strs(items).unwrap()))
}

/// A tiny valid GPT-2 vocabulary.
fn tiny_bpe() -> BTreeMap<String, MetaValue> {
    let mut m = BTreeMap::new();
    m.insert(
        "tokenizer.ggml.model".into(),
        MetaValue::String("gpt2".into()),
    );
    m.insert(
        "tokenizer.ggml.pre".into(),
        MetaValue::String("qwen2".into()),
    );
    m.insert(
        "tokenizer.ggml.tokens".into(),
        strings(&["a", "b", "ab", "<|end|>"]),
    );
    m.insert(
        "tokenizer.ggml.token_type".into(),
        MetaValue::Array(MetaArray::I32(vec![1, 1, 1, 3])),
    );
    m.insert("tokenizer.ggml.merges".into(), strings(&["a b"]));
    m.insert("tokenizer.ggml.eos_token_id".into(), MetaValue::U32(3));
    m
}

fn build_err(m: &BTreeMap<String, MetaValue>) -> TokenizerError {
    Tokenizer::from_gguf(m).expect_err("must be rejected")
}

#[test]
fn a_tiny_valid_vocabulary_builds_and_encodes() {
    let tok = Tokenizer::from_gguf(&tiny_bpe()).unwrap();
    assert_eq!(tok.encode("abab<|end|>", true), [2, 2, 3]);
    assert_eq!(tok.encode("abab<|end|>", false)[..2], [2, 2]);
    assert!(tok.is_eog(3));
}

#[test]
fn hostile_metadata_is_rejected_with_a_typed_error() {
    let mut m = tiny_bpe();
    m.remove("tokenizer.ggml.merges");
    assert_eq!(
        build_err(&m),
        TokenizerError::MissingKey {
            key: "tokenizer.ggml.merges"
        }
    );

    let mut m = tiny_bpe();
    m.remove("tokenizer.ggml.tokens");
    assert_eq!(
        build_err(&m),
        TokenizerError::MissingKey {
            key: "tokenizer.ggml.tokens"
        }
    );

    let mut m = tiny_bpe();
    m.insert(
        "tokenizer.ggml.tokens".into(),
        MetaValue::Array(MetaArray::U32(vec![1])),
    );
    assert!(matches!(
        build_err(&m),
        TokenizerError::WrongType {
            key: "tokenizer.ggml.tokens",
            ..
        }
    ));

    let mut m = tiny_bpe();
    m.insert("tokenizer.ggml.model".into(), MetaValue::U8(1));
    assert!(matches!(
        build_err(&m),
        TokenizerError::WrongType {
            key: "tokenizer.ggml.model",
            ..
        }
    ));

    let mut m = tiny_bpe();
    m.insert(
        "tokenizer.ggml.model".into(),
        MetaValue::String("bert".into()),
    );
    assert_eq!(
        build_err(&m),
        TokenizerError::UnsupportedModel {
            model: "bert".into()
        }
    );

    let mut m = tiny_bpe();
    m.insert(
        "tokenizer.ggml.pre".into(),
        MetaValue::String("klingon".into()),
    );
    assert_eq!(
        build_err(&m),
        TokenizerError::UnsupportedPreTokenizer {
            pre: "klingon".into()
        }
    );

    let mut m = tiny_bpe();
    m.insert("tokenizer.ggml.eos_token_id".into(), MetaValue::U32(4));
    assert!(matches!(
        build_err(&m),
        TokenizerError::SpecialIdOutOfRange { id: 4, .. }
    ));

    let mut m = tiny_bpe();
    m.insert("tokenizer.ggml.bos_token_id".into(), MetaValue::I64(-1));
    assert!(matches!(
        build_err(&m),
        TokenizerError::SpecialIdOutOfRange { id: -1, .. }
    ));

    let mut m = tiny_bpe();
    m.insert(
        "tokenizer.ggml.bos_token_id".into(),
        MetaValue::String("1".into()),
    );
    assert!(matches!(build_err(&m), TokenizerError::WrongType { .. }));

    let mut m = tiny_bpe();
    m.insert(
        "tokenizer.ggml.token_type".into(),
        MetaValue::Array(MetaArray::I32(vec![1])),
    );
    assert!(matches!(
        build_err(&m),
        TokenizerError::LengthMismatch {
            len: 1,
            expected: 4,
            ..
        }
    ));

    let mut m = tiny_bpe();
    m.insert("tokenizer.ggml.scores".into(), MetaValue::F32(1.0));
    assert!(matches!(
        build_err(&m),
        TokenizerError::WrongType {
            key: "tokenizer.ggml.scores",
            ..
        }
    ));

    let mut m = tiny_bpe();
    m.insert(
        "tokenizer.ggml.tokens".into(),
        strings(&["a", "b", "a", "c"]),
    );
    assert_eq!(
        build_err(&m),
        TokenizerError::DuplicateToken {
            first: 0,
            second: 2
        }
    );

    let mut m = tiny_bpe();
    let long = "x".repeat(wicas_infer::tokenizer::MAX_TOKEN_BYTES + 1);
    m.insert(
        "tokenizer.ggml.tokens".into(),
        strings(&["a", "b", &long, "c"]),
    );
    assert!(matches!(
        build_err(&m),
        TokenizerError::TokenTooLong { id: 2, .. }
    ));

    let mut m = tiny_bpe();
    m.insert("tokenizer.ggml.add_bos_token".into(), MetaValue::Bool(true));
    m.insert("tokenizer.ggml.tokens".into(), strings(&["a", "b", "ab"]));
    m.insert(
        "tokenizer.ggml.token_type".into(),
        MetaValue::Array(MetaArray::I32(vec![1; 3])),
    );
    m.remove("tokenizer.ggml.eos_token_id");
    assert!(matches!(
        build_err(&m),
        TokenizerError::MissingSpecialToken { .. }
    ));
}

#[test]
fn malformed_merges_and_missing_byte_tokens_do_not_panic() {
    let mut m = tiny_bpe();
    m.insert(
        "tokenizer.ggml.merges".into(),
        strings(&["", " ", "ab", "a  b", "zz top", "a b"]),
    );
    let tok = Tokenizer::from_gguf(&m).unwrap();
    // 'c' has no token at all: it is dropped, as llama.cpp drops it.
    assert_eq!(tok.encode("abc", false), [2]);
    assert_eq!(tok.decode(&[99, 2]), "ab");
    assert_eq!(tok.token_bytes(u32::MAX), b"");
}
