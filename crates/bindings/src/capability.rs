//! The `wicas` capability marker.
//!
//! cosmwasm-vm reads a contract's required capabilities from its exports named `requires_<name>`
//! (cosmwasm-std exports `requires_iterator`, `requires_cosmwasm_2_0`, … the same way) and refuses
//! `store_code` when the chain does not list every one of them.

/// The capability a chain must advertise to run contracts that use this crate.
pub const CAPABILITY: &str = "wicas";

// An exported, empty marker function: its name is the whole message. Only the wasm build exports
// it (on native targets it would be an unused symbol in test binaries).
// reason: cosmwasm-vm finds capabilities by export name, which requires an unmangled symbol.
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
extern "C" fn requires_wicas() {}
