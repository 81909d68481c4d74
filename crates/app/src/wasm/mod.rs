//! `wasm`: CosmWasm codes and contracts on the `wicas-vm` host, with wasmd's message set,
//! addresses, events and queries.
//!
//! Invariant: a message that fails leaves nothing behind (every contract call and submessage
//! runs in a fork of the state, applied only on success).

mod address;
mod env;
mod error;
mod event;
mod keeper;
mod msgs;
mod querier;
pub(crate) mod query;
mod records;
mod state_key;
mod view;

pub use address::{classic_address, predictable_address};
pub use env::{SharedState, WasmEnv};
pub use error::WasmError;
pub use keeper::{Keeper, WasmOutcome};
pub use msgs::{MAX_WASM_BYTES, WasmMsg, maybe_gunzip, type_url};
pub use querier::{ContractQuerier, to_call};
pub use records::{CodeInfo, ContractInfo};
pub use view::{WasmRead, WasmWrite};
pub use wicas_vm::contract_state_key;
