//! What malachite collects — precommits signed by our `Ed25519Provider` — is a CometBFT commit:
//! malachite's own certificate check accepts it (it rebuilds each precommit from the value id,
//! so votes must be deterministic), `verify_commit` accepts its CometBFT form, and so does the
//! tendermint-rs light client. Faults tried: a certificate with 2 of 4 signers, a missing and a
//! forged vote extension under `VoteExtensionPolicy::Required`, a vote for another chain id.

use bytes::Bytes;
use futures::executor::block_on;
use malachitebft_app_channel::app::types::core::{
    CommitCertificate, CommitSignature, Context as _, ExtendedCommitCertificate,
    ExtendedCommitSignature, NilOrVal, Round, SignedMessage, ThresholdParams, VoteExtensionPolicy,
    VoteExtensionScope,
};
use malachitebft_app_channel::{Signer, VerifierExt};
use wicas_consensus::{
    Address, BlockRef, Ed25519Provider, Ed25519Verifier, Height, Vote, WicasContext,
    commit_from_certificate, verify_commit,
};

use crate::chain::TestChain;

fn precommit(
    chain: &TestChain,
    index: usize,
    block: &BlockRef,
    chain_id: &str,
) -> SignedMessage<WicasContext, Vote> {
    let key = chain.key_at(index).clone();
    let provider = Ed25519Provider::new(chain_id.parse().unwrap(), key);
    let address = *chain.validators.get(index).unwrap().address();
    let ctx = WicasContext::new(chain.params.chain_id.clone());
    let vote = ctx.new_precommit(
        Height::new(1),
        Round::new(0),
        NilOrVal::Val(*block),
        address,
    );
    block_on(provider.sign_vote(vote)).unwrap()
}

fn certificate(
    chain: &TestChain,
    signers: &[usize],
    chain_id: &str,
) -> CommitCertificate<WicasContext> {
    let block = chain.blocks[0].0.block_ref;
    CommitCertificate {
        height: Height::new(1),
        round: Round::new(0),
        value_id: block,
        commit_signatures: signers
            .iter()
            .map(|&i| {
                let v = precommit(chain, i, &block, chain_id);
                CommitSignature::new(v.message.validator, v.signature)
            })
            .collect(),
    }
}

fn one_block() -> TestChain {
    let mut chain = TestChain::new();
    chain.extend(vec![b"tx".to_vec()]);
    chain
}

#[test]
fn a_quorum_certificate_passes_malachite_and_cometbft_checks() {
    let chain = one_block();
    let ctx = WicasContext::new(chain.params.chain_id.clone());
    let verifier = Ed25519Verifier::new(chain.params.chain_id.clone());
    let cert = certificate(&chain, &[0, 2, 3], chain.params.chain_id.as_str());
    block_on(verifier.verify_commit_certificate(
        &ctx,
        &cert,
        &chain.validators,
        ThresholdParams::default(),
    ))
    .unwrap();

    let commit = commit_from_certificate(&cert, &chain.validators).unwrap();
    verify_commit(
        &chain.params.chain_id,
        &commit,
        1,
        &cert.value_id.block_id,
        &chain.validators,
    )
    .unwrap();
    // Our hand-built test commits and the malachite-signed ones are byte-identical for the same signers.
    assert_eq!(commit, chain.commit(1, &cert.value_id, &[0, 2, 3]));
}

#[test]
fn weak_or_foreign_certificates_are_rejected() {
    let chain = one_block();
    let ctx = WicasContext::new(chain.params.chain_id.clone());
    let verifier = Ed25519Verifier::new(chain.params.chain_id.clone());
    let weak = certificate(&chain, &[0, 1], chain.params.chain_id.as_str());
    assert!(
        block_on(verifier.verify_commit_certificate(
            &ctx,
            &weak,
            &chain.validators,
            ThresholdParams::default()
        ))
        .is_err()
    );
    let commit = commit_from_certificate(&weak, &chain.validators).unwrap();
    assert!(
        verify_commit(
            &chain.params.chain_id,
            &commit,
            1,
            &weak.value_id.block_id,
            &chain.validators
        )
        .is_err()
    );

    let foreign = certificate(&chain, &[0, 1, 2, 3], "other-chain");
    assert!(
        block_on(verifier.verify_commit_certificate(
            &ctx,
            &foreign,
            &chain.validators,
            ThresholdParams::default()
        ))
        .is_err()
    );
}

#[test]
fn required_extensions_are_checked_in_extended_certificates() {
    let chain = one_block();
    let ctx = WicasContext::new(chain.params.chain_id.clone());
    let verifier = Ed25519Verifier::new(chain.params.chain_id.clone());
    let block = chain.blocks[0].0.block_ref;
    let sign_ext = |index: usize, payload: &'static [u8]| {
        let provider =
            Ed25519Provider::new(chain.params.chain_id.clone(), chain.key_at(index).clone());
        let address: Address = *chain.validators.get(index).unwrap().address();
        let scope = VoteExtensionScope::new(Height::new(1), Round::new(0), block, address);
        block_on(provider.sign_vote_extension(scope, Bytes::from_static(payload))).unwrap()
    };
    let entry = |index: usize, ext| {
        let v = precommit(&chain, index, &block, chain.params.chain_id.as_str());
        ExtendedCommitSignature::new(v.message.validator, v.signature, ext)
    };
    let good = ExtendedCommitCertificate {
        height: Height::new(1),
        round: Round::new(0),
        value_id: block,
        commit_signatures: (0..3)
            .map(|i| entry(i, Some(sign_ext(i, b"answer"))))
            .collect(),
    };
    block_on(verifier.verify_extended_commit_certificate(
        &ctx,
        &good,
        &chain.validators,
        ThresholdParams::default(),
        VoteExtensionPolicy::Required,
    ))
    .unwrap();

    let mut missing = good.clone();
    missing.commit_signatures[1].extension = None;
    assert!(
        block_on(verifier.verify_extended_commit_certificate(
            &ctx,
            &missing,
            &chain.validators,
            ThresholdParams::default(),
            VoteExtensionPolicy::Required
        ))
        .is_err()
    );

    let mut forged = good.clone();
    // Validator 1's slot carries validator 2's extension signature.
    forged.commit_signatures[1].extension = Some(sign_ext(2, b"answer"));
    assert!(
        block_on(verifier.verify_extended_commit_certificate(
            &ctx,
            &forged,
            &chain.validators,
            ThresholdParams::default(),
            VoteExtensionPolicy::Required
        ))
        .is_err()
    );
}
