//! CometBFT-format blocks: building a proposal, encoding it, and validating one from a peer.
//!
//! A wicas block *is* a `tendermint::Block` (header, txs, empty evidence, last commit) encoded as
//! CometBFT v0.38's `tendermint.types.Block` protobuf. Its header commits to the state root
//! *after the previous height* (`app_hash`, CometBFT's deferred app hash) and to the previous
//! height's tx results (`last_results_hash`).

use tendermint::block::header::Version;
use tendermint::block::{Commit, Header, Height as TmHeight};
use tendermint::chain::Id as ChainId;
use tendermint::hash::AppHash;
use tendermint::{Block, Hash, Time};
use tendermint_proto::Protobuf;
use tendermint_proto::v0_38::types::Block as RawBlock;

use crate::block_ref::BlockRef;
use crate::commit::verify_commit;
use crate::error::{BlockError, ParamsError};
use crate::hashes::{commit_hash, consensus_hash, data_hash, empty_evidence_hash};
use crate::keys::Address;
use crate::parts::PartSet;
use crate::validators::ValidatorSet;

/// CometBFT's largest block (`types.MaxBlockSizeBytes`, 100 MiB).
pub const MAX_BLOCK_SIZE_BYTES: i64 = 104_857_600;

/// CometBFT's block protocol version (`version.BlockProtocol`) since v0.34.
pub const BLOCK_PROTOCOL_VERSION: u64 = 11;

/// The chain-wide parameters a header commits to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainParams {
    /// The chain id (`wicas-1`, …).
    pub chain_id: ChainId,
    /// Largest encoded block, in bytes (CometBFT `block.max_bytes`).
    pub block_max_bytes: i64,
    /// Largest total gas of a block's txs; -1 for unlimited (CometBFT `block.max_gas`).
    pub block_max_gas: i64,
    /// The app version reported in every header.
    pub app_version: u64,
}

impl ChainParams {
    /// `Header.consensus_hash` for these parameters.
    pub fn consensus_hash(&self) -> Hash {
        consensus_hash(self.block_max_bytes, self.block_max_gas)
    }

    /// Checks the parameters CometBFT would refuse: `block_max_bytes` must be in
    /// `1..=MAX_BLOCK_SIZE_BYTES` (CometBFT's -1 "use the maximum" is not accepted: say the
    /// number), `block_max_gas` must be -1 or positive.
    pub fn validate(&self) -> Result<(), ParamsError> {
        if self.block_max_bytes <= 0 || self.block_max_bytes > MAX_BLOCK_SIZE_BYTES {
            return Err(ParamsError::BlockMaxBytes {
                value: self.block_max_bytes,
            });
        }
        if self.block_max_gas < -1 || self.block_max_gas == 0 {
            return Err(ParamsError::BlockMaxGas {
                value: self.block_max_gas,
            });
        }
        Ok(())
    }

    /// `block_max_bytes` as a `usize` bound (negative values bound to zero).
    pub fn max_block_bytes(&self) -> usize {
        usize::try_from(self.block_max_bytes).unwrap_or(0)
    }
}

/// What the next block builds on: the last decided block and the state after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainTip {
    /// The last decided height (0 before the first block).
    pub height: u64,
    /// The last decided block's id; `None` before the first block.
    pub block_id: Option<tendermint::block::Id>,
    /// The last block's time, or the genesis time before the first block.
    pub time: Time,
    /// The state root after executing `height` (the genesis app hash at height 0).
    pub app_hash: AppHash,
    /// `last_results_hash` for the next block: the results of executing `height`.
    pub last_results_hash: Hash,
    /// The validators that signed `height` (to check the next block's last commit).
    pub last_validators: Option<ValidatorSet>,
}

/// Everything the proposer chooses for a new block.
#[derive(Clone, Debug)]
pub struct BlockContents {
    /// Header time: strictly after the tip's time (at or after genesis time for height 1).
    pub time: Time,
    /// The proposer's address (must be in `validators`).
    pub proposer: Address,
    /// The transactions, in order.
    pub txs: Vec<Vec<u8>>,
    /// The commit for the tip (`None` exactly at the first height).
    pub last_commit: Option<Commit>,
}

/// Builds the block for height `tip.height + 1`.
pub fn build_block(
    params: &ChainParams,
    tip: &ChainTip,
    validators: &ValidatorSet,
    next_validators: &ValidatorSet,
    contents: BlockContents,
) -> Result<Block, BlockError> {
    let height = tip
        .height
        .checked_add(1)
        .and_then(|h| TmHeight::try_from(h).ok())
        .ok_or(BlockError::HeightOverflow)?;
    if validators.find(&contents.proposer).is_none() {
        return Err(BlockError::ProposerNotValidator {
            proposer: contents.proposer,
        });
    }
    check_time(tip, contents.time)?;
    match (&tip.block_id, &contents.last_commit) {
        (None, None) | (Some(_), Some(_)) => {}
        (None, Some(_)) => return Err(BlockError::UnexpectedLastCommit),
        (Some(_), None) => return Err(BlockError::MissingLastCommit),
    }
    let header = Header {
        version: Version {
            block: BLOCK_PROTOCOL_VERSION,
            app: params.app_version,
        },
        chain_id: params.chain_id.clone(),
        height,
        time: contents.time,
        last_block_id: tip.block_id,
        last_commit_hash: Some(match &contents.last_commit {
            Some(c) => commit_hash(c),
            None => commit_hash(&Commit::default()),
        }),
        data_hash: Some(data_hash(&contents.txs)),
        validators_hash: validators.hash(),
        next_validators_hash: next_validators.hash(),
        consensus_hash: params.consensus_hash(),
        app_hash: tip.app_hash.clone(),
        last_results_hash: Some(tip.last_results_hash),
        evidence_hash: Some(empty_evidence_hash()),
        proposer_address: contents.proposer.to_tendermint(),
    };
    let block = Block::new(
        header,
        contents.txs,
        tendermint::evidence::List::default(),
        contents.last_commit,
    );
    let size = encode_block(&block).len();
    if size > params.max_block_bytes() {
        return Err(BlockError::TooLarge {
            size,
            max: params.max_block_bytes(),
        });
    }
    Ok(block)
}

