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

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::CosmosMsg;
    use wicas_types::ModelId;

    #[test]
    fn msg_json_matches_the_documented_shape() {
        let request = InferRequest::text(ModelId::from_sha256(&[0; 32]), "hi", 4);
        let msg: CosmosMsg<AiMsg> = CosmosMsg::Custom(AiMsg::Infer {
            request,
            callback_id: 7,
        });
        let json = cosmwasm_std::to_json_string(&msg).unwrap();
        assert!(
            json.starts_with(r#"{"custom":{"infer":{"request":{"model":"sha256:"#),
            "{json}"
        );
        assert!(json.ends_with(r#""callback_id":7}}}"#), "{json}");
        assert_eq!(
            cosmwasm_std::from_json::<CosmosMsg<AiMsg>>(&json).unwrap(),
            msg
        );
    }
}
