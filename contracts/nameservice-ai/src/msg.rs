use cosmwasm_std::Coin;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wicas_bindings::ModelId;

/// Set once at instantiation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InstantiateMsg {
    /// Price of registering a name (denom `uwicas`); none = free.
    pub purchase_price: Option<Coin>,
    /// Price of transferring a name (denom `uwicas`); none = free.
    pub transfer_price: Option<Coin>,
    /// The model that writes descriptions.
    pub model: ModelId,
    /// Longest description, in tokens.
    pub max_tokens: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExecuteMsg {
    /// Register `name` to the sender.
    Register { name: String },
    /// Give `name` to `to`.
    Transfer { name: String, to: String },
    /// Ask the model to describe `name`'s record; the answer is stored.
    Describe { name: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QueryMsg {
    /// Who owns `name` → [`ResolveRecordResponse`].
    ResolveRecord { name: String },
    /// The stored description of `name` → [`DescriptionResponse`].
    Description { name: String },
    /// → [`crate::contract::Config`].
    Config {},
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ResolveRecordResponse {
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DescriptionResponse {
    /// The model's answer, if `Describe` ran for this name.
    pub description: Option<Description>,
}

/// One stored model answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Description {
    pub text: String,
    /// Hex SHA-256 the validators agreed on.
    pub digest: String,
    pub model: ModelId,
    /// Owner at the time of the description.
    pub owner: String,
    pub height: u64,
}
