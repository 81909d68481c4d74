//! Model hyper-parameters read from GGUF metadata (`{arch}.embedding_length`, ...; key names from
//! llama.cpp's llama-arch.cpp `LLM_KV_NAMES`).

use std::collections::BTreeMap;

use super::error::ModelError;
use crate::gguf::MetaValue;

/// Architectures this engine runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Architecture {
    /// Llama 2/3, SmolLM2, TinyLlama: no attention biases, RoPE on adjacent pairs.
    Llama,
    /// Qwen2 / Qwen2.5: q/k/v biases, RoPE on split halves.
    Qwen2,
}

/// How RoPE pairs the dimensions of a head (llama.cpp `llama_model_rope_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RopeStyle {
    /// `LLAMA_ROPE_TYPE_NORM`: pairs (2i, 2i+1). GGUF llama weights are permuted for it.
    Adjacent,
    /// `LLAMA_ROPE_TYPE_NEOX`: pairs (i, i + rope_dim/2).
    SplitHalves,
}

impl Architecture {
    /// The architecture named by `general.architecture`.
    pub fn from_name(name: &str) -> Result<Self, ModelError> {
        match name {
            "llama" => Ok(Architecture::Llama),
            "qwen2" => Ok(Architecture::Qwen2),
            other => Err(ModelError::UnknownArchitecture(other.to_owned())),
        }
    }

    /// The GGUF name (metadata key prefix).
    pub fn name(self) -> &'static str {
        match self {
            Architecture::Llama => "llama",
            Architecture::Qwen2 => "qwen2",
        }
    }

    /// RoPE pairing (llama.cpp llama-model.cpp: LLAMA → NORM, QWEN2 → NEOX).
    pub fn rope_style(self) -> RopeStyle {
        match self {
            Architecture::Llama => RopeStyle::Adjacent,
            Architecture::Qwen2 => RopeStyle::SplitHalves,
        }
    }

    /// Whether q, k and v projections carry biases.
    pub fn has_qkv_bias(self) -> bool {
        matches!(self, Architecture::Qwen2)
    }
}

/// Largest dimension the engine accepts for any hyper-parameter: keeps products far from overflow
/// and refuses absurd metadata before any allocation.
const MAX_DIM: u64 = 1 << 20;

/// Hyper-parameters of a decoder-only transformer.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelConfig {
    /// Architecture.
    pub arch: Architecture,
    /// Residual stream width (`embedding_length`).
    pub dim: usize,
    /// Transformer blocks (`block_count`).
    pub n_layers: usize,
    /// Query heads (`attention.head_count`).
    pub n_heads: usize,
    /// Key/value heads (`attention.head_count_kv`, GQA when smaller than `n_heads`).
    pub n_kv_heads: usize,
    /// Width of one head.
    pub head_dim: usize,
    /// Hidden width of the feed-forward block (`feed_forward_length`).
    pub ffn_dim: usize,
    /// Vocabulary size (rows of `token_embd.weight`).
    pub vocab_size: usize,
    /// Context length the model was trained for (`context_length`).
    pub context_length: usize,
    /// RoPE base (`rope.freq_base`, default 10000).
    pub rope_base: f32,
    /// Dimensions of each head that RoPE rotates (`rope.dimension_count`, default `head_dim`).
    pub rope_dim: usize,
    /// RMSNorm epsilon (`attention.layer_norm_rms_epsilon`).
    pub rms_eps: f32,
}

struct Keys<'a> {
    meta: &'a BTreeMap<String, MetaValue>,
    prefix: &'static str,
}

impl Keys<'_> {
    fn get(&self, suffix: &str) -> Option<(String, &MetaValue)> {
        let key = format!("{}.{suffix}", self.prefix);
        self.meta.get(&key).map(|v| (key, v))
    }

    fn dim(&self, suffix: &str) -> Result<usize, ModelError> {
        let key = format!("{}.{suffix}", self.prefix);
        self.get(suffix)
            .ok_or(ModelError::MissingKey(key))
            .and_then(|(key, v)| dim_value(key, v))
    }

    fn opt_dim(&self, suffix: &str) -> Result<Option<usize>, ModelError> {
        self.get(suffix).map(|(k, v)| dim_value(k, v)).transpose()
    }

    fn f32_or(&self, suffix: &str, default: Option<f32>) -> Result<f32, ModelError> {
        match (self.get(suffix), default) {
            (Some((key, v)), _) => {
                v.as_f32()
                    .filter(|x| x.is_finite() && *x > 0.0)
                    .ok_or(ModelError::BadValue {
                        key,
                        why: "expected a positive finite float",
                    })
            }
            (None, Some(d)) => Ok(d),
            (None, None) => Err(ModelError::MissingKey(format!("{}.{suffix}", self.prefix))),
        }
    }
}

