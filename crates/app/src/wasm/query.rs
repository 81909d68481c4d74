//! `/cosmwasm.wasm.v1.Query/*`: SmartContractState, RawContractState, ContractInfo, Code.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use cosmos_sdk_proto::cosmwasm::wasm::v1 as pb;
use prost::Message;
use wicas_store::{Snapshot, StateDelta, StateRead};
use wicas_types::gas::sdk_to_vm;
use wicas_vm::{CallContext, StateAccess, WasmVm};

use super::{ContractQuerier, WasmEnv, WasmRead, contract_state_key};
use crate::ai::ModelRegistry;
use crate::app::BlockInfo;
use crate::query::{QueryError, decode_request, parse_address};

/// Gas limit of an ABCI smart query, in SDK gas (wasmd's default `SmartQueryGasLimit`).
pub const SMART_QUERY_GAS_LIMIT: u64 = 3_000_000;

/// `Query/SmartContractState`: run the contract's `query` on a read-only view.
pub fn smart(
    vm: &Arc<WasmVm>,
    models: &Arc<ModelRegistry>,
    block: BlockInfo,
    view: Snapshot,
    data: &[u8],
) -> Result<Vec<u8>, QueryError> {
    let req: pb::QuerySmartContractStateRequest = decode_request(data)?;
    let addr = parse_address(&req.address)?;
    let info = view
        .contract_info(&addr)?
        .ok_or_else(|| QueryError::NotFound(format!("contract {}", req.address)))?;
    let code = view
        .code_info(info.code_id)?
        .ok_or_else(|| QueryError::NotFound(format!("code {}", info.code_id)))?;
    let checksum = cosmwasm_std::Checksum::from_hex(&code.checksum)
        .map_err(|e| QueryError::NotFound(e.to_string()))?;
    let env = Rc::new(WasmEnv {
        vm: Arc::clone(vm),
        models: Arc::clone(models),
        infer: Rc::new(Cell::default()),
        block,
        fault: RefCell::new(None),
    });
    let state = Rc::new(RefCell::new(StateDelta::new(view)));
    let querier = Rc::new(ContractQuerier::new(
        Rc::clone(&env),
        Rc::clone(&state),
        addr.clone(),
    ));
    let ctx = CallContext {
        env: env.cw_env(&addr),
        gas_limit: sdk_to_vm(SMART_QUERY_GAS_LIMIT),
        state: StateAccess::ReadWrite(state),
        querier,
    };
    let out = vm.query(&checksum, ctx, &req.query_data);
    let bin = out
        .result
        .map_err(|e| QueryError::Contract(e.to_string()))?;
    Ok(pb::QuerySmartContractStateResponse { data: bin.to_vec() }.encode_to_vec())
}

/// `Query/RawContractState`.
pub fn raw(view: &dyn StateRead, data: &[u8]) -> Result<Vec<u8>, QueryError> {
    let req: pb::QueryRawContractStateRequest = decode_request(data)?;
    let addr = parse_address(&req.address)?;
    if view.contract_info(&addr)?.is_none() {
        return Err(QueryError::NotFound(format!("contract {}", req.address)));
    }
    let value = view
        .get_raw(&contract_state_key(addr.as_bytes(), &req.query_data))?
        .unwrap_or_default();
    Ok(pb::QueryRawContractStateResponse { data: value }.encode_to_vec())
}

/// `Query/ContractInfo`.
pub fn contract_info(view: &dyn StateRead, data: &[u8]) -> Result<Vec<u8>, QueryError> {
    let req: pb::QueryContractInfoRequest = decode_request(data)?;
    let addr = parse_address(&req.address)?;
    let i = view
        .contract_info(&addr)?
        .ok_or_else(|| QueryError::NotFound(format!("contract {}", req.address)))?;
    let info = pb::ContractInfo {
        code_id: i.code_id,
        creator: i.creator,
        admin: i.admin,
        label: i.label,
        created: Some(pb::AbsoluteTxPosition {
            block_height: i.created_height,
            tx_index: 0,
        }),
        ibc_port_id: String::new(),
        extension: None,
    };
    Ok(pb::QueryContractInfoResponse {
        address: req.address,
        contract_info: Some(info),
    }
    .encode_to_vec())
}

/// `Query/Code`: code info and the wasm.
pub fn code(view: &dyn StateRead, data: &[u8]) -> Result<Vec<u8>, QueryError> {
    let req: pb::QueryCodeRequest = decode_request(data)?;
    let c = view
        .code_info(req.code_id)?
        .ok_or_else(|| QueryError::NotFound(format!("code {}", req.code_id)))?;
    let hash = hex::decode(&c.checksum).unwrap_or_default();
    let bytes = view.code_bytes(&hash)?.unwrap_or_default();
    let info = pb::CodeInfoResponse {
        code_id: req.code_id,
        creator: c.creator,
        data_hash: hash,
        instantiate_permission: Some(pb::AccessConfig {
            permission: pb::AccessType::Everybody as i32,
            addresses: vec![],
        }),
    };
    Ok(pb::QueryCodeResponse {
        code_info: Some(info),
        data: bytes,
    }
    .encode_to_vec())
}
