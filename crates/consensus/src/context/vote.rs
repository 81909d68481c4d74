//! Votes.

use malachitebft_app_channel::app::types::core::{
    self as mc, NilOrVal, Round, SignedExtension, VoteType,
};

use super::{Height, WicasContext};
use crate::block_ref::BlockRef;
use crate::keys::Address;

/// A prevote or precommit. Its signature is over CometBFT's canonical vote
/// ([`crate::vote_sign_bytes`]), which does not cover the extension; equality ignores the
/// extension too (malachite compares WAL-replayed votes with `Eq`).
#[derive(Clone, Debug)]
pub struct Vote {
    /// Prevote or precommit.
    pub vote_type: VoteType,
    /// Height.
    pub height: Height,
    /// Round.
    pub round: Round,
    /// The block voted for, or nil.
    pub value: NilOrVal<BlockRef>,
    /// The voter.
    pub validator: Address,
    /// Vote extension (non-nil precommits only), signed separately.
    pub extension: Option<SignedExtension<WicasContext>>,
}

impl Vote {
    /// A vote without extension.
    pub fn new(
        vote_type: VoteType,
        height: Height,
        round: Round,
        value: NilOrVal<BlockRef>,
        validator: Address,
    ) -> Self {
        Self {
            vote_type,
            height,
            round,
            value,
            validator,
            extension: None,
        }
    }
}

impl PartialEq for Vote {
    fn eq(&self, other: &Self) -> bool {
        self.vote_type == other.vote_type
            && self.height == other.height
            && self.round == other.round
            && self.value == other.value
            && self.validator == other.validator
    }
}

impl Eq for Vote {}

impl mc::Vote<WicasContext> for Vote {
    fn height(&self) -> Height {
        self.height
    }

    fn round(&self) -> Round {
        self.round
    }

    fn value(&self) -> &NilOrVal<BlockRef> {
        &self.value
    }

    fn take_value(self) -> NilOrVal<BlockRef> {
        self.value
    }

    fn vote_type(&self) -> VoteType {
        self.vote_type
    }

    fn validator_address(&self) -> &Address {
        &self.validator
    }

    fn extension(&self) -> Option<&SignedExtension<WicasContext>> {
        self.extension.as_ref()
    }

    fn take_extension(&mut self) -> Option<SignedExtension<WicasContext>> {
        self.extension.take()
    }

    fn extend(self, extension: SignedExtension<WicasContext>) -> Self {
        Self {
            extension: Some(extension),
            ..self
        }
    }
}
