//! Malachite commit certificates as CometBFT commits (what the RPC's `commit` answers and what
//! the next block's `last_commit` holds).

use malachitebft_app_channel::app::types::core::{CommitCertificate, ExtendedCommitCertificate};
use tendermint::block::Commit;

use super::WicasContext;
use crate::commit::commit_from_signatures;
use crate::error::CommitError;
use crate::validators::ValidatorSet;

/// The CometBFT commit of a malachite commit certificate. Every precommit in the certificate
/// was signed over the CometBFT canonical vote with the block time as timestamp, so the commit
/// verifies with CometBFT's rules.
pub fn commit_from_certificate(
    certificate: &CommitCertificate<WicasContext>,
    validators: &ValidatorSet,
) -> Result<Commit, CommitError> {
    let round = certificate
        .round
        .as_u32()
        .ok_or(CommitError::RoundOutOfRange { round: u32::MAX })?;
    commit_from_signatures(
        certificate.height.as_u64(),
        round,
        &certificate.value_id,
        validators,
        certificate
            .commit_signatures
            .iter()
            .map(|s| (s.address, s.signature)),
    )
}

/// As [`commit_from_certificate`], for a certificate that also carries vote extensions (which a
/// CometBFT `Commit` does not hold; they stay in the certificate).
pub fn commit_from_extended_certificate(
    certificate: &ExtendedCommitCertificate<WicasContext>,
    validators: &ValidatorSet,
) -> Result<Commit, CommitError> {
    let round = certificate
        .round
        .as_u32()
        .ok_or(CommitError::RoundOutOfRange { round: u32::MAX })?;
    commit_from_signatures(
        certificate.height.as_u64(),
        round,
        &certificate.value_id,
        validators,
        certificate
            .commit_signatures
            .iter()
            .map(|s| (s.address, s.signature)),
    )
}
