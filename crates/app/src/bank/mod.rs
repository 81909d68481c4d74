//! `bank`: balances per address and denom, total supply, and `MsgSend`.
//!
//! Invariant: for every denom, the sum of all balances equals the stored supply; only genesis
//! mints, and transfers move amounts without creating or destroying any.

mod error;
mod event;
mod genesis;
mod msg_send;
pub(crate) mod query;
mod state_key;
mod view;

pub use error::BankError;
pub use event::transfer_events;
pub use genesis::{BankGenesis, GenesisBalance};
pub use msg_send::{MSG_SEND_TYPE_URL, MsgSend};
pub use view::{BankRead, BankWrite};
