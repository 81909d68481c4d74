//! Tokenizers on real vocabularies: llama.cpp's tokenization of every golden prompt, decoding,
//! end-of-generation ids, chat templates, streaming, and hostile input.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;
use wicas_infer::gguf::MetaValue;
use wicas_infer::{
    ChatMessage, ChatTemplate, PreTokenizer, StreamDecoder, Tokenizer, TokenizerKind,
};

use crate::model_files::{gguf_metadata, golden_dir, model_path};

const SMOLLM2_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";
const QWEN_FILE: &str = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf";

fn smollm2_meta() -> &'static BTreeMap<String, MetaValue> {
    static M: OnceLock<BTreeMap<String, MetaValue>> = OnceLock::new();
    M.get_or_init(|| gguf_metadata(&model_path(SMOLLM2_FILE, "smollm2")))
}

pub(crate) fn smollm2() -> &'static Tokenizer {
    static T: OnceLock<Tokenizer> = OnceLock::new();
    T.get_or_init(|| Tokenizer::from_gguf(smollm2_meta()).expect("SmolLM2 tokenizer"))
}

pub(crate) fn qwen() -> &'static Tokenizer {
    static T: OnceLock<Tokenizer> = OnceLock::new();
    T.get_or_init(|| {
        let meta = gguf_metadata(&model_path(QWEN_FILE, "qwen2.5-0.5b"));
        Tokenizer::from_gguf(&meta).expect("Qwen tokenizer")
    })
}

pub(crate) fn golden(file: &str) -> Vec<Value> {
    let path = golden_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match serde_json::from_str(&text).expect("golden JSON") {
        Value::Array(cases) => cases,
        _ => panic!("{} is not a list of cases", path.display()),
    }
}

pub(crate) fn ids(v: &Value) -> Vec<u32> {
    v.as_array()
        .expect("array of ids")
        .iter()
        .map(|x| x.as_u64().expect("id") as u32)
        .collect()
}