fn check_time(tip: &ChainTip, time: Time) -> Result<(), BlockError> {
    let ok = if tip.height == 0 {
        time >= tip.time
    } else {
        time > tip.time
    };
    if ok {
        Ok(())
    } else {
        Err(BlockError::TimeNotIncreasing)
    }
}

/// The CometBFT v0.38 protobuf encoding of a block (what block parts carry).
pub fn encode_block(block: &Block) -> Vec<u8> {
    Protobuf::<RawBlock>::encode_vec(block.clone())
}

/// Decodes a block, refusing more than `max_bytes` before parsing.
pub fn decode_block(bytes: &[u8], max_bytes: usize) -> Result<Block, BlockError> {
    if bytes.len() > max_bytes {
        return Err(BlockError::TooLarge {
            size: bytes.len(),
            max: max_bytes,
        });
    }
    <Block as Protobuf<RawBlock>>::decode_vec(bytes).map_err(|e| BlockError::Decode {
        reason: e.to_string(),
    })
}

/// A block with its encoding, parts and consensus reference computed once.
#[derive(Clone, Debug)]
pub struct SealedBlock {
    /// The block.
    pub block: Block,
    /// Its protobuf encoding.
    pub bytes: Vec<u8>,
    /// Its parts.
    pub parts: PartSet,
    /// Its block id and time: the value consensus votes on.
    pub block_ref: BlockRef,
}

impl SealedBlock {
    /// Encodes `block` and cuts it into parts.
    pub fn seal(block: Block) -> Result<Self, BlockError> {
        let bytes = encode_block(&block);
        let parts = PartSet::from_block_bytes(&bytes)?;
        let block_ref = BlockRef {
            block_id: tendermint::block::Id {
                hash: block.header.hash(),
                part_set_header: parts.header(),
            },
            time: block.header.time,
        };
        Ok(Self {
            block,
            bytes,
            parts,
            block_ref,
        })
    }
}

/// Checks a block from a peer against what this node knows: every header field that is not the
/// proposer's free choice must equal what [`build_block`] would have put there, the last commit
/// must carry > 2/3 of the previous validators, and the proposer must be `expected_proposer`.
pub fn validate_block(
    params: &ChainParams,
    tip: &ChainTip,
    validators: &ValidatorSet,
    next_validators: &ValidatorSet,
    expected_proposer: &Address,
    block: &Block,
) -> Result<(), BlockError> {
    let proposer = Address::from_bytes(block.header.proposer_address.as_bytes())?;
    if proposer != *expected_proposer {
        return Err(BlockError::WrongProposer {
            expected: *expected_proposer,
            got: proposer,
        });
    }
    if let (Some(last_id), Some(commit)) = (&tip.block_id, &block.last_commit) {
        let last_validators = tip
            .last_validators
            .as_ref()
            .ok_or(BlockError::MissingLastValidators)?;
        verify_commit(
            &params.chain_id,
            commit,
            tip.height,
            last_id,
            last_validators,
        )?;
    }
    let rebuilt = build_block(
        params,
        tip,
        validators,
        next_validators,
        BlockContents {
            time: block.header.time,
            proposer,
            txs: block.data.clone(),
            last_commit: block.last_commit.clone(),
        },
    )?;
    if block.evidence.iter().next().is_some() {
        return Err(BlockError::UnexpectedEvidence);
    }
    if let Some(field) = first_header_difference(&rebuilt.header, &block.header) {
        return Err(BlockError::HeaderMismatch { field });
    }
    Ok(())
}

fn first_header_difference(want: &Header, got: &Header) -> Option<&'static str> {
    let checks: [(&'static str, bool); 14] = [
        ("version", want.version == got.version),
        ("chain_id", want.chain_id == got.chain_id),
        ("height", want.height == got.height),
        ("time", want.time == got.time),
        ("last_block_id", want.last_block_id == got.last_block_id),
        (
            "last_commit_hash",
            want.last_commit_hash == got.last_commit_hash,
        ),
        ("data_hash", want.data_hash == got.data_hash),
        (
            "validators_hash",
            want.validators_hash == got.validators_hash,
        ),
        (
            "next_validators_hash",
            want.next_validators_hash == got.next_validators_hash,
        ),
        ("consensus_hash", want.consensus_hash == got.consensus_hash),
        ("app_hash", want.app_hash == got.app_hash),
        (
            "last_results_hash",
            want.last_results_hash == got.last_results_hash,
        ),
        ("evidence_hash", want.evidence_hash == got.evidence_hash),
        (
            "proposer_address",
            want.proposer_address == got.proposer_address,
        ),
    ];
    checks.iter().find(|(_, same)| !same).map(|(name, _)| *name)
}
