//! cw20-base 2.0.0 from crates.io, unchanged, as a wasm contract: our first real contract that
//! nobody here wrote (DESIGN.md section 5).
//!
//! cw20-base's own `#[entry_point]` exports do not survive when it is built as a dependency, so
//! this crate re-exports its four public entry functions (`cw20_base::contract::{instantiate,
//! execute, query, migrate}`) through `#[entry_point]` shims. Every line of token logic is
//! cw20-base's.

use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult, entry_point};
use cw20_base::ContractError;
use cw20_base::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

#[entry_point]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw20_base::contract::instantiate(deps, env, info, msg)
}

#[entry_point]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    cw20_base::contract::execute(deps, env, info, msg)
}

#[entry_point]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    cw20_base::contract::query(deps, env, msg)
}

#[entry_point]
pub fn migrate(deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    cw20_base::contract::migrate(deps, env, msg)
}
