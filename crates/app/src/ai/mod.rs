//! `ai`: registered models (by the SHA-256 of their GGUF file), the limits and prices of
//! inference, and the synchronous path that answers a contract's `AiQuery::Infer` inside its
//! transaction.
//!
//! Determinism: the engine is bit-exact across machines (DESIGN.md section 4); the seed comes
//! from (block hash, contract, call index); gas is charged before any work from the token count
//! of the prompt and `max_tokens`, never from how long generation took.

mod error;
mod event;
mod genesis;
mod infer;
mod model;
mod msg_register;
mod params;
mod registry;
mod state_key;
mod view;

pub use error::AiError;
pub use event::inference as inference_event;
pub use genesis::AiGenesis;
pub use infer::{InferAnswer, InferBlockState, InferCall, InferSite, infer, inference_seed};
pub use model::{ModelRecord, model_id, parse_model_id, suggested_prices};
pub use msg_register::{MSG_REGISTER_MODEL_TYPE_URL, MsgRegisterModel, MsgRegisterModelProto};
pub use params::{AiParams, AiParamsError};
pub use registry::{ModelLoader, ModelRegistry, ModelUnavailable};
pub use view::{AiRead, AiWrite};
