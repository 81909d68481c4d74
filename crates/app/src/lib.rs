//! # wicas-app — the chain's deterministic state machine
//!
//! Executes blocks of Cosmos SDK transactions (TxRaw, SIGN_MODE_DIRECT, secp256k1) against the
//! versioned store: the ante handler (decode, signer and account number, sequence, fee, gas,
//! signature), then the messages of the `auth`, `bank`, `wasm` and `ai` modules, and answers the
//! ABCI queries CosmJS sends. Entry point: [`App`].
//!
//! Invariants:
//! - Determinism: the same blocks on the same genesis give the same app hash on every machine. No
//!   clocks (time comes from the header), no hash-map iteration, no threads whose order leaks.
//! - A refused transaction changes nothing; a transaction whose messages fail keeps only the fee
//!   and the sequence bump; a failed message rolls back completely (each step runs in a
//!   [`wicas_store::StateDelta`] fork that is applied only on success).
//! - No consensus and no network code: the node drives [`App`], which persists through a
//!   [`wicas_store::Storage`] it owns (block `h` is store version `h + 1`; version 1 is genesis).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod address;
pub mod ai;
mod app;
pub mod auth;
pub mod bank;
mod coin;
mod error;
mod event;
mod gas;
mod msg;
mod query;
mod state;
pub mod tx;

pub use address::{Address, AddressError, BECH32_PREFIX};
pub use app::{
    App, AppConfig, AppError, AppInfo, BlockInfo, CommitResult, EndBlockResult, Genesis, Mode,
    TxResult,
};
pub use coin::{Coin, CoinError, NATIVE_DENOM};
pub use error::TxError;
pub use event::{Event, EventAttribute};
pub use gas::{GasMeter, Metered, OutOfGas, cost as gas_cost};
pub use msg::{Msg, MsgOutcome};
pub use query::{QueryError, QueryResult};
pub use state::StateError;
