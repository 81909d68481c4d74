//! Validators and validator sets in CometBFT order.
//!
//! The set is sorted as CometBFT sorts it (voting power descending, then address ascending), so a
//! validator's index here is its index in a CometBFT `Commit.signatures` list and in the RPC's
//! `validators` answer. `validators_hash` is computed by `tendermint::validator::Set::hash`, the
//! Merkle root of each validator's `SimpleValidator{pub_key, voting_power}` protobuf encoding.

use std::sync::Arc;

use tendermint::Hash;

use crate::error::ValidatorSetError;
use crate::keys::{Address, PublicKey};

/// The largest total voting power CometBFT accepts (`MaxTotalVotingPower = MaxInt64 / 8`).
pub const MAX_TOTAL_VOTING_POWER: u64 = (i64::MAX / 8) as u64;

/// One validator: its ed25519 key, the address derived from it, and its voting power.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validator {
    address: Address,
    public_key: PublicKey,
    voting_power: u64,
}

impl Validator {
    /// A validator with the given key and power (the address is derived from the key).
    pub fn new(public_key: PublicKey, voting_power: u64) -> Self {
        Self {
            address: Address::from_public_key(&public_key),
            public_key,
            voting_power,
        }
    }

    /// The validator's address.
    pub fn address(&self) -> &Address {
        &self.address
    }

    /// The validator's public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// The validator's voting power.
    pub fn voting_power(&self) -> u64 {
        self.voting_power
    }

    fn to_tendermint(&self) -> tendermint::validator::Info {
        tendermint::validator::Info {
            address: self.address.to_tendermint(),
            pub_key: self.public_key.to_tendermint(),
            // In range: the set's total (and so every member) is at most MAX_TOTAL_VOTING_POWER.
            power: tendermint::vote::Power::try_from(self.voting_power).unwrap_or_default(),
            name: None,
            proposer_priority: tendermint::validator::ProposerPriority::default(),
        }
    }
}

/// A non-empty validator set in CometBFT order. Cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorSet {
    validators: Arc<[Validator]>,
    total_voting_power: u64,
}

impl ValidatorSet {
    /// Sorts and checks a set: it must be non-empty, every power positive, no address twice,
    /// and the total at most [`MAX_TOTAL_VOTING_POWER`].
    pub fn new(validators: impl IntoIterator<Item = Validator>) -> Result<Self, ValidatorSetError> {
        let mut validators: Vec<Validator> = validators.into_iter().collect();
        if validators.is_empty() {
            return Err(ValidatorSetError::Empty);
        }
        let mut total: u64 = 0;
        for v in &validators {
            if v.voting_power == 0 {
                return Err(ValidatorSetError::ZeroPower { address: v.address });
            }
            total = total
                .checked_add(v.voting_power)
                .filter(|t| *t <= MAX_TOTAL_VOTING_POWER)
                .ok_or(ValidatorSetError::TotalPowerTooLarge)?;
        }
        validators.sort_by_key(|v| (core::cmp::Reverse(v.voting_power), v.address));
        if let Some(w) = validators.windows(2).find(|w| w[0].address == w[1].address) {
            return Err(ValidatorSetError::Duplicate {
                address: w[0].address,
            });
        }
        Ok(Self {
            validators: validators.into(),
            total_voting_power: total,
        })
    }

    /// The validators in CometBFT order.
    pub fn validators(&self) -> &[Validator] {
        &self.validators
    }

    /// Number of validators.
    pub fn len(&self) -> usize {
        self.validators.len()
    }

    /// Always false: a set is never empty.
    pub fn is_empty(&self) -> bool {
        self.validators.is_empty()
    }

    /// Sum of the voting powers.
    pub fn total_voting_power(&self) -> u64 {
        self.total_voting_power
    }

    /// The validator at CometBFT index `index`.
    pub fn get(&self, index: usize) -> Option<&Validator> {
        self.validators.get(index)
    }

    /// The index and validator with this address.
    pub fn find(&self, address: &Address) -> Option<(usize, &Validator)> {
        self.validators
            .iter()
            .enumerate()
            .find(|(_, v)| v.address == *address)
    }

    /// The set as `tendermint` validators (what the RPC's `validators` answers), with `proposer`
    /// marked when it is a member.
    pub fn to_tendermint(&self, proposer: Option<&Address>) -> tendermint::validator::Set {
        let infos: Vec<_> = self
            .validators
            .iter()
            .map(Validator::to_tendermint)
            .collect();
        let proposer = proposer
            .and_then(|p| self.find(p))
            .map(|(_, v)| v.to_tendermint());
        tendermint::validator::Set::new(infos, proposer)
    }

    /// CometBFT's `validators_hash` of this set.
    pub fn hash(&self) -> Hash {
        self.to_tendermint(None).hash()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::PrivateKey;

    fn val(seed: u8, power: u64) -> Validator {
        Validator::new(PrivateKey::from_seed([seed; 32]).public_key(), power)
    }

    #[test]
    fn order_matches_tendermint_and_bad_sets_are_rejected() {
        let set = ValidatorSet::new([val(1, 5), val(2, 10), val(3, 5), val(4, 1)]).unwrap();
        let tm = set.to_tendermint(None);
        let ours: Vec<_> = set
            .validators()
            .iter()
            .map(|v| v.address().to_tendermint())
            .collect();
        let theirs: Vec<_> = tm.validators().iter().map(|v| v.address).collect();
        assert_eq!(ours, theirs);
        assert_eq!(set.total_voting_power(), 21);

        assert_eq!(ValidatorSet::new([]), Err(ValidatorSetError::Empty));
        assert!(matches!(
            ValidatorSet::new([val(1, 0)]),
            Err(ValidatorSetError::ZeroPower { .. })
        ));
        assert!(matches!(
            ValidatorSet::new([val(1, 1), val(1, 1)]),
            Err(ValidatorSetError::Duplicate { .. })
        ));
        assert_eq!(
            ValidatorSet::new([val(1, MAX_TOTAL_VOTING_POWER), val(2, 1)]),
            Err(ValidatorSetError::TotalPowerTooLarge)
        );
    }
}
