//! Why a bank operation failed.

use crate::AddressError;
use crate::coin::CoinError;
use crate::state::StateError;

/// A failed bank operation; the state is unchanged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BankError {
    /// The sender lacks the amount (SDK code 5).
    #[error(
        "spendable balance {available}{denom} is smaller than {needed}{denom}: insufficient funds"
    )]
    InsufficientFunds {
        /// Denom short.
        denom: String,
        /// Amount asked for.
        needed: u128,
        /// Amount held.
        available: u128,
    },
    /// Invalid coins (SDK code 10).
    #[error("invalid coins: {0}")]
    InvalidCoins(#[from] CoinError),
    /// An address that does not parse (SDK code 7).
    #[error("invalid address: {0}")]
    InvalidAddress(#[from] AddressError),
    /// A receiving balance would overflow u128 (cannot happen with a valid genesis supply).
    #[error("balance overflow for {0}")]
    Overflow(String),
    /// State could not be read.
    #[error(transparent)]
    State(#[from] StateError),
}

impl BankError {
    /// ABCI code in the `sdk` codespace.
    pub fn code(&self) -> u32 {
        match self {
            Self::InsufficientFunds { .. } => 5,
            Self::InvalidCoins(_) => 10,
            Self::InvalidAddress(_) => 7,
            Self::Overflow(_) => 10,
            Self::State(_) => 1,
        }
    }
}
