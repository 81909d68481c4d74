//! The forward pass (llama.cpp `llm_build_llama` / `llm_build_qwen2` order):
//!
//! ```text
//! x = embed(token)
//! per block: h = rms_norm(x) * attn_norm; q,k,v = Wq h (+bq), Wk h (+bk), Wv h (+bv)
//!            rope(q, k); cache k, v; x += Wo attend(q, cache)
//!            h = rms_norm(x) * ffn_norm; x += Wdown (silu(Wgate h) * Wup h)
//! logits = Wout (rms_norm(x) * output_norm)
//! ```
//!
//! Several positions go through together (one read of each weight matrix for the whole batch),
//! but every position's arithmetic is exactly the one-position arithmetic: the kernels compute
//! each output row of each vector independently and the activation quantizer works per vector.
//! So prefill of N tokens and N one-token decodes give identical bits (DESIGN.md section 4.5).

use super::attention::attend_batch;
use super::kv::KvCache;
use super::ops::{add_in_place, rms_norm};
use super::weights::Matrix;
use super::{ForwardError, Model};
use crate::kernels::{Activations, ActivationsQ8, Kernels, MatvecJob};

/// Most positions computed in one batch: bounds the scratch memory (a batch of 128 needs
/// 128 × ffn_dim × 4 bytes per FFN buffer) while amortising each weight read over many tokens.
/// The result does not depend on it.
pub const MAX_BATCH: usize = 128;

/// Which positions' logits the caller wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logits {
    /// Only after the last token (generation).
    Last,
    /// After every token (evaluation, verification by prefill).
    All,
}

/// Reusable buffers of one forward pass (all `[batch][width]`, row-major).
#[derive(Debug, Default)]
pub struct Scratch {
    x: Vec<f32>,
    h: Vec<f32>,
    q: Vec<f32>,
    k: Vec<f32>,
    v: Vec<f32>,
    att: Vec<f32>,
    proj: Vec<f32>,
    gate: Vec<f32>,
    up: Vec<f32>,
    q8: ActivationsQ8,
    scores: Vec<f32>,
    rope: Vec<(f32, f32)>,
    /// `[batch][rope_dim / 2]` (cos, sin) per position.
    rope_all: Vec<(f32, f32)>,
}

/// A matrix input: f32 rows, quantized to Q8 once on first use by a quantized matrix.
struct Input<'a> {
    x: &'a [f32],
    q8: &'a mut ActivationsQ8,
    quantized: bool,
}

impl<'a> Input<'a> {
    fn new(x: &'a [f32], q8: &'a mut ActivationsQ8) -> Self {
        Input {
            x,
            q8,
            quantized: false,
        }
    }
}

impl Model {
    /// `out = m · input` for every row of `input` (`out`: `[batch][m.rows]`).
    fn linear(
        &self,
        k: &Kernels,
        m: &Matrix,
        input: &mut Input<'_>,
        out: &mut Vec<f32>,
    ) -> Result<(), ForwardError> {
        self.linear_many(k, &mut [(m, out)], input)
    }

    /// Several products of the same input in one parallel step (Q/K/V, gate/up): the same bits
    /// as one [`Model::linear`] each, with one thread hand-off.
    fn linear_many(
        &self,
        k: &Kernels,
        jobs: &mut [(&Matrix, &mut Vec<f32>)],
        input: &mut Input<'_>,
    ) -> Result<(), ForwardError> {
        let mut views = Vec::with_capacity(jobs.len());
        for (m, out) in jobs.iter_mut() {
            let batch = input.x.len() / m.cols;
            out.clear();
            out.resize(batch * m.rows, 0.0);
            views.push(m.view(self.file())?);
            if m.ty.is_quantized() && !input.quantized {
                k.quantize(input.q8, input.x, m.cols)?;
                input.quantized = true;
            }
        }
        let (x, q8) = (input.x, &*input.q8);
        let mut mv: Vec<MatvecJob<'_, '_, '_>> = jobs
            .iter_mut()
            .zip(views)
            .map(|((m, out), w)| MatvecJob {
                w,
                x: if m.ty.is_quantized() {
                    Activations::Q8(q8)
                } else {
                    Activations::F32(x)
                },
                out: out.as_mut_slice(),
            })
            .collect();
        k.matvec_many(&mut mv)?;
        Ok(())
    }

    /// Feeds `tokens` at the cache's next positions and returns logits (`[n][vocab]`, with
    /// `n = 1` for [`Logits::Last`] and `n = tokens.len()` for [`Logits::All`]).
    pub fn forward(
        &self,
        k: &Kernels,
        cache: &mut KvCache,
        tokens: &[u32],
        want: Logits,
        s: &mut Scratch,
    ) -> Result<Vec<f32>, ForwardError> {
        let vocab = self.config().vocab_size;
        if let Some(&id) = tokens.iter().find(|&&t| t as usize >= vocab) {
            return Err(ForwardError::TokenOutOfRange { id });
        }
        if cache.len() + tokens.len() > cache.capacity() {
            return Err(ForwardError::ContextFull {
                capacity: cache.capacity(),
            });
        }
        let mut logits = Vec::new();
        let n_chunks = tokens.len().div_ceil(MAX_BATCH);
        for (i, chunk) in tokens.chunks(MAX_BATCH).enumerate() {
            let last_chunk = i + 1 == n_chunks;
            let rows = match want {
                Logits::All => chunk.len(),
                Logits::Last if last_chunk => 1,
                Logits::Last => 0,
            };
            self.forward_batch(k, cache, chunk, s)?;
            if rows > 0 {
                self.output(k, s, chunk.len() - rows, &mut logits)?;
            }
        }
        if logits.iter().any(|l| !l.is_finite()) {
            return Err(ForwardError::NonFinite);
        }
        Ok(logits)
    }

