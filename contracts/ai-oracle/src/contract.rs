use cosmwasm_std::{
    Binary, Deps, DepsMut, Env, MessageInfo, Order, Response, StdResult, entry_point,
    to_json_binary,
};
use cw_storage_plus::{Bound, Item, Map};
use wicas_bindings::{AiQuerier, AiQuery, InferRequest};

use crate::ContractError;
use crate::msg::{
    Answer, AnswerResponse, AnswersResponse, Config, ExecuteMsg, InstantiateMsg, QueryMsg,
};

/// Longest question, in bytes (the chain also bounds prompt tokens).
pub const MAX_QUESTION_BYTES: usize = 2048;
const DEFAULT_PAGE: u32 = 10;
const MAX_PAGE: u32 = 50;

const CONFIG: Item<Config> = Item::new("config");
const NEXT_ID: Item<u64> = Item::new("next_id");
const ANSWERS: Map<u64, Answer> = Map::new("answers");

#[entry_point]
pub fn instantiate(
    deps: DepsMut<AiQuery>,
    _env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    let config = Config {
        model: msg.model,
        max_tokens: msg.max_tokens,
        sampling: msg.sampling,
    };
    CONFIG.save(deps.storage, &config)?;
    NEXT_ID.save(deps.storage, &1)?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

#[entry_point]
pub fn execute(
    deps: DepsMut<AiQuery>,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    let ExecuteMsg::Ask { question } = msg;
    if question.is_empty() || question.len() > MAX_QUESTION_BYTES {
        return Err(ContractError::InvalidQuestion {
            len: question.len(),
            max: MAX_QUESTION_BYTES,
        });
    }
    let config = CONFIG.load(deps.storage)?;
    let mut request = InferRequest::text(config.model, question.clone(), config.max_tokens);
    request.sampling = config.sampling;
    let reply = deps.querier.infer(request)?;
    let id = NEXT_ID.load(deps.storage)?;
    NEXT_ID.save(deps.storage, &(id + 1))?;
    let answer = Answer {
        id,
        asker: info.sender,
        question,
        answer: reply.text,
        digest: reply.digest.clone(),
        tokens: u32::try_from(reply.tokens.len()).unwrap_or(u32::MAX),
        height: env.block.height,
    };
    ANSWERS.save(deps.storage, id, &answer)?;
    Ok(Response::new()
        .set_data(to_json_binary(&id)?)
        .add_attribute("action", "ask")
        .add_attribute("id", id.to_string())
        .add_attribute("digest", reply.digest))
}

#[entry_point]
pub fn query(deps: Deps<AiQuery>, _env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Answer { id } => to_json_binary(&AnswerResponse {
            answer: ANSWERS.may_load(deps.storage, id)?,
        }),
        QueryMsg::Answers { start_after, limit } => {
            let limit = limit.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE) as usize;
            let answers = ANSWERS
                .range(
                    deps.storage,
                    start_after.map(Bound::exclusive),
                    None,
                    Order::Ascending,
                )
                .take(limit)
                .map(|item| item.map(|(_, answer)| answer))
                .collect::<StdResult<Vec<_>>>()?;
            to_json_binary(&AnswersResponse { answers })
        }
        QueryMsg::Config {} => to_json_binary(&CONFIG.load(deps.storage)?),
    }
}
