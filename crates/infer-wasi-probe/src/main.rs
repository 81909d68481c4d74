//! # wicas-infer-wasi-probe — one greedy generation, printed for comparison
//!
//! A tiny program whose only job is to be compiled to `wasm32-wasip1` (twice: portable, and with
//! `-C target-feature=+simd128`) and run under wasmtime by `wicas-wasi-host`'s tests, which compare
//! what it prints with the native engine's [`Generation`]: same tokens, same digest (issue 3 item 4,
//! DESIGN.md section 4.7 "native vs wasm32"). It also builds and runs natively, so it stays an
//! ordinary workspace member.
//!
//! ```text
//! wicas-infer-wasi-probe --model PATH (--tokens 1,2,3 | --prompt TEXT)
//!                        [--max-tokens N] [--kernels auto|scalar|avx2|avx512]
//! ```
//!
//! Output, one `key value` pair per line: `isa`, `prompt_tokens`, `tokens`, `stop`, `digest`
//! (hex SHA-256 over token ids and every step's logits bits).
//!
//! The model is read into memory with `std::fs::read` (WASI has no `mmap`; under wasmtime the
//! file comes from a preopened directory). The program reads no clock and no randomness: the
//! host can run it with zero clocks and fixed random bytes.

use std::process::ExitCode;

use wicas_infer::gguf::GgufFile;
use wicas_infer::kernels::KernelChoice;
use wicas_infer::{
    Engine, EngineOptions, GenerateRequest, Generation, LlamaEngine, Prompt, SamplingParams,
    StopReason,
};

/// The parsed command line.
#[derive(Debug)]
struct Args {
    model: String,
    prompt: Prompt,
    max_tokens: u32,
    kernels: KernelChoice,
}

const USAGE: &str = "usage: wicas-infer-wasi-probe --model PATH (--tokens 1,2,3 | --prompt TEXT) \
                     [--max-tokens N] [--kernels auto|scalar|avx2|avx512]";

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut model, mut prompt, mut max_tokens, mut kernels) = (None, None, 8, KernelChoice::Auto);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--model" => model = Some(value()?),
            "--prompt" => prompt = Some(Prompt::Text(value()?)),
            "--tokens" => {
                let ids = value()?
                    .split(',')
                    .map(|t| t.trim().parse::<u32>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("--tokens: {e}"))?;
                prompt = Some(Prompt::Tokens(ids));
            }
            "--max-tokens" => {
                max_tokens = value()?.parse().map_err(|e| format!("--max-tokens: {e}"))?
            }
            "--kernels" => kernels = value()?.parse().map_err(|e| format!("--kernels: {e}"))?,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Args {
        model: model.ok_or("--model is required")?,
        prompt: prompt.ok_or("--tokens or --prompt is required")?,
        max_tokens,
        kernels,
    })
}

fn run(args: &Args) -> Result<(&'static str, Generation), String> {
    let bytes = std::fs::read(&args.model).map_err(|e| format!("{}: {e}", args.model))?;
    let file = GgufFile::from_bytes(args.model.as_str(), bytes).map_err(|e| e.to_string())?;
    let options = EngineOptions {
        threads: 1,
        kernels: args.kernels,
        max_context: None,
    };
    let engine = LlamaEngine::from_file(file, options).map_err(|e| e.to_string())?;
    let request = GenerateRequest {
        prompt: args.prompt.clone(),
        max_tokens: args.max_tokens,
        sampling: SamplingParams::GREEDY,
        seed: [0; 32],
    };
    let generation = engine.generate(&request).map_err(|e| e.to_string())?;
    Ok((engine.kernels().isa().name(), generation))
}

fn join(ids: &[u32]) -> String {
    ids.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok((isa, g)) => {
            let stop = match g.stop {
                StopReason::EndOfGeneration => "end_of_generation",
                StopReason::MaxTokens => "max_tokens",
                StopReason::ContextFull => "context_full",
            };
            let digest: String = g.digest.iter().map(|b| format!("{b:02x}")).collect();
            println!("isa {isa}");
            println!("prompt_tokens {}", join(&g.prompt_tokens));
            println!("tokens {}", join(&g.tokens));
            println!("stop {stop}");
            println!("digest {digest}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Args, String> {
        parse_args(line.split(' ').map(str::to_owned))
    }

    #[test]
    fn a_full_command_line_parses() {
        let a = parse("--model m.gguf --tokens 1,2,3 --max-tokens 4 --kernels scalar").unwrap();
        assert_eq!(a.model, "m.gguf");
        assert_eq!(a.prompt, Prompt::Tokens(vec![1, 2, 3]));
        assert_eq!((a.max_tokens, a.kernels), (4, KernelChoice::Scalar));
    }

    #[test]
    fn bad_command_lines_are_refused_with_a_reason() {
        // Missing model, missing prompt, a non-numeric token, an unknown kernel, a stray flag,
        // a flag without its value.
        for (line, reason) in [
            ("--tokens 1", "--model is required"),
            ("--model m", "--tokens or --prompt is required"),
            ("--model m --tokens 1,x", "--tokens: invalid digit"),
            (
                "--model m --tokens 1 --kernels avx9",
                "--kernels: unknown kernel choice",
            ),
            ("--model m --tokens 1 --fast", "unknown argument"),
            ("--model m --tokens", "--tokens needs a value"),
        ] {
            let err = parse(line).unwrap_err();
            assert!(err.contains(reason), "{line:?}: {err}");
        }
    }
}
