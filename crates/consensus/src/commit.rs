//! CometBFT `Commit`s: built from precommit signatures, and verified (> 2/3 of voting power).

use tendermint::block::{Commit, CommitSig, Height as TmHeight, Round as TmRound};
use tendermint::chain::Id as ChainId;

use crate::block_ref::BlockRef;
use crate::error::CommitError;
use crate::keys::{Address, Signature};
use crate::sign_bytes::{VoteKind, vote_sign_bytes};
use crate::validators::ValidatorSet;

/// Builds the CometBFT commit for `block`, decided at `height`/`round`, from the precommit
/// signatures in `signatures` (any order). Validators without a signature are `Absent`; every
/// present signature carries the block time as its timestamp (see [`BlockRef`]).
///
/// Signatures are not checked here (the certificate they come from was); a signer outside the
/// set or a validator twice is an error.
pub fn commit_from_signatures(
    height: u64,
    round: u32,
    block: &BlockRef,
    validators: &ValidatorSet,
    signatures: impl IntoIterator<Item = (Address, Signature)>,
) -> Result<Commit, CommitError> {
    let mut slots: Vec<CommitSig> = vec![CommitSig::BlockIdFlagAbsent; validators.len()];
    for (address, signature) in signatures {
        let (index, _) = validators
            .find(&address)
            .ok_or(CommitError::UnknownSigner { address })?;
        if !matches!(slots[index], CommitSig::BlockIdFlagAbsent) {
            return Err(CommitError::DuplicateSigner { address });
        }
        slots[index] = CommitSig::BlockIdFlagCommit {
            validator_address: address.to_tendermint(),
            timestamp: block.time,
            signature: Some(signature.to_tendermint()),
        };
    }
    Ok(Commit {
        height: TmHeight::try_from(height).map_err(|_| CommitError::HeightOutOfRange { height })?,
        round: TmRound::try_from(round).map_err(|_| CommitError::RoundOutOfRange { round })?,
        block_id: block.block_id,
        signatures: slots,
    })
}

/// Checks that `commit` commits `expected` at `height` with more than 2/3 of `validators`'
/// voting power, every counted signature verifying over its CometBFT precommit sign bytes.
/// Nil votes are ignored (they do not count toward the block); any bad signature is an error.
pub fn verify_commit(
    chain_id: &ChainId,
    commit: &Commit,
    height: u64,
    expected: &tendermint::block::Id,
    validators: &ValidatorSet,
) -> Result<(), CommitError> {
    if commit.height.value() != height {
        return Err(CommitError::WrongHeight {
            expected: height,
            got: commit.height.value(),
        });
    }
    if commit.block_id != *expected {
        return Err(CommitError::WrongBlock);
    }
    if commit.signatures.len() != validators.len() {
        return Err(CommitError::WrongSignatureCount {
            expected: validators.len(),
            got: commit.signatures.len(),
        });
    }
    let mut power: u64 = 0;
    for (index, sig) in commit.signatures.iter().enumerate() {
        let CommitSig::BlockIdFlagCommit {
            validator_address,
            timestamp,
            signature,
        } = sig
        else {
            continue;
        };
        let validator = validators
            .get(index)
            .ok_or(CommitError::WrongSignatureCount {
                expected: validators.len(),
                got: commit.signatures.len(),
            })?;
        let address = *validator.address();
        if address.to_tendermint() != *validator_address {
            return Err(CommitError::AddressMismatch { index });
        }
        let signature = signature
            .as_ref()
            .and_then(|s| Signature::from_bytes(s.as_bytes()).ok())
            .ok_or(CommitError::BadSignature { address })?;
        let block = BlockRef {
            block_id: commit.block_id,
            time: *timestamp,
        };
        let bytes = vote_sign_bytes(
            chain_id,
            VoteKind::Precommit,
            height,
            commit.round.value(),
            Some(&block),
            &address,
        )?;
        if !validator.public_key().verify(&bytes, &signature) {
            return Err(CommitError::BadSignature { address });
        }
        power = power.saturating_add(validator.voting_power());
    }
    if !has_quorum(power, validators.total_voting_power()) {
        return Err(CommitError::InsufficientPower {
            signed: power,
            total: validators.total_voting_power(),
        });
    }
    Ok(())
}

/// `power` is more than 2/3 of `total` (computed without overflow: total ≤ i64::MAX / 8).
pub fn has_quorum(power: u64, total: u64) -> bool {
    u128::from(power) * 3 > u128::from(total) * 2
}
