//! Malachite trait impls for the crate's plain types (address, validators, value).

use malachitebft_app_channel::app::types::core as mc;

use super::WicasContext;
use crate::block_ref::BlockRef;
use crate::keys::{Address, PublicKey};
use crate::validators::{Validator, ValidatorSet};

impl mc::Address for Address {}

impl mc::Validator<WicasContext> for Validator {
    fn address(&self) -> &Address {
        Validator::address(self)
    }

    fn public_key(&self) -> &PublicKey {
        Validator::public_key(self)
    }

    fn voting_power(&self) -> mc::VotingPower {
        Validator::voting_power(self)
    }
}

impl mc::ValidatorSet<WicasContext> for ValidatorSet {
    fn count(&self) -> usize {
        self.len()
    }

    fn total_voting_power(&self) -> mc::VotingPower {
        ValidatorSet::total_voting_power(self)
    }

    fn get_by_address(&self, address: &Address) -> Option<&Validator> {
        self.find(address).map(|(_, v)| v)
    }

    fn get_by_index(&self, index: usize) -> Option<&Validator> {
        self.get(index)
    }
}

impl mc::Value for BlockRef {
    type Id = BlockRef;

    fn id(&self) -> BlockRef {
        *self
    }
}
