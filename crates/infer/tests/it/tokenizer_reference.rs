//! Differential check against llama.cpp itself: ~630 texts per model tokenized by llama.cpp at the
//! golden commit (tests/data/tokenizer/, see its README), the piece of every token, the
//! end-of-generation ids and the built-in chat rendering.

use serde_json::Value;
use sha2::{Digest, Sha256};
use wicas_infer::{ChatMessage, Tokenizer};

use crate::tokenizer::{gemma, qwen, smollm2};

fn reference(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tokenizer")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("reference JSON")
}

fn check(tok: &Tokenizer, name: &str) {
    let r = reference(name);
    let cases = r["cases"].as_array().expect("cases");
    assert!(cases.len() > 600);
    let mut failures = Vec::new();
    for c in cases {
        let text = c["text"].as_str().unwrap();
        let add = c["add_special"].as_bool().unwrap();
        let parse = c["parse_special"].as_bool().unwrap();
        let want: Vec<u32> = c["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as u32)
            .collect();
        let got = tok.encode_with(text, add, parse);
        if got != want {
            failures.push(format!(
                "{text:?} (add_special {add}, parse_special {parse}):\n  llama.cpp {want:?}\n  ours      {got:?}"
            ));
        }
    }
    // Every token's piece, hashed as (u32 length, bytes) in id order.
    let mut h = Sha256::new();
    for id in 0..tok.vocab_size() {
        let p = tok.token_bytes(id);
        h.update((p.len() as u32).to_le_bytes());
        h.update(p);
    }
    let pieces: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    if pieces != r["pieces_sha256"].as_str().unwrap() {
        failures.push("token pieces differ from llama_token_to_piece(special = true)".into());
    }
    let eog: Vec<u32> = r["eog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as u32)
        .collect();
    let ours: Vec<u32> = tok.eog_ids().collect();
    if ours != eog {
        failures.push(format!(
            "end-of-generation ids: llama.cpp {eog:?}, ours {ours:?}"
        ));
    }
    for chat in r["chat"].as_array().unwrap() {
        let msgs: Vec<ChatMessage> = chat["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| ChatMessage {
                role: m[0].as_str().unwrap().into(),
                content: m[1].as_str().unwrap().into(),
            })
            .collect();
        let add = chat["add_generation_prompt"].as_bool().unwrap();
        let ours = tok
            .chat_template()
            .expect("chat template")
            .apply(&msgs, add);
        if ours != chat["text"].as_str().unwrap() {
            failures.push(format!(
                "chat (add_generation_prompt {add}):\n  llama.cpp {:?}\n  ours      {ours:?}",
                chat["text"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{name}: {} differences from llama.cpp (first 12):\n{}",
        failures.len(),
        failures
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn smollm2_matches_llama_cpp_on_630_reference_texts() {
    check(smollm2(), "smollm2");
}

#[test]
fn qwen2_matches_llama_cpp_on_630_reference_texts() {
    check(qwen(), "qwen2");
}

#[test]
fn gemma3_sentencepiece_matches_llama_cpp_on_630_reference_texts() {
    check(gemma(), "gemma3");
}
