//! The proof test of DESIGN.md §6: our blocks, commits and validator sets, shaped as the RPC's
//! `commit` and `validators` answers, go through tendermint-rs's production light-client
//! verifier. Faults tried: only 2 of 4 signers, a tampered app hash, a tampered validator set.

use core::time::Duration;

use tendermint::block::signed_header::SignedHeader;
use tendermint_light_client_verifier::options::Options;
use tendermint_light_client_verifier::types::{
    TrustThreshold, TrustedBlockState, UntrustedBlockState,
};
use tendermint_light_client_verifier::{ProdVerifier, Verdict, Verifier};

use crate::chain::TestChain;

fn chain_of(len: u64) -> TestChain {
    let mut chain = TestChain::new();
    for h in 1..=len {
        chain.extend(vec![
            format!("tx-{h}-a").into_bytes(),
            format!("tx-{h}-b").into_bytes(),
        ]);
    }
    chain
}

fn options() -> Options {
    Options {
        trust_threshold: TrustThreshold::ONE_THIRD,
        trusting_period: Duration::from_secs(14 * 24 * 3600),
        clock_drift: Duration::from_secs(5),
    }
}

/// Verifies the header at `to` (with a commit signed by the validators at `signers`) from the
/// trusted header at `from`.
fn verify(
    chain: &TestChain,
    from: u64,
    to: u64,
    signers: &[usize],
    tamper: impl Fn(&mut SignedHeader),
) -> Verdict {
    let vals = chain.validators.to_tendermint(None);
    let (trusted_block, _) = &chain.blocks[from as usize - 1];
    let (block, _) = &chain.blocks[to as usize - 1];
    let commit = chain.commit(to, &block.block_ref, signers);
    let mut signed = SignedHeader::new(block.block.header.clone(), commit).unwrap();
    tamper(&mut signed);
    let trusted = TrustedBlockState {
        chain_id: &chain.params.chain_id,
        header_time: trusted_block.block.header.time,
        height: trusted_block.block.header.height,
        next_validators: &vals,
        next_validators_hash: trusted_block.block.header.next_validators_hash,
    };
    let untrusted = UntrustedBlockState {
        signed_header: &signed,
        validators: &vals,
        next_validators: Some(&vals),
    };
    let now = block
        .block
        .header
        .time
        .checked_add(Duration::from_secs(1))
        .unwrap();
    ProdVerifier::default().verify_update_header(untrusted, trusted, &options(), now)
}

#[test]
fn three_of_four_signers_are_accepted_for_adjacent_and_skipping_updates() {
    let chain = chain_of(5);
    assert_eq!(verify(&chain, 1, 2, &[0, 1, 2], |_| {}), Verdict::Success);
    assert_eq!(verify(&chain, 1, 5, &[1, 2, 3], |_| {}), Verdict::Success);
    assert_eq!(
        verify(&chain, 4, 5, &[0, 1, 2, 3], |_| {}),
        Verdict::Success
    );
}

#[test]
fn two_of_four_signers_are_rejected() {
    let chain = chain_of(5);
    assert!(matches!(
        verify(&chain, 1, 2, &[0, 1], |_| {}),
        Verdict::Invalid(_) | Verdict::NotEnoughTrust(_)
    ));
    assert!(matches!(
        verify(&chain, 1, 5, &[2, 3], |_| {}),
        Verdict::Invalid(_) | Verdict::NotEnoughTrust(_)
    ));
}

#[test]
fn a_tampered_app_hash_is_rejected() {
    let chain = chain_of(5);
    let verdict = verify(&chain, 1, 5, &[0, 1, 2, 3], |signed| {
        let mut header = signed.header().clone();
        let mut app = header.app_hash.as_bytes().to_vec();
        app[0] ^= 1;
        header.app_hash = app.try_into().unwrap();
        *signed = SignedHeader::new(header, signed.commit().clone()).unwrap();
    });
    assert!(matches!(verdict, Verdict::Invalid(_)), "{verdict:?}");
}

#[test]
fn the_rpc_shapes_survive_their_json_encoding() {
    // What the RPC will serve: the signed header and validator set round-trip through serde as
    // CometBFT JSON, and still verify.
    let chain = chain_of(3);
    let (block, commit) = &chain.blocks[2];
    let signed = SignedHeader::new(block.block.header.clone(), commit.clone()).unwrap();
    let json = serde_json::to_string(&signed).unwrap();
    let back: SignedHeader = serde_json::from_str(&json).unwrap();
    assert_eq!(back, signed);
    let vals = chain.validators.to_tendermint(None);
    let vals_back: tendermint::validator::Set =
        serde_json::from_str(&serde_json::to_string(&vals).unwrap()).unwrap();
    assert_eq!(vals_back.hash(), block.block.header.validators_hash);
}
