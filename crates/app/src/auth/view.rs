//! Typed reads and writes of accounts over any state.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::auth::v1beta1::BaseAccount;
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use prost::Message;
use wicas_store::{StateRead, StateWrite};

use super::{AuthParams, SECP256K1_PUBKEY_TYPE_URL, state_key};
use crate::Address;
use crate::state::{StateError, get_json, get_proto, get_u64, put_json};

/// An account: its number (fixed at creation), the next sequence it must sign with, and its
/// compressed secp256k1 public key once a transaction has revealed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The address.
    pub address: Address,
    /// Assigned once, from a counter.
    pub account_number: u64,
    /// Number of transactions this account has signed.
    pub sequence: u64,
    /// Compressed secp256k1 public key (33 bytes), set by the first transaction.
    pub pubkey: Option<Vec<u8>>,
}

impl Account {
    /// The `BaseAccount` protobuf (what `/cosmos.auth.v1beta1.Query/Account` returns in an `Any`).
    pub fn to_base_account(&self) -> BaseAccount {
        BaseAccount {
            address: self.address.to_bech32(),
            pub_key: self.pubkey.as_ref().map(|k| Any {
                type_url: SECP256K1_PUBKEY_TYPE_URL.to_owned(),
                value: PubKey { key: k.clone() }.encode_to_vec(),
            }),
            account_number: self.account_number,
            sequence: self.sequence,
        }
    }

    fn from_base_account(key: &[u8], b: BaseAccount) -> Result<Self, StateError> {
        let address = Address::from_bech32(&b.address).map_err(|e| StateError::corrupt(key, e))?;
        let pubkey = match b.pub_key {
            None => None,
            Some(any) => Some(
                PubKey::decode(any.value.as_slice())
                    .map_err(|e| StateError::corrupt(key, e))?
                    .key,
            ),
        };
        Ok(Self {
            address,
            account_number: b.account_number,
            sequence: b.sequence,
            pubkey,
        })
    }
}

/// Reading `auth` state.
pub trait AuthRead: StateRead {
    /// The account at `addr`, if it exists.
    fn account(&self, addr: &Address) -> Result<Option<Account>, StateError> {
        let key = state_key::account(addr);
        match get_proto::<BaseAccount>(self, &key)? {
            None => Ok(None),
            Some(b) => Account::from_base_account(&key, b).map(Some),
        }
    }

    /// The module's parameters (defaults before genesis wrote any).
    fn auth_params(&self) -> Result<AuthParams, StateError> {
        Ok(get_json(self, state_key::params())?.unwrap_or_default())
    }

    /// The number the next new account gets.
    fn next_account_number(&self) -> Result<u64, StateError> {
        Ok(get_u64(self, state_key::next_account_number())?.unwrap_or(0))
    }
}

impl<T: StateRead + ?Sized> AuthRead for T {}

/// Writing `auth` state.
pub trait AuthWrite: StateWrite {
    /// Store `account` (created or updated).
    fn put_account(&mut self, account: &Account) {
        let bytes = account.to_base_account().encode_to_vec();
        self.put_raw(state_key::account(&account.address), bytes);
    }

    /// The account at `addr`, created with the next account number if it does not exist yet.
    fn ensure_account(&mut self, addr: &Address) -> Result<Account, StateError> {
        if let Some(a) = self.account(addr)? {
            return Ok(a);
        }
        let number = self.next_account_number()?;
        self.put_raw(
            state_key::next_account_number().to_vec(),
            (number + 1).to_be_bytes().to_vec(),
        );
        let account = Account {
            address: addr.clone(),
            account_number: number,
            sequence: 0,
            pubkey: None,
        };
        self.put_account(&account);
        Ok(account)
    }

    /// Store the parameters.
    fn put_auth_params(&mut self, params: &AuthParams) {
        put_json(self, state_key::params().to_vec(), params);
    }
}

impl<T: StateWrite + ?Sized> AuthWrite for T {}

#[cfg(test)]
mod tests {
    use super::*;
    use wicas_store::MemState;

    #[test]
    fn accounts_get_increasing_numbers_and_round_trip() {
        let mut s = MemState::new();
        let a = Address::from_secp256k1(&[2; 33]);
        let b = Address::from_secp256k1(&[3; 33]);
        assert_eq!(s.ensure_account(&a).unwrap().account_number, 0);
        assert_eq!(s.ensure_account(&b).unwrap().account_number, 1);
        assert_eq!(s.ensure_account(&a).unwrap().account_number, 0);
        let mut acc = s.account(&b).unwrap().unwrap();
        acc.sequence = 7;
        acc.pubkey = Some(vec![3; 33]);
        s.put_account(&acc);
        assert_eq!(s.account(&b).unwrap().unwrap(), acc);
    }
}
