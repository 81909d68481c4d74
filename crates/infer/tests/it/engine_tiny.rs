//! The engine on tiny random models: batch invariance, thread and kernel invariance, sampling,
//! and refusals. Bad input tried: an empty prompt, an out-of-vocabulary id, a prompt longer than
//! the context, text without a tokenizer, invalid sampling, an unknown architecture, a missing
//! tensor, a tensor of the wrong shape, and a file cut short.

use wicas_infer::gguf::{GgufFile, GgufWriter, MetaValue, parse};
use wicas_infer::kernels::KernelChoice;
use wicas_infer::model::{LoadError, Logits, ModelError};
use wicas_infer::{
    Engine, EngineError, EngineLoadError, EngineOptions, GenerateRequest, LlamaEngine, Prompt,
    SamplingParams, StopReason,
};

use wicas_infer::testing::{CONTEXT, VOCAB, tiny_model};

fn engine(arch: &str, threads: usize, kernels: KernelChoice) -> LlamaEngine {
    let file = GgufFile::from_bytes(format!("tiny-{arch}.gguf"), tiny_model(arch, 7)).unwrap();
    let options = EngineOptions {
        threads,
        kernels,
        max_context: None,
    };
    LlamaEngine::from_file(file, options).unwrap()
}

fn prompt() -> Vec<u32> {
    (0..13).map(|i| (i * 37 + 5) % VOCAB as u32).collect()
}

fn request(sampling: SamplingParams) -> GenerateRequest {
    GenerateRequest {
        prompt: Prompt::Tokens(prompt()),
        max_tokens: 20,
        sampling,
        seed: [42; 32],
    }
}

fn warm() -> SamplingParams {
    SamplingParams {
        temperature: 0.9,
        top_k: 40,
        top_p: 0.95,
        repeat_penalty: 1.1,
        repeat_last_n: 16,
    }
}

#[test]
fn prefill_gives_the_same_bits_as_one_token_decode() {
    for (arch, kernels) in ["llama", "qwen2"].into_iter().flat_map(|a| {
        crate::support::simd_choices()
            .into_iter()
            .map(move |k| (a, k))
    }) {
        let e = engine(arch, 1, kernels);
        let tokens = prompt();
        let all = e.eval(&tokens).unwrap();
        let mut s = e.session(tokens.len());
        let mut one_by_one = Vec::new();
        for (i, &t) in tokens.iter().enumerate() {
            one_by_one.extend(s.feed(&[t], Logits::All, i).unwrap());
        }
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&all), bits(&one_by_one), "{arch} {kernels:?}");
        // Uneven chunks too.
        let mut s = e.session(tokens.len());
        let mut chunked = s.feed(&tokens[..5], Logits::All, 0).unwrap();
        chunked.extend(s.feed(&tokens[5..], Logits::All, 0).unwrap());
        assert_eq!(bits(&all), bits(&chunked), "{arch} {kernels:?}");
    }
}

#[test]
fn digests_are_identical_for_one_or_two_threads_and_scalar_or_simd_kernels() {
    for arch in ["llama", "qwen2"] {
        for sampling in [SamplingParams::GREEDY, warm()] {
            let reference = engine(arch, 1, KernelChoice::Scalar)
                .generate(&request(sampling))
                .unwrap();
            assert_eq!(reference.tokens.len(), 20);
            let simd = crate::support::simd_choices();
            let runs = [(2, KernelChoice::Scalar)]
                .into_iter()
                .chain(simd.iter().flat_map(|&k| [(1, k), (2, k)]));
            for (threads, kernels) in runs {
                let g = engine(arch, threads, kernels)
                    .generate(&request(sampling))
                    .unwrap();
                assert_eq!(g, reference, "{arch} {threads} threads {kernels:?}");
            }
        }
    }
}

#[test]
fn the_seed_drives_sampling_and_greedy_ignores_it() {
    let e = engine("llama", 1, KernelChoice::Auto);
    let a = e.generate(&request(warm())).unwrap();
    let mut other = request(warm());
    other.seed = [43; 32];
    let b = e.generate(&other).unwrap();
    assert_ne!(a.tokens, b.tokens);
    assert_ne!(a.digest, b.digest);
    let mut g1 = request(SamplingParams::GREEDY);
    let mut g2 = g1.clone();
    g1.seed = [1; 32];
    g2.seed = [2; 32];
    assert_eq!(e.generate(&g1).unwrap(), e.generate(&g2).unwrap());
}

#[test]
fn greedy_generation_follows_the_argmax_of_eval() {
    let e = engine("qwen2", 1, KernelChoice::Auto);
    let mut req = request(SamplingParams::GREEDY);
    req.max_tokens = 5;
    let g = e.generate(&req).unwrap();
    assert_eq!(g.stop, StopReason::MaxTokens);
    let mut all = prompt();
    all.extend(&g.tokens[..4]);
    let logits = e.eval(&all).unwrap();
    for (i, &t) in g.tokens.iter().enumerate() {
        let p = prompt().len() - 1 + i;
        let row = &logits[p * VOCAB..(p + 1) * VOCAB];
        assert_eq!(wicas_infer::sample::argmax(row), t);
    }
}

