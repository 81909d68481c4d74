//! The wire schema, as prost messages (hand-written; the `.proto` equivalent is in each doc).
//!
//! Field numbers are part of the protocol: never reuse or renumber them. Block ids and times
//! reuse CometBFT's `tendermint.types.BlockID` and `google.protobuf.Timestamp`.

#![allow(missing_docs)] // reason: each message mirrors the domain type named in its doc.

use tendermint_proto::google::protobuf::Timestamp;
use tendermint_proto::v0_38::types::BlockId;

/// `BlockRef`: block id + header time.
#[derive(Clone, PartialEq, prost::Message)]
pub struct BlockRef {
    #[prost(message, optional, tag = "1")]
    pub block_id: Option<BlockId>,
    #[prost(message, optional, tag = "2")]
    pub time: Option<Timestamp>,
}

/// A signed vote extension.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SignedExtension {
    #[prost(bytes = "bytes", tag = "1")]
    pub extension: bytes::Bytes,
    #[prost(bytes = "vec", tag = "2")]
    pub signature: Vec<u8>,
}

/// `Vote` (vote_type: 0 prevote, 1 precommit; round absent = nil; value absent = nil).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Vote {
    #[prost(uint32, tag = "1")]
    pub vote_type: u32,
    #[prost(uint64, tag = "2")]
    pub height: u64,
    #[prost(uint32, optional, tag = "3")]
    pub round: Option<u32>,
    #[prost(message, optional, tag = "4")]
    pub value: Option<BlockRef>,
    #[prost(bytes = "vec", tag = "5")]
    pub validator: Vec<u8>,
    #[prost(message, optional, tag = "6")]
    pub extension: Option<SignedExtension>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct SignedVote {
    #[prost(message, optional, tag = "1")]
    pub vote: Option<Vote>,
    #[prost(bytes = "vec", tag = "2")]
    pub signature: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Proposal {
    #[prost(uint64, tag = "1")]
    pub height: u64,
    #[prost(uint32, optional, tag = "2")]
    pub round: Option<u32>,
    #[prost(message, optional, tag = "3")]
    pub value: Option<BlockRef>,
    #[prost(uint32, optional, tag = "4")]
    pub pol_round: Option<u32>,
    #[prost(bytes = "vec", tag = "5")]
    pub proposer: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct SignedProposal {
    #[prost(message, optional, tag = "1")]
    pub proposal: Option<Proposal>,
    #[prost(bytes = "vec", tag = "2")]
    pub signature: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct SignedConsensusMsg {
    #[prost(oneof = "signed_consensus_msg::Msg", tags = "1, 2")]
    pub msg: Option<signed_consensus_msg::Msg>,
}

pub mod signed_consensus_msg {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Msg {
        #[prost(message, tag = "1")]
        Vote(super::SignedVote),
        #[prost(message, tag = "2")]
        Proposal(super::SignedProposal),
    }
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ProposalInit {
    #[prost(uint64, tag = "1")]
    pub height: u64,
    #[prost(uint32, optional, tag = "2")]
    pub round: Option<u32>,
    #[prost(uint32, optional, tag = "3")]
    pub pol_round: Option<u32>,
    #[prost(bytes = "vec", tag = "4")]
    pub proposer: Vec<u8>,
    #[prost(message, optional, tag = "5")]
    pub block: Option<BlockRef>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PartData {
    #[prost(uint32, tag = "1")]
    pub index: u32,
    #[prost(bytes = "bytes", tag = "2")]
    pub bytes: bytes::Bytes,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ProposalFin {
    #[prost(bytes = "vec", tag = "1")]
    pub signature: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct TxBatch {
    #[prost(bytes = "bytes", repeated, tag = "1")]
    pub txs: Vec<bytes::Bytes>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ProposalPart {
    #[prost(oneof = "proposal_part::Part", tags = "1, 2, 3, 4")]
    pub part: Option<proposal_part::Part>,
}

pub mod proposal_part {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Part {
        #[prost(message, tag = "1")]
        Init(super::ProposalInit),
        #[prost(message, tag = "2")]
        Data(super::PartData),
        #[prost(message, tag = "3")]
        Fin(super::ProposalFin),
        #[prost(message, tag = "4")]
        Txs(super::TxBatch),
    }
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct StreamMessage {
    #[prost(bytes = "bytes", tag = "1")]
    pub stream_id: bytes::Bytes,
    #[prost(uint64, tag = "2")]
    pub sequence: u64,
    #[prost(oneof = "stream_message::Content", tags = "3, 4")]
    pub content: Option<stream_message::Content>,
}

pub mod stream_message {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Content {
        #[prost(message, tag = "3")]
        Data(super::ProposalPart),
        #[prost(bool, tag = "4")]
        Fin(bool),
    }
}

/// An address + signature (commit and polka certificates).
#[derive(Clone, PartialEq, prost::Message)]
pub struct AddressSignature {
    #[prost(bytes = "vec", tag = "1")]
    pub address: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    pub signature: Vec<u8>,
    #[prost(message, optional, tag = "3")]
    pub extension: Option<SignedExtension>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Certificate {
    #[prost(uint64, tag = "1")]
    pub height: u64,
    #[prost(uint32, optional, tag = "2")]
    pub round: Option<u32>,
    #[prost(message, optional, tag = "3")]
    pub value_id: Option<BlockRef>,
    #[prost(message, repeated, tag = "4")]
    pub signatures: Vec<AddressSignature>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct RoundSignature {
    #[prost(uint32, tag = "1")]
    pub vote_type: u32,
    #[prost(message, optional, tag = "2")]
    pub value_id: Option<BlockRef>,
    #[prost(bytes = "vec", tag = "3")]
    pub address: Vec<u8>,
    #[prost(bytes = "vec", tag = "4")]
    pub signature: Vec<u8>,
}

/// `RoundCertificate` (cert_type: 0 skip, 1 precommit).
#[derive(Clone, PartialEq, prost::Message)]
pub struct RoundCertificate {
    #[prost(uint64, tag = "1")]
    pub height: u64,
    #[prost(uint32, optional, tag = "2")]
    pub round: Option<u32>,
    #[prost(uint32, tag = "3")]
    pub cert_type: u32,
    #[prost(message, repeated, tag = "4")]
    pub signatures: Vec<RoundSignature>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct LivenessMsg {
    #[prost(oneof = "liveness_msg::Msg", tags = "1, 2, 3")]
    pub msg: Option<liveness_msg::Msg>,
}

pub mod liveness_msg {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Msg {
        #[prost(message, tag = "1")]
        Vote(super::SignedVote),
        #[prost(message, tag = "2")]
        Polka(super::Certificate),
        #[prost(message, tag = "3")]
        SkipRound(super::RoundCertificate),
    }
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ValidatorProof {
    #[prost(bytes = "vec", tag = "1")]
    pub public_key: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    pub peer_id: Vec<u8>,
    #[prost(bytes = "vec", tag = "3")]
    pub signature: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ProposedValue {
    #[prost(uint64, tag = "1")]
    pub height: u64,
    #[prost(uint32, optional, tag = "2")]
    pub round: Option<u32>,
    #[prost(uint32, optional, tag = "3")]
    pub valid_round: Option<u32>,
    #[prost(bytes = "vec", tag = "4")]
    pub proposer: Vec<u8>,
    #[prost(message, optional, tag = "5")]
    pub value: Option<BlockRef>,
    #[prost(bool, tag = "6")]
    pub valid: bool,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct SyncStatus {
    #[prost(bytes = "vec", tag = "1")]
    pub peer_id: Vec<u8>,
    #[prost(uint64, tag = "2")]
    pub tip_height: u64,
    #[prost(uint64, tag = "3")]
    pub history_min_height: u64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct SyncValueRequest {
    #[prost(uint64, tag = "1")]
    pub from_height: u64,
    #[prost(uint64, tag = "2")]
    pub to_height: u64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct RawDecidedValue {
    #[prost(bytes = "bytes", tag = "1")]
    pub value_bytes: bytes::Bytes,
    #[prost(message, optional, tag = "2")]
    pub certificate: Option<Certificate>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct SyncValueResponse {
    #[prost(uint64, tag = "1")]
    pub start_height: u64,
    #[prost(message, repeated, tag = "2")]
    pub values: Vec<RawDecidedValue>,
}

/// A decided height in the block store.
#[derive(Clone, PartialEq, prost::Message)]
pub struct StoredDecided {
    #[prost(bytes = "vec", tag = "1")]
    pub block_bytes: Vec<u8>,
    #[prost(message, optional, tag = "2")]
    pub certificate: Option<Certificate>,
    #[prost(bytes = "vec", tag = "3")]
    pub results_hash: Vec<u8>,
}

/// A pending (undecided) proposal in the block store.
#[derive(Clone, PartialEq, prost::Message)]
pub struct StoredPending {
    #[prost(message, optional, tag = "1")]
    pub proposed: Option<ProposedValue>,
    #[prost(bytes = "vec", tag = "2")]
    pub block_bytes: Vec<u8>,
}
