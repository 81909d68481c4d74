//! Every message malachite hands our codec comes back equal — vote extensions included, compared
//! explicitly because `Vote`'s `Eq` ignores them. Bad input tried: truncated bytes, a 19-byte
//! address, an unknown vote type, a `fin = false` stream marker, a reversed sync range, a
//! certificate without a round, a gossiped tx batch over its count limit.

use bytes::Bytes;
use malachitebft_app_channel::app::consensus::LivenessMsg;
use malachitebft_app_channel::app::streaming::{StreamContent, StreamId, StreamMessage};
use malachitebft_app_channel::app::types::codec::Codec;
use malachitebft_app_channel::app::types::core::{
    ExtendedCommitCertificate, ExtendedCommitSignature, NilOrVal, PolkaCertificate, PolkaSignature,
    Round, RoundCertificate, RoundCertificateType, RoundSignature, SignedMessage, ValidatorProof,
    Validity, VoteType,
};
use malachitebft_app_channel::app::types::{Keypair, PeerId, ProposedValue, SignedConsensusMsg};
use malachitebft_sync::{RawDecidedValue, Request, Response, Status, ValueRequest, ValueResponse};
use wicas_consensus::{
    Address, BlockRef, CodecError, Height, PartData, PrivateKey, Proposal, ProposalFin,
    ProposalInit, ProposalPart, ProtobufCodec, TxBatch, Vote, WicasContext,
};

use crate::chain::TestChain;

type Ctx = WicasContext;

fn round_trip<T>(msg: &T) -> T
where
    ProtobufCodec: Codec<T>,
    <ProtobufCodec as Codec<T>>::Error: std::fmt::Debug,
{
    let bytes = ProtobufCodec.encode(msg).unwrap();
    ProtobufCodec.decode(bytes).unwrap()
}

fn block() -> BlockRef {
    let mut chain = TestChain::new();
    chain.extend(vec![b"tx".to_vec()]).block_ref
}

fn key() -> PrivateKey {
    PrivateKey::from_seed([42; 32])
}

fn addr() -> Address {
    Address::from_public_key(&key().public_key())
}

fn extension(payload: &[u8]) -> SignedMessage<Ctx, Bytes> {
    SignedMessage::new(Bytes::copy_from_slice(payload), key().sign(payload))
}

fn precommit_with_extension() -> SignedMessage<Ctx, Vote> {
    let mut vote = Vote::new(
        VoteType::Precommit,
        Height::new(7),
        Round::new(2),
        NilOrVal::Val(block()),
        addr(),
    );
    vote.extension = Some(extension(b"inference result"));
    SignedMessage::new(vote, key().sign(b"vote"))
}

#[test]
fn consensus_and_liveness_votes_keep_their_extensions() {
    let vote = precommit_with_extension();
    let SignedConsensusMsg::Vote(back) = round_trip(&SignedConsensusMsg::<Ctx>::Vote(vote.clone()))
    else {
        panic!("vote came back as a proposal");
    };
    assert_eq!(back, vote);
    assert_eq!(back.signature, vote.signature);
    assert_eq!(back.message.extension, vote.message.extension);
    assert!(back.message.extension.is_some());

    let LivenessMsg::Vote(back) = round_trip(&LivenessMsg::<Ctx>::Vote(vote.clone())) else {
        panic!("liveness vote changed kind");
    };
    assert_eq!(back.message.extension, vote.message.extension);

    let nil = SignedMessage::new(
        Vote::new(
            VoteType::Prevote,
            Height::new(7),
            Round::new(0),
            NilOrVal::Nil,
            addr(),
        ),
        key().sign(b"nil"),
    );
    let back = round_trip(&SignedConsensusMsg::<Ctx>::Vote(nil.clone()));
    assert_eq!(back, SignedConsensusMsg::Vote(nil));
}

