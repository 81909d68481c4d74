//! Domain ⇄ wire conversions. Decoding checks every field (lengths, required fields, enum
//! values) and reports the first problem as a [`CodecError`].

use malachitebft_app_channel::app::types::core::{
    self as mc, NilOrVal, PolkaCertificate, PolkaSignature, Round, RoundCertificate,
    RoundCertificateType, RoundSignature, SignedMessage, VoteType,
};
use tendermint_proto::google::protobuf::Timestamp;
use tendermint_proto::v0_38::types::BlockId as RawBlockId;

use super::CodecError;
use super::proto as pb;
use crate::block_ref::BlockRef;
use crate::context::{
    Height, PartData, Proposal, ProposalFin, ProposalInit, ProposalPart, TxBatch, Vote,
    WicasContext,
};
use crate::host::MAX_GOSSIP_BATCH_TXS;
use crate::keys::{Address, Signature};

pub type SignedExtension = mc::SignedExtension<WicasContext>;
pub type SignedVote = mc::SignedVote<WicasContext>;
pub type SignedProposal = mc::SignedProposal<WicasContext>;

pub fn round_out(round: Round) -> Option<u32> {
    round.as_u32()
}

pub fn round_in(round: Option<u32>) -> Round {
    match round {
        Some(r) => Round::new(r),
        None => Round::Nil,
    }
}

/// A round that must be defined (votes, proposals, certificates).
pub fn defined_round(round: Option<u32>, what: &'static str) -> Result<Round, CodecError> {
    round.map(Round::new).ok_or(CodecError::Missing(what))
}

pub fn address_in(bytes: &[u8]) -> Result<Address, CodecError> {
    Ok(Address::from_bytes(bytes)?)
}

pub fn signature_in(bytes: &[u8]) -> Result<Signature, CodecError> {
    Ok(Signature::from_bytes(bytes)?)
}

pub fn block_ref_out(b: &BlockRef) -> pb::BlockRef {
    pb::BlockRef {
        block_id: Some(RawBlockId::from(b.block_id)),
        time: Some(Timestamp::from(b.time)),
    }
}

pub fn block_ref_in(b: Option<pb::BlockRef>, what: &'static str) -> Result<BlockRef, CodecError> {
    let b = b.ok_or(CodecError::Missing(what))?;
    let block_id = b.block_id.ok_or(CodecError::Missing("block_id"))?;
    let time = b.time.ok_or(CodecError::Missing("time"))?;
    Ok(BlockRef {
        block_id: block_id
            .try_into()
            .map_err(|_| CodecError::Invalid("block_id"))?,
        time: time.try_into().map_err(|_| CodecError::Invalid("time"))?,
    })
}

pub fn vote_type_out(t: VoteType) -> u32 {
    match t {
        VoteType::Prevote => 0,
        VoteType::Precommit => 1,
    }
}

pub fn vote_type_in(t: u32) -> Result<VoteType, CodecError> {
    match t {
        0 => Ok(VoteType::Prevote),
        1 => Ok(VoteType::Precommit),
        _ => Err(CodecError::Invalid("vote_type")),
    }
}

fn nil_or_val_out(v: &NilOrVal<BlockRef>) -> Option<pb::BlockRef> {
    match v {
        NilOrVal::Nil => None,
        NilOrVal::Val(b) => Some(block_ref_out(b)),
    }
}

fn nil_or_val_in(v: Option<pb::BlockRef>) -> Result<NilOrVal<BlockRef>, CodecError> {
    match v {
        None => Ok(NilOrVal::Nil),
        Some(b) => Ok(NilOrVal::Val(block_ref_in(Some(b), "value")?)),
    }
}

pub fn extension_out(e: &SignedExtension) -> pb::SignedExtension {
    pb::SignedExtension {
        extension: e.message.clone(),
        signature: e.signature.as_bytes().to_vec(),
    }
}

pub fn extension_in(e: pb::SignedExtension) -> Result<SignedExtension, CodecError> {
    Ok(SignedMessage::new(e.extension, signature_in(&e.signature)?))
}

pub fn vote_out(v: &Vote) -> pb::Vote {
    pb::Vote {
        vote_type: vote_type_out(v.vote_type),
        height: v.height.as_u64(),
        round: round_out(v.round),
        value: nil_or_val_out(&v.value),
        validator: v.validator.as_bytes().to_vec(),
        extension: v.extension.as_ref().map(extension_out),
    }
}

pub fn vote_in(v: pb::Vote) -> Result<Vote, CodecError> {
    Ok(Vote {
        vote_type: vote_type_in(v.vote_type)?,
        height: Height::new(v.height),
        round: defined_round(v.round, "vote.round")?,
        value: nil_or_val_in(v.value)?,
        validator: address_in(&v.validator)?,
        extension: v.extension.map(extension_in).transpose()?,
    })
}

pub fn signed_vote_out(v: &SignedVote) -> pb::SignedVote {
    pb::SignedVote {
        vote: Some(vote_out(&v.message)),
        signature: v.signature.as_bytes().to_vec(),
    }
}

pub fn signed_vote_in(v: pb::SignedVote) -> Result<SignedVote, CodecError> {
    let vote = vote_in(v.vote.ok_or(CodecError::Missing("vote"))?)?;
    Ok(SignedMessage::new(vote, signature_in(&v.signature)?))
}

