//! wicas-wasi-host integration tests: the engine compiled to `wasm32-wasip1` and run under the
//! deterministic wasmtime gives the native engine's bits (issue 3 item 4, DESIGN.md 4.7), and the
//! host refuses what would make a run non-deterministic or unbounded.
//!
//! The probe (`crates/infer-wasi-probe`) is built for wasm by the tests themselves on first use
//! (see `probe.rs`); the `wasm32-wasip1` target must be installed (scripts/check installs it).

mod host_bounds;
mod hostile_modules;
mod native_and_wasm_digests_agree;
mod probe;
