//! A proposer's stream reassembles into the same block whatever the arrival order. Faults tried:
//! a Fin signed by another key, a flipped byte in a data part, a part index beyond the count,
//! a stream from a proposer outside the validator set.

use bytes::Bytes;
use malachitebft_app_channel::app::streaming::{StreamContent, StreamMessage};
use malachitebft_app_channel::app::types::core::Round;
use wicas_consensus::{
    Address, Height, PartData, PrivateKey, ProposalInit, ProposalPart, PublicKey, StreamAssembler,
    StreamError, proposal_stream,
};

use crate::chain::TestChain;

struct Setup {
    chain: TestChain,
    messages: Vec<StreamMessage<ProposalPart>>,
    proposer: Address,
}

fn setup(signer: Option<PrivateKey>) -> Setup {
    let mut chain = TestChain::new();
    // A block of ~150 KiB: three parts.
    let txs: Vec<Vec<u8>> = (0..3u8).map(|i| vec![i; 50_000]).collect();
    let sealed = chain.extend(txs);
    assert_eq!(sealed.parts.header().total, 3);
    let proposer = Address::from_bytes(sealed.block.header.proposer_address.as_bytes()).unwrap();
    let key = chain
        .keys
        .iter()
        .find(|k| Address::from_public_key(&k.public_key()) == proposer)
        .unwrap()
        .clone();
    let init = ProposalInit {
        height: Height::new(1),
        round: Round::new(0),
        pol_round: Round::Nil,
        proposer,
        block: sealed.block_ref,
    };
    let messages = proposal_stream(
        &chain.params.chain_id,
        init,
        &sealed,
        &signer.unwrap_or(key),
    )
    .unwrap();
    Setup {
        chain,
        messages,
        proposer,
    }
}

fn lookup(chain: &TestChain) -> impl Fn(u64, &Address) -> Option<PublicKey> + '_ {
    move |_, a| chain.validators.find(a).map(|(_, v)| *v.public_key())
}

fn feed(
    setup: &Setup,
    messages: Vec<StreamMessage<ProposalPart>>,
) -> Result<Option<wicas_consensus::AssembledProposal>, StreamError> {
    feed_with(setup, messages, &lookup(&setup.chain))
}

fn feed_with(
    setup: &Setup,
    messages: Vec<StreamMessage<ProposalPart>>,
    keys: &dyn Fn(u64, &Address) -> Option<PublicKey>,
) -> Result<Option<wicas_consensus::AssembledProposal>, StreamError> {
    let mut asm = StreamAssembler::new(setup.chain.params.chain_id.clone(), 4 << 20);
    let mut last = Ok(None);
    for m in messages {
        last = asm.add(b"peer-1", m, keys);
        if !matches!(last, Ok(None)) {
            break;
        }
    }
    last
}

#[test]
fn in_order_and_reversed_streams_give_the_same_block() {
    let s = setup(None);
    let want = &s.chain.blocks[0].0;
    let forward = feed(&s, s.messages.clone()).unwrap().unwrap();
    assert_eq!(forward.block, want.block);
    assert_eq!(forward.bytes, want.bytes);
    assert_eq!(forward.init.proposer, s.proposer);

    let mut reversed = s.messages.clone();
    reversed.reverse();
    let back = feed(&s, reversed).unwrap().unwrap();
    assert_eq!(back.block, want.block);
}

#[test]
fn a_fin_from_another_key_is_refused() {
    let s = setup(Some(PrivateKey::from_seed([99; 32])));
    assert_eq!(
        feed(&s, s.messages.clone()).unwrap_err(),
        StreamError::BadSignature
    );
}

#[test]
fn tampered_or_out_of_range_parts_are_refused() {
    let s = setup(None);
    let mut msgs = s.messages.clone();
    if let StreamContent::Data(ProposalPart::Data(d)) = &mut msgs[2].content {
        let mut b = d.bytes.to_vec();
        b[10] ^= 1;
        d.bytes = Bytes::from(b);
    }
    assert!(matches!(feed(&s, msgs).unwrap_err(), StreamError::Parts(_)));

    let mut msgs = s.messages.clone();
    msgs.insert(
        1,
        StreamMessage::new(
            msgs[0].stream_id.clone(),
            99,
            StreamContent::Data(ProposalPart::Data(PartData {
                index: 7,
                bytes: Bytes::from_static(b"x"),
            })),
        ),
    );
    assert_eq!(
        feed(&s, msgs).unwrap_err(),
        StreamError::BadPart { index: 7 }
    );
}

#[test]
fn a_stream_from_a_non_validator_is_refused() {
    let s = setup(None);
    let unknown = feed_with(&s, s.messages.clone(), &|_, _| None);
    assert_eq!(unknown.unwrap_err(), StreamError::UnknownProposer);
}