pub fn signed_proposal_out(p: &SignedProposal) -> pb::SignedProposal {
    let m = &p.message;
    pb::SignedProposal {
        proposal: Some(pb::Proposal {
            height: m.height.as_u64(),
            round: round_out(m.round),
            value: Some(block_ref_out(&m.value)),
            pol_round: round_out(m.pol_round),
            proposer: m.proposer.as_bytes().to_vec(),
        }),
        signature: p.signature.as_bytes().to_vec(),
    }
}

pub fn signed_proposal_in(p: pb::SignedProposal) -> Result<SignedProposal, CodecError> {
    let m = p.proposal.ok_or(CodecError::Missing("proposal"))?;
    let proposal = Proposal::new(
        Height::new(m.height),
        defined_round(m.round, "proposal.round")?,
        block_ref_in(m.value, "proposal.value")?,
        round_in(m.pol_round),
        address_in(&m.proposer)?,
    );
    Ok(SignedMessage::new(proposal, signature_in(&p.signature)?))
}

pub fn part_out(p: &ProposalPart) -> pb::ProposalPart {
    use pb::proposal_part::Part;
    let part = match p {
        ProposalPart::Init(i) => Part::Init(pb::ProposalInit {
            height: i.height.as_u64(),
            round: round_out(i.round),
            pol_round: round_out(i.pol_round),
            proposer: i.proposer.as_bytes().to_vec(),
            block: Some(block_ref_out(&i.block)),
        }),
        ProposalPart::Data(d) => Part::Data(pb::PartData {
            index: d.index,
            bytes: d.bytes.clone(),
        }),
        ProposalPart::Fin(f) => Part::Fin(pb::ProposalFin {
            signature: f.signature.as_bytes().to_vec(),
        }),
        ProposalPart::Txs(b) => Part::Txs(pb::TxBatch { txs: b.txs.clone() }),
    };
    pb::ProposalPart { part: Some(part) }
}

pub fn part_in(p: pb::ProposalPart) -> Result<ProposalPart, CodecError> {
    use pb::proposal_part::Part;
    Ok(match p.part.ok_or(CodecError::Missing("proposal_part"))? {
        Part::Init(i) => ProposalPart::Init(ProposalInit {
            height: Height::new(i.height),
            round: defined_round(i.round, "init.round")?,
            pol_round: round_in(i.pol_round),
            proposer: address_in(&i.proposer)?,
            block: block_ref_in(i.block, "init.block")?,
        }),
        Part::Data(d) => ProposalPart::Data(PartData {
            index: d.index,
            bytes: d.bytes,
        }),
        Part::Fin(f) => ProposalPart::Fin(ProposalFin {
            signature: signature_in(&f.signature)?,
        }),
        Part::Txs(b) => {
            if b.txs.len() > MAX_GOSSIP_BATCH_TXS {
                return Err(CodecError::Invalid("tx batch: too many txs"));
            }
            ProposalPart::Txs(TxBatch { txs: b.txs })
        }
    })
}

pub fn polka_out(c: &PolkaCertificate<WicasContext>) -> pb::Certificate {
    pb::Certificate {
        height: c.height.as_u64(),
        round: round_out(c.round),
        value_id: Some(block_ref_out(&c.value_id)),
        signatures: c
            .polka_signatures
            .iter()
            .map(|s| pb::AddressSignature {
                address: s.address.as_bytes().to_vec(),
                signature: s.signature.as_bytes().to_vec(),
                extension: None,
            })
            .collect(),
    }
}

pub fn polka_in(c: pb::Certificate) -> Result<PolkaCertificate<WicasContext>, CodecError> {
    let signatures = c
        .signatures
        .into_iter()
        .map(|s| {
            if s.extension.is_some() {
                return Err(CodecError::Invalid("polka signature with extension"));
            }
            Ok(PolkaSignature::new(
                address_in(&s.address)?,
                signature_in(&s.signature)?,
            ))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PolkaCertificate {
        height: Height::new(c.height),
        round: defined_round(c.round, "polka.round")?,
        value_id: block_ref_in(c.value_id, "polka.value_id")?,
        polka_signatures: signatures,
    })
}

pub fn round_cert_out(c: &RoundCertificate<WicasContext>) -> pb::RoundCertificate {
    pb::RoundCertificate {
        height: c.height.as_u64(),
        round: round_out(c.round),
        cert_type: match c.cert_type {
            RoundCertificateType::Skip => 0,
            RoundCertificateType::Precommit => 1,
        },
        signatures: c
            .round_signatures
            .iter()
            .map(|s| pb::RoundSignature {
                vote_type: vote_type_out(s.vote_type),
                value_id: nil_or_val_out(&s.value_id),
                address: s.address.as_bytes().to_vec(),
                signature: s.signature.as_bytes().to_vec(),
            })
            .collect(),
    }
}

pub fn round_cert_in(
    c: pb::RoundCertificate,
) -> Result<RoundCertificate<WicasContext>, CodecError> {
    let cert_type = match c.cert_type {
        0 => RoundCertificateType::Skip,
        1 => RoundCertificateType::Precommit,
        _ => return Err(CodecError::Invalid("cert_type")),
    };
    let signatures = c
        .signatures
        .into_iter()
        .map(|s| {
            Ok(RoundSignature::new(
                vote_type_in(s.vote_type)?,
                nil_or_val_in(s.value_id)?,
                address_in(&s.address)?,
                signature_in(&s.signature)?,
            ))
        })
        .collect::<Result<Vec<_>, CodecError>>()?;
    Ok(RoundCertificate {
        height: Height::new(c.height),
        round: defined_round(c.round, "round_certificate.round")?,
        cert_type,
        round_signatures: signatures,
    })
}
