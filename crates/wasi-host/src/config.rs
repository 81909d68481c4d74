//! The one wasmtime configuration every deterministic run uses.

use wasmtime::{Config, OptLevel};

/// A wasmtime [`Config`] under which a module's results are the same on every host.
///
/// - `cranelift_nan_canonicalization(true)`: wasm leaves the bits of a NaN result to the machine
///   (x86 and AArch64 differ); canonicalising makes every NaN the same (DESIGN.md section 9).
/// - `wasm_relaxed_simd(false)` and `relaxed_simd_deterministic(true)`: relaxed SIMD is the one
///   wasm proposal whose results are allowed to differ between machines; it is refused, and
///   were it ever enabled its deterministic lowering would be used.
/// - `wasm_threads(false)`, `wasm_shared_everything_threads(false)`: no shared memory, so no
///   scheduling-dependent results.
/// - `consume_fuel(true)`: every run is bounded by a fuel budget (see `RunLimits::fuel`), which
///   is deterministic, unlike epoch or wall-clock interruption.
/// - `simd` stays on: the engine's simd128 kernels are integer sums plus the canonical float
///   order, whose results wasm fixes exactly.
pub fn deterministic_config() -> Config {
    let mut config = Config::new();
    config
        .cranelift_nan_canonicalization(true)
        .wasm_relaxed_simd(false)
        .relaxed_simd_deterministic(true)
        .wasm_threads(false)
        .wasm_shared_everything_threads(false)
        .wasm_simd(true)
        .consume_fuel(true)
        .cranelift_opt_level(OptLevel::Speed);
    config
}
