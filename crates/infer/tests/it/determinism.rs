//! Determinism on the real default model (SmolLM2-135M Q4_1): the digest does not depend on the
//! thread count or the kernel path, and one prefill pass over prompt + output reproduces every
//! step's logits bit for bit (verification by prefill, DESIGN.md section 4.5).

use wicas_infer::kernels::KernelChoice;
use wicas_infer::sample::OutputDigest;
use wicas_infer::{
    Engine, EngineOptions, GenerateRequest, Generation, LlamaEngine, Prompt, SamplingParams,
};

use crate::fixtures;

const PROMPT: &str = "<|im_start|>user\nName three colours.<|im_end|>\n<|im_start|>assistant\n";

fn engine(threads: usize, kernels: KernelChoice) -> LlamaEngine {
    let options = EngineOptions {
        threads,
        kernels,
        max_context: Some(512),
    };
    LlamaEngine::load(fixtures::smollm2(), options).unwrap()
}

fn request(sampling: SamplingParams) -> GenerateRequest {
    GenerateRequest {
        prompt: Prompt::Text(PROMPT.into()),
        max_tokens: 12,
        sampling,
        seed: *b"wicas determinism test seed 0001",
    }
}

fn sampled() -> SamplingParams {
    SamplingParams {
        temperature: 0.8,
        top_k: 50,
        top_p: 0.9,
        repeat_penalty: 1.1,
        repeat_last_n: 64,
    }
}

#[test]
fn smollm2_digests_match_across_threads_and_kernel_paths() {
    for sampling in [SamplingParams::GREEDY, sampled()] {
        let reference = engine(1, KernelChoice::Scalar)
            .generate(&request(sampling))
            .unwrap();
        assert_eq!(reference.tokens.len(), 12);
        let simd = crate::support::simd_choices();
        let runs = [(2, KernelChoice::Scalar)]
            .into_iter()
            .chain(simd.iter().flat_map(|&k| [(1, k), (2, k)]));
        for (threads, kernels) in runs {
            let g = engine(threads, kernels)
                .generate(&request(sampling))
                .unwrap();
            assert_eq!(g, reference, "{threads} threads, {kernels:?}");
        }
    }
}

/// Recomputes a generation's digest from one prefill pass over prompt ++ tokens.
fn digest_by_prefill(e: &LlamaEngine, g: &Generation) -> [u8; 32] {
    let mut all = g.prompt_tokens.clone();
    all.extend(&g.tokens[..g.tokens.len() - 1]);
    let logits = e.eval(&all).unwrap();
    let vocab = e.model_info().vocab_size as usize;
    let mut d = OutputDigest::new();
    for (i, &t) in g.tokens.iter().enumerate() {
        let p = g.prompt_tokens.len() - 1 + i;
        d.step(&logits[p * vocab..(p + 1) * vocab], t);
    }
    d.finish()
}

#[test]
fn smollm2_one_prefill_pass_reproduces_a_sampled_generation_digest() {
    for kernels in crate::support::simd_choices() {
        let e = engine(2, kernels);
        let g = e.generate(&request(sampled())).unwrap();
        assert_eq!(digest_by_prefill(&e, &g), g.digest, "{kernels:?}");
    }
}
