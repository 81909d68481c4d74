//! Conversions between malachite certificates and what the host stores and hands the app.

use malachitebft_app_channel::app::types::core::{
    CommitCertificate, CommitSignature, ExtendedCommitCertificate, ExtendedCommitSignature,
    VoteExtensions,
};

use crate::context::WicasContext;
use crate::executor::CommittedExtension;
use crate::validators::ValidatorSet;

type Ctx = WicasContext;

/// The certificate with each signer's extension attached.
pub(super) fn extended_certificate(
    certificate: &CommitCertificate<Ctx>,
    extensions: &VoteExtensions<Ctx>,
) -> ExtendedCommitCertificate<Ctx> {
    ExtendedCommitCertificate {
        height: certificate.height,
        round: certificate.round,
        value_id: certificate.value_id,
        commit_signatures: certificate
            .commit_signatures
            .iter()
            .map(|s| {
                let ext = extensions
                    .extensions
                    .iter()
                    .find(|(a, _)| *a == s.address)
                    .map(|(_, e)| e.clone());
                ExtendedCommitSignature::new(s.address, s.signature, ext)
            })
            .collect(),
    }
}

/// The certificate without extensions.
pub(super) fn plain_certificate(c: &ExtendedCommitCertificate<Ctx>) -> CommitCertificate<Ctx> {
    CommitCertificate {
        height: c.height,
        round: c.round,
        value_id: c.value_id,
        commit_signatures: c
            .commit_signatures
            .iter()
            .map(|s| CommitSignature::new(s.address, s.signature))
            .collect(),
    }
}

/// The extensions of a certificate, with each signer's voting power, for the next proposer.
pub(super) fn committed_extensions(
    c: &ExtendedCommitCertificate<Ctx>,
    validators: &ValidatorSet,
) -> Vec<CommittedExtension> {
    c.commit_signatures
        .iter()
        .filter_map(|s| {
            let ext = s.extension.as_ref()?;
            let (_, v) = validators.find(&s.address)?;
            Some(CommittedExtension {
                validator: s.address,
                voting_power: v.voting_power(),
                extension: ext.message.to_vec(),
                signature: ext.signature,
            })
        })
        .collect()
}
