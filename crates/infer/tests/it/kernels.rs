//! The kernels' contract: every path and thread count gives the scalar reference's bits, a
//! batch gives each vector's single-vector bits, and the reference computes the right value.

use wicas_infer::kernels::{
    Activations, ActivationsQ8, Isa, KernelChoice, KernelError, Kernels, MatvecJob, WeightMatrix,
};
use wicas_infer::quant::{GgmlType, dequantize_row};

use crate::support;

pub fn kernel_sets() -> Vec<Kernels> {
    // wasm32-wasip1 has no threads: one thread per path there.
    let threads: &[usize] = if cfg!(target_family = "wasm") {
        &[1]
    } else {
        &[1, 2, 3]
    };
    let mut ks = vec![Kernels::scalar()];
    for &t in threads {
        // Split even the tiny test matrices across threads.
        ks.push(
            Kernels::new(KernelChoice::Scalar, t)
                .expect("scalar")
                .with_min_parallel_bytes(0),
        );
        for choice in support::simd_choices() {
            ks.push(
                Kernels::new(choice, t)
                    .expect("detected")
                    .with_min_parallel_bytes(0),
            );
        }
    }
    ks
}

/// Column counts for `ty`: 1..=11 blocks of 32 plus longer rows, so every SIMD tail is hit.
fn col_counts(ty: GgmlType) -> Vec<usize> {
    if ty.block_elems() == 256 {
        vec![256, 512, 768, 1536, 2304]
    } else {
        let mut v: Vec<usize> = (1..=11).map(|b| 32 * b).collect();
        v.extend([576, 1536]);
        v
    }
}

pub fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

pub fn run(k: &Kernels, w: &WeightMatrix<'_>, x: &[f32], q: &ActivationsQ8) -> Vec<f32> {
    let n = if w.ty().is_quantized() {
        q.n_vectors()
    } else {
        x.len() / w.cols()
    };
    let mut out = vec![f32::NAN; n * w.rows()];
    let act = if w.ty().is_quantized() {
        Activations::Q8(q)
    } else {
        Activations::F32(x)
    };
    k.matvec(w, act, &mut out).expect("matvec");
    out
}

#[test]
fn every_path_and_thread_count_matches_the_scalar_reference_bit_for_bit() {
    let mut rng = support::rng(1);
    let kernels = kernel_sets();
    for ty in GgmlType::ALL {
        for cols in col_counts(ty) {
            let rows = 13;
            let bytes = support::weights(ty, rows, cols, &mut rng);
            let w = WeightMatrix::new(ty, rows, cols, &bytes).expect("shape");
            let x = support::activations(cols * 3, 3.0, &mut rng);
            let mut q = ActivationsQ8::new();
            q.quantize_batch(&x, cols).expect("finite");
            let want = bits(&run(&kernels[0], &w, &x, &q));
            for k in &kernels[1..] {
                assert_eq!(bits(&run(k, &w, &x, &q)), want, "{ty} cols {cols} {k:?}");
            }
        }
    }
}

#[test]
fn a_batch_gives_each_vector_the_bits_of_its_single_vector_product() {
    // 11 vectors (a chunk of 8 and a partial chunk), 37 rows (more than one row tile), and
    // 576 columns for the 32-block types (a partial group of 2 blocks at the end of each row).
    let mut rng = support::rng(2);
    let n = 11;
    for k in kernel_sets() {
        for ty in GgmlType::ALL {
            let (rows, cols) = (37, if ty.block_elems() == 256 { 512 } else { 576 });
            let bytes = support::weights(ty, rows, cols, &mut rng);
            let w = WeightMatrix::new(ty, rows, cols, &bytes).expect("shape");
            let x = support::activations(cols * n, 1.0, &mut rng);
            let mut q = ActivationsQ8::new();
            q.quantize_batch(&x, cols).expect("finite");
            let batched = run(&k, &w, &x, &q);
            for v in 0..n {
                let xv = &x[v * cols..(v + 1) * cols];
                let mut qv = ActivationsQ8::new();
                qv.quantize(xv).expect("finite");
                let single = run(&k, &w, xv, &qv);
                assert_eq!(
                    bits(&batched[v * rows..(v + 1) * rows]),
                    bits(&single),
                    "{ty} vector {v} {k:?}"
                );
            }
        }
    }
}

