//! Why a program could not be compiled or run.

use std::path::PathBuf;

/// A failure of the host or of the guest, each with what is needed to understand it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HostError {
    /// wasmtime rejected the configuration (a bug in this crate).
    #[error("wasmtime engine: {0:#}")]
    Engine(#[source] wasmtime::Error),
    /// The module is not valid wasm, or uses a feature the deterministic config refuses
    /// (threads, relaxed SIMD).
    #[error("compile {what}: {source:#}")]
    Compile {
        /// What was compiled (a path or a name).
        what: String,
        /// wasmtime's reason.
        #[source]
        source: wasmtime::Error,
    },
    /// The module file could not be read.
    #[error("read {path}: {source}")]
    ReadModule {
        /// The file.
        path: PathBuf,
        /// The reason.
        #[source]
        source: std::io::Error,
    },
    /// A host directory to preopen could not be opened.
    #[error("preopen {host}: {source:#}")]
    Preopen {
        /// The host directory.
        host: PathBuf,
        /// The reason.
        #[source]
        source: wasmtime::Error,
    },
    /// Linking WASI or instantiating the module failed (a missing import, a bad start function).
    #[error("instantiate: {0:#}")]
    Instantiate(#[source] wasmtime::Error),
    /// The module has no `_start` export: it is not a WASI command.
    #[error("the module has no `_start` function: {0:#}")]
    NoStart(#[source] wasmtime::Error),
    /// The run used up its fuel budget.
    #[error("out of fuel after {fuel} units")]
    OutOfFuel {
        /// The budget that was exhausted.
        fuel: u64,
    },
    /// The guest trapped (unreachable, out of bounds, a Rust panic, memory over the cap).
    #[error("the guest trapped: {0:#}")]
    Trap(#[source] wasmtime::Error),
}