#[test]
fn proposals_parts_and_streams_round_trip() {
    let proposal = SignedMessage::new(
        Proposal::new(Height::new(3), Round::new(1), block(), Round::Nil, addr()),
        key().sign(b"p"),
    );
    let msg = SignedConsensusMsg::<Ctx>::Proposal(proposal);
    assert_eq!(round_trip(&msg), msg);

    let parts = [
        ProposalPart::Init(ProposalInit {
            height: Height::new(3),
            round: Round::new(1),
            pol_round: Round::new(0),
            proposer: addr(),
            block: block(),
        }),
        ProposalPart::Data(PartData {
            index: 4,
            bytes: Bytes::from_static(b"part bytes"),
        }),
        ProposalPart::Fin(ProposalFin {
            signature: key().sign(b"fin"),
        }),
        ProposalPart::Txs(TxBatch {
            txs: vec![
                Bytes::from_static(b"tx one"),
                Bytes::new(),
                Bytes::from(vec![7u8; 300]),
            ],
        }),
    ];
    for (seq, part) in parts.iter().enumerate() {
        assert_eq!(&round_trip(part), part);
        let msg = StreamMessage::new(
            StreamId::new(Bytes::from_static(b"s1")),
            seq as u64,
            StreamContent::Data(part.clone()),
        );
        assert_eq!(round_trip(&msg), msg);
    }
    let fin = StreamMessage::<ProposalPart>::new(
        StreamId::new(Bytes::from_static(b"s1")),
        3,
        StreamContent::Fin,
    );
    assert_eq!(round_trip(&fin), fin);
}

#[test]
fn wal_entries_and_certificates_round_trip() {
    let value = ProposedValue::<Ctx> {
        height: Height::new(9),
        round: Round::new(0),
        valid_round: Round::Nil,
        proposer: addr(),
        value: block(),
        validity: Validity::Valid,
    };
    assert_eq!(round_trip(&value), value);

    let polka = PolkaCertificate::<Ctx> {
        height: Height::new(9),
        round: Round::new(1),
        value_id: block(),
        polka_signatures: vec![PolkaSignature::new(addr(), key().sign(b"a"))],
    };
    assert_eq!(round_trip(&polka), polka);
    assert_eq!(
        round_trip(&LivenessMsg::PolkaCertificate(polka.clone())),
        LivenessMsg::PolkaCertificate(polka)
    );

    let skip = RoundCertificate::<Ctx> {
        height: Height::new(9),
        round: Round::new(4),
        cert_type: RoundCertificateType::Skip,
        round_signatures: vec![
            RoundSignature::new(VoteType::Prevote, NilOrVal::Nil, addr(), key().sign(b"b")),
            RoundSignature::new(
                VoteType::Precommit,
                NilOrVal::Val(block()),
                addr(),
                key().sign(b"c"),
            ),
        ],
    };
    let msg = LivenessMsg::SkipRoundCertificate(skip);
    assert_eq!(round_trip(&msg), msg);

    let proof = ValidatorProof::<Ctx>::new(vec![1; 32], vec![2; 38], key().sign(b"pov"));
    assert_eq!(round_trip(&proof), proof);
}

#[test]
fn synced_values_keep_every_extension() {
    let cert = ExtendedCommitCertificate::<Ctx> {
        height: Height::new(5),
        round: Round::new(0),
        value_id: block(),
        commit_signatures: vec![
            ExtendedCommitSignature::new(addr(), key().sign(b"x"), Some(extension(b"ext-1"))),
            ExtendedCommitSignature::new(addr(), key().sign(b"y"), None),
        ],
    };
    let response = Response::<Ctx>::ValueResponse(ValueResponse::new(
        Height::new(5),
        vec![RawDecidedValue::new(
            Bytes::from_static(b"block bytes"),
            cert.clone(),
        )],
    ));
    let Response::ValueResponse(back) = round_trip(&response);
    assert_eq!(back.values[0].certificate, cert);
    assert_eq!(
        back.values[0].certificate.commit_signatures[0]
            .extension
            .as_ref()
            .map(|e| e.message.clone()),
        Some(Bytes::from_static(b"ext-1"))
    );
    assert_eq!(
        wicas_consensus::certificate_in(&wicas_consensus::certificate_out(&cert)).unwrap(),
        cert
    );

    let request = Request::<Ctx>::ValueRequest(ValueRequest::new(Height::new(2)..=Height::new(8)));
    assert_eq!(round_trip(&request), request);

    let status = Status::<Ctx> {
        peer_id: PeerId::from_bytes(
            &Keypair::ed25519_from_bytes([7u8; 32])
                .unwrap()
                .public()
                .to_peer_id()
                .to_bytes(),
        )
        .unwrap(),
        tip_height: Height::new(12),
        history_min_height: Height::new(1),
    };
    let back: Status<Ctx> = round_trip(&status);
    assert_eq!(
        (back.peer_id, back.tip_height, back.history_min_height),
        (status.peer_id, status.tip_height, status.history_min_height)
    );
}