/// The x86 SIMD kernels on one thread (AVX2 and, where present, AVX-512), each with the
/// scalar reference.
fn x86_paths() -> Vec<Kernels> {
    support::simd_choices()
        .into_iter()
        .filter(|c| *c != KernelChoice::Auto)
        .map(|c| Kernels::new(c, 1).expect("detected"))
        .collect()
}

#[test]
fn every_batch_size_and_long_row_matches_the_reference_on_each_x86_path() {
    // Batch sizes 1..=9 and 33 (the AVX-512 kernel takes vectors in chunks of 32), rows
    // longer than one AVX-512 panel of 4 groups (1024 columns) with a partial last group,
    // and more rows than one row tile (32).
    let paths = x86_paths();
    if !paths.iter().any(|k| k.isa() == Isa::Avx512) {
        eprintln!("skipped for AVX-512: no avx512vnni");
    }
    let mut rng = support::rng(7);
    for ty in GgmlType::ALL {
        let cols_set: &[usize] = if ty.block_elems() == 256 {
            &[256, 2304, 4864]
        } else {
            &[32 * 3, 32 * 75, 896]
        };
        for &cols in cols_set {
            let rows = 35;
            let bytes = support::weights(ty, rows, cols, &mut rng);
            let w = WeightMatrix::new(ty, rows, cols, &bytes).expect("shape");
            for n in (1..=9).chain([33]) {
                let x = support::activations(cols * n, 2.0, &mut rng);
                let mut q = ActivationsQ8::new();
                q.quantize_batch(&x, cols).expect("finite");
                let want = bits(&run(&Kernels::scalar(), &w, &x, &q));
                for k in &paths {
                    assert_eq!(
                        bits(&run(k, &w, &x, &q)),
                        want,
                        "{ty} cols {cols} n {n} {k:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn extreme_quants_match_the_reference_on_each_x86_path() {
    // Every weight byte at one extreme (Q8_0 -128 and 127, nibbles 0 and 15, Q6_K 0 and 63)
    // against activations at ±127: the largest integer sums the kernels can meet.
    let paths = x86_paths();
    for ty in GgmlType::ALL.into_iter().filter(|t| t.is_quantized()) {
        let cols = if ty.block_elems() == 256 { 512 } else { 320 };
        for fill in [0x00_u8, 0xff, 0x80, 0x7f] {
            let rows = 3;
            let mut bytes = support::weights(ty, rows, cols, &mut support::rng(8));
            let rb = ty.row_bytes(cols).expect("aligned");
            let scale_fields: &[usize] = match ty {
                GgmlType::Q4_1 | GgmlType::Q4_K => &[0, 1, 2, 3],
                GgmlType::Q6_K => &[208, 209],
                _ => &[0, 1],
            };
            for blk in bytes.chunks_exact_mut(ty.block_bytes()) {
                for (i, b) in blk.iter_mut().enumerate() {
                    // Q4_K's 6-bit scales (bytes 4..16) and Q6_K's i8 scales (192..208) at the
                    // extreme too; only the f16 fields keep their finite random values.
                    if !scale_fields.contains(&i) {
                        *b = fill;
                    }
                }
            }
            debug_assert_eq!(bytes.len(), rows * rb);
            let w = WeightMatrix::new(ty, rows, cols, &bytes).expect("shape");
            for sign in [1.0_f32, -1.0] {
                let x: Vec<f32> = (0..2 * cols)
                    .map(|i| if i % 3 == 0 { -sign } else { sign })
                    .collect();
                let mut q = ActivationsQ8::new();
                q.quantize_batch(&x, cols).expect("finite");
                let want = bits(&run(&Kernels::scalar(), &w, &x, &q));
                for k in &paths {
                    let got = bits(&run(k, &w, &x, &q));
                    assert_eq!(got, want, "{ty} fill {fill:#04x} sign {sign} {k:?}");
                }
            }
        }
    }
}

#[test]
fn the_reference_computes_the_dot_of_the_dequantized_values() {
    let mut rng = support::rng(3);
    for ty in GgmlType::ALL {
        let (rows, cols) = (5, 512);
        let bytes = support::weights(ty, rows, cols, &mut rng);
        let w = WeightMatrix::new(ty, rows, cols, &bytes).expect("shape");
        let x = support::activations(cols, 2.0, &mut rng);
        let mut q = ActivationsQ8::new();
        q.quantize(&x).expect("finite");
        // The exact value the reference approximates: dequantized weights · dequantized Q8.
        let xq: Vec<f64> = if ty.is_quantized() {
            (0..cols)
                .map(|c| f64::from(q.quants(0)[c]) * f64::from(q.scales(0)[c / 32]))
                .collect()
        } else {
            x.iter().map(|&v| f64::from(v)).collect()
        };
        let got = run(&Kernels::scalar(), &w, &x, &q);
        for r in 0..rows {
            let mut wr = vec![0.0_f32; cols];
            let rb = ty.row_bytes(cols).expect("aligned");
            dequantize_row(ty, &bytes[r * rb..(r + 1) * rb], &mut wr).expect("dequantize");
            let exact: f64 = wr.iter().zip(&xq).map(|(&a, &b)| f64::from(a) * b).sum();
            let scale: f64 = wr
                .iter()
                .zip(&xq)
                .map(|(&a, &b)| (f64::from(a) * b).abs())
                .sum();
            let err = (f64::from(got[r]) - exact).abs();
            assert!(
                err <= 1e-5 * scale + 1e-30,
                "{ty} row {r}: {} vs {exact} (scale {scale})",
                got[r]
            );
        }
    }
}

#[test]
fn dot_f32_matches_the_reference_on_every_path_including_signed_zeros() {
    let mut rng = support::rng(4);
    let kernels = kernel_sets();
    for n in (0..70).chain([576, 1000, 4097]) {
        let a = support::activations(n, 5.0, &mut rng);
        let mut b = support::activations(n, 5.0, &mut rng);
        if n % 3 == 0 {
            b.iter_mut().for_each(|v| *v = -0.0); // every product -0.0 or +0.0
        }
        let want = kernels[0].dot_f32(&a, &b).expect("same length").to_bits();
        for k in &kernels[1..] {
            assert_eq!(
                k.dot_f32(&a, &b).expect("same length").to_bits(),
                want,
                "n {n} {k:?}"
            );
        }
    }
}

#[test]
fn mismatched_shapes_and_kinds_are_refused() {
    let k = Kernels::scalar();
    let bytes = vec![0_u8; 2 * 34];
    assert!(matches!(
        WeightMatrix::new(GgmlType::Q8_0, 2, 32, &bytes[1..]),
        Err(KernelError::LengthMismatch { .. })
    ));
    let w = WeightMatrix::new(GgmlType::Q8_0, 2, 32, &bytes).expect("shape");
    let x = [1.0_f32; 32];
    let mut out = [0.0_f32; 2];
    assert!(matches!(
        k.matvec(&w, Activations::F32(&x), &mut out),
        Err(KernelError::ActivationKind { .. })
    ));
    let mut q = ActivationsQ8::new();
    q.quantize(&[1.0; 64]).expect("finite");
    assert!(matches!(
        k.matvec(&w, Activations::Q8(&q), &mut out),
        Err(KernelError::LengthMismatch { .. })
    ));
    q.quantize(&x).expect("finite");
    let mut short = [0.0_f32; 1];
    assert!(matches!(
        k.matvec(&w, Activations::Q8(&q), &mut short),
        Err(KernelError::LengthMismatch { .. })
    ));
    assert!(k.dot_f32(&[1.0], &[1.0, 2.0]).is_err());
}

#[test]
fn several_products_in_one_call_equal_separate_calls() {
    let mut rng = support::rng(5);
    let shapes = [
        (GgmlType::Q4_1, 37, 576),
        (GgmlType::Q8_0, 0, 576),
        (GgmlType::Q4_K, 5, 512),
        (GgmlType::F32, 19, 96),
    ];
    type Case = (GgmlType, usize, usize, Vec<u8>, Vec<f32>);
    let data: Vec<Case> = shapes
        .iter()
        .map(|&(ty, rows, cols)| {
            (
                ty,
                rows,
                cols,
                support::weights(ty, rows, cols, &mut rng),
                support::activations(2 * cols, 1.0, &mut rng),
            )
        })
        .collect();
    let qs: Vec<ActivationsQ8> = data
        .iter()
        .map(|(_, _, cols, _, x)| {
            let mut q = ActivationsQ8::new();
            q.quantize_batch(x, *cols).expect("finite");
            q
        })
        .collect();
    let ws: Vec<WeightMatrix<'_>> = data
        .iter()
        .map(|(ty, rows, cols, b, _)| WeightMatrix::new(*ty, *rows, *cols, b).expect("shape"))
        .collect();
    let want: Vec<Vec<f32>> = ws
        .iter()
        .zip(&data)
        .zip(&qs)
        .map(|((w, d), q)| run(&Kernels::scalar(), w, &d.4, q))
        .collect();
    for k in kernel_sets() {
        let mut outs: Vec<Vec<f32>> = want.iter().map(|w| vec![f32::NAN; w.len()]).collect();
        let mut jobs: Vec<MatvecJob<'_, '_, '_>> = ws
            .iter()
            .zip(&data)
            .zip(&qs)
            .zip(outs.iter_mut())
            .map(|(((w, d), q), out)| {
                let x = if w.ty().is_quantized() {
                    Activations::Q8(q)
                } else {
                    Activations::F32(&d.4)
                };
                MatvecJob { w: *w, x, out }
            })
            .collect();
        k.matvec_many(&mut jobs).expect("matvec_many");
        for (got, want) in outs.iter().zip(&want) {
            assert_eq!(bits(got), bits(want), "{k:?}");
        }
    }
}

#[test]
fn strided_dots_equal_one_dot_per_row_on_every_path() {
    let mut rng = support::rng(6);
    for k in kernel_sets() {
        for (hd, rows, stride, offset) in [
            (64, 9, 192, 64),
            (64, 1, 64, 0),
            (7, 6, 20, 13),
            (128, 13, 384, 256),
            (33, 0, 40, 0),
            (33, 11, 40, 3),
            (70, 9, 80, 5),
        ] {
            let m = support::activations(rows * stride + offset + hd, 2.0, &mut rng);
            let q = support::activations(hd, 2.0, &mut rng);
            let mut got = vec![f32::NAN; rows];
            k.dot_f32_strided(&q, &m, stride, offset, &mut got)
                .expect("in bounds");
            let want: Vec<f32> = (0..rows)
                .map(|t| {
                    Kernels::scalar()
                        .dot_f32(&q, &m[t * stride + offset..t * stride + offset + hd])
                        .expect("same length")
                })
                .collect();
            assert_eq!(bits(&got), bits(&want), "hd {hd} rows {rows} {k:?}");
        }
    }
    // A matrix too short for the last row is refused (nothing written).
    let mut out = [7.0_f32; 3];
    let err = Kernels::scalar().dot_f32_strided(&[1.0; 8], &[1.0; 23], 8, 0, &mut out);
    assert!(matches!(
        err,
        Err(KernelError::LengthMismatch {
            expected: 24,
            actual: 23,
            ..
        })
    ));
    assert_eq!(out, [7.0; 3]);
    assert!(
        Kernels::scalar()
            .dot_f32_strided(&[1.0; 8], &[1.0; 8], usize::MAX, 0, &mut out)
            .is_err()
    );
}
