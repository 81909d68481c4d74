//! Micro benchmark of the canonical matrix-vector products: µs per matvec for the shapes of
//! SmolLM2-135M (576×576, 1536×576, 49152×576) per weight type, kernel path and thread count.
//!
//! `cargo bench -p wicas-infer --bench kernels [-- FILTER]` prints a table; FILTER (optional)
//! keeps rows whose type name contains it (e.g. `Q4_1`). Weights are random bytes with sane
//! f16 scales; speed does not depend on the values.

use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wicas_infer::kernels::{Activations, ActivationsQ8, KernelChoice, Kernels, WeightMatrix};
use wicas_infer::quant::GgmlType;

/// SmolLM2-135M shapes (K-quant rows need a multiple of 256 columns: they use 768 for 576).
/// Vectors in the prefill (batched) measurement.
const BATCH: usize = 64;

const SHAPES: [(usize, usize); 4] = [(576, 576), (1536, 576), (576, 1536), (49152, 576)];
const TYPES: [GgmlType; 7] = [
    GgmlType::Q4_1,
    GgmlType::Q8_0,
    GgmlType::Q4_0,
    GgmlType::Q5_0,
    GgmlType::Q4_K,
    GgmlType::Q6_K,
    GgmlType::F32,
];

/// Random row bytes of `ty` whose f16 fields are small finite values.
fn weights(ty: GgmlType, rows: usize, cols: usize, rng: &mut ChaCha8Rng) -> Vec<u8> {
    let n = ty.row_bytes(cols).expect("aligned") * rows;
    let mut bytes: Vec<u8> = (0..n).map(|_| rng.random()).collect();
    let scale = 0x2c00_u16.to_le_bytes(); // f16 0.0625
    let (bb, fields): (usize, &[usize]) = match ty {
        GgmlType::Q4_1 => (20, &[0, 2]),
        GgmlType::Q8_0 => (34, &[0]),
        GgmlType::Q4_0 => (18, &[0]),
        GgmlType::Q5_0 => (22, &[0]),
        GgmlType::Q4_K => (144, &[0, 2]),
        GgmlType::Q6_K => (210, &[208]),
        _ => (4, &[]),
    };
    if ty == GgmlType::F32 {
        for c in bytes.chunks_exact_mut(4) {
            c.copy_from_slice(&(rng.random::<f32>() - 0.5).to_le_bytes());
        }
    }
    for blk in bytes.chunks_exact_mut(bb) {
        for &f in fields {
            blk[f..f + 2].copy_from_slice(&scale);
        }
    }
    bytes
}

fn time_it(mut f: impl FnMut(), budget: Duration) -> f64 {
    f();
    let mut best = f64::INFINITY;
    let start = Instant::now();
    let mut runs = 0;
    while runs < 3 || (start.elapsed() < budget && runs < 2000) {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64() * 1e6);
        runs += 1;
    }
    best
}

fn main() {
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let configs = [
        (KernelChoice::Scalar, 1),
        (KernelChoice::Auto, 1),
        (KernelChoice::Auto, 2),
    ];
    let kernels: Vec<Kernels> = configs
        .iter()
        .map(|&(c, t)| Kernels::new(c, t).expect("kernels"))
        .collect();
    print!("{:<6} {:>11}", "type", "rows×cols");
    for k in &kernels {
        print!(" {:>14}", format!("{} {}T µs", k.isa().name(), k.threads()));
    }
    print!(" {:>16}", "avx2 1T b64 µs/v");
    println!(" {:>10}", "GB/s best");
    for ty in TYPES {
        if !ty.name().contains(filter.as_str()) {
            continue;
        }
        for (rows, cols) in SHAPES {
            let cols = if ty.block_elems() == 256 {
                cols.div_ceil(256) * 256
            } else {
                cols
            };
            let bytes = weights(ty, rows, cols, &mut rng);
            let w = WeightMatrix::new(ty, rows, cols, &bytes).expect("shape");
            let x: Vec<f32> = (0..cols).map(|_| rng.random::<f32>() * 2.0 - 1.0).collect();
            let mut q = ActivationsQ8::new();
            q.quantize(&x).expect("finite");
            let act = if ty.is_quantized() {
                Activations::Q8(&q)
            } else {
                Activations::F32(&x)
            };
            let mut out = vec![0.0_f32; rows];
            print!("{:<6} {:>11}", ty.name(), format!("{rows}×{cols}"));
            let mut best = f64::INFINITY;
            for k in &kernels {
                let budget = Duration::from_millis(if rows > 10_000 { 1500 } else { 400 });
                let us = time_it(|| k.matvec(&w, act, &mut out).expect("matvec"), budget);
                best = best.min(us);
                print!(" {us:>14.1}");
            }
            // Prefill: a batch of 64 vectors, reported per vector.
            let xb: Vec<f32> = (0..cols * BATCH)
                .map(|_| rng.random::<f32>() * 2.0 - 1.0)
                .collect();
            let mut qb = ActivationsQ8::new();
            qb.quantize_batch(&xb, cols).expect("finite");
            let actb = if ty.is_quantized() {
                Activations::Q8(&qb)
            } else {
                Activations::F32(&xb)
            };
            let mut outb = vec![0.0_f32; rows * BATCH];
            let budget = Duration::from_millis(if rows > 10_000 { 3000 } else { 600 });
            let us = time_it(
                || kernels[1].matvec(&w, actb, &mut outb).expect("matvec"),
                budget,
            );
            print!(" {:>16.1}", us / BATCH as f64);
            println!(" {:>10.2}", bytes.len() as f64 / best / 1e3);
        }
    }
}
