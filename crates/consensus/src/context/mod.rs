//! The malachite `Context` for wicas: which types consensus runs on, and how votes are made.
//!
//! - height: [`Height`] (a `u64`, first block 1);
//! - address: [`Address`](crate::Address), 20 bytes, CometBFT-derived;
//! - validator set: [`ValidatorSet`](crate::ValidatorSet) in CometBFT order;
//! - value: [`BlockRef`](crate::BlockRef) (block id + header time), streamed as
//!   [`ProposalPart`]s that carry the encoded block;
//! - votes: [`Vote`], signed over CometBFT canonical votes ([`crate::vote_sign_bytes`]);
//! - extensions: raw bytes, signed over CometBFT's `CanonicalVoteExtension`;
//! - signatures: ed25519 ([`Ed25519`]).

mod certificate;
mod height;
mod impls;
mod proposal;
mod signing;
mod vote;

use malachitebft_app_channel::app::types::core::{
    self as mc, LinearTimeouts, NilOrVal, Round, ValidatorSet as _, VoteType,
};
use tendermint::chain::Id as ChainId;

pub use certificate::{commit_from_certificate, commit_from_extended_certificate};
pub use height::Height;
pub use proposal::{PartData, Proposal, ProposalFin, ProposalInit, ProposalPart, TxBatch};
pub use signing::{
    Ed25519, Ed25519Provider, Ed25519Verifier, extension_bytes, proposal_bytes, vote_bytes,
};
pub use vote::Vote;

use crate::block_ref::BlockRef;
use crate::keys::Address;
use crate::validators::{Validator, ValidatorSet};

/// The wicas consensus context. Cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WicasContext {
    chain_id: ChainId,
}

impl WicasContext {
    /// A context for `chain_id` (part of every signature).
    pub fn new(chain_id: ChainId) -> Self {
        Self { chain_id }
    }

    /// The chain id.
    pub fn chain_id(&self) -> &ChainId {
        &self.chain_id
    }
}

/// Round-robin proposer: the validator at CometBFT index `(height - 1 + round) mod n`.
///
/// Deterministic and the same on every node. It ignores voting power (CometBFT's weighted
/// proposer-priority rotation is not implemented yet); light clients do not check who proposed.
pub fn proposer_index(set: &ValidatorSet, height: Height, round: Round) -> usize {
    let n = set.len() as u64;
    let r = u64::from(round.as_u32().unwrap_or(0));
    let index = height.as_u64().saturating_sub(1).wrapping_add(r) % n.max(1);
    // index < n ≤ usize::MAX.
    usize::try_from(index).unwrap_or(0)
}

impl mc::Context for WicasContext {
    type Address = Address;
    type Height = Height;
    type ProposalPart = ProposalPart;
    type Proposal = Proposal;
    type Validator = Validator;
    type ValidatorSet = ValidatorSet;
    type Timeouts = LinearTimeouts;
    type Value = BlockRef;
    type Vote = Vote;
    type Extension = bytes::Bytes;
    type SigningScheme = Ed25519;

    fn select_proposer<'a>(
        &self,
        validator_set: &'a ValidatorSet,
        height: Height,
        round: Round,
    ) -> &'a Validator {
        let index = proposer_index(validator_set, height, round);
        // A ValidatorSet is never empty, so index 0 always exists.
        match validator_set.get_by_index(index) {
            Some(v) => v,
            None => &validator_set.validators()[0],
        }
    }

    fn new_proposal(
        &self,
        height: Height,
        round: Round,
        value: BlockRef,
        pol_round: Round,
        address: Address,
    ) -> Proposal {
        Proposal::new(height, round, value, pol_round, address)
    }

    fn new_prevote(
        &self,
        height: Height,
        round: Round,
        value_id: NilOrVal<BlockRef>,
        address: Address,
    ) -> Vote {
        Vote::new(VoteType::Prevote, height, round, value_id, address)
    }

    fn new_precommit(
        &self,
        height: Height,
        round: Round,
        value_id: NilOrVal<BlockRef>,
        address: Address,
    ) -> Vote {
        Vote::new(VoteType::Precommit, height, round, value_id, address)
    }
}
