//! The model's tensors, located in the memory-mapped file and checked against the configuration.
//! Matrices stay in their GGUF block format inside the map; only norm weights and biases (a few
//! KiB) are widened to f32 at load.

use super::config::ModelConfig;
use super::error::ModelError;
use crate::gguf::{GgufFile, TensorInfo};
use crate::kernels::WeightMatrix;
use crate::quant::{GgmlType, dequantize_row};

/// A weight matrix in the file: `rows` outputs of `cols` inputs each (GGUF dims `[cols, rows]`).
#[derive(Debug, Clone)]
pub struct Matrix {
    /// Tensor name, for errors.
    pub name: String,
    /// Block format.
    pub ty: GgmlType,
    /// Output rows.
    pub rows: usize,
    /// Input columns.
    pub cols: usize,
    /// Byte range inside the file's tensor data (from the directory entry).
    info: TensorInfo,
}

impl Matrix {
    /// The kernels' view of this matrix over `file`'s bytes.
    pub fn view<'f>(&self, file: &'f GgufFile) -> Result<WeightMatrix<'f>, ModelError> {
        WeightMatrix::new(self.ty, self.rows, self.cols, file.tensor_data(&self.info)).map_err(
            |e| ModelError::TensorType {
                name: self.name.clone(),
                why: e.to_string(),
            },
        )
    }

    /// Bytes of the matrix.
    pub fn n_bytes(&self) -> u64 {
        self.info.n_bytes
    }
}

/// One transformer block's weights (shapes as `[rows][cols]`, i.e. outputs × inputs).
#[derive(Debug, Clone)]
pub struct LayerWeights {
    /// `[dim]` RMSNorm weight before attention.
    pub attn_norm: Vec<f32>,
    /// `[q_dim][dim]`
    pub wq: Matrix,
    /// `[kv_dim][dim]`
    pub wk: Matrix,
    /// `[kv_dim][dim]`
    pub wv: Matrix,
    /// `[q_dim]`, `[kv_dim]`, `[kv_dim]` biases (qwen2 only).
    pub qkv_bias: Option<(Vec<f32>, Vec<f32>, Vec<f32>)>,
    /// `[dim][q_dim]`
    pub wo: Matrix,
    /// `[dim]` RMSNorm weight before the feed-forward block.
    pub ffn_norm: Vec<f32>,
    /// `[ffn_dim][dim]`
    pub w_gate: Matrix,
    /// `[ffn_dim][dim]`
    pub w_up: Matrix,
    /// `[dim][ffn_dim]`
    pub w_down: Matrix,
}

/// All weights of the model.
#[derive(Debug, Clone)]
pub struct Weights {
    /// `[vocab][dim]` token embeddings (rows dequantized on lookup).
    pub token_embd: Matrix,
    /// Transformer blocks.
    pub layers: Vec<LayerWeights>,
    /// `[dim]` final RMSNorm weight.
    pub output_norm: Vec<f32>,
    /// `[vocab][dim]` output projection (`output.weight`, or `token_embd.weight` when tied).
    pub output: Matrix,
}

fn info<'f>(file: &'f GgufFile, name: &str) -> Result<&'f TensorInfo, ModelError> {
    file.tensor(name)
        .ok_or_else(|| ModelError::MissingTensor(name.to_owned()))
}

fn check_dims(name: &str, info: &TensorInfo, expected: &[usize]) -> Result<(), ModelError> {
    let expected: Vec<u64> = expected.iter().map(|&d| d as u64).collect();
    if info.dims != expected {
        return Err(ModelError::TensorShape {
            name: name.to_owned(),
            expected,
            found: info.dims.clone(),
        });
    }
    Ok(())
}

fn ggml_type(name: &str, info: &TensorInfo) -> Result<GgmlType, ModelError> {
    GgmlType::from_id(info.type_id).map_err(|e| ModelError::TensorType {
        name: name.to_owned(),
        why: e.to_string(),
    })
}

