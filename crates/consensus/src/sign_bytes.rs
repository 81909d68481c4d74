//! What validators sign, byte for byte as CometBFT v0.38 signs it.
//!
//! - votes: length-delimited `CanonicalVote{type, height, round, block_id, timestamp, chain_id}`
//!   (`types.VoteSignBytes`); a vote for a block uses the block's header time as timestamp, a nil
//!   vote carries no timestamp;
//! - proposals: length-delimited `CanonicalProposal{type, height, round, pol_round, block_id,
//!   timestamp, chain_id}` (`types.ProposalSignBytes`), timestamp = the block's header time;
//! - vote extensions: length-delimited `CanonicalVoteExtension{extension, height, round,
//!   chain_id}` (`types.VoteExtensionSignBytes`).
//!
//! Changing any of these is a hard fork: old signatures stop verifying.

use prost::Message;
use tendermint::block::{Height as TmHeight, Round as TmRound};
use tendermint::chain::Id as ChainId;
use tendermint::vote::{Type as TmVoteType, ValidatorIndex};
use tendermint_proto::v0_38::types::CanonicalVoteExtension;

use crate::block_ref::BlockRef;
use crate::error::SignBytesError;
use crate::keys::Address;

/// Prevote or precommit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VoteKind {
    /// First voting step.
    Prevote,
    /// Second voting step; a commit is > 2/3 precommits for one block.
    Precommit,
}

fn tm_height(height: u64) -> Result<TmHeight, SignBytesError> {
    TmHeight::try_from(height).map_err(|_| SignBytesError::HeightOutOfRange { height })
}

fn tm_round(round: u32) -> Result<TmRound, SignBytesError> {
    TmRound::try_from(round).map_err(|_| SignBytesError::RoundOutOfRange { round })
}

/// CometBFT vote sign bytes.
pub fn vote_sign_bytes(
    chain_id: &ChainId,
    kind: VoteKind,
    height: u64,
    round: u32,
    block: Option<&BlockRef>,
    validator: &Address,
) -> Result<Vec<u8>, SignBytesError> {
    let vote = tendermint::vote::Vote {
        vote_type: match kind {
            VoteKind::Prevote => TmVoteType::Prevote,
            VoteKind::Precommit => TmVoteType::Precommit,
        },
        height: tm_height(height)?,
        round: tm_round(round)?,
        block_id: block.map(|b| b.block_id),
        timestamp: block.map(|b| b.time),
        // Address and index are not part of the canonical vote; set for completeness only.
        validator_address: validator.to_tendermint(),
        validator_index: ValidatorIndex::try_from(0u32).expect("0 is a valid validator index"),
        signature: None,
        extension: Vec::new(),
        extension_signature: None,
    };
    Ok(vote.into_signable_vec(chain_id.clone()))
}

/// CometBFT proposal sign bytes.
pub fn proposal_sign_bytes(
    chain_id: &ChainId,
    height: u64,
    round: u32,
    pol_round: Option<u32>,
    block: &BlockRef,
) -> Result<Vec<u8>, SignBytesError> {
    let proposal = tendermint::proposal::Proposal {
        msg_type: tendermint::proposal::Type::Proposal,
        height: tm_height(height)?,
        round: tm_round(round)?,
        pol_round: pol_round.map(tm_round).transpose()?,
        block_id: Some(block.block_id),
        timestamp: Some(block.time),
        signature: None,
    };
    Ok(proposal.into_signable_vec(chain_id.clone()))
}

/// CometBFT vote-extension sign bytes.
pub fn vote_extension_sign_bytes(
    chain_id: &ChainId,
    height: u64,
    round: u32,
    extension: &[u8],
) -> Result<Vec<u8>, SignBytesError> {
    let height = i64::try_from(height).map_err(|_| SignBytesError::HeightOutOfRange { height })?;
    Ok(CanonicalVoteExtension {
        extension: extension.to_vec(),
        height,
        round: i64::from(round),
        chain_id: chain_id.as_str().to_owned(),
    }
    .encode_length_delimited_to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tendermint::Hash;
    use tendermint::block::parts::Header as PartSetHeader;

    fn block() -> BlockRef {
        BlockRef {
            block_id: tendermint::block::Id {
                hash: Hash::Sha256([1; 32]),
                part_set_header: PartSetHeader::new(1, Hash::Sha256([2; 32])).unwrap(),
            },
            time: tendermint::Time::from_unix_timestamp(1_700_000_000, 5).unwrap(),
        }
    }

    #[test]
    fn vote_bytes_bind_every_field() {
        let chain: ChainId = "wicas-1".parse().unwrap();
        let other: ChainId = "wicas-2".parse().unwrap();
        let a = Address::from_bytes(&[9; 20]).unwrap();
        let base = vote_sign_bytes(&chain, VoteKind::Precommit, 5, 0, Some(&block()), &a).unwrap();
        let variants = [
            vote_sign_bytes(&other, VoteKind::Precommit, 5, 0, Some(&block()), &a).unwrap(),
            vote_sign_bytes(&chain, VoteKind::Prevote, 5, 0, Some(&block()), &a).unwrap(),
            vote_sign_bytes(&chain, VoteKind::Precommit, 6, 0, Some(&block()), &a).unwrap(),
            vote_sign_bytes(&chain, VoteKind::Precommit, 5, 1, Some(&block()), &a).unwrap(),
            vote_sign_bytes(&chain, VoteKind::Precommit, 5, 0, None, &a).unwrap(),
        ];
        for v in variants {
            assert_ne!(v, base);
        }
        // The canonical vote does not include the validator: the signature key does.
        let b = Address::from_bytes(&[8; 20]).unwrap();
        assert_eq!(
            base,
            vote_sign_bytes(&chain, VoteKind::Precommit, 5, 0, Some(&block()), &b).unwrap()
        );
        assert!(matches!(
            vote_sign_bytes(&chain, VoteKind::Precommit, u64::MAX, 0, None, &a),
            Err(SignBytesError::HeightOutOfRange { .. })
        ));
    }

    #[test]
    fn extension_bytes_bind_height_round_chain_and_payload() {
        let chain: ChainId = "wicas-1".parse().unwrap();
        let base = vote_extension_sign_bytes(&chain, 3, 1, b"x").unwrap();
        assert_ne!(base, vote_extension_sign_bytes(&chain, 4, 1, b"x").unwrap());
        assert_ne!(base, vote_extension_sign_bytes(&chain, 3, 2, b"x").unwrap());
        assert_ne!(base, vote_extension_sign_bytes(&chain, 3, 1, b"y").unwrap());
    }
}
