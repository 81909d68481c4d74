//! `wicasd infer` end to end on the default model (SmolLM2-135M Q4_1, fetched by
//! `scripts/fetch-model smollm2`): JSON shapes, evaluation mode ordering, identical digests for
//! 1 and 2 threads, and clear errors for a missing file, a file that is not GGUF, and bad flags.

use std::path::PathBuf;
use std::process::{Command, Output};

fn model() -> PathBuf {
    let dir = std::env::var_os("WICAS_MODEL_DIR").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/wicas/models"),
        PathBuf::from,
    );
    let path = dir.join("SmolLM2-135M-Instruct.Q4_1.gguf");
    assert!(
        path.is_file(),
        "{} is missing: run scripts/fetch-model smollm2",
        path.display()
    );
    path
}

fn wicasd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wicasd"))
        .args(args)
        .output()
        .expect("wicasd runs")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

#[test]
fn evaluation_mode_prints_the_top_logits_after_each_token_highest_first() {
    let m = model();
    let out = wicasd(&[
        "infer",
        "--model",
        m.to_str().unwrap(),
        "--tokens",
        "1,4093,198",
        "--top-logits",
        "4",
        "--json",
    ]);
    let v = json(&out);
    let positions = v["positions"].as_array().unwrap();
    assert_eq!(positions.len(), 3);
    for p in positions {
        let pairs = p.as_array().unwrap();
        assert_eq!(pairs.len(), 4);
        let logits: Vec<f64> = pairs.iter().map(|x| x[1].as_f64().unwrap()).collect();
        assert!(logits.windows(2).all(|w| w[0] >= w[1]), "{logits:?}");
    }
    // llama.cpp's top token after the BOS token of this prompt is 29 (shared/golden).
    assert_eq!(positions[0][0][0], 29);
}

#[test]
fn a_json_generation_has_the_documented_fields_and_the_same_digest_on_two_threads() {
    let m = model();
    let run = |threads: &str| {
        json(&wicasd(&[
            "infer",
            "--model",
            m.to_str().unwrap(),
            "--prompt",
            "The capital of France is",
            "--max-tokens",
            "6",
            "--temperature",
            "0.7",
            "--seed",
            "11",
            "--threads",
            threads,
            "--json",
        ]))
    };
    let one = run("1");
    let two = run("2");
    for key in [
        "prompt_tokens",
        "tokens",
        "text",
        "digest",
        "prefill_tok_s",
        "decode_tok_s",
    ] {
        assert!(one.get(key).is_some(), "missing {key}");
    }
    assert_eq!(one["tokens"].as_array().unwrap().len(), 6);
    assert_eq!(one["digest"].as_str().unwrap().len(), 64);
    assert_eq!(one["digest"], two["digest"]);
    assert_eq!(one["text"], two["text"]);
}

#[test]
fn missing_or_corrupt_files_and_bad_flags_fail_with_a_clear_message() {
    let out = wicasd(&["infer", "--model", "/nonexistent/m.gguf", "--prompt", "hi"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/nonexistent/m.gguf") && err.contains("No such file"),
        "{err}"
    );

    let not_gguf = std::env::temp_dir().join(format!("wicasd-cli-{}.gguf", std::process::id()));
    std::fs::write(&not_gguf, b"this is not a model").unwrap();
    let out = wicasd(&[
        "infer",
        "--model",
        not_gguf.to_str().unwrap(),
        "--prompt",
        "hi",
    ]);
    std::fs::remove_file(&not_gguf).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("not a GGUF file"),
        "{err}"
    );

    let m = model();
    let out = wicasd(&[
        "infer",
        "--model",
        m.to_str().unwrap(),
        "--prompt",
        "hi",
        "--top-p",
        "0",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("top_p"), "{err}");
    let out = wicasd(&[
        "infer",
        "--model",
        m.to_str().unwrap(),
        "--prompt",
        "hi",
        "--kernels",
        "gpu",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("gpu"), "{err}");
}