fn dim_value(key: String, v: &MetaValue) -> Result<usize, ModelError> {
    match v.as_u64() {
        Some(n) if n > 0 && n <= MAX_DIM => Ok(n as usize),
        _ => Err(ModelError::BadValue {
            key,
            why: "expected an integer in 1..=2^20",
        }),
    }
}

impl ModelConfig {
    /// Reads the configuration; `vocab_size` comes from the embedding tensor.
    pub fn from_metadata(
        meta: &BTreeMap<String, MetaValue>,
        vocab_size: usize,
    ) -> Result<Self, ModelError> {
        let arch_name = meta
            .get("general.architecture")
            .ok_or_else(|| ModelError::MissingKey("general.architecture".into()))?
            .as_str()
            .ok_or(ModelError::BadValue {
                key: "general.architecture".into(),
                why: "expected a string",
            })?;
        let arch = Architecture::from_name(arch_name)?;
        let k = Keys {
            meta,
            prefix: arch.name(),
        };
        let dim = k.dim("embedding_length")?;
        let n_heads = k.dim("attention.head_count")?;
        let n_kv_heads = k.opt_dim("attention.head_count_kv")?.unwrap_or(n_heads);
        let bad = |key: &str, why| ModelError::BadValue {
            key: format!("{}.{key}", arch.name()),
            why,
        };
        if dim % n_heads != 0 {
            return Err(bad(
                "attention.head_count",
                "does not divide embedding_length",
            ));
        }
        if n_heads % n_kv_heads != 0 {
            return Err(bad("attention.head_count_kv", "does not divide head_count"));
        }
        let head_dim = k.opt_dim("attention.key_length")?.unwrap_or(dim / n_heads);
        let rope_dim = k.opt_dim("rope.dimension_count")?.unwrap_or(head_dim);
        if rope_dim > head_dim || rope_dim % 2 != 0 {
            return Err(bad(
                "rope.dimension_count",
                "must be even and at most the head size",
            ));
        }
        Ok(ModelConfig {
            arch,
            dim,
            n_layers: k.dim("block_count")?,
            n_heads,
            n_kv_heads,
            head_dim,
            ffn_dim: k.dim("feed_forward_length")?,
            vocab_size,
            context_length: k.dim("context_length")?,
            rope_base: k.f32_or("rope.freq_base", Some(10_000.0))?,
            rope_dim,
            rms_eps: k.f32_or("attention.layer_norm_rms_epsilon", None)?,
        })
    }

    /// Width of all query heads together.
    pub fn q_dim(&self) -> usize {
        self.n_heads * self.head_dim
    }

    /// Width of all key (or value) heads together.
    pub fn kv_dim(&self) -> usize {
        self.n_kv_heads * self.head_dim
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn llama_meta(rope_base: Option<MetaValue>) -> BTreeMap<String, MetaValue> {
        let mut m = BTreeMap::new();
        m.insert(
            "general.architecture".into(),
            MetaValue::String("llama".into()),
        );
        for (k, v) in [
            ("embedding_length", 64),
            ("attention.head_count", 4),
            ("block_count", 2),
            ("feed_forward_length", 128),
            ("context_length", 256),
        ] {
            m.insert(format!("llama.{k}"), MetaValue::U32(v));
        }
        m.insert(
            "llama.attention.layer_norm_rms_epsilon".into(),
            MetaValue::F32(1e-5),
        );
        if let Some(v) = rope_base {
            m.insert("llama.rope.freq_base".into(), v);
        }
        m
    }

    #[test]
    fn rope_base_defaults_to_10000_and_reads_the_file() {
        let c = ModelConfig::from_metadata(&llama_meta(None), 100).unwrap();
        assert_eq!(c.rope_base, 10_000.0);
        let c = ModelConfig::from_metadata(&llama_meta(Some(MetaValue::F32(1e6))), 100).unwrap();
        assert_eq!(c.rope_base, 1e6);
    }

    /// A hostile base would make NaN or infinite RoPE angles, whose NaN bits differ between
    /// machines and wasm (decision 0151): refused at load.
    #[test]
    fn a_rope_base_that_is_not_positive_and_finite_is_refused() {
        for bad in [
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            0.0,
            -0.0,
            -10_000.0,
        ] {
            let err = ModelConfig::from_metadata(&llama_meta(Some(MetaValue::F32(bad))), 100)
                .unwrap_err();
            assert!(
                matches!(&err, ModelError::BadValue { key, .. } if key == "llama.rope.freq_base"),
                "{bad}: {err}"
            );
        }
        let err = ModelConfig::from_metadata(&llama_meta(Some(MetaValue::String("x".into()))), 100)
            .unwrap_err();
        assert!(matches!(err, ModelError::BadValue { .. }), "{err}");
    }
}
