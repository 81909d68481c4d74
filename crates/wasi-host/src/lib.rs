//! # wicas-wasi-host — deterministic wasmtime for `wasm32-wasip1` programs
//!
//! Runs WebAssembly programs compiled for `wasm32-wasip1` so that every validator gets the same
//! result: DESIGN.md section 9 ("WASI-NN programs") and the wasm leg of section 4.7's proof
//! (native vs wasm32 digests). Today it runs the engine itself compiled to wasm
//! (`wicas-infer-wasi-probe`); later the same [`deterministic_config`] and [`WasiProgram`] host
//! the WASI-NN programs, with the `wasi_ephemeral_nn` imports added to the same linker.
//!
//! Invariants — what makes a run a pure function of (module, arguments, preopened files, fuel):
//! - **Numerics:** NaN canonicalisation on, relaxed SIMD off *and* deterministic, no wasm threads
//!   (no shared memory, no atomics races) — see [`deterministic_config`].
//! - **Environment:** both clocks read zero, "random" bytes are a fixed cycle, no environment
//!   variables, no network, stdin empty, directories preopened read-only.
//! - **Bounds:** every run has a fuel budget (wasm instructions) and a memory cap, and its output
//!   is captured up to a byte cap; exceeding any of them is a typed error, never a hang.
//!
//! This crate must never hand a guest the host's clock, randomness, environment or a writable
//! directory.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod config;
mod env;
mod error;
mod program;

pub use config::deterministic_config;
pub use error::HostError;
pub use program::{Preopen, RunLimits, RunOutput, WasiProgram};
