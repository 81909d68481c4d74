//! `bank` genesis: initial balances (the supply is their sum).

use wicas_store::StateWrite;

use super::{BankError, BankWrite};
use crate::Address;
use crate::coin::Coin;

/// One genesis balance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisBalance {
    /// Bech32 address.
    pub address: String,
    /// Coins held.
    pub coins: Vec<Coin>,
}

/// The `bank` section of the genesis file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BankGenesis {
    /// Initial balances, applied in order.
    pub balances: Vec<GenesisBalance>,
}

impl BankGenesis {
    /// Mint every balance.
    pub fn apply(&self, s: &mut (impl StateWrite + ?Sized)) -> Result<(), BankError> {
        for b in &self.balances {
            let addr = Address::from_bech32(&b.address)?;
            for c in &b.coins {
                crate::coin::validate_denom(&c.denom)?;
            }
            s.mint(&addr, &b.coins)?;
        }
        Ok(())
    }
}
