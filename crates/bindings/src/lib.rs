//! # wicas-bindings — what a contract links to talk to wicas's AI module
//!
//! A contract written with plain `cosmwasm-std` adds this crate and gets:
//! - [`AiQuery`]: the custom query (`QueryRequest::Custom`) that runs an inference synchronously,
//!   inside the same transaction, and answers an [`InferResponse`];
//! - [`AiMsg`]: the custom message (`CosmosMsg::Custom`) that queues an inference whose answer
//!   arrives later (the asynchronous path; the chain accepts it once that path ships);
//! - [`AiQuerier::infer`], so `deps.querier.infer(request)` reads like any other query;
//! - the `requires_wicas` capability marker: a chain without the `wicas` capability refuses to
//!   store a contract that links this crate, instead of failing at the first query.
//!
//! ```
//! use wicas_bindings::{AiQuerier, AiQuery, InferRequest, ModelId};
//! fn describe(deps: cosmwasm_std::Deps<AiQuery>, model: ModelId) -> cosmwasm_std::StdResult<String> {
//!     let answer = deps.querier.infer(InferRequest::text(model, "Describe alice.", 48))?;
//!     Ok(answer.text)
//! }
//! ```
//!
//! This crate must only depend on what builds for `wasm32-unknown-unknown`.
// deny, not forbid: the one exception is the exported `requires_wicas` marker (capability.rs).
#![deny(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod capability;
mod msg;
mod query;

pub use capability::CAPABILITY;
pub use msg::AiMsg;
pub use query::{AiQuerier, AiQuery};
pub use wicas_types::{
    ChatMessage, InferRequest, InferResponse, ModelId, PERMILLE, RequestError, Sampling, gas,
};
