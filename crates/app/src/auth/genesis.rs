//! `auth` genesis: parameters and pre-existing accounts (in addition to those created for
//! genesis balances).

use wicas_store::StateWrite;

use super::{AuthParams, AuthWrite};
use crate::state::StateError;
use crate::{Address, AddressError};

/// The `auth` section of the genesis file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthGenesis {
    /// Parameters.
    pub params: AuthParams,
    /// Bech32 addresses of accounts to create, in this order (account numbers 0, 1, …).
    pub accounts: Vec<String>,
}

impl AuthGenesis {
    /// Check addresses and parameters before anything is written.
    pub fn validate(&self) -> Result<Vec<Address>, AddressError> {
        self.accounts
            .iter()
            .map(|a| Address::from_bech32(a))
            .collect()
    }

    /// Write the genesis state.
    pub fn apply(
        &self,
        s: &mut (impl StateWrite + ?Sized),
        accounts: &[Address],
    ) -> Result<(), StateError> {
        s.put_auth_params(&self.params);
        for a in accounts {
            s.ensure_account(a)?;
        }
        Ok(())
    }
}
