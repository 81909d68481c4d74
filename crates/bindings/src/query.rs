//! The synchronous inference query.

use cosmwasm_std::{CustomQuery, QuerierWrapper, QueryRequest, StdResult};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wicas_types::{InferRequest, InferResponse};

/// Queries the wicas AI module answers. JSON inside `QueryRequest::Custom`:
/// `{"custom":{"infer":{"model":"sha256:…","prompt":"…","max_tokens":32,"sampling":"greedy"}}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AiQuery {
    /// Run an inference now; the answer is an [`InferResponse`]. Its gas is charged to the calling
    /// contract before any work, for all `max_tokens`.
    Infer(InferRequest),
}

impl CustomQuery for AiQuery {}

/// `deps.querier.infer(request)`.
pub trait AiQuerier {
    /// Run `request` synchronously and return the model's answer.
    fn infer(&self, request: InferRequest) -> StdResult<InferResponse>;
}

impl AiQuerier for QuerierWrapper<'_, AiQuery> {
    fn infer(&self, request: InferRequest) -> StdResult<InferResponse> {
        self.query(&QueryRequest::Custom(AiQuery::Infer(request)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wicas_types::ModelId;

    #[test]
    fn query_json_matches_the_documented_shape() {
        let request = InferRequest::text(ModelId::from_sha256(&[0; 32]), "hi", 4);
        let query: QueryRequest<AiQuery> = QueryRequest::Custom(AiQuery::Infer(request.clone()));
        let json = cosmwasm_std::to_json_string(&query).unwrap();
        let zeros = "0".repeat(64);
        assert_eq!(
            json,
            format!(
                r#"{{"custom":{{"infer":{{"model":"sha256:{zeros}","prompt":"hi","max_tokens":4,"sampling":"greedy"}}}}}}"#
            )
        );
        let back: QueryRequest<AiQuery> = cosmwasm_std::from_json(&json).unwrap();
        assert_eq!(back, QueryRequest::Custom(AiQuery::Infer(request)));
    }
}
