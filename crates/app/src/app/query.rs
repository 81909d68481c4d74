//! ABCI query entry: picks the snapshot for the height, runs `Simulate` itself and hands every
//! other path to the modules' routes.

use std::cell::Cell;

use cosmos_sdk_proto::cosmos::base::abci::v1beta1::{GasInfo, Result as AbciResult};
use cosmos_sdk_proto::cosmos::tx::v1beta1::{SimulateRequest, SimulateResponse};
use prost::Message;
use wicas_store::{Snapshot, StateDelta};

use super::exec::{Mode, TxEnv, execute_tx};
use super::{App, version_of};
use crate::query::{QueryError, QueryResult, decode_request, route_state_query};

pub(super) fn answer(app: &App, path: &str, data: &[u8], height: u64) -> QueryResult {
    let latest = app.info().last_height;
    let at = if height == 0 { latest } else { height };
    let value = (|| -> Result<Vec<u8>, QueryError> {
        if app.chain_id.is_none() || at > latest {
            return Err(QueryError::Height(at));
        }
        let view = app
            .storage
            .snapshot(version_of(at))
            .map_err(|_| QueryError::Height(at))?;
        match path {
            "/cosmos.tx.v1beta1.Service/Simulate" => simulate(app, view, data),
            _ => route_state_query(path, &view, data),
        }
    })();
    match value {
        Ok(value) => QueryResult {
            code: 0,
            codespace: String::new(),
            log: String::new(),
            value,
            height: at,
        },
        Err(e) => {
            let (codespace, code) = e.code();
            QueryResult {
                code,
                codespace: codespace.to_owned(),
                log: e.to_string(),
                value: Vec::new(),
                height: at,
            }
        }
    }
}

/// `Service/Simulate`: run the transaction on a throwaway overlay and report its gas.
fn simulate(app: &App, view: Snapshot, data: &[u8]) -> Result<Vec<u8>, QueryError> {
    let chain_id = app.chain_id.clone().unwrap_or_default();
    let req: SimulateRequest = decode_request(data)?;
    if req.tx_bytes.is_empty() {
        return Err(QueryError::InvalidArgument(
            "empty tx_bytes (the deprecated `tx` field is not supported)".into(),
        ));
    }
    let mut state = StateDelta::new(view);
    let info = app.next_block_info(&chain_id);
    let infer = Cell::default();
    let env = TxEnv {
        chain_id: &chain_id,
        block: &info,
        mode: Mode::Simulate,
        models: &app.config.models,
        infer: &infer,
    };
    let out = execute_tx(&mut state, &req.tx_bytes, env);
    if !out.result.is_ok() {
        return Err(QueryError::InvalidArgument(out.result.log));
    }
    let r = out.result;
    #[allow(deprecated)] // reason: the deprecated `data` field must be set to build the struct
    let result = AbciResult {
        data: Vec::new(),
        log: String::new(),
        events: r.events.iter().map(crate::event::to_abci).collect(),
        msg_responses: out.msg_responses,
    };
    Ok(SimulateResponse {
        gas_info: Some(GasInfo {
            gas_wanted: r.gas_wanted,
            gas_used: r.gas_used,
        }),
        result: Some(result),
    }
    .encode_to_vec())
}
