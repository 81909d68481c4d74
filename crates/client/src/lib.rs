//! # wicas-client — talking to a wicas node
//!
//! What a wallet, the `wicasd` CLI and the multi-validator tests share:
//! - [`AccountKey`]: secp256k1 account keys, from a BIP-39 mnemonic on the Cosmos HD path
//!   `m/44'/118'/0'/0/0` (the same address Keplr and CosmJS derive) or from a raw secret;
//! - [`msgs`]: the Cosmos SDK / CosmWasm / wicas messages as protobuf `Any`s;
//! - [`sign_tx`]: a `TxRaw` signed in SIGN_MODE_DIRECT, exactly as CosmJS signs it;
//! - with the `rpc` feature (default), [`NodeClient`]: CometBFT JSON-RPC (`status`,
//!   `abci_query`, `broadcast_tx_sync`, `tx_search`, `tx`) for account lookup, broadcast and
//!   wait-for-inclusion, and smart/raw contract and bank queries.
//!
//! Invariants:
//! - The bytes signed are the app's own [`wicas_app::tx::sign_bytes`]: a tx this crate signs
//!   verifies in the app by construction; signatures are low-S (the app refuses high-S).
//! - Nothing here is consensus code; secrets never leave [`AccountKey`] except through
//!   [`AccountKey::secret_hex`] (for the file keyring).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod error;
mod key;
pub mod msgs;
#[cfg(feature = "rpc")]
mod rpc;
mod sign;

pub use error::{ClientError, KeyError};
pub use key::{AccountKey, COSMOS_HD_PATH, generate_mnemonic};
#[cfg(feature = "rpc")]
pub use rpc::{
    Account, DEFAULT_NODE, FeeSetting, GasSetting, NodeClient, NodeStatus, SendOptions, TxEvent,
    TxOutcome,
};
pub use sign::{Fee, GasPrice, SignerData, parse_coins, parse_gas_price, sign_tx, tx_hash};
pub use wicas_app::{Address, Coin, NATIVE_DENOM};
