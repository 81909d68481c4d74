//! The asynchronous inference message.

use cosmwasm_std::CustomMsg;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wicas_types::InferRequest;

/// Messages a contract can send to the wicas AI module (`CosmosMsg::Custom`). JSON:
/// `{"custom":{"infer":{"request":{…},"callback_id":7}}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AiMsg {
    /// Queue `request`; its fee is escrowed and the answer is delivered to the sending contract
    /// later, tagged with `callback_id`. (Asynchronous path: defined now, executed by the chain
    /// in a later release; until then the chain rejects this message with a clear error.)
    Infer {
        /// What to run.
        request: InferRequest,
        /// Chosen by the contract to match the answer to its request.
        callback_id: u64,
    },
}

impl CustomMsg for AiMsg {}
