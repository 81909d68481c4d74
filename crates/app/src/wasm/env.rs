//! What contract calls see of their surroundings, owned so the vm's `'static` backends can hold it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use cosmwasm_std::{Addr, Env, Timestamp};
use wicas_store::StateDelta;
use wicas_vm::WasmVm;

use crate::Address;
use crate::ai::{InferBlockState, ModelRegistry, ModelUnavailable};
use crate::app::BlockInfo;

/// The state a contract call reads and writes, shared with its querier.
pub type SharedState = Rc<RefCell<StateDelta>>;

/// The block-level context of every contract call in a transaction.
pub struct WasmEnv {
    /// The contract host.
    pub vm: Arc<WasmVm>,
    /// Engines by model hash.
    pub models: Arc<ModelRegistry>,
    /// The block's inference budget and call counter.
    pub infer: Rc<Cell<InferBlockState>>,
    /// The block.
    pub block: BlockInfo,
    /// Set when a registered model could not be loaded: the transaction's result must not be
    /// used (node fault, see `ai::ModelUnavailable`).
    pub fault: RefCell<Option<ModelUnavailable>>,
}

impl std::fmt::Debug for WasmEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmEnv")
            .field("block", &self.block)
            .finish_non_exhaustive()
    }
}

impl WasmEnv {
    /// The cosmwasm `Env` of a call to `contract`.
    pub fn cw_env(&self, contract: &Address) -> Env {
        Env {
            block: cosmwasm_std::BlockInfo {
                height: self.block.height,
                time: Timestamp::from_nanos(self.block.time_unix_nanos),
                chain_id: self.block.chain_id.clone(),
            },
            transaction: None,
            contract: cosmwasm_std::ContractInfo {
                address: Addr::unchecked(contract.to_bech32()),
            },
        }
    }
}
