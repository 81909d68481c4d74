//! Greedy, temperature, top-k, top-p and repetition penalty, in llama.cpp's order
//! (penalties → top-k → temperature → softmax → top-p → draw), with a fixed float order.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

use crate::engine::{EngineError, SamplingParams};

/// Index of the largest logit; ties go to the lowest token id. NaN is never the maximum.
pub fn argmax(logits: &[f32]) -> u32 {
    let mut best = 0usize;
    for (i, &l) in logits.iter().enumerate() {
        if l > logits[best] || (logits[best].is_nan() && !l.is_nan()) {
            best = i;
        }
    }
    best as u32
}

/// Checks sampling parameters; every refusal is a deterministic error.
pub fn validate(p: &SamplingParams) -> Result<(), EngineError> {
    if !(p.temperature.is_finite() && p.temperature >= 0.0) {
        return Err(EngineError::InvalidSampling(
            "temperature must be finite and >= 0",
        ));
    }
    if !(p.top_p > 0.0 && p.top_p <= 1.0) {
        return Err(EngineError::InvalidSampling("top_p must be in (0, 1]"));
    }
    if !(p.repeat_penalty.is_finite() && p.repeat_penalty > 0.0) {
        return Err(EngineError::InvalidSampling(
            "repeat_penalty must be finite and > 0",
        ));
    }
    Ok(())
}

/// The total order of candidates: higher logit first, then lower id.
fn by_logit_desc(a: &(u32, f32), b: &(u32, f32)) -> Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Chooses tokens from logits. One per generation: it owns the PRNG stream.
#[derive(Debug)]
pub struct Sampler {
    params: SamplingParams,
    rng: ChaCha20Rng,
    scratch: Vec<f32>,
    candidates: Vec<(u32, f32)>,
}

impl Sampler {
    /// A sampler for `params`, its PRNG keyed by `seed`.
    pub fn new(params: SamplingParams, seed: [u8; 32]) -> Result<Self, EngineError> {
        validate(&params)?;
        Ok(Self {
            params,
            rng: ChaCha20Rng::from_seed(seed),
            scratch: Vec::new(),
            candidates: Vec::new(),
        })
    }

    /// Chooses the next token from `logits`; `history` is every token so far (prompt included),
    /// of which the last `repeat_last_n` are penalised.
    pub fn sample(&mut self, logits: &[f32], history: &[u32]) -> u32 {
        let p = self.params;
        self.scratch.clear();
        self.scratch.extend_from_slice(logits);
        if p.repeat_penalty != 1.0 {
            let n = (p.repeat_last_n as usize).min(history.len());
            let recent: BTreeSet<u32> = history[history.len() - n..].iter().copied().collect();
            for id in recent {
                if let Some(l) = self.scratch.get_mut(id as usize) {
                    // llama.cpp's rule: shrink positive logits, push negative ones further down.
                    *l = if *l <= 0.0 {
                        *l * p.repeat_penalty
                    } else {
                        *l / p.repeat_penalty
                    };
                }
            }
        }
        if p.temperature == 0.0 {
            return argmax(&self.scratch);
        }
        self.draw()
    }

    fn draw(&mut self) -> u32 {
        let p = self.params;
        let c = &mut self.candidates;
        c.clear();
        c.extend(self.scratch.iter().enumerate().map(|(i, &l)| (i as u32, l)));
        let k = p.top_k as usize;
        if k > 0 && k < c.len() {
            // by_logit_desc is a strict total order (ids are unique), so the selected set and
            // its order do not depend on the algorithm.
            c.select_nth_unstable_by(k - 1, by_logit_desc);
            c.truncate(k);
        }
        c.sort_unstable_by(by_logit_desc);
        // Temperature, then softmax with the maximum subtracted; sums front to back.
        let max = c[0].1 / p.temperature;
        let mut sum = 0.0f32;
        for cand in c.iter_mut() {
            let e = libm::expf(cand.1 / p.temperature - max);
            cand.1 = e;
            sum += e;
        }
        // Top-p: the shortest prefix whose probability reaches top_p (at least one token).
        let mut kept = c.len();
        if p.top_p < 1.0 {
            let mut cum = 0.0f32;
            for (i, cand) in c.iter().enumerate() {
                cum += cand.1 / sum;
                if cum >= p.top_p {
                    kept = i + 1;
                    break;
                }
            }
        }
        c.truncate(kept);
        let kept_sum: f32 = c.iter().fold(0.0f32, |a, cand| a + cand.1);
        // A uniform draw in [0, 1) from the top 24 bits of one ChaCha20 word (exact in f32).
        let u = (self.rng.next_u32() >> 8) as f32 * (1.0 / 16_777_216.0);
        let target = u * kept_sum;
        let mut cum = 0.0f32;
        for cand in c.iter() {
            cum += cand.1;
            if cum > target {
                return cand.0;
            }
        }
        c[c.len() - 1].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(temperature: f32, top_k: u32, top_p: f32) -> SamplingParams {
        SamplingParams {
            temperature,
            top_k,
            top_p,
            ..SamplingParams::GREEDY
        }
    }

    #[test]
    fn greedy_ties_go_to_the_lowest_id() {
        assert_eq!(argmax(&[1.0, 3.0, 3.0, 2.0]), 1);
        assert_eq!(argmax(&[f32::NAN, 1.0]), 1);
        let mut s = Sampler::new(SamplingParams::GREEDY, [0; 32]).unwrap();
        assert_eq!(s.sample(&[0.5, 0.5], &[]), 0);
    }

    #[test]
    fn the_same_seed_gives_the_same_tokens_and_another_seed_may_not() {
        let logits: Vec<f32> = (0..100).map(|i| (i % 7) as f32 * 0.3).collect();
        let run = |seed| {
            let mut s = Sampler::new(params(1.0, 0, 1.0), seed).unwrap();
            (0..32).map(|_| s.sample(&logits, &[])).collect::<Vec<_>>()
        };
        assert_eq!(run([1; 32]), run([1; 32]));
        assert_ne!(run([1; 32]), run([2; 32]));
    }

    #[test]
    fn top_k_one_is_greedy() {
        let logits = [0.1, 0.9, 0.9, 0.3];
        let mut s = Sampler::new(params(2.0, 1, 1.0), [9; 32]).unwrap();
        for _ in 0..20 {
            assert_eq!(s.sample(&logits, &[]), 1);
        }
    }

    #[test]
    fn a_tiny_top_p_keeps_only_the_most_likely_token() {
        let logits = [0.0, 5.0, 1.0];
        let mut s = Sampler::new(params(1.0, 0, 0.01), [3; 32]).unwrap();
        for _ in 0..20 {
            assert_eq!(s.sample(&logits, &[]), 1);
        }
    }

    #[test]
    fn repetition_penalty_demotes_recent_tokens() {
        let mut p = SamplingParams::GREEDY;
        p.repeat_penalty = 2.0;
        let mut s = Sampler::new(p, [0; 32]).unwrap();
        assert_eq!(s.sample(&[1.0, 1.5, -1.0], &[1]), 0);
    }

    #[test]
    fn invalid_parameters_are_refused() {
        for p in [
            params(-1.0, 0, 1.0),
            params(f32::NAN, 0, 1.0),
            params(1.0, 0, 0.0),
            params(1.0, 0, 1.5),
        ] {
            assert!(matches!(
                Sampler::new(p, [0; 32]),
                Err(EngineError::InvalidSampling(_))
            ));
        }
    }
}
