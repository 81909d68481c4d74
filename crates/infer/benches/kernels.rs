//! Micro benchmark of the canonical matrix-vector products: µs per matvec for the shapes of
//! SmolLM2-135M (576×576, 1536×576, 49152×576) and Qwen2.5-0.5B's FFN (4864×896, 896×4864) per
//! weight type, kernel path (scalar, AVX2, AVX-512 where the CPU has it) and thread count;
//! single vectors (decode) and a batch of 64 (prefill, per vector).
//!
//! `cargo bench -p wicas-infer --bench kernels [-- FILTER]` prints a table; FILTER (optional)
//! keeps rows whose type name contains it (e.g. `Q4_1`). Weights are random bytes with sane
//! f16 scales; speed does not depend on the values.

use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wicas_infer::kernels::{Activations, ActivationsQ8, Isa, KernelChoice, Kernels, WeightMatrix};
use wicas_infer::quant::GgmlType;

/// SmolLM2-135M shapes (K-quant rows need a multiple of 256 columns: they use 768 for 576).
/// Vectors in the prefill (batched) measurement.
const BATCH: usize = 64;

const SHAPES: [(usize, usize); 6] = [
    (576, 576),
    (1536, 576),
    (576, 1536),
    (49152, 576),
    (4864, 896),
    (896, 4864),
];
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
    // Scalar, each x86 path this CPU has (AVX2, AVX-512) on one thread, and auto on two.
    let configs = [
        (KernelChoice::Scalar, 1),
        (KernelChoice::Avx2, 1),
        (KernelChoice::Avx512, 1),
        (KernelChoice::Auto, 1),
        (KernelChoice::Auto, 2),
    ];
    let mut kernels: Vec<Kernels> = Vec::new();
    for (c, t) in configs {
        match Kernels::new(c, t) {
            // `auto` on one thread only where no explicit path stands for it.
            Ok(k)
                if kernels
                    .iter()
                    .any(|o| (o.isa(), o.threads()) == (k.isa(), t)) => {}
            Ok(k) => kernels.push(k),
            Err(e) => eprintln!("skipped: {c:?} ({e})"),
        }
    }
    // The batched (prefill) measurement: every SIMD path on one thread.
    let batched: Vec<usize> = (0..kernels.len())
        .filter(|&i| kernels[i].threads() == 1 && kernels[i].isa() != Isa::Scalar)
        .collect();
    print!("{:<6} {:>11}", "type", "rows×cols");
    for k in &kernels {
        print!(" {:>14}", format!("{} {}T µs", k.isa().name(), k.threads()));
    }
    for &i in &batched {
        print!(
            " {:>18}",
            format!("{} 1T b64 µs/v", kernels[i].isa().name())
        );
    }
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
            for &i in &batched {
                let us = time_it(
                    || kernels[i].matvec(&w, actb, &mut outb).expect("matvec"),
                    budget,
                );
                print!(" {:>18.1}", us / BATCH as f64);
            }
            println!(" {:>10.2}", bytes.len() as f64 / best / 1e3);
        }
    }
    attention_scores(&kernels[batched.first().copied().unwrap_or(0)]);
}

/// One query head against 512 cached keys (head_dim 64, kv_dim 192): one `dot_f32` call per
/// key vs one `dot_f32_strided` call (same bits).
fn attention_scores(k: &Kernels) {
    let (hd, kv_dim, n) = (64, 192, 512);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let keys: Vec<f32> = (0..n * kv_dim).map(|_| rng.random::<f32>() - 0.5).collect();
    let q: Vec<f32> = (0..hd).map(|_| rng.random::<f32>() - 0.5).collect();
    let mut scores = vec![0.0_f32; n];
    let budget = Duration::from_millis(400);
    let per_call = time_it(
        || {
            for (t, s) in scores.iter_mut().enumerate() {
                *s = k
                    .dot_f32(&q, &keys[t * kv_dim + 64..t * kv_dim + 128])
                    .expect("len");
            }
        },
        budget,
    );
    let strided = time_it(
        || {
            k.dot_f32_strided(&q, &keys, kv_dim, 64, &mut scores)
                .expect("len")
        },
        budget,
    );
    println!(
        "attention scores, 512 keys × head_dim 64 ({}): dot_f32 per key {per_call:.2} µs, dot_f32_strided {strided:.2} µs",
        k.isa().name()
    );
}
