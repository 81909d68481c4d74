//! # wicas-vm — the CosmWasm contract host
//!
//! Runs `cosmwasm-std` contracts with the real `cosmwasm-vm` 3.0 (wasmer singlepass, metered):
//! [`WasmVm`] owns the module cache (on disk + in memory); each call gets a [`CallContext`]
//! — the `Env`, a gas limit, the chain state ([`StateAccess`]) and a [`ChainQuerier`] — and
//! returns a [`CallOutcome`]: the contract's answer or a typed [`CallError`], plus the gas used.
//!
//! What the host provides to contracts (the cosmwasm-vm `Backend`):
//! - **Storage** over `wicas_store::StateWrite`, every key prefixed by the contract's address
//!   ([`contract_state_prefix`]); iterators are cursors with ids 1, 2, 3… in creation order, so
//!   the ids a contract sees are deterministic; reads, writes and iteration cost gas.
//! - **Api**: bech32 addresses with prefix `wicas` (signature checks are cosmwasm-vm's own).
//! - **Querier**: parses `QueryRequest<AiQuery>` and hands it to the app's [`ChainQuerier`],
//!   which answers bank, wasm (smart, raw, contract info, code info) and `wicas` AI queries and
//!   reports the gas it used.
//!
//! Gas: everything is counted in VM gas (cosmwasm-vm's unit) and converted to SDK gas with
//! `wicas_types::gas` (140 000 000 VM gas = 1 SDK gas, as wasmd). Host costs are wasmd's SDK
//! costs ([`GasCosts`]) times that ratio.
//!
//! Determinism: nothing here reads a clock, iterates a hash map, or depends on thread timing.
//! This crate never decides chain policy (code ids, addresses, admins, submessage dispatch,
//! rollback): that is the app's wasm module, built on this API.
//!
//! Unsafe: the one `unsafe` call is `cosmwasm_vm::Cache::new`, which trusts the compiled
//! modules in its own cache directory (see [`WasmVm::new`]).
#![deny(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod api;
mod config;
mod error;
mod querier;
mod storage;
mod vm;

pub use api::{BECH32_PREFIX, WicasApi};
pub use config::{CAPABILITIES, ConfigError, GasCosts, VmConfig};
pub use cosmwasm_std::Checksum;
pub use error::{CallError, StoreCodeError, VmInitError};
pub use querier::{ChainQuerier, QueryOutcome};
pub use storage::{StateAccess, contract_state_key, contract_state_prefix};
pub use vm::{CallContext, CallOutcome, GasReport, WasmVm, transaction_info};
