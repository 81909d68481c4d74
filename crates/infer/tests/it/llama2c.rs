//! llama2.c checkpoints: a synthetic one round-trips byte for byte; SmolLM2 exported to the format
//! and loaded back predicts like the GGUF it came from; hostile headers are refused.

use wicas_infer::kernels::Kernels;
use wicas_infer::llama2c::{
    HEADER_BYTES, Llama2cConfig, Llama2cError, Llama2cOptions, export_checkpoint, load_checkpoint,
};
use wicas_infer::model::{Logits, Model, Scratch};
use wicas_infer::tokenizer::write_tokenizer_bin;
use wicas_infer::{
    Engine, EngineOptions, GenerateRequest, LlamaEngine, Prompt, SamplingParams, Tokenizer,
};

use crate::model_files::{gguf_metadata, model_path};

/// A tokenizer.bin of 300 tokens: <unk>, <s>, </s>, 256 byte tokens, then letters.
fn tiny_tokenizer_bin() -> Vec<u8> {
    let mut toks: Vec<Vec<u8>> = vec![b"<unk>".to_vec(), b"<s>".to_vec(), b"</s>".to_vec()];
    toks.extend((0..=255u8).map(|b| format!("<0x{b:02X}>").into_bytes()));
    toks.extend((0..41u8).map(|i| vec![b' ', b'a' + i % 26, b'a' + i / 26]));
    let mut out = 8i32.to_le_bytes().to_vec();
    for (i, t) in toks.iter().enumerate() {
        out.extend_from_slice(&(-(i as f32)).to_le_bytes());
        out.extend_from_slice(&(t.len() as i32).to_le_bytes());
        out.extend_from_slice(t);
    }
    out
}

/// A tiny checkpoint with deterministic pseudo-random weights (zeros where run.c skips).
fn tiny_checkpoint(shared: bool) -> (Llama2cConfig, Vec<u8>) {
    let cfg = Llama2cConfig {
        dim: 16,
        hidden_dim: 24,
        n_layers: 2,
        n_heads: 4,
        n_kv_heads: 2,
        vocab_size: 300,
        seq_len: 8,
        shared_classifier: shared,
    };
    let mut out = cfg.to_bytes().to_vec();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for (part, rows, cols, count) in cfg.layout() {
        for _ in 0..rows * cols * count {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let v = if part == "freq_cis" {
                0.0
            } else if part.ends_with("norm") {
                1.0 + (state % 100) as f32 / 1000.0
            } else {
                ((state % 2001) as f32 - 1000.0) / 4000.0
            };
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    (cfg, out)
}

fn logits(model: &Model, tokens: &[u32]) -> Vec<f32> {
    let mut cache = model.new_cache(tokens.len());
    model
        .forward(
            &Kernels::scalar(),
            &mut cache,
            tokens,
            Logits::All,
            &mut Scratch::default(),
        )
        .expect("forward")
}

fn argmax(row: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = i;
        }
    }
    best
}

#[test]
fn a_llama2c_checkpoint_loads_runs_and_exports_back_byte_for_byte() {
    for shared in [true, false] {
        let (cfg, ckpt) = tiny_checkpoint(shared);
        assert_eq!(ckpt.len() as u64, cfg.file_bytes().unwrap());
        let (model, tok) =
            load_checkpoint(&ckpt, &tiny_tokenizer_bin(), Llama2cOptions::default()).unwrap();
        assert_eq!(model.config().vocab_size, 300);
        assert_eq!(model.config().n_kv_heads, 2);
        let ids = tok.encode("ab", true);
        assert_eq!(ids[0], 1);
        let l = logits(&model, &ids);
        assert_eq!(l.len(), ids.len() * 300);
        assert!(l.iter().all(|x| x.is_finite()));
        let mut back = Vec::new();
        export_checkpoint(&model, &mut back).unwrap();
        assert!(
            back == ckpt,
            "export(load(x)) != x (shared classifier: {shared})"
        );
        // The engine finds the llama2.c tokenizer in the converted model and generates from text.
        let engine = LlamaEngine::from_model(model, EngineOptions::default()).unwrap();
        let from_engine = engine.tokenizer().expect("tokenizer carried in the model");
        assert_eq!(from_engine.encode("ab ba", true), tok.encode("ab ba", true));
        let g = engine
            .generate(&GenerateRequest {
                prompt: Prompt::Text("ab".into()),
                max_tokens: 3,
                sampling: SamplingParams::GREEDY,
                seed: [0; 32],
            })
            .unwrap();
        assert_eq!(g.prompt_tokens, ids);
        assert!(!g.tokens.is_empty());
    }
}