#[test]
fn malformed_bytes_are_typed_errors() {
    let codec = ProtobufCodec;
    let good = codec
        .encode(&SignedConsensusMsg::<Ctx>::Vote(precommit_with_extension()))
        .unwrap();
    let truncated = good.slice(..good.len() - 3);
    let r: Result<SignedConsensusMsg<Ctx>, _> = codec.decode(truncated);
    assert!(r.is_err());

    // A 19-byte address inside a Fin-less Init part.
    let init = ProposalPart::Init(ProposalInit {
        height: Height::new(1),
        round: Round::new(0),
        pol_round: Round::Nil,
        proposer: addr(),
        block: block(),
    });
    let mut bytes = codec.encode(&init).unwrap().to_vec();
    let pos = bytes
        .windows(20)
        .position(|w| w == addr().as_bytes())
        .unwrap();
    bytes[pos - 1] = 19; // shorten the length prefix of the address field
    bytes.remove(pos + 19);
    let r: Result<ProposalPart, _> = codec.decode(Bytes::from(bytes));
    assert!(
        matches!(r, Err(CodecError::Key(_)) | Err(CodecError::Decode(_))),
        "{r:?}"
    );

    // vote_type = 7 (field 1 varint inside the vote message).
    let nil = SignedMessage::new(
        Vote::new(
            VoteType::Precommit,
            Height::new(1),
            Round::new(0),
            NilOrVal::Nil,
            addr(),
        ),
        key().sign(b"n"),
    );
    let mut bytes = codec
        .encode(&SignedConsensusMsg::<Ctx>::Vote(nil))
        .unwrap()
        .to_vec();
    let pos = bytes.windows(2).position(|w| w == [0x08, 0x01]).unwrap();
    bytes[pos + 1] = 7;
    let r: Result<SignedConsensusMsg<Ctx>, _> = codec.decode(Bytes::from(bytes));
    assert!(matches!(r, Err(CodecError::Invalid("vote_type"))), "{r:?}");

    // fin = false: encode a stream Fin and flip its bool.
    let fin =
        StreamMessage::<ProposalPart>::new(StreamId::new(Bytes::new()), 0, StreamContent::Fin);
    let mut bytes = codec.encode(&fin).unwrap().to_vec();
    let last = bytes.len() - 1;
    bytes[last] = 0;
    let r: Result<StreamMessage<ProposalPart>, _> = codec.decode(Bytes::from(bytes));
    assert!(matches!(r, Err(CodecError::Invalid("fin"))), "{r:?}");

    // Reversed range: from 8 to 2 (fields 1 and 2 as varints).
    let r: Result<Request<Ctx>, _> = codec.decode(Bytes::from_static(&[0x08, 8, 0x10, 2]));
    assert!(matches!(r, Err(CodecError::Invalid("range"))), "{r:?}");

    // A gossiped batch over the tx count limit.
    let big = ProposalPart::Txs(TxBatch {
        txs: vec![Bytes::from_static(b"t"); wicas_consensus::MAX_GOSSIP_BATCH_TXS + 1],
    });
    let r: Result<ProposalPart, _> = codec.decode(codec.encode(&big).unwrap());
    assert!(matches!(r, Err(CodecError::Invalid(_))), "{r:?}");

    // A certificate with no round.
    let r = wicas_consensus::certificate_in(&[0x08, 5]);
    assert!(matches!(r, Err(CodecError::Missing(_))), "{r:?}");
}
