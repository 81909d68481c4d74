//! Protobuf codecs for everything malachite persists or sends: the WAL, the consensus network
//! (votes, proposals, proposal parts, liveness certificates, validator proofs) and sync (status,
//! requests, decided values with their extended commit certificates).
//!
//! One codec, [`ProtobufCodec`], serves all three. Every message round-trips exactly, vote
//! extensions included (DESIGN.md §6: an upstream test codec silently dropped them).

mod convert;
mod proto;

use bytes::Bytes;
use malachitebft_app_channel::app::consensus::LivenessMsg;
use malachitebft_app_channel::app::streaming::{StreamContent, StreamId, StreamMessage};
use malachitebft_app_channel::app::types::codec::{Codec, HasEncodedLen};
use malachitebft_app_channel::app::types::core::{
    ExtendedCommitCertificate, ExtendedCommitSignature, ValidatorProof, Validity,
};
use malachitebft_app_channel::app::types::{PeerId, ProposedValue, SignedConsensusMsg};
use malachitebft_sync::{RawDecidedValue, Request, Response, Status, ValueRequest, ValueResponse};
use prost::Message;

use crate::context::{Height, ProposalPart, WicasContext};
use crate::error::KeyError;
use convert::*;

/// Why bytes could not be decoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodecError {
    /// Not valid protobuf for the expected message.
    #[error("protobuf: {0}")]
    Decode(#[from] prost::DecodeError),
    /// A required field is absent.
    #[error("missing field {0}")]
    Missing(&'static str),
    /// A field holds a value out of its domain.
    #[error("invalid field {0}")]
    Invalid(&'static str),
    /// A key, address or signature of the wrong shape.
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// The wicas protobuf codec (WAL, network and sync).
#[derive(Clone, Copy, Debug, Default)]
pub struct ProtobufCodec;

type Ctx = WicasContext;

fn decode<M: Message + Default>(bytes: Bytes) -> Result<M, CodecError> {
    Ok(M::decode(bytes)?)
}

fn encode<M: Message>(msg: &M) -> Result<Bytes, CodecError> {
    Ok(Bytes::from(msg.encode_to_vec()))
}

impl Codec<ProposalPart> for ProtobufCodec {
    type Error = CodecError;

    fn decode(&self, bytes: Bytes) -> Result<ProposalPart, CodecError> {
        part_in(decode(bytes)?)
    }

    fn encode(&self, msg: &ProposalPart) -> Result<Bytes, CodecError> {
        encode(&part_out(msg))
    }
}

fn consensus_msg_out(msg: &SignedConsensusMsg<Ctx>) -> proto::SignedConsensusMsg {
    use proto::signed_consensus_msg::Msg;
    proto::SignedConsensusMsg {
        msg: Some(match msg {
            SignedConsensusMsg::Vote(v) => Msg::Vote(signed_vote_out(v)),
            SignedConsensusMsg::Proposal(p) => Msg::Proposal(signed_proposal_out(p)),
        }),
    }
}

fn consensus_msg_in(msg: proto::SignedConsensusMsg) -> Result<SignedConsensusMsg<Ctx>, CodecError> {
    use proto::signed_consensus_msg::Msg;
    Ok(match msg.msg.ok_or(CodecError::Missing("msg"))? {
        Msg::Vote(v) => SignedConsensusMsg::Vote(signed_vote_in(v)?),
        Msg::Proposal(p) => SignedConsensusMsg::Proposal(signed_proposal_in(p)?),
    })
}

impl Codec<SignedConsensusMsg<Ctx>> for ProtobufCodec {
    type Error = CodecError;

    fn decode(&self, bytes: Bytes) -> Result<SignedConsensusMsg<Ctx>, CodecError> {
        consensus_msg_in(decode(bytes)?)
    }

    fn encode(&self, msg: &SignedConsensusMsg<Ctx>) -> Result<Bytes, CodecError> {
        encode(&consensus_msg_out(msg))
    }
}

impl Codec<LivenessMsg<Ctx>> for ProtobufCodec {
    type Error = CodecError;

    fn decode(&self, bytes: Bytes) -> Result<LivenessMsg<Ctx>, CodecError> {
        use proto::liveness_msg::Msg;
        let msg: proto::LivenessMsg = decode(bytes)?;
        Ok(match msg.msg.ok_or(CodecError::Missing("msg"))? {
            Msg::Vote(v) => LivenessMsg::Vote(signed_vote_in(v)?),
            Msg::Polka(c) => LivenessMsg::PolkaCertificate(polka_in(c)?),
            Msg::SkipRound(c) => LivenessMsg::SkipRoundCertificate(round_cert_in(c)?),
        })
    }

    fn encode(&self, msg: &LivenessMsg<Ctx>) -> Result<Bytes, CodecError> {
        use proto::liveness_msg::Msg;
        let msg = match msg {
            LivenessMsg::Vote(v) => Msg::Vote(signed_vote_out(v)),
            LivenessMsg::PolkaCertificate(c) => Msg::Polka(polka_out(c)),
            LivenessMsg::SkipRoundCertificate(c) => Msg::SkipRound(round_cert_out(c)),
        };
        encode(&proto::LivenessMsg { msg: Some(msg) })
    }
}

impl Codec<StreamMessage<ProposalPart>> for ProtobufCodec {
    type Error = CodecError;

    fn decode(&self, bytes: Bytes) -> Result<StreamMessage<ProposalPart>, CodecError> {
        use proto::stream_message::Content;
        let msg: proto::StreamMessage = decode(bytes)?;
        let content = match msg.content.ok_or(CodecError::Missing("content"))? {
            Content::Data(p) => StreamContent::Data(part_in(p)?),
            Content::Fin(true) => StreamContent::Fin,
            Content::Fin(false) => return Err(CodecError::Invalid("fin")),
        };
        Ok(StreamMessage::new(
            StreamId::new(msg.stream_id),
            msg.sequence,
            content,
        ))
    }

    fn encode(&self, msg: &StreamMessage<ProposalPart>) -> Result<Bytes, CodecError> {
        use proto::stream_message::Content;
        let content = match &msg.content {
            StreamContent::Data(p) => Content::Data(part_out(p)),
            StreamContent::Fin => Content::Fin(true),
        };
        encode(&proto::StreamMessage {
            stream_id: msg.stream_id.to_bytes(),
            sequence: msg.sequence,
            content: Some(content),
        })
    }
}

impl Codec<ValidatorProof<Ctx>> for ProtobufCodec {
    type Error = CodecError;

    fn decode(&self, bytes: Bytes) -> Result<ValidatorProof<Ctx>, CodecError> {
        let p: proto::ValidatorProof = decode(bytes)?;
        Ok(ValidatorProof::new(
            p.public_key,
            p.peer_id,
            signature_in(&p.signature)?,
        ))
    }

    fn encode(&self, msg: &ValidatorProof<Ctx>) -> Result<Bytes, CodecError> {
        encode(&proto::ValidatorProof {
            public_key: msg.public_key.clone(),
            peer_id: msg.peer_id.clone(),
            signature: msg.signature.as_bytes().to_vec(),
        })
    }
}

impl Codec<ProposedValue<Ctx>> for ProtobufCodec {
    type Error = CodecError;

    fn decode(&self, bytes: Bytes) -> Result<ProposedValue<Ctx>, CodecError> {
        proposed_value_in(decode(bytes)?)
    }

    fn encode(&self, msg: &ProposedValue<Ctx>) -> Result<Bytes, CodecError> {
        encode(&proposed_value_out(msg))
    }
}

impl Codec<malachitebft_app_channel::app::types::core::PolkaCertificate<Ctx>> for ProtobufCodec {
    type Error = CodecError;

    fn decode(
        &self,
        bytes: Bytes,
    ) -> Result<malachitebft_app_channel::app::types::core::PolkaCertificate<Ctx>, CodecError> {
        polka_in(decode(bytes)?)
    }

    fn encode(
        &self,
        msg: &malachitebft_app_channel::app::types::core::PolkaCertificate<Ctx>,
    ) -> Result<Bytes, CodecError> {
        encode(&polka_out(msg))
    }
}

/// Wire form of an extended commit certificate (what sync sends with each decided block).
pub fn certificate_out(c: &ExtendedCommitCertificate<Ctx>) -> Vec<u8> {
    extended_cert_out(c).encode_to_vec()
}

/// Decodes [`certificate_out`]'s bytes (the block store keeps certificates in this form).
pub fn certificate_in(bytes: &[u8]) -> Result<ExtendedCommitCertificate<Ctx>, CodecError> {
    extended_cert_in(proto::Certificate::decode(bytes)?)
}

fn extended_cert_out(c: &ExtendedCommitCertificate<Ctx>) -> proto::Certificate {
    proto::Certificate {
        height: c.height.as_u64(),
        round: round_out(c.round),
        value_id: Some(block_ref_out(&c.value_id)),
        signatures: c
            .commit_signatures
            .iter()
            .map(|s| proto::AddressSignature {
                address: s.address.as_bytes().to_vec(),
                signature: s.signature.as_bytes().to_vec(),
                extension: s.extension.as_ref().map(extension_out),
            })
            .collect(),
    }
}

fn extended_cert_in(c: proto::Certificate) -> Result<ExtendedCommitCertificate<Ctx>, CodecError> {
    let signatures = c
        .signatures
        .into_iter()
        .map(|s| {
            Ok(ExtendedCommitSignature::new(
                address_in(&s.address)?,
                signature_in(&s.signature)?,
                s.extension.map(extension_in).transpose()?,
            ))
        })
        .collect::<Result<Vec<_>, CodecError>>()?;
    Ok(ExtendedCommitCertificate {
        height: Height::new(c.height),
        round: defined_round(c.round, "certificate.round")?,
        value_id: block_ref_in(c.value_id, "certificate.value_id")?,
        commit_signatures: signatures,
    })
}

impl Codec<Status<Ctx>> for ProtobufCodec {
    type Error = CodecError;

    fn decode(&self, bytes: Bytes) -> Result<Status<Ctx>, CodecError> {
        let s: proto::SyncStatus = decode(bytes)?;
        Ok(Status {
            peer_id: PeerId::from_bytes(&s.peer_id).map_err(|_| CodecError::Invalid("peer_id"))?,
            tip_height: Height::new(s.tip_height),
            history_min_height: Height::new(s.history_min_height),
        })
    }

    fn encode(&self, msg: &Status<Ctx>) -> Result<Bytes, CodecError> {
        encode(&proto::SyncStatus {
            peer_id: msg.peer_id.to_bytes(),
            tip_height: msg.tip_height.as_u64(),
            history_min_height: msg.history_min_height.as_u64(),
        })
    }
}

impl Codec<Request<Ctx>> for ProtobufCodec {
    type Error = CodecError;

    fn decode(&self, bytes: Bytes) -> Result<Request<Ctx>, CodecError> {
        let r: proto::SyncValueRequest = decode(bytes)?;
        if r.from_height > r.to_height {
            return Err(CodecError::Invalid("range"));
        }
        Ok(Request::ValueRequest(ValueRequest::new(
            Height::new(r.from_height)..=Height::new(r.to_height),
        )))
    }

    fn encode(&self, msg: &Request<Ctx>) -> Result<Bytes, CodecError> {
        let Request::ValueRequest(r) = msg;
        encode(&proto::SyncValueRequest {
            from_height: r.range.start().as_u64(),
            to_height: r.range.end().as_u64(),
        })
    }
}

fn response_out(msg: &Response<Ctx>) -> proto::SyncValueResponse {
    let Response::ValueResponse(r) = msg;
    proto::SyncValueResponse {
        start_height: r.start_height.as_u64(),
        values: r
            .values
            .iter()
            .map(|v| proto::RawDecidedValue {
                value_bytes: v.value_bytes.clone(),
                certificate: Some(extended_cert_out(&v.certificate)),
            })
            .collect(),
    }
}

impl Codec<Response<Ctx>> for ProtobufCodec {
    type Error = CodecError;

    fn decode(&self, bytes: Bytes) -> Result<Response<Ctx>, CodecError> {
        let r: proto::SyncValueResponse = decode(bytes)?;
        let values = r
            .values
            .into_iter()
            .map(|v| {
                let cert = v.certificate.ok_or(CodecError::Missing("certificate"))?;
                Ok(RawDecidedValue::new(v.value_bytes, extended_cert_in(cert)?))
            })
            .collect::<Result<Vec<_>, CodecError>>()?;
        Ok(Response::ValueResponse(ValueResponse::new(
            Height::new(r.start_height),
            values,
        )))
    }

    fn encode(&self, msg: &Response<Ctx>) -> Result<Bytes, CodecError> {
        encode(&response_out(msg))
    }
}

impl HasEncodedLen<Response<Ctx>> for ProtobufCodec {
    fn encoded_len(&self, msg: &Response<Ctx>) -> Result<usize, CodecError> {
        Ok(response_out(msg).encoded_len())
    }
}

/// Store encoding of a decided block (block bytes, extended certificate, results hash).
pub fn decided_out(d: &crate::host::DecidedBlock) -> Vec<u8> {
    proto::StoredDecided {
        block_bytes: d.block_bytes.clone(),
        certificate: Some(extended_cert_out(&d.certificate)),
        results_hash: d.results_hash.as_bytes().to_vec(),
    }
    .encode_to_vec()
}

/// Decodes [`decided_out`]'s bytes.
pub fn decided_in(bytes: &[u8]) -> Result<crate::host::DecidedBlock, CodecError> {
    let d = proto::StoredDecided::decode(bytes)?;
    let certificate = extended_cert_in(d.certificate.ok_or(CodecError::Missing("certificate"))?)?;
    let results_hash =
        tendermint::Hash::from_bytes(tendermint::hash::Algorithm::Sha256, &d.results_hash)
            .map_err(|_| CodecError::Invalid("results_hash"))?;
    Ok(crate::host::DecidedBlock {
        block_bytes: d.block_bytes,
        certificate,
        results_hash,
    })
}

/// Store encoding of a pending proposal: its `ProposedValue` and the block bytes.
pub fn pending_out(proposed: &ProposedValue<Ctx>, block_bytes: &[u8]) -> Vec<u8> {
    proto::StoredPending {
        proposed: Some(proposed_value_out(proposed)),
        block_bytes: block_bytes.to_vec(),
    }
    .encode_to_vec()
}

/// Decodes [`pending_out`]'s bytes.
pub fn pending_in(bytes: &[u8]) -> Result<(ProposedValue<Ctx>, Vec<u8>), CodecError> {
    let p = proto::StoredPending::decode(bytes)?;
    let proposed = proposed_value_in(p.proposed.ok_or(CodecError::Missing("proposed"))?)?;
    Ok((proposed, p.block_bytes))
}

fn proposed_value_out(msg: &ProposedValue<Ctx>) -> proto::ProposedValue {
    proto::ProposedValue {
        height: msg.height.as_u64(),
        round: round_out(msg.round),
        valid_round: round_out(msg.valid_round),
        proposer: msg.proposer.as_bytes().to_vec(),
        value: Some(block_ref_out(&msg.value)),
        valid: msg.validity.is_valid(),
    }
}

fn proposed_value_in(v: proto::ProposedValue) -> Result<ProposedValue<Ctx>, CodecError> {
    Ok(ProposedValue {
        height: Height::new(v.height),
        round: defined_round(v.round, "proposed_value.round")?,
        valid_round: round_in(v.valid_round),
        proposer: address_in(&v.proposer)?,
        value: block_ref_in(v.value, "proposed_value.value")?,
        validity: Validity::from_bool(v.valid),
    })
}