#[test]
fn hostile_checkpoints_are_refused_with_typed_errors() {
    let tok = tiny_tokenizer_bin();
    let opts = Llama2cOptions::default();
    let (_, ckpt) = tiny_checkpoint(true);
    let err = |bytes: &[u8]| load_checkpoint(bytes, &tok, opts).map(|_| ()).unwrap_err();

    assert!(matches!(err(&ckpt[..10]), Llama2cError::Truncated { .. }));
    assert!(matches!(
        err(&ckpt[..ckpt.len() - 4]),
        Llama2cError::Truncated { .. }
    ));
    let mut longer = ckpt.clone();
    longer.extend_from_slice(&[0; 4]);
    assert!(matches!(err(&longer), Llama2cError::SizeMismatch { .. }));
    // Negative vocab size = separate classifier, which this file does not hold.
    let mut flipped = ckpt.clone();
    flipped[20..24].copy_from_slice(&(-300i32).to_le_bytes());
    assert!(matches!(err(&flipped), Llama2cError::Truncated { .. }));
    for (field, value) in [
        (0, 0),
        (0, -16),
        (2, 0),
        (3, 3),
        (4, 3),
        (5, 0),
        (6, i32::MIN),
        (0, i32::MAX),
    ] {
        let mut bad = ckpt.clone();
        bad[4 * field..4 * field + 4].copy_from_slice(&value.to_le_bytes());
        assert!(
            matches!(
                err(&bad),
                Llama2cError::BadHeader { .. } | Llama2cError::Truncated { .. }
            ),
            "field {field} = {value}"
        );
    }
    // A tokenizer.bin for another vocabulary size.
    assert!(matches!(
        load_checkpoint(&ckpt, &tok[..tok.len() - 3], opts)
            .map(|_| ())
            .unwrap_err(),
        Llama2cError::Tokenizer(_)
    ));
    assert!(
        matches!(err(&[]), Llama2cError::Truncated { expected, .. } if expected == HEADER_BYTES as u64)
    );
}

#[test]
fn smollm2_exported_to_llama2c_predicts_like_the_gguf() {
    let path = model_path("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2");
    let gguf = Model::load(&path).expect("SmolLM2");
    let tok = Tokenizer::from_gguf(&gguf_metadata(&path)).unwrap();
    let mut ckpt = Vec::new();
    export_checkpoint(&gguf, &mut ckpt).unwrap();
    let cfg = Llama2cConfig::parse(&ckpt).unwrap();
    assert!(
        cfg.shared_classifier,
        "SmolLM2 ties its classifier to the embedding"
    );
    assert_eq!(ckpt.len() as u64, cfg.file_bytes().unwrap());
    let opts = Llama2cOptions {
        rope_base: gguf.config().rope_base,
        rms_eps: gguf.config().rms_eps,
    };
    let (l2c, l2c_tok) = load_checkpoint(&ckpt, &write_tokenizer_bin(&tok), opts).unwrap();
    drop(ckpt);
    assert_eq!(l2c_tok.vocab_size(), tok.vocab_size());
    let c = gguf.config();
    let d = l2c.config();
    assert_eq!(
        (
            d.dim,
            d.ffn_dim,
            d.n_layers,
            d.n_heads,
            d.n_kv_heads,
            d.vocab_size,
            d.context_length
        ),
        (
            c.dim,
            c.ffn_dim,
            c.n_layers,
            c.n_heads,
            c.n_kv_heads,
            c.vocab_size,
            c.context_length
        )
    );
    // Same weights (dequantized exactly), f32 instead of Q8 activations: the predictions agree.
    let ids = tok.encode("Once upon a time, in a small village by the sea,", true);
    let (a, b) = (logits(&gguf, &ids), logits(&l2c, &ids));
    let v = c.vocab_size;
    let mut agree = 0;
    let (mut sum_diff, mut n_diff) = (0f32, 0);
    for p in 0..ids.len() {
        let (ra, rb) = (&a[p * v..(p + 1) * v], &b[p * v..(p + 1) * v]);
        agree += usize::from(argmax(ra) == argmax(rb));
        // Mean |Δlogit| over the GGUF model's 16 largest logits, as the golden comparisons do.
        let mut order: Vec<usize> = (0..v).collect();
        order.sort_by(|&i, &j| ra[j].total_cmp(&ra[i]).then(i.cmp(&j)));
        for &i in &order[..16] {
            sum_diff += (ra[i] - rb[i]).abs();
            n_diff += 1;
        }
    }
    let mean_diff = sum_diff / n_diff as f32;
    eprintln!(
        "llama2.c vs GGUF: top-1 {agree}/{}, mean |dlogit| over top-16 {mean_diff:.4}",
        ids.len()
    );
    assert!(
        agree + 1 >= ids.len(),
        "top-1 agrees at {agree} of {} positions",
        ids.len()
    );
    assert!(
        mean_diff < 0.3,
        "mean |dlogit| over the top 16: {mean_diff}"
    );
    // And the llama2.c tokenizer decodes what the model says.
    let last = &b[(ids.len() - 1) * v..];
    let next = argmax(last) as u32;
    assert_eq!(l2c_tok.decode(&[next]), tok.decode(&[next]));
}
