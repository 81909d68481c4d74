//! The host's configuration: cache location, limits and gas prices, each default with its source.

use std::path::PathBuf;

/// Capabilities the host offers (cosmwasm `docs/CAPABILITIES.md`): contracts requiring anything
/// else are refused at `store_code`. No `staking`, `stargate` or `ibc2`: wicas has no such modules.
pub const CAPABILITIES: &[&str] = &[
    "iterator",
    "cosmwasm_1_1",
    "cosmwasm_1_2",
    "cosmwasm_1_3",
    "cosmwasm_1_4",
    "cosmwasm_2_0",
    "cosmwasm_2_1",
    "cosmwasm_2_2",
    "cosmwasm_3_0",
    "wicas",
];

/// Host-side prices, in **SDK gas** (converted to VM gas when charged). Defaults are the Cosmos
/// SDK `KVGasConfig` and wasmd's `gas_register.go`, so costs feel like wasmd's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GasCosts {
    /// Per storage read (SDK `ReadCostFlat`).
    pub read_flat: u64,
    /// Per byte of key + value read (SDK `ReadCostPerByte`).
    pub read_per_byte: u64,
    /// Per storage write (SDK `WriteCostFlat`).
    pub write_flat: u64,
    /// Per byte of key + value written (SDK `WriteCostPerByte`).
    pub write_per_byte: u64,
    /// Per delete (SDK `DeleteCost`).
    pub delete_flat: u64,
    /// Per iterator step and per iterator creation (SDK `IterNextCostFlat`).
    pub iter_next_flat: u64,
    /// Per `addr_canonicalize` (wasmd `DefaultGasCostCanonicalAddress`).
    pub canonicalize: u64,
    /// Per `addr_humanize` (wasmd `DefaultGasCostHumanAddress`).
    pub humanize: u64,
    /// Per contract call: loading an instance (wasmd `DefaultInstanceCost`).
    pub instance: u64,
    /// Per byte of stored wasm: compiling it (wasmd `DefaultCompileCost`).
    pub compile_per_byte: u64,
}

impl Default for GasCosts {
    fn default() -> Self {
        Self {
            read_flat: 1_000,
            read_per_byte: 3,
            write_flat: 2_000,
            write_per_byte: 30,
            delete_flat: 1_000,
            iter_next_flat: 30,
            canonicalize: 4,
            humanize: 5,
            instance: 60_000,
            compile_per_byte: 3,
        }
    }
}

/// How the host is set up. Sizes in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmConfig {
    /// Where cosmwasm-vm keeps stored wasm and compiled modules (created if missing).
    pub cache_dir: PathBuf,
    /// In-memory cache of compiled modules (cosmwasm's default suggestion: 100 MiB).
    pub memory_cache_bytes: u64,
    /// Most linear memory one contract instance may use (32 MiB: 512 pages, cosmwasm's limit
    /// on initial memory as well).
    pub instance_memory_limit_bytes: u64,
    /// Largest wasm accepted by `store_code` (wasmd `MaxWasmSize`: 800 KiB).
    pub max_wasm_bytes: usize,
    /// Host-side gas prices.
    pub costs: GasCosts,
}

/// A configuration value out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A limit that must be positive is zero.
    #[error("{field} must be greater than zero")]
    Zero {
        /// The field's name.
        field: &'static str,
    },
}

impl VmConfig {
    /// Defaults with the cache under `cache_dir`.
    pub fn new(cache_dir: impl Into<PathBuf>) -> Self {
        Self {
            cache_dir: cache_dir.into(),
            memory_cache_bytes: 100 * 1024 * 1024,
            instance_memory_limit_bytes: 32 * 1024 * 1024,
            max_wasm_bytes: 800 * 1024,
            costs: GasCosts::default(),
        }
    }

    /// Check the limits.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.instance_memory_limit_bytes == 0 {
            return Err(ConfigError::Zero {
                field: "instance_memory_limit_bytes",
            });
        }
        if self.max_wasm_bytes == 0 {
            return Err(ConfigError::Zero {
                field: "max_wasm_bytes",
            });
        }
        Ok(())
    }
}
