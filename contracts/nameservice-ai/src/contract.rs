use cosmwasm_std::{
    Binary, Coin, Deps, DepsMut, Env, MessageInfo, Response, StdResult, entry_point, to_json_binary,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wicas_bindings::{AiQuerier, AiQuery, ChatMessage, InferRequest, ModelId};

use crate::ContractError;
use crate::msg::{
    Description, DescriptionResponse, ExecuteMsg, InstantiateMsg, QueryMsg, ResolveRecordResponse,
};
use crate::state::{CONFIG, DESCRIPTIONS, OWNERS};

/// The chain's native denom.
pub const DENOM: &str = "uwicas";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Config {
    pub purchase_price: Option<Coin>,
    pub transfer_price: Option<Coin>,
    pub model: ModelId,
    pub max_tokens: u32,
}

#[entry_point]
pub fn instantiate(
    deps: DepsMut<AiQuery>,
    _env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    for price in msg.purchase_price.iter().chain(msg.transfer_price.iter()) {
        if price.denom != DENOM {
            return Err(ContractError::WrongDenom {
                expected: DENOM.into(),
                got: price.denom.clone(),
            });
        }
    }
    let config = Config {
        purchase_price: msg.purchase_price,
        transfer_price: msg.transfer_price,
        model: msg.model,
        max_tokens: msg.max_tokens,
    };
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

#[entry_point]
pub fn execute(
    deps: DepsMut<AiQuery>,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Register { name } => register(deps, info, name),
        ExecuteMsg::Transfer { name, to } => transfer(deps, info, name, to),
        ExecuteMsg::Describe { name } => describe(deps, env, name),
    }
}

fn register(
    deps: DepsMut<AiQuery>,
    info: MessageInfo,
    name: String,
) -> Result<Response, ContractError> {
    validate_name(&name)?;
    let config = CONFIG.load(deps.storage)?;
    check_payment(&info, config.purchase_price.as_ref())?;
    if OWNERS.has(deps.storage, &name) {
        return Err(ContractError::NameTaken { name });
    }
    OWNERS.save(deps.storage, &name, &info.sender)?;
    Ok(Response::new()
        .add_attribute("action", "register")
        .add_attribute("name", name)
        .add_attribute("owner", info.sender))
}

fn transfer(
    deps: DepsMut<AiQuery>,
    info: MessageInfo,
    name: String,
    to: String,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    check_payment(&info, config.transfer_price.as_ref())?;
    let new_owner = deps.api.addr_validate(&to)?;
    let owner = OWNERS
        .may_load(deps.storage, &name)?
        .ok_or_else(|| ContractError::NameNotFound { name: name.clone() })?;
    if owner != info.sender {
        return Err(ContractError::Unauthorized { name });
    }
    OWNERS.save(deps.storage, &name, &new_owner)?;
    DESCRIPTIONS.remove(deps.storage, &name);
    Ok(Response::new()
        .add_attribute("action", "transfer")
        .add_attribute("name", name)
        .add_attribute("to", new_owner))
}

fn describe(deps: DepsMut<AiQuery>, env: Env, name: String) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let owner = OWNERS
        .may_load(deps.storage, &name)?
        .ok_or_else(|| ContractError::NameNotFound { name: name.clone() })?;
    let messages = vec![
        ChatMessage {
            role: "system".into(),
            content: "You describe name records in one short sentence.".into(),
        },
        ChatMessage {
            role: "user".into(),
            content: format!(
                "The name \"{name}\" is registered on the wicas chain to the address {owner}. Describe this record."
            ),
        },
    ];
    let answer = deps.querier.infer(InferRequest::chat(
        config.model.clone(),
        messages,
        config.max_tokens,
    ))?;
    let description = Description {
        text: answer.text,
        digest: answer.digest.clone(),
        model: config.model,
        owner: owner.into_string(),
        height: env.block.height,
    };
    DESCRIPTIONS.save(deps.storage, &name, &description)?;
    Ok(Response::new()
        .add_attribute("action", "describe")
        .add_attribute("name", name)
        .add_attribute("digest", answer.digest)
        .add_attribute("inference_gas", answer.gas_used.to_string()))
}

#[entry_point]
pub fn query(deps: Deps<AiQuery>, _env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::ResolveRecord { name } => {
            let address = OWNERS.may_load(deps.storage, &name)?.map(String::from);
            to_json_binary(&ResolveRecordResponse { address })
        }
        QueryMsg::Description { name } => {
            let description = DESCRIPTIONS.may_load(deps.storage, &name)?;
            to_json_binary(&DescriptionResponse { description })
        }
        QueryMsg::Config {} => to_json_binary(&CONFIG.load(deps.storage)?),
    }
}

fn validate_name(name: &str) -> Result<(), ContractError> {
    let ok = (3..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(ContractError::InvalidName {
            name: name.to_owned(),
        })
    }
}

fn check_payment(info: &MessageInfo, price: Option<&Coin>) -> Result<(), ContractError> {
    let Some(price) = price else { return Ok(()) };
    if price.amount.is_zero() {
        return Ok(());
    }
    let paid = info
        .funds
        .iter()
        .find(|c| c.denom == price.denom)
        .map(|c| c.amount)
        .unwrap_or_default();
    if paid < price.amount {
        return Err(ContractError::InsufficientFunds {
            required: price.clone(),
        });
    }
    Ok(())
}
