//! [`WasmVm`]: the module cache and the call wrappers.

use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::{Mutex, PoisonError};

use cosmwasm_std::{
    Binary, Checksum, ContractResult, Env, MessageInfo, Reply, Response, TransactionInfo,
};
use cosmwasm_vm::{
    AnalysisReport, Backend, Cache, CacheOptions, Instance, InstanceOptions, Size, VmError,
    VmResult,
};
use wicas_bindings::AiMsg;
use wicas_types::gas::{sdk_to_vm, vm_to_sdk};

use crate::api::WicasApi;
use crate::config::{CAPABILITIES, VmConfig};
use crate::error::{CallError, StoreCodeError, VmInitError};
use crate::querier::{ChainQuerier, ContractQuerier};
use crate::storage::{ContractStorage, StateAccess};

type WicasCache = Cache<WicasApi, ContractStorage, ContractQuerier>;
type WicasInstance = Instance<WicasApi, ContractStorage, ContractQuerier>;

/// Everything one contract call needs besides its message.
pub struct CallContext {
    /// Block, transaction and contract (`env.contract.address` selects the storage prefix).
    pub env: Env,
    /// Most VM gas the call may use, instance cost included (`wicas_types::gas::sdk_to_vm`).
    pub gas_limit: u64,
    /// The state the contract reads and writes.
    pub state: StateAccess,
    /// Answers the contract's queries.
    pub querier: Rc<dyn ChainQuerier>,
}

impl std::fmt::Debug for CallContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallContext")
            .field("env", &self.env)
            .field("gas_limit", &self.gas_limit)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// Gas of one call, in VM gas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GasReport {
    /// The call's limit.
    pub limit: u64,
    /// Used, never more than `limit` (out-of-gas calls report `limit`).
    pub used: u64,
}

impl GasReport {
    /// `used` in SDK gas, rounded up.
    pub fn used_sdk(&self) -> u64 {
        vm_to_sdk(self.used)
    }
}

/// The result of one call and the gas it used, whether it succeeded or not. On any `Err` the app
/// must discard the call's writes (the host writes through to the state it is given).
#[derive(Debug, Clone, PartialEq)]
pub struct CallOutcome<T> {
    /// The contract's answer or why there is none.
    pub result: Result<T, CallError>,
    /// Gas used by the call.
    pub gas: GasReport,
}

/// The contract host: a cosmwasm-vm module cache plus wicas's backend. Cheap to share by
/// reference; calls take `&self`.
pub struct WasmVm {
    cache: WicasCache,
    config: VmConfig,
    /// Checksums whose wasm this process has seen in the cache (stored, restored or loaded), so
    /// that [`WasmVm::has_code`] need not read and re-hash the file on every call.
    known: Mutex<BTreeSet<Vec<u8>>>,
}

