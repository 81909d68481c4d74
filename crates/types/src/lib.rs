//! # wicas-types — the vocabulary shared by the node and contracts
//!
//! Plain data types that cross the contract boundary as JSON: which model to run ([`ModelId`]),
//! what to ask it ([`InferRequest`], [`Sampling`], [`ChatMessage`]), what comes back
//! ([`InferResponse`]), and the gas units both sides count in ([`gas`]).
//!
//! Invariants:
//! - Every type serialises to one canonical JSON form (integers only, no floats: see
//!   [`Sampling`]), so the same request hashes and prices the same on every validator.
//! - Validation ([`InferRequest::validate`], [`ModelId::parse`]) is pure and deterministic.
//!
//! This crate must never depend on anything that does not build for `wasm32-unknown-unknown`
//! (no OS, no threads, no clocks): contracts link it through `wicas-bindings`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

pub mod gas;
mod model;
mod request;
mod response;
mod sampling;

pub use model::{ModelId, ModelIdError};
pub use request::{ChatMessage, InferRequest, RequestError};
pub use response::InferResponse;
pub use sampling::{PERMILLE, Sampling};