/// Locates matrix `name` of `rows` × `cols` and checks its shape and type.
pub fn matrix(file: &GgufFile, name: &str, rows: usize, cols: usize) -> Result<Matrix, ModelError> {
    let info = info(file, name)?;
    check_dims(name, info, &[cols, rows])?;
    let m = Matrix {
        name: name.to_owned(),
        ty: ggml_type(name, info)?,
        rows,
        cols,
        info: info.clone(),
    };
    m.view(file)?; // proves the byte length matches the type and shape
    Ok(m)
}

/// Reads vector `name` of length `n` widened to f32.
pub fn vector(file: &GgufFile, name: &str, n: usize) -> Result<Vec<f32>, ModelError> {
    let info = info(file, name)?;
    check_dims(name, info, &[n])?;
    let ty = ggml_type(name, info)?;
    let mut out = vec![0.0f32; n];
    dequantize_row(ty, file.tensor_data(info), &mut out).map_err(|e| ModelError::TensorType {
        name: name.to_owned(),
        why: e.to_string(),
    })?;
    Ok(out)
}

impl Weights {
    /// Locates every tensor the configuration needs and checks shapes and types.
    pub fn load(file: &GgufFile, c: &ModelConfig) -> Result<Self, ModelError> {
        let token_embd = matrix(file, "token_embd.weight", c.vocab_size, c.dim)?;
        let mut layers = Vec::with_capacity(c.n_layers);
        for l in 0..c.n_layers {
            let n = |s: &str| format!("blk.{l}.{s}");
            let qkv_bias = if c.arch.has_qkv_bias() {
                Some((
                    vector(file, &n("attn_q.bias"), c.q_dim())?,
                    vector(file, &n("attn_k.bias"), c.kv_dim())?,
                    vector(file, &n("attn_v.bias"), c.kv_dim())?,
                ))
            } else {
                None
            };
            layers.push(LayerWeights {
                attn_norm: vector(file, &n("attn_norm.weight"), c.dim)?,
                wq: matrix(file, &n("attn_q.weight"), c.q_dim(), c.dim)?,
                wk: matrix(file, &n("attn_k.weight"), c.kv_dim(), c.dim)?,
                wv: matrix(file, &n("attn_v.weight"), c.kv_dim(), c.dim)?,
                qkv_bias,
                wo: matrix(file, &n("attn_output.weight"), c.dim, c.q_dim())?,
                ffn_norm: vector(file, &n("ffn_norm.weight"), c.dim)?,
                w_gate: matrix(file, &n("ffn_gate.weight"), c.ffn_dim, c.dim)?,
                w_up: matrix(file, &n("ffn_up.weight"), c.ffn_dim, c.dim)?,
                w_down: matrix(file, &n("ffn_down.weight"), c.dim, c.ffn_dim)?,
            });
        }
        let output = if file.tensor("output.weight").is_some() {
            matrix(file, "output.weight", c.vocab_size, c.dim)?
        } else {
            token_embd.clone()
        };
        Ok(Weights {
            token_embd,
            layers,
            output_norm: vector(file, "output_norm.weight", c.dim)?,
            output,
        })
    }

    /// Bytes of weights read per generated token (every matrix once, the embedding row aside).
    pub fn bytes_per_token(&self) -> u64 {
        let layers: u64 = self
            .layers
            .iter()
            .map(|l| {
                [&l.wq, &l.wk, &l.wv, &l.wo, &l.w_gate, &l.w_up, &l.w_down]
                    .iter()
                    .map(|m| m.n_bytes())
                    .sum::<u64>()
            })
            .sum();
        layers + self.output.n_bytes()
    }
}

/// Vocabulary size implied by the embedding tensor (`[dim, vocab]` in GGUF order).
pub fn vocab_size(file: &GgufFile) -> Result<usize, ModelError> {
    let info = info(file, "token_embd.weight")?;
    match info.dims.as_slice() {
        [_, v] if *v <= 1 << 24 => Ok(*v as usize),
        _ => Err(ModelError::TensorShape {
            name: "token_embd.weight".into(),
            expected: vec![],
            found: info.dims.clone(),
        }),
    }
}