impl std::fmt::Debug for WasmVm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmVm")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl WasmVm {
    /// Open (or create) the module cache in `config.cache_dir`, offering [`CAPABILITIES`].
    pub fn new(config: VmConfig) -> Result<Self, VmInitError> {
        config.validate()?;
        // reason: cosmwasm-vm's API takes a HashSet; it is only used for membership tests.
        #[allow(clippy::disallowed_types)]
        let capabilities: std::collections::HashSet<String> =
            CAPABILITIES.iter().map(|c| (*c).to_owned()).collect();
        let options = CacheOptions::new(
            config.cache_dir.clone(),
            capabilities,
            Size::new(usize::try_from(config.memory_cache_bytes).unwrap_or(usize::MAX)),
            Size::new(usize::try_from(config.instance_memory_limit_bytes).unwrap_or(usize::MAX)),
        );
        // SAFETY: `Cache::new` is unsafe because it loads compiled native modules from
        // `cache_dir` without verifying them. The directory belongs to this node alone (it is
        // under the node's home, written only by cosmwasm-vm); whoever can write there can
        // already replace the node binary.
        #[allow(unsafe_code)]
        let cache = unsafe { Cache::new(options) }.map_err(|e| VmInitError::Cache {
            reason: e.to_string(),
        })?;
        Ok(Self {
            cache,
            config,
            known: Mutex::new(BTreeSet::new()),
        })
    }

    /// The configuration in force.
    pub fn config(&self) -> &VmConfig {
        &self.config
    }

    /// Statically check, compile and persist `wasm`; returns its checksum (SHA-256). Storing the
    /// same code twice is harmless. Charge [`WasmVm::compile_cost_sdk`] before calling.
    pub fn store_code(&self, wasm: &[u8]) -> Result<Checksum, StoreCodeError> {
        if wasm.len() > self.config.max_wasm_bytes {
            return Err(StoreCodeError::TooLarge {
                size: wasm.len(),
                max: self.config.max_wasm_bytes,
            });
        }
        let checksum = self.cache.store_code(wasm, true, true)?;
        self.remember(checksum);
        Ok(checksum)
    }

    /// Re-add code that was checked before (node restart with a lost cache, state sync): compiles
    /// and persists without the static checks.
    pub fn restore_code(&self, wasm: &[u8]) -> Result<Checksum, StoreCodeError> {
        let checksum = self.cache.store_code(wasm, false, true)?;
        self.remember(checksum);
        Ok(checksum)
    }

    fn remember(&self, checksum: Checksum) {
        self.known
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(checksum.as_slice().to_vec());
    }

    /// Whether the cache holds the wasm of `checksum`. Cheap after the first `true`: it reads
    /// (and re-hashes) the file only for code this process has not stored or seen yet —
    /// measured, that read was a third of a contract call's cost outside the contract
    /// (`cargo bench -p wicas-app --bench chain`).
    pub fn has_code(&self, checksum: &Checksum) -> bool {
        let known = self
            .known
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(checksum.as_slice());
        known || self.load_code(checksum).is_some()
    }

    /// SDK gas to charge for storing `wasm_len` bytes (wasmd: 3 per byte).
    pub fn compile_cost_sdk(&self, wasm_len: usize) -> u64 {
        self.config
            .costs
            .compile_per_byte
            .saturating_mul(u64::try_from(wasm_len).unwrap_or(u64::MAX))
    }

    /// The stored wasm of `checksum` (for `CodeInfo`/download queries).
    pub fn load_code(&self, checksum: &Checksum) -> Option<Vec<u8>> {
        let wasm = self.cache.load_wasm(checksum).ok()?;
        self.remember(*checksum);
        Some(wasm)
    }

    /// Entry points and required capabilities of stored code.
    pub fn analyze(&self, checksum: &Checksum) -> Result<AnalysisReport, CallError> {
        self.cache
            .analyze(checksum)
            .map_err(|e| code_error(e, checksum, 0))
    }

    /// Keep `checksum`'s compiled module in memory for good (hot contracts).
    pub fn pin(&self, checksum: &Checksum) -> Result<(), CallError> {
        self.cache
            .pin(checksum)
            .map_err(|e| code_error(e, checksum, 0))
    }

    /// Call `instantiate(env, info, msg)`.
    pub fn instantiate(
        &self,
        checksum: &Checksum,
        ctx: CallContext,
        info: &MessageInfo,
        msg: &[u8],
    ) -> CallOutcome<Response<AiMsg>> {
        self.call(checksum, ctx, |instance, env| {
            cosmwasm_vm::call_instantiate::<_, _, _, AiMsg>(instance, env, info, msg)
        })
    }

    /// Call `execute(env, info, msg)`.
    pub fn execute(
        &self,
        checksum: &Checksum,
        ctx: CallContext,
        info: &MessageInfo,
        msg: &[u8],
    ) -> CallOutcome<Response<AiMsg>> {
        self.call(checksum, ctx, |instance, env| {
            cosmwasm_vm::call_execute::<_, _, _, AiMsg>(instance, env, info, msg)
        })
    }

    /// Call `query(env, msg)`; the state should be [`StateAccess::ReadOnly`] (writes are refused
    /// by cosmwasm-vm either way).
    pub fn query(&self, checksum: &Checksum, ctx: CallContext, msg: &[u8]) -> CallOutcome<Binary> {
        self.call(checksum, ctx, |instance, env| {
            cosmwasm_vm::call_query(instance, env, msg)
        })
    }

    /// Call `migrate(env, msg)` (the app checks the admin first).
    pub fn migrate(
        &self,
        checksum: &Checksum,
        ctx: CallContext,
        msg: &[u8],
    ) -> CallOutcome<Response<AiMsg>> {
        self.call(checksum, ctx, |instance, env| {
            cosmwasm_vm::call_migrate::<_, _, _, AiMsg>(instance, env, msg)
        })
    }

    /// Call `reply(env, reply)` after a submessage.
    pub fn reply(
        &self,
        checksum: &Checksum,
        ctx: CallContext,
        reply: &Reply,
    ) -> CallOutcome<Response<AiMsg>> {
        self.call(checksum, ctx, |instance, env| {
            cosmwasm_vm::call_reply::<_, _, _, AiMsg>(instance, env, reply)
        })
    }

    /// Call `sudo(env, msg)` (privileged: only the chain itself calls it, e.g. to deliver an
    /// asynchronous inference result).
    pub fn sudo(
        &self,
        checksum: &Checksum,
        ctx: CallContext,
        msg: &[u8],
    ) -> CallOutcome<Response<AiMsg>> {
        self.call(checksum, ctx, |instance, env| {
            cosmwasm_vm::call_sudo::<_, _, _, AiMsg>(instance, env, msg)
        })
    }

    /// Charge the instance cost, build the backend, run `entry`, report gas.
    fn call<T>(
        &self,
        checksum: &Checksum,
        ctx: CallContext,
        entry: impl FnOnce(&mut WicasInstance, &Env) -> VmResult<ContractResult<T>>,
    ) -> CallOutcome<T> {
        let CallContext {
            env,
            gas_limit,
            state,
            querier,
        } = ctx;
        let fail = |error: CallError, used: u64| CallOutcome {
            result: Err(error),
            gas: GasReport {
                limit: gas_limit,
                used: used.min(gas_limit),
            },
        };
        let instance_cost = sdk_to_vm(self.config.costs.instance);
        if gas_limit < instance_cost {
            return fail(CallError::OutOfGas { limit: gas_limit }, gas_limit);
        }
        let contract = match WicasApi::canonicalize(env.contract.address.as_str()) {
            Ok(raw) => raw,
            Err(reason) => {
                let address = env.contract.address.to_string();
                return fail(
                    CallError::InvalidContractAddress { address, reason },
                    instance_cost,
                );
            }
        };
        let backend = Backend {
            api: WicasApi::new(self.config.costs),
            storage: ContractStorage::new(state, &contract, self.config.costs),
            querier: ContractQuerier::new(querier),
        };
        let options = InstanceOptions {
            gas_limit: gas_limit - instance_cost,
        };
        let mut instance = match self.cache.get_instance(checksum, backend, options) {
            Ok(instance) => instance,
            Err(e) => return fail(code_error(e, checksum, gas_limit), instance_cost),
        };
        let result = entry(&mut instance, &env);
        let report = instance.create_gas_report();
        let used = instance_cost.saturating_add(report.limit.saturating_sub(report.remaining));
        let gas = GasReport {
            limit: gas_limit,
            used: used.min(gas_limit),
        };
        let result = match result {
            Ok(ContractResult::Ok(value)) => Ok(value),
            Ok(ContractResult::Err(message)) => Err(CallError::Contract { message }),
            // Gas running out inside a host function (storage, a query) surfaces as a runtime
            // error rather than `GasDepletion`; an exhausted meter is what tells them apart.
            Err(_) if report.remaining == 0 => Err(CallError::OutOfGas { limit: gas_limit }),
            Err(e) => Err(CallError::from_vm(e, gas_limit)),
        };
        // An out-of-gas call used all of its gas, whatever the meter says after unwinding.
        let gas = if matches!(result, Err(CallError::OutOfGas { .. })) {
            GasReport {
                limit: gas_limit,
                used: gas_limit,
            }
        } else {
            gas
        };
        CallOutcome { result, gas }
    }
}

/// Errors of cache look-ups: a missing file means unknown code.
fn code_error(error: VmError, checksum: &Checksum, limit: u64) -> CallError {
    match &error {
        VmError::CacheErr { msg, .. } if msg.starts_with("Error opening Wasm file") => {
            CallError::CodeNotFound {
                checksum: checksum.to_hex(),
            }
        }
        _ => CallError::from_vm(error, limit),
    }
}

/// `cosmwasm_std::TransactionInfo` is `#[non_exhaustive]` without a constructor; this builds one
/// (through its JSON form) for `Env::transaction`. `hash` is the transaction's hash.
pub fn transaction_info(index: u32, hash: &[u8]) -> cosmwasm_std::StdResult<TransactionInfo> {
    let json = format!(
        r#"{{"index":{index},"hash":"{}"}}"#,
        cosmwasm_std::to_base64(hash)
    );
    cosmwasm_std::from_json(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transaction_info_carries_index_and_hash() {
        let info = transaction_info(3, &[1, 2, 3]).unwrap();
        assert_eq!(info.index, 3);
        assert_eq!(info.hash.as_slice(), &[1, 2, 3]);
    }
}
