//! [`WasiProgram`]: a compiled `wasm32-wasip1` command and one deterministic run of it.

use std::path::{Path, PathBuf};

use wasmtime::{Engine, Linker, Module, Store, StoreLimits, StoreLimitsBuilder, Trap};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

use crate::HostError;
use crate::config::deterministic_config;
use crate::env::{FIXED_RANDOM, FIXED_RANDOM_SEED, ZeroMonotonicClock, ZeroWallClock};

/// A host directory the guest sees, read-only, under `guest` (e.g. `/models`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preopen {
    /// The directory on the host.
    pub host: PathBuf,
    /// Where the guest finds it.
    pub guest: String,
}

/// Bounds of one run; exceeding any is an error, never a hang or an unbounded allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunLimits {
    /// Fuel budget: roughly one unit per wasm instruction executed.
    pub fuel: u64,
    /// Largest linear memory the guest may grow to, in bytes.
    pub max_memory_bytes: usize,
    /// Most bytes kept of each of stdout and stderr; a write past it traps.
    pub max_output_bytes: usize,
}

impl Default for RunLimits {
    /// Generous bounds for a local run: 10^13 fuel (hours of work), 4 GiB (all wasm32 can
    /// address), 1 MiB of output.
    fn default() -> Self {
        RunLimits {
            fuel: 10_000_000_000_000,
            max_memory_bytes: 4 << 30,
            max_output_bytes: 1 << 20,
        }
    }
}

/// What a finished run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutput {
    /// The exit status (`0` when `_start` returned normally, else the `proc_exit` code).
    pub exit_code: i32,
    /// Everything written to stdout.
    pub stdout: Vec<u8>,
    /// Everything written to stderr.
    pub stderr: Vec<u8>,
    /// Fuel consumed: a deterministic measure of the work done.
    pub fuel_used: u64,
}

/// A `wasm32-wasip1` command module compiled under [`deterministic_config`].
#[derive(Debug, Clone)]
pub struct WasiProgram {
    engine: Engine,
    module: Module,
    name: String,
}

/// Per-run store state: the WASI context and the resource caps.
struct State {
    wasi: WasiP1Ctx,
    limits: StoreLimits,
}

impl WasiProgram {
    /// Compiles `bytes` (a `.wasm` module) with a fresh deterministic engine; `name` becomes the
    /// guest's `argv[0]` and appears in errors.
    pub fn from_bytes(name: impl Into<String>, bytes: &[u8]) -> Result<Self, HostError> {
        let engine = Engine::new(&deterministic_config()).map_err(HostError::Engine)?;
        Self::with_engine(&engine, name, bytes)
    }

    /// Reads and compiles the module at `path`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, HostError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| HostError::ReadModule {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(path.display().to_string(), &bytes)
    }

    /// Compiles `bytes` with an existing engine (one engine can serve many programs). The
    /// engine must have been built from [`deterministic_config`].
    pub fn with_engine(
        engine: &Engine,
        name: impl Into<String>,
        bytes: &[u8],
    ) -> Result<Self, HostError> {
        let name = name.into();
        let module = Module::new(engine, bytes).map_err(|source| HostError::Compile {
            what: name.clone(),
            source,
        })?;
        Ok(WasiProgram {
            engine: engine.clone(),
            module,
            name,
        })
    }

    /// Runs the program's `_start` with `args` (after `argv[0]`), the given read-only
    /// directories, zero clocks, fixed random bytes, no environment and an empty stdin.
    pub fn run(
        &self,
        args: &[&str],
        preopens: &[Preopen],
        limits: RunLimits,
    ) -> Result<RunOutput, HostError> {
        let stdout = MemoryOutputPipe::new(limits.max_output_bytes);
        let stderr = MemoryOutputPipe::new(limits.max_output_bytes);
        let mut builder = WasiCtxBuilder::new();
        builder
            .arg(&self.name)
            .args(args)
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .wall_clock(ZeroWallClock)
            .monotonic_clock(ZeroMonotonicClock)
            .secure_random(wasmtime_wasi::Deterministic::new(FIXED_RANDOM.to_vec()))
            .insecure_random(wasmtime_wasi::Deterministic::new(FIXED_RANDOM.to_vec()))
            .insecure_random_seed(FIXED_RANDOM_SEED)
            // The run is synchronous on the calling thread; file reads block it, as intended.
            .allow_blocking_current_thread(true);
        for p in preopens {
            builder
                .preopened_dir(&p.host, &p.guest, FsPerms::ReadOnly)
                .map_err(|source| HostError::Preopen {
                    host: p.host.clone(),
                    source,
                })?;
        }
        let state = State {
            wasi: builder.build_p1(),
            limits: StoreLimitsBuilder::new()
                .memory_size(limits.max_memory_bytes)
                .instances(1)
                .build(),
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limits);
        store.set_fuel(limits.fuel).map_err(HostError::Engine)?;

        let mut linker: Linker<State> = Linker::new(&self.engine);
        wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |s: &mut State| &mut s.wasi)
            .map_err(HostError::Instantiate)?;
        let instance = linker
            .instantiate(&mut store, &self.module)
            .map_err(HostError::Instantiate)?;
        let start = instance
            .get_typed_func::<(), ()>(&mut store, "_start")
            .map_err(HostError::NoStart)?;
        let result = start.call(&mut store, ());
        // With fuel enabled in the config `get_fuel` cannot fail; 0 would only under-report.
        let fuel_used = limits.fuel - store.get_fuel().unwrap_or(0);
        let exit_code = match result {
            Ok(()) => 0,
            Err(e) => match (e.downcast_ref::<I32Exit>(), e.downcast_ref::<Trap>()) {
                (Some(exit), _) => exit.0,
                (None, Some(Trap::OutOfFuel)) => {
                    return Err(HostError::OutOfFuel { fuel: limits.fuel });
                }
                _ => return Err(HostError::Trap(e)),
            },
        };
        drop(store);
        Ok(RunOutput {
            exit_code,
            stdout: stdout.contents().to_vec(),
            stderr: stderr.contents().to_vec(),
            fuel_used,
        })
    }
}
