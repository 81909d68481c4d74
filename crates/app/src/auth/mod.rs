//! `auth`: accounts (number, sequence, public key) and the transaction-level parameters.
//!
//! Accounts are stored as Cosmos SDK `BaseAccount` protobufs so that the account query returns
//! exactly what CosmJS expects. An account is created when it first receives funds (or at genesis)
//! and takes the next account number.

mod event;
mod genesis;
mod params;
pub(crate) mod query;
mod state_key;
mod view;

pub use event::tx_events;
pub use genesis::AuthGenesis;
pub use params::{AuthParams, ParamsError};
pub use view::{Account, AuthRead, AuthWrite};

/// The type URL of a secp256k1 public key in an `Any`.
pub const SECP256K1_PUBKEY_TYPE_URL: &str = "/cosmos.crypto.secp256k1.PubKey";
/// The type URL of a `BaseAccount` in an `Any`.
pub const BASE_ACCOUNT_TYPE_URL: &str = "/cosmos.auth.v1beta1.BaseAccount";
