//! Seeded random tensors for the kernel tests.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use wicas_infer::kernels::{KernelChoice, Kernels};
use wicas_infer::quant::GgmlType;

/// The SIMD kernel choices this CPU can run besides the scalar reference: `auto`, and each
/// explicit x86 path it has (both AVX2 and AVX-512 where present, so both are proven equal
/// to the reference on one machine). Says which are skipped.
pub fn simd_choices() -> Vec<KernelChoice> {
    let mut v = vec![KernelChoice::Auto];
    for (choice, missing) in [
        (KernelChoice::Avx2, "skipped: no avx2"),
        (KernelChoice::Avx512, "skipped: no avx512vnni"),
    ] {
        if Kernels::new(choice, 1).is_ok() {
            v.push(choice);
        } else if cfg!(target_arch = "x86_64") {
            eprintln!("{missing} ({choice:?} kernels not compared on this CPU)");
        }
    }
    v
}

pub fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

/// A finite f16 bit pattern of magnitude about 2^-14 .. 2^2, random sign.
pub fn f16_scale(rng: &mut ChaCha20Rng) -> [u8; 2] {
    let exp: u16 = rng.random_range(1..17);
    let man: u16 = rng.random_range(0..1024);
    let sign: u16 = if rng.random_bool(0.5) { 0x8000 } else { 0 };
    (sign | (exp << 10) | man).to_le_bytes()
}

/// `rows` random rows of `cols` elements of `ty`: random quant bits, finite random f16 fields.
pub fn weights(ty: GgmlType, rows: usize, cols: usize, rng: &mut ChaCha20Rng) -> Vec<u8> {
    let n = ty.row_bytes(cols).expect("aligned") * rows;
    let mut bytes: Vec<u8> = (0..n).map(|_| rng.random()).collect();
    let (bb, fields): (usize, &[usize]) = match ty {
        GgmlType::F16 => (2, &[0]),
        GgmlType::Q4_0 | GgmlType::Q5_0 | GgmlType::Q8_0 => (ty.block_bytes(), &[0]),
        GgmlType::Q4_1 | GgmlType::Q4_K => (ty.block_bytes(), &[0, 2]),
        GgmlType::Q6_K => (210, &[208]),
        _ => (4, &[]),
    };
    if ty == GgmlType::F32 {
        for c in bytes.chunks_exact_mut(4) {
            c.copy_from_slice(&(rng.random::<f32>() * 4.0 - 2.0).to_le_bytes());
        }
    }
    for blk in bytes.chunks_exact_mut(bb) {
        for &f in fields {
            blk[f..f + 2].copy_from_slice(&f16_scale(rng));
        }
    }
    bytes
}

/// Random activations in -mag..mag with some exact zeros and repeated values.
pub fn activations(n: usize, mag: f32, rng: &mut ChaCha20Rng) -> Vec<f32> {
    (0..n)
        .map(|_| match rng.random_range(0..10) {
            0 => 0.0,
            1 => mag * 0.5,
            _ => (rng.random::<f32>() * 2.0 - 1.0) * mag,
        })
        .collect()
}
