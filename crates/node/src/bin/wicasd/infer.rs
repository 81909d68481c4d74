//! `wicasd infer`: stream a generation to the terminal, print it as JSON, or print the top
//! logits after each given token (evaluation mode, to compare with llama.cpp).

use std::io::Write;
use std::time::Instant;

use serde_json::json;
use wicas_infer::{ChatMessage, Engine, GenerateRequest, Prompt};

use crate::cli::{InferPlan, PromptInput};
use crate::load::load;

/// Runs the plan.
pub fn run(plan: InferPlan) -> anyhow::Result<()> {
    match plan {
        InferPlan::Evaluate { engine, tokens, k } => {
            let engine = load(&engine)?;
            let logits = engine.eval(&tokens)?;
            let vocab = engine.model_info().vocab_size as usize;
            let positions: Vec<_> = logits
                .chunks_exact(vocab)
                .map(|row| top_k(row, k))
                .collect();
            println!("{}", json!({ "positions": positions }));
            Ok(())
        }
        InferPlan::Generate {
            engine,
            prompt,
            max_tokens,
            sampling,
            seed,
            json,
        } => {
            let engine = load(&engine)?;
            let prompt = match prompt {
                PromptInput::Text(t) => Prompt::Text(t),
                PromptInput::Tokens(t) => Prompt::Tokens(t),
                PromptInput::Chat(t) => Prompt::Chat(vec![ChatMessage {
                    role: "user".into(),
                    content: t,
                }]),
            };
            let request = GenerateRequest {
                prompt,
                max_tokens,
                sampling,
                seed,
            };
            generate(&engine, &request, json)
        }
    }
}

fn generate(
    engine: &wicas_infer::LlamaEngine,
    request: &GenerateRequest,
    json: bool,
) -> anyhow::Result<()> {
    let start = Instant::now();
    let mut first_token_at = None;
    let mut stdout = std::io::stdout();
    let g = engine.generate_streaming(request, |ev| {
        first_token_at.get_or_insert_with(Instant::now);
        if !json {
            let _ = stdout.write_all(ev.text.as_bytes());
            let _ = stdout.flush();
        }
    })?;
    let end = Instant::now();
    // Prefill ends when the first token is chosen; every later token is one decode step.
    let first = first_token_at.unwrap_or(end);
    let prefill_s = first.duration_since(start).as_secs_f64();
    let decode_s = end.duration_since(first).as_secs_f64();
    let prefill_tok_s = rate(g.prompt_tokens.len(), prefill_s);
    let decode_tok_s = rate(g.tokens.len().saturating_sub(1), decode_s);
    let digest: String = g.digest.iter().map(|b| format!("{b:02x}")).collect();
    if json {
        println!(
            "{}",
            json!({
                "prompt_tokens": g.prompt_tokens,
                "tokens": g.tokens,
                "text": g.text,
                "digest": digest,
                "stop": format!("{:?}", g.stop),
                "prefill_tok_s": prefill_tok_s,
                "decode_tok_s": decode_tok_s,
            })
        );
    } else {
        println!();
        eprintln!(
            "[{} prompt tokens, {} generated, stop: {:?}; prefill {prefill_tok_s:.1} tok/s, decode {decode_tok_s:.1} tok/s; digest {digest}]",
            g.prompt_tokens.len(),
            g.tokens.len(),
            g.stop
        );
    }
    Ok(())
}

fn rate(n: usize, seconds: f64) -> f64 {
    if seconds > 0.0 {
        n as f64 / seconds
    } else {
        0.0
    }
}

/// The `k` largest logits as `[id, logit]`, highest first, ties to the lower id.
fn top_k(row: &[f32], k: usize) -> Vec<(u32, f32)> {
    let mut ids: Vec<u32> = (0..row.len() as u32).collect();
    let k = k.min(ids.len());
    let order = |a: &u32, b: &u32| row[*b as usize].total_cmp(&row[*a as usize]).then(a.cmp(b));
    if k < ids.len() {
        ids.select_nth_unstable_by(k - 1, order);
        ids.truncate(k);
    }
    ids.sort_unstable_by(order);
    ids.into_iter().map(|i| (i, row[i as usize])).collect()
}

#[cfg(test)]
mod tests {
    use super::top_k;

    #[test]
    fn top_k_orders_by_logit_then_lower_id() {
        assert_eq!(
            top_k(&[1.0, 3.0, 3.0, 2.0], 3),
            vec![(1, 3.0), (2, 3.0), (3, 2.0)]
        );
        assert_eq!(top_k(&[1.0], 5), vec![(0, 1.0)]);
    }
}