#[test]
fn generation_stops_when_the_context_is_full() {
    let e = engine("llama", 1, KernelChoice::Auto);
    let mut req = request(SamplingParams::GREEDY);
    req.max_tokens = 1000;
    let g = e.generate(&req).unwrap();
    assert_eq!(g.stop, StopReason::ContextFull);
    assert_eq!(g.prompt_tokens.len() + g.tokens.len(), CONTEXT + 1);
}

#[test]
fn bad_requests_are_refused_with_typed_errors() {
    let e = engine("llama", 1, KernelChoice::Auto);
    let with = |prompt| GenerateRequest {
        prompt,
        ..request(SamplingParams::GREEDY)
    };
    assert_eq!(
        e.generate(&with(Prompt::Tokens(vec![]))),
        Err(EngineError::EmptyPrompt)
    );
    assert_eq!(
        e.generate(&with(Prompt::Tokens(vec![1, VOCAB as u32]))),
        Err(EngineError::TokenOutOfRange {
            id: VOCAB as u32,
            vocab_size: VOCAB as u32
        })
    );
    assert_eq!(
        e.generate(&with(Prompt::Tokens(vec![1; CONTEXT + 1]))),
        Err(EngineError::PromptTooLong {
            prompt_tokens: CONTEXT + 1,
            context_length: CONTEXT as u32
        })
    );
    assert_eq!(
        e.generate(&with(Prompt::Text("hi".into()))),
        Err(EngineError::NoTokenizer)
    );
    let mut bad = request(SamplingParams::GREEDY);
    bad.sampling.top_p = 0.0;
    assert!(matches!(
        e.generate(&bad),
        Err(EngineError::InvalidSampling(_))
    ));
}

/// Rewrites the tiny model's metadata/tensors through `edit` and loads it.
fn load_edited(
    edit: impl FnOnce(&mut GgufWriter, &wicas_infer::gguf::GgufContent, &[u8]),
) -> EngineLoadError {
    let bytes = tiny_model("llama", 1);
    let content = parse(&bytes).unwrap();
    let mut w = GgufWriter::new();
    edit(&mut w, &content, &bytes);
    let file = GgufFile::from_bytes("edited.gguf", w.to_bytes()).unwrap();
    LlamaEngine::from_file(file, EngineOptions::default()).unwrap_err()
}

fn copy_tensors(w: &mut GgufWriter, c: &wicas_infer::gguf::GgufContent, bytes: &[u8], skip: &str) {
    for t in c.tensors.iter().filter(|t| t.name != skip) {
        let start = (c.data_offset + t.offset) as usize;
        let data = bytes[start..start + t.n_bytes as usize].to_vec();
        w.tensor(t.name.clone(), &t.dims, t.type_id, data);
    }
}

#[test]
fn an_unknown_architecture_a_missing_tensor_or_a_wrong_shape_is_refused() {
    let err = load_edited(|w, c, b| {
        for (k, v) in &c.metadata {
            let v = if k == "general.architecture" {
                MetaValue::String("mamba".into())
            } else {
                v.clone()
            };
            w.meta(k.replace("llama.", "mamba."), v);
        }
        copy_tensors(w, c, b, "");
    });
    assert!(
        matches!(&err, EngineLoadError::Model(LoadError::Model { reason: ModelError::UnknownArchitecture(a), .. }) if a == "mamba"),
        "{err}"
    );
    assert!(err.to_string().contains("edited.gguf"), "{err}");

    let err = load_edited(|w, c, b| {
        for (k, v) in &c.metadata {
            w.meta(k.clone(), v.clone());
        }
        copy_tensors(w, c, b, "blk.1.ffn_up.weight");
    });
    assert!(
        err.to_string()
            .contains("missing tensor \"blk.1.ffn_up.weight\""),
        "{err}"
    );

    let err = load_edited(|w, c, b| {
        for (k, v) in &c.metadata {
            let v = if k == "llama.feed_forward_length" {
                MetaValue::U32(1024)
            } else {
                v.clone()
            };
            w.meta(k.clone(), v);
        }
        copy_tensors(w, c, b, "");
    });
    assert!(
        matches!(
            &err,
            EngineLoadError::Model(LoadError::Model {
                reason: ModelError::TensorShape { .. },
                ..
            })
        ),
        "{err}"
    );
}

#[test]
fn a_model_file_cut_short_is_refused() {
    let bytes = tiny_model("llama", 1);
    let err = GgufFile::from_bytes("cut.gguf", bytes[..bytes.len() - 100].to_vec()).unwrap_err();
    assert!(err.to_string().contains("cut.gguf"), "{err}");
}
