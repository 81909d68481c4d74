//! The kernels on the real models' weights: every 2-D tensor of SmolLM2-135M (Q4_1, Q8_0) and
//! Qwen2.5-0.5B (Q4_K, Q6_K, Q5_0, Q8_0) gives the reference's bits on every path, thread
//! count and batch size. Real scales and quant distributions, not only random bytes.

use std::path::Path;

use wicas_infer::gguf::GgufFile;
use wicas_infer::kernels::{ActivationsQ8, Kernels, WeightMatrix};
use wicas_infer::quant::{GgmlType, dequantize_row};

use crate::fixtures::{qwen, smollm2};
use crate::kernels::{bits, kernel_sets, run};
use crate::support;

/// Rows checked at each end of a tensor (first and last rows: the tail of the data too).
const EDGE_ROWS: usize = 24;

fn check_model(path: &Path) -> Vec<GgmlType> {
    let file = GgufFile::open(path).expect("model opens");
    let kernels = kernel_sets();
    let mut rng = support::rng(9);
    let mut seen = Vec::new();
    for info in file.tensors() {
        let Ok(ty) = GgmlType::from_id(info.type_id) else {
            continue;
        };
        if info.dims.len() != 2 {
            continue;
        }
        let (cols, rows) = (info.dims[0] as usize, info.dims[1] as usize);
        let rb = ty.row_bytes(cols).expect("row size");
        let data = file.tensor_data(info);
        for start in [0, rows.saturating_sub(EDGE_ROWS)] {
            let n = EDGE_ROWS.min(rows - start);
            let bytes = &data[start * rb..(start + n) * rb];
            let w = WeightMatrix::new(ty, n, cols, bytes).expect("shape");
            let x = support::activations(3 * cols, 4.0, &mut rng);
            let mut q = ActivationsQ8::new();
            q.quantize_batch(&x, cols).expect("finite");
            let want = run(&Kernels::scalar(), &w, &x, &q);
            assert!(
                want.iter().all(|v| v.is_finite()),
                "{} rows {start}..",
                info.name
            );
            for k in &kernels {
                assert_eq!(
                    bits(&run(k, &w, &x, &q)),
                    bits(&want),
                    "{} {ty} {k:?}",
                    info.name
                );
            }
            // The stored values dequantize to finite numbers.
            let mut out = vec![0.0_f32; cols];
            dequantize_row(ty, &bytes[..rb], &mut out).expect("dequantize");
            assert!(out.iter().all(|v| v.is_finite()), "{}", info.name);
        }
        if !seen.contains(&ty) {
            seen.push(ty);
        }
    }
    seen.sort();
    seen
}

#[test]
fn every_smollm2_weight_tensor_gives_the_reference_bits_on_every_path() {
    assert_eq!(
        check_model(&smollm2()),
        vec![GgmlType::Q4_1, GgmlType::Q8_0]
    );
}

#[test]
fn every_qwen_weight_tensor_gives_the_reference_bits_on_every_path() {
    let seen = check_model(&qwen());
    let want = [
        GgmlType::Q5_0,
        GgmlType::Q8_0,
        GgmlType::Q4_K,
        GgmlType::Q6_K,
    ];
    assert_eq!(seen, want);
}
