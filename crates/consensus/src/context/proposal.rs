//! Proposals and the parts that stream a proposed block.
//!
//! A proposer streams `Init` (which block, where), then the block's CometBFT parts as `Data`,
//! then `Fin` carrying its signature over the CometBFT `CanonicalProposal` for the `Init`. A
//! receiver reassembles the parts, checks them against the part-set header in `Init`, decodes the
//! block and checks that it hashes to the header hash in `Init` and that `Fin` verifies.

use bytes::Bytes;
use malachitebft_app_channel::app::types::core::{self as mc, Round};

use super::{Height, WicasContext};
use crate::block_ref::BlockRef;
use crate::keys::{Address, Signature};

/// A proposal: "at `height`/`round`, `proposer` proposes `value`" (with its POL round).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    /// Height.
    pub height: Height,
    /// Round.
    pub round: Round,
    /// The proposed block.
    pub value: BlockRef,
    /// Round of the proof-of-lock this value is re-proposed with, or `Nil`.
    pub pol_round: Round,
    /// Who proposes.
    pub proposer: Address,
}

impl Proposal {
    /// A new proposal.
    pub fn new(
        height: Height,
        round: Round,
        value: BlockRef,
        pol_round: Round,
        proposer: Address,
    ) -> Self {
        Self {
            height,
            round,
            value,
            pol_round,
            proposer,
        }
    }
}

impl mc::Proposal<WicasContext> for Proposal {
    fn height(&self) -> Height {
        self.height
    }

    fn round(&self) -> Round {
        self.round
    }

    fn value(&self) -> &BlockRef {
        &self.value
    }

    fn take_value(self) -> BlockRef {
        self.value
    }

    fn pol_round(&self) -> Round {
        self.pol_round
    }

    fn validator_address(&self) -> &Address {
        &self.proposer
    }
}

/// First part of a streamed proposal: which block is coming, and from whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalInit {
    /// Height.
    pub height: Height,
    /// Round.
    pub round: Round,
    /// POL round or `Nil`.
    pub pol_round: Round,
    /// The proposer.
    pub proposer: Address,
    /// Block id and time of the block the data parts carry.
    pub block: BlockRef,
}

/// One CometBFT block part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartData {
    /// Index in the part set.
    pub index: u32,
    /// The part's bytes (≤ 64 KiB).
    pub bytes: Bytes,
}

/// Last part: the proposer's signature over the CometBFT proposal sign bytes of the `Init`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalFin {
    /// Signature over `proposal_sign_bytes(chain, height, round, pol_round, block)`.
    pub signature: Signature,
}

/// Transactions one mempool gossips to the others. They ride malachite's proposal-part
/// channel (the only app-level gossip channel of its app-channel API, decision 0900) in a
/// one-message stream of their own and never enter a proposal: the host hands them to the
/// mempool, which checks each one like a tx from a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxBatch {
    /// The raw txs (at most [`crate::MAX_GOSSIP_BATCH_TXS`]).
    pub txs: Vec<Bytes>,
}

/// A streamed proposal part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProposalPart {
    /// Which block, from whom.
    Init(ProposalInit),
    /// A block part.
    Data(PartData),
    /// The proposer's signature.
    Fin(ProposalFin),
    /// Mempool gossip, not part of any proposal.
    Txs(TxBatch),
}

impl mc::ProposalPart<WicasContext> for ProposalPart {
    fn is_first(&self) -> bool {
        matches!(self, Self::Init(_))
    }

    fn is_last(&self) -> bool {
        matches!(self, Self::Fin(_))
    }
}
