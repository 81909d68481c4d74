//! # nameservice-ai — the wicas seed example
//!
//! Register a name (paying `purchase_price` in `uwicas`), transfer it (paying `transfer_price`),
//! resolve it, and ask the chain's model to describe its record: `Describe { name }` builds a
//! prompt from the record, runs it through `deps.querier.infer(…)` inside the transaction, and
//! stores the answer with its digest so anyone can query it afterwards.

pub mod contract;
mod error;
pub mod msg;
mod state;

pub use error::ContractError;