/// Every golden prompt must tokenize to llama.cpp's ids, and the greedy tokens must decode to
/// llama.cpp's text. All mismatches are listed before failing.
fn check_golden(tok: &Tokenizer, file: &str) {
    let cases = golden(file);
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let prompt = case["prompt"].as_str().expect("prompt");
        let want = ids(&case["prompt_tokens"]);
        let got = tok.encode(prompt, true);
        if got != want {
            failures.push(format!(
                "case {i} {prompt:?}:\n  want {want:?}\n  got  {got:?}"
            ));
        }
        let text = tok.decode(&ids(&case["greedy_tokens"]));
        let want_text = case["greedy_text"].as_str().expect("greedy_text");
        if text != want_text {
            failures.push(format!(
                "case {i} decode:\n  want {want_text:?}\n  got  {text:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from llama.cpp:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn smollm2_tokenizes_every_golden_prompt_exactly_as_llama_cpp() {
    let tok = smollm2();
    assert_eq!(tok.kind(), TokenizerKind::Bpe(PreTokenizer::SmolLm));
    check_golden(tok, "smollm2-135m-instruct-q4_1.json");
}

#[test]
fn qwen2_tokenizes_every_golden_prompt_exactly_as_llama_cpp() {
    let tok = qwen();
    assert_eq!(tok.kind(), TokenizerKind::Bpe(PreTokenizer::Qwen2));
    check_golden(tok, "qwen2.5-coder-0.5b-instruct-q4_k_m.json");
}

#[test]
fn streaming_the_greedy_tokens_gives_the_golden_text() {
    for (tok, file) in [
        (smollm2(), "smollm2-135m-instruct-q4_1.json"),
        (qwen(), "qwen2.5-coder-0.5b-instruct-q4_k_m.json"),
    ] {
        for case in golden(file) {
            let mut d = StreamDecoder::new();
            let mut text = String::new();
            for id in ids(&case["greedy_tokens"]) {
                text.push_str(&d.push(tok, id));
            }
            text.push_str(&d.finish());
            assert_eq!(text, case["greedy_text"].as_str().unwrap());
        }
    }
}

#[test]
fn end_of_generation_ids_match_llama_cpp() {
    let s = smollm2();
    assert_eq!(s.bos_id(), Some(1));
    assert!(!s.adds_bos());
    assert!(s.is_eog(2), "<|im_end|> is the EOS");
    assert!(s.is_eog(0), "<|endoftext|>");
    assert!(!s.is_eog(1), "<|im_start|>");
    let q = qwen();
    assert!(q.is_eog(151645), "<|im_end|>");
    assert!(q.is_eog(151643), "<|endoftext|>");
    assert!(!q.is_eog(151644), "<|im_start|>");
    assert_eq!(q.vocab_size(), 151936);
}

fn msg(role: &str, content: &str) -> ChatMessage {
    ChatMessage {
        role: role.into(),
        content: content.into(),
    }
}

#[test]
fn smollm2_chat_template_reproduces_the_golden_chat_prompt() {
    let tok = smollm2();
    let tmpl = tok.chat_template().expect("SmolLM2 has a ChatML template");
    let cases = golden("smollm2-135m-instruct-q4_1.json");
    // Golden case 1 has its own system message: the template must render it unchanged.
    let with_system = cases[1]["prompt"].as_str().unwrap();
    let user = "Write a one-line description for the name \"alice.cosmos\" registered on a blockchain name service.";
    let sys = "You are a helpful AI assistant named SmolLM, trained by Hugging Face";
    let rendered = tmpl.apply(&[msg("system", sys), msg("user", user)], true);
    assert_eq!(rendered, with_system);
    // Without a system message the template adds the same default one.
    assert_eq!(tmpl.apply(&[msg("user", user)], true), with_system);
    assert_eq!(tok.encode(&rendered, true), ids(&cases[1]["prompt_tokens"]));
}

#[test]
fn qwen_chat_template_is_chatml_with_its_own_default_system() {
    let t = qwen().chat_template().expect("Qwen has a ChatML template");
    assert_eq!(
        t,
        &ChatTemplate::ChatMl {
            default_system: Some(
                "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.".into()
            )
        }
    );
}

#[test]
fn byte_level_bpe_round_trips_any_text_without_special_parsing() {
    let text = "Ünïcödé tëxt, emoji 🚀🌍 and\ttabs   \r\n\u{85}\u{3000}x <|im_start|> 中文 ١٢٣ e\u{301} \u{378}\0";
    for tok in [smollm2(), qwen()] {
        let ids = tok.encode(text, false);
        assert_eq!(tok.decode(&ids), text);
        assert!(!ids.contains(&1) || tok.vocab_size() != 49152);
    }
}

#[test]
fn a_megabyte_prompt_encodes_and_round_trips() {
    let unit =
        "The quick brown fox — 🦊 jumps over 1234567 lazy dogs.\n\tdef f(x): return x**2  # ok\n";
    let mut text = String::new();
    while text.len() < 1 << 20 {
        text.push_str(unit);
    }
    // One very long word too: merges must not be quadratic.
    text.push_str(&"a".repeat(200_000));
    for tok in [smollm2(), qwen()] {
        let ids = tok.encode(&text, true);
        assert!(ids.len() > 100_000);
        assert_eq!(tok.decode(&ids), text);
    }
}

const GEMMA_FILE: &str = "gemma-3-270m-q4_k_m.gguf";

pub(crate) fn gemma() -> &'static Tokenizer {
    static T: OnceLock<Tokenizer> = OnceLock::new();
    T.get_or_init(|| {
        let meta = gguf_metadata(&model_path(GEMMA_FILE, "gemma3-270m"));
        Tokenizer::from_gguf(&meta).expect("Gemma tokenizer")
    })
}

/// Bytes that have a token of their own. SmolLM2's vocabulary lacks 21 of the 256 (0xF1, 0xF2,
/// 0xF5..=0xFF, …): llama.cpp drops such bytes, and so do we.
fn byte_alphabet(tok: &Tokenizer) -> [bool; 256] {
    let mut has = [false; 256];
    for id in 0..tok.vocab_size() {
        if let [b] = tok.token_bytes(id) {
            has[usize::from(*b)] = true;
        }
    }
    has
}

/// Seeded random text over the whole Unicode range (any scalar value, weighted towards the
/// classes the pre-tokenizers care about): every tokenizer decodes its own encoding back to the
/// text, less the bytes its vocabulary cannot express.
#[test]
fn random_unicode_text_round_trips_through_every_tokenizer() {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabets: Vec<(&Tokenizer, [bool; 256])> = [smollm2(), qwen(), gemma()]
        .into_iter()
        .map(|t| (t, byte_alphabet(t)))
        .collect();
    assert_eq!(alphabets[0].1.iter().filter(|&&b| !b).count(), 21);
    assert!(alphabets[1].1.iter().chain(&alphabets[2].1).all(|&b| b));
    let pools = [
        " \t\n\r\u{a0}\u{3000}\u{85}",
        "abcXYZ",
        "0129٣",
        "'.,!?-<|>",
        "é\u{301}🚀中",
    ];
    for _ in 0..400 {
        let len = (next() % 40) as usize;
        let text: String = (0..len)
            .map(|_| match next() % 4 {
                0 => char::from_u32((next() % 0x11_0000) as u32).unwrap_or('\u{FFFD}'),
                _ => {
                    let pool: Vec<char> = pools[(next() % pools.len() as u64) as usize]
                        .chars()
                        .collect();
                    pool[(next() % pool.len() as u64) as usize]
                }
            })
            .filter(|&c| c != '\0')
            .collect();
        for (tok, has) in &alphabets {
            let ids = tok.encode_with(&text, false, false);
            let kept: Vec<u8> = text.bytes().filter(|&b| has[usize::from(b)]).collect();
            assert_eq!(
                tok.decode(&ids),
                String::from_utf8_lossy(&kept),
                "{:?}",
                tok.kind()
            );
        }
    }
}

#[test]
fn an_spm_tokenizer_rebuilds_from_its_own_gguf_metadata() {
    let tok = gemma();
    let meta: BTreeMap<String, MetaValue> = tok
        .spm_gguf_metadata()
        .expect("Gemma's tokens are UTF-8")
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let again = Tokenizer::from_gguf(&meta).unwrap();
    let text = "<start_of_turn>user\nNaïve café 🚀 12345<end_of_turn>\n";
    assert_eq!(again.encode(text, true), tok.encode(text, true));
    assert_eq!(
        again.eog_ids().collect::<Vec<_>>(),
        tok.eog_ids().collect::<Vec<_>>()
    );
    assert!(
        smollm2().spm_gguf_metadata().is_none(),
        "BPE vocabularies need their merges"
    );
}