    /// Runs every block for `tokens` (at most [`MAX_BATCH`]); leaves the residual stream in `s.x`.
    fn forward_batch(
        &self,
        k: &Kernels,
        cache: &mut KvCache,
        tokens: &[u32],
        s: &mut Scratch,
    ) -> Result<(), ForwardError> {
        let c = self.config();
        let (dim, q_dim, kv_dim) = (c.dim, c.q_dim(), c.kv_dim());
        let n = tokens.len();
        let p0 = cache.len();
        let w = self.weights();

        // x = embed(token): one dequantized row of token_embd per position.
        s.x.clear();
        s.x.resize(n * dim, 0.0);
        let embd = w.token_embd.view(self.file())?;
        for (row, &t) in s.x.chunks_exact_mut(dim).zip(tokens) {
            crate::quant::dequantize_row(embd.ty(), embd.row(t as usize), row)?;
        }
        s.h.resize(n * dim, 0.0);
        s.att.resize(n * q_dim, 0.0);
        // RoPE (cos, sin) of every position of the batch, shared by all layers.
        let half = c.rope_dim / 2;
        s.rope_all.clear();
        for b in 0..n {
            self.rope().table(p0 + b, &mut s.rope);
            s.rope_all.extend_from_slice(&s.rope);
        }

        for (l, lw) in w.layers.iter().enumerate() {
            for (x, h) in s.x.chunks_exact(dim).zip(s.h.chunks_exact_mut(dim)) {
                rms_norm(k, x, &lw.attn_norm, c.rms_eps, h);
            }
            let mut input = Input::new(&s.h, &mut s.q8);
            let qkv = &mut [(&lw.wq, &mut s.q), (&lw.wk, &mut s.k), (&lw.wv, &mut s.v)];
            self.linear_many(k, qkv, &mut input)?;
            if let Some((bq, bk, bv)) = &lw.qkv_bias {
                s.q.chunks_exact_mut(q_dim)
                    .for_each(|r| add_in_place(r, bq));
                s.k.chunks_exact_mut(kv_dim)
                    .for_each(|r| add_in_place(r, bk));
                s.v.chunks_exact_mut(kv_dim)
                    .for_each(|r| add_in_place(r, bv));
            }
            for b in 0..n {
                let table = &s.rope_all[b * half..(b + 1) * half];
                let q = &mut s.q[b * q_dim..(b + 1) * q_dim];
                self.rope().apply(q, c.head_dim, table);
                let kr = &mut s.k[b * kv_dim..(b + 1) * kv_dim];
                self.rope().apply(kr, c.head_dim, table);
                cache.push(l, kr, &s.v[b * kv_dim..(b + 1) * kv_dim]);
            }
            let (keys, values) = cache.layer(l);
            let capacity = cache.capacity();
            attend_batch(
                k,
                c,
                &s.q,
                keys,
                values,
                capacity,
                p0,
                &mut s.scores,
                &mut s.att,
            )?;
            let mut input = Input::new(&s.att, &mut s.q8);
            self.linear(k, &lw.wo, &mut input, &mut s.proj)?;
            add_in_place(&mut s.x, &s.proj);

            for (x, h) in s.x.chunks_exact(dim).zip(s.h.chunks_exact_mut(dim)) {
                rms_norm(k, x, &lw.ffn_norm, c.rms_eps, h);
            }
            let mut input = Input::new(&s.h, &mut s.q8);
            let gate_up = &mut [(&lw.w_gate, &mut s.gate), (&lw.w_up, &mut s.up)];
            self.linear_many(k, gate_up, &mut input)?;
            k.swiglu(&mut s.gate, &s.up);
            let mut input = Input::new(&s.gate, &mut s.q8);
            self.linear(k, &lw.w_down, &mut input, &mut s.proj)?;
            add_in_place(&mut s.x, &s.proj);
        }
        cache.advance(n);
        Ok(())
    }

    /// Appends the logits of batch rows `from..` of `s.x` to `logits`.
    fn output(
        &self,
        k: &Kernels,
        s: &mut Scratch,
        from: usize,
        logits: &mut Vec<f32>,
    ) -> Result<(), ForwardError> {
        let c = self.config();
        let x = &s.x[from * c.dim..];
        s.h.resize(x.len(), 0.0);
        for (xr, hr) in x.chunks_exact(c.dim).zip(s.h.chunks_exact_mut(c.dim)) {
            rms_norm(k, xr, &self.weights().output_norm, c.rms_eps, hr);
        }
        let mut input = Input::new(&s.h[..x.len()], &mut s.q8);
        self.linear(k, &self.weights().output, &mut input, &mut s.proj)?;
        logits.extend_from_slice(&s.proj);
        Ok(())
    }
}
