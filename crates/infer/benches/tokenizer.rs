//! Tokenizer throughput on the real vocabularies: `cargo bench -p wicas-infer --bench tokenizer`.
//!
//! Prints, per model: load time, and encode time / tokens per second for a ~4k-token chat prompt
//! and a 1 MiB text. Numbers are for the report, never asserted.

#[path = "../tests/it/model_files.rs"]
#[allow(dead_code)] // reason: shared with the integration tests; not every helper is used here
mod model_files;

use std::time::Instant;

use wicas_infer::Tokenizer;

fn main() {
    let prompt_unit = "<|im_start|>user\nExplain, step by step, why the sky looks blue at noon and red at \
                       sunset; include Rayleigh scattering (λ⁻⁴), 3 numbers like 450nm & 700nm, and code:\n\
                       ```python\ndef scatter(l):\n    return 1.0 / l**4\n```<|im_end|>\n";
    let mut chat = String::new();
    while chat.len() < 16_000 {
        chat.push_str(prompt_unit);
    }
    let mut big = String::new();
    while big.len() < 1 << 20 {
        big.push_str(
            "The quick brown fox — 🦊 jumps over 1234567 lazy dogs; naïve café, 東京.\n\t",
        );
    }
    for (file, fetch) in [
        ("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2"),
        ("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", "qwen2.5-0.5b"),
        ("gemma-3-270m-q4_k_m.gguf", "gemma3-270m"),
    ] {
        let meta = model_files::gguf_metadata(&model_files::model_path(file, fetch));
        let t0 = Instant::now();
        let tok = Tokenizer::from_gguf(&meta).expect("tokenizer");
        let load = t0.elapsed();
        for (name, text) in [("chat prompt", &chat), ("1 MiB text", &big)] {
            let mut best = f64::INFINITY;
            let mut n = 0;
            for _ in 0..5 {
                let t = Instant::now();
                n = tok.encode(text, true).len();
                best = best.min(t.elapsed().as_secs_f64());
            }
            println!(
                "{file}: load {:.0} ms; {name}: {} bytes -> {n} tokens in {:.2} ms ({:.0} tokens/s)",
                load.as_secs_f64() * 1e3,
                text.len(),
                best * 1e3,
                n as f64 / best
            );
        }
    }
}
