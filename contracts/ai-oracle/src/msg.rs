use cosmwasm_std::Addr;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wicas_bindings::{ModelId, Sampling};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InstantiateMsg {
    pub model: ModelId,
    pub max_tokens: u32,
    #[serde(default)]
    pub sampling: Sampling,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExecuteMsg {
    /// Ask a question; the answer is stored under the returned id.
    Ask { question: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QueryMsg {
    /// → `AnswerResponse`.
    Answer { id: u64 },
    /// Answers in id order → `AnswersResponse`.
    Answers {
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// → `Config`.
    Config {},
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Config {
    pub model: ModelId,
    pub max_tokens: u32,
    pub sampling: Sampling,
}

/// One answered question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Answer {
    pub id: u64,
    pub asker: Addr,
    pub question: String,
    pub answer: String,
    /// Hex SHA-256 the validators agreed on.
    pub digest: String,
    pub tokens: u32,
    pub height: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnswerResponse {
    pub answer: Option<Answer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnswersResponse {
    pub answers: Vec<Answer>,
}
