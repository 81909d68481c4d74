//! `validate_block` accepts exactly the block this node would have built. Bad input tried: a
//! wrong app hash, a wrong proposer, a non-increasing time, txs that do not match the data hash,
//! a last commit with too few signers, an oversized encoding, and garbage bytes.

use tendermint::hash::AppHash;
use wicas_consensus::{
    BlockError, CommitError, PartSet, SealedBlock, decode_block, encode_block, validate_block,
};

use crate::chain::TestChain;

fn setup() -> (TestChain, TestChain) {
    // `before` stops at height 2; `after` has height 3 built on the same history.
    let mut before = TestChain::new();
    before.extend(vec![b"a".to_vec()]);
    before.extend(vec![b"b".to_vec()]);
    let mut after = TestChain::new();
    after.extend(vec![b"a".to_vec()]);
    after.extend(vec![b"b".to_vec()]);
    after.extend(vec![b"c".to_vec(), b"d".to_vec()]);
    (before, after)
}

fn check(before: &TestChain, block: &tendermint::Block) -> Result<(), BlockError> {
    let proposer = wicas_consensus::Address::from_bytes(
        before
            .validators
            .get(3 % before.validators.len())
            .unwrap()
            .address()
            .as_bytes(),
    )
    .unwrap();
    validate_block(
        &before.params,
        &before.tip,
        &before.validators,
        &before.validators,
        &proposer,
        block,
    )
}

#[test]
fn the_honest_block_passes_and_survives_encoding_and_parts() {
    let (before, after) = setup();
    let sealed = &after.blocks[2].0;
    check(&before, &sealed.block).unwrap();

    let bytes = encode_block(&sealed.block);
    let back = decode_block(&bytes, before.params.max_block_bytes()).unwrap();
    assert_eq!(back, sealed.block);
    let joined = PartSet::assemble(sealed.parts.header(), sealed.parts.parts().to_vec()).unwrap();
    assert_eq!(joined, bytes);
    assert_eq!(SealedBlock::seal(back).unwrap().block_ref, sealed.block_ref);
}

#[test]
fn each_tampered_field_is_named() {
    let (before, after) = setup();
    let honest = after.blocks[2].0.block.clone();

    let mut b = honest.clone();
    b.header.app_hash = AppHash::try_from(vec![7u8; 32]).unwrap();
    assert_eq!(
        check(&before, &b),
        Err(BlockError::HeaderMismatch { field: "app_hash" })
    );

    let mut b = honest.clone();
    b.data.push(b"smuggled".to_vec());
    assert_eq!(
        check(&before, &b),
        Err(BlockError::HeaderMismatch { field: "data_hash" })
    );

    let mut b = honest.clone();
    b.header.time = before.tip.time;
    assert_eq!(check(&before, &b), Err(BlockError::TimeNotIncreasing));

    let mut b = honest.clone();
    b.header.proposer_address = before.validators.get(0).unwrap().address().to_tendermint();
    assert!(matches!(
        check(&before, &b),
        Err(BlockError::WrongProposer { .. })
    ));

    let mut b = honest.clone();
    let weak = before.commit(2, &before.blocks[1].0.block_ref, &[0, 1]);
    b.last_commit = Some(weak);
    assert!(matches!(
        check(&before, &b),
        Err(BlockError::LastCommit(CommitError::InsufficientPower {
            signed: 20,
            total: 40
        }))
    ));

    let mut b = honest;
    b.last_commit = None;
    assert_eq!(check(&before, &b), Err(BlockError::MissingLastCommit));
}

#[test]
fn bad_bytes_are_refused_before_or_while_decoding() {
    let (_, after) = setup();
    let bytes = encode_block(&after.blocks[2].0.block);
    assert!(matches!(
        decode_block(&bytes, bytes.len() - 1),
        Err(BlockError::TooLarge { .. })
    ));
    assert!(matches!(
        decode_block(&[0xff, 0xff, 0xff], 1 << 20),
        Err(BlockError::Decode { .. })
    ));
}

#[test]
fn out_of_range_chain_params_are_refused() {
    let (chain, _) = setup();
    let mut p = chain.params.clone();
    p.validate().unwrap();
    p.block_max_bytes = -1;
    assert!(matches!(
        p.validate(),
        Err(wicas_consensus::ParamsError::BlockMaxBytes { value: -1 })
    ));
    p.block_max_bytes = 1 << 20;
    p.block_max_gas = 0;
    assert!(matches!(
        p.validate(),
        Err(wicas_consensus::ParamsError::BlockMaxGas { value: 0 })
    ));
}
