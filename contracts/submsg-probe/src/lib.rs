//! # submsg-probe — a test contract for submessage semantics
//!
//! `Spin { rounds }` burns gas (a counter write per round) and bumps `spins`; `Call { msg,
//! gas_limit, reply_on }` dispatches `msg` as an execute of this same contract in a `SubMsg`
//! with that gas limit and reply mode. `reply` records what it saw (id, gas used, the error if
//! any) so a test can read it back with `LastReply {}`; `Spins {}` shows whether a submessage's
//! writes survived. Used by the app's tests of wasmd's `SubMsg::gas_limit` semantics.

use cosmwasm_std::{
    Binary, Deps, DepsMut, Empty, Env, MessageInfo, Reply, ReplyOn, Response, StdResult, SubMsg,
    SubMsgResult, WasmMsg, entry_point, to_json_binary,
};
use cw_storage_plus::Item;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

const SPINS: Item<u64> = Item::new("spins");
const SCRATCH: Item<u64> = Item::new("scratch");
const LAST_REPLY: Item<ReplyRecord> = Item::new("last_reply");
/// The id every submessage of this contract carries.
pub const CALL_ID: u64 = 7;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExecuteMsg {
    /// Write a scratch counter `rounds` times (gas scales with `rounds`), then count one spin.
    Spin { rounds: u32 },
    /// Execute `msg` on this contract as a submessage.
    Call {
        msg: Binary,
        gas_limit: Option<u64>,
        reply_on: ReplyOn,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QueryMsg {
    /// → `Option<ReplyRecord>`.
    LastReply {},
    /// → `u64`: completed spins.
    Spins {},
}

/// What the last `reply` saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReplyRecord {
    pub id: u64,
    pub gas_used: u64,
    /// `None` when the submessage succeeded.
    pub error: Option<String>,
}

#[entry_point]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    _msg: Empty,
) -> StdResult<Response> {
    SPINS.save(deps.storage, &0)?;
    Ok(Response::new())
}

#[entry_point]
pub fn execute(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    msg: ExecuteMsg,
) -> StdResult<Response> {
    match msg {
        ExecuteMsg::Spin { rounds } => {
            for i in 0..rounds {
                SCRATCH.save(deps.storage, &u64::from(i))?;
            }
            let spins = SPINS.load(deps.storage)? + 1;
            SPINS.save(deps.storage, &spins)?;
            Ok(Response::new().add_attribute("spins", spins.to_string()))
        }
        ExecuteMsg::Call {
            msg,
            gas_limit,
            reply_on,
        } => {
            let call = WasmMsg::Execute {
                contract_addr: env.contract.address.into_string(),
                msg,
                funds: vec![],
            };
            let mut sub = SubMsg::new(call);
            sub.id = CALL_ID;
            sub.reply_on = reply_on;
            sub.gas_limit = gas_limit;
            Ok(Response::new().add_submessage(sub))
        }
    }
}

#[entry_point]
pub fn reply(deps: DepsMut, _env: Env, reply: Reply) -> StdResult<Response> {
    let error = match reply.result {
        SubMsgResult::Ok(_) => None,
        SubMsgResult::Err(e) => Some(e),
    };
    let record = ReplyRecord {
        id: reply.id,
        gas_used: reply.gas_used,
        error,
    };
    LAST_REPLY.save(deps.storage, &record)?;
    Ok(Response::new().add_attribute("replied", record.id.to_string()))
}

#[entry_point]
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::LastReply {} => to_json_binary(&LAST_REPLY.may_load(deps.storage)?),
        QueryMsg::Spins {} => to_json_binary(&SPINS.load(deps.storage)?),
    }
}
