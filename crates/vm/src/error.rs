//! Typed errors of the host.

use cosmwasm_vm::VmError;

/// Why the module cache could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VmInitError {
    /// A configuration value is out of range.
    #[error(transparent)]
    Config(#[from] crate::ConfigError),
    /// cosmwasm-vm could not create or open its cache directory.
    #[error("opening the module cache: {reason}")]
    Cache {
        /// cosmwasm-vm's message.
        reason: String,
    },
}

/// Why `store_code` refused a wasm blob. Nothing is stored in any of these cases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreCodeError {
    /// Larger than the configured maximum.
    #[error("wasm is {size} bytes; the limit is {max}")]
    TooLarge {
        /// Bytes sent.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The contract needs capabilities this chain does not offer (`requires_*` exports).
    #[error("contract requires unavailable capabilities: {reason}")]
    MissingCapabilities {
        /// cosmwasm-vm's message, naming them.
        reason: String,
    },
    /// Not a valid CosmWasm contract: unparsable wasm, missing `interface_version_8`, `memory`,
    /// `allocate`/`deallocate` exports, SIMD or other unsupported instructions, unknown imports,
    /// initial memory or tables over the limits, too many functions, …
    #[error("invalid contract wasm: {reason}")]
    Invalid {
        /// cosmwasm-vm's message, naming the problem.
        reason: String,
    },
    /// Valid by the static checks but the compiler refused it.
    #[error("wasm does not compile: {reason}")]
    Compile {
        /// The compiler's message.
        reason: String,
    },
    /// The module cache failed (disk).
    #[error("module cache: {reason}")]
    Cache {
        /// cosmwasm-vm's message.
        reason: String,
    },
}

impl From<VmError> for StoreCodeError {
    fn from(error: VmError) -> Self {
        match error {
            VmError::StaticValidationErr { msg, .. }
                if msg.contains("unavailable capabilities") =>
            {
                StoreCodeError::MissingCapabilities { reason: msg }
            }
            VmError::StaticValidationErr { msg, .. } => StoreCodeError::Invalid { reason: msg },
            VmError::CompileErr { msg, .. } => StoreCodeError::Compile { reason: msg },
            VmError::CacheErr { msg, .. } => StoreCodeError::Cache { reason: msg },
            other => StoreCodeError::Invalid {
                reason: other.to_string(),
            },
        }
    }
}

/// Why a contract call failed. Every variant is deterministic: the same call on the same state
/// fails the same way on every validator (messages included), so the app may put them in events.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// The contract ran and returned an error (`Err` from its entry point).
    #[error("contract error: {message}")]
    Contract {
        /// The contract's error message.
        message: String,
    },
    /// The gas limit was reached (wasm execution, storage, queries or inference).
    #[error("out of gas: limit {limit} VM gas")]
    OutOfGas {
        /// The call's limit in VM gas.
        limit: u64,
    },
    /// No stored code has this checksum.
    #[error("no stored code with checksum {checksum}")]
    CodeNotFound {
        /// Hex checksum.
        checksum: String,
    },
    /// `env.contract.address` is not a valid `wicas1…` address.
    #[error("invalid contract address {address:?}: {reason}")]
    InvalidContractAddress {
        /// The address given.
        address: String,
        /// Why it is invalid.
        reason: String,
    },
    /// The contract does not export the called entry point (e.g. `sudo`, `migrate`).
    #[error("contract has no such entry point: {message}")]
    MissingEntryPoint {
        /// cosmwasm-vm's message.
        message: String,
    },
    /// The wasm trapped: `unreachable`, a Rust panic, a memory access out of bounds, a stack
    /// overflow, a division by zero.
    #[error("contract trapped: {message}")]
    Trap {
        /// The runtime's message.
        message: String,
    },
    /// The contract returned bytes that are not the expected result (bad JSON, too long).
    #[error("contract returned an invalid result: {message}")]
    InvalidResult {
        /// What was wrong.
        message: String,
    },
    /// The contract wrote storage inside a query.
    #[error("contract wrote to storage in a read-only call")]
    WriteInReadOnlyCall,
    /// A host function failed (state database error, iterator misuse).
    #[error("host backend error: {message}")]
    Backend {
        /// The backend's message.
        message: String,
    },
    /// The module could not be loaded or instantiated (cache corruption, memory limit).
    #[error("instantiating the wasm module failed: {message}")]
    Instantiation {
        /// cosmwasm-vm's message.
        message: String,
    },
    /// Any other cosmwasm-vm failure (crypto API misuse, communication errors, …).
    #[error("vm error: {message}")]
    Vm {
        /// cosmwasm-vm's message.
        message: String,
    },
}

impl CallError {
    pub(crate) fn from_vm(error: VmError, limit: u64) -> Self {
        match error {
            VmError::GasDepletion { .. } => CallError::OutOfGas { limit },
            VmError::BackendErr {
                source: cosmwasm_vm::BackendError::OutOfGas {},
                ..
            } => CallError::OutOfGas { limit },
            VmError::BackendErr { source, .. } => CallError::Backend {
                message: source.to_string(),
            },
            VmError::ResolveErr { msg, .. } => CallError::MissingEntryPoint { message: msg },
            VmError::RuntimeErr { msg, .. } => CallError::Trap { message: msg },
            VmError::Aborted { msg, .. } => CallError::Trap {
                message: format!("aborted: {msg}"),
            },
            VmError::ParseErr { .. }
            | VmError::SerializeErr { .. }
            | VmError::DeserializationLimitExceeded { .. }
            | VmError::ResultMismatch { .. } => CallError::InvalidResult {
                message: error.to_string(),
            },
            VmError::WriteAccessDenied { .. } => CallError::WriteInReadOnlyCall,
            VmError::InstantiationErr { msg, .. } => CallError::Instantiation { message: msg },
            VmError::CacheErr { msg, .. } => CallError::Instantiation { message: msg },
            other => CallError::Vm {
                message: other.to_string(),
            },
        }
    }
}
