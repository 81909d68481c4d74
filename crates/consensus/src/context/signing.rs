//! ed25519 signing for malachite: the scheme, a signer (validator key) and a verifier.
//!
//! Everything is signed over CometBFT's canonical encodings ([`crate::sign_bytes`]), so that
//! what malachite collects as a commit certificate is a valid CometBFT commit.

use async_trait::async_trait;
use malachitebft_app_channel::app::types::core::{
    self as mc, NilOrVal, SignedMessage, ValidatorProof, VoteExtensionScope, VoteType,
};
use malachitebft_signing::{Error as SigningError, Signer, VerificationResult, Verifier};
use tendermint::chain::Id as ChainId;

use super::{Proposal, Vote, WicasContext};
use crate::error::{KeyError, SignBytesError};
use crate::keys::{PrivateKey, PublicKey, Signature};
use crate::sign_bytes::{
    VoteKind, proposal_sign_bytes, vote_extension_sign_bytes, vote_sign_bytes,
};

/// The ed25519 signing scheme (keys and signatures of [`crate::keys`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ed25519;

impl mc::SigningScheme for Ed25519 {
    type DecodingError = KeyError;
    type Signature = Signature;
    type PublicKey = PublicKey;
    type PrivateKey = PrivateKey;

    fn decode_signature(bytes: &[u8]) -> Result<Signature, KeyError> {
        Signature::from_bytes(bytes)
    }

    fn encode_signature(signature: &Signature) -> Vec<u8> {
        signature.as_bytes().to_vec()
    }

    fn decode_public_key(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        PublicKey::from_bytes(bytes)
    }

    fn encode_public_key(public_key: &PublicKey) -> Vec<u8> {
        public_key.to_bytes().to_vec()
    }
}

/// CometBFT sign bytes of a malachite vote.
pub fn vote_bytes(chain_id: &ChainId, vote: &Vote) -> Result<Vec<u8>, SignBytesError> {
    let kind = match vote.vote_type {
        VoteType::Prevote => VoteKind::Prevote,
        VoteType::Precommit => VoteKind::Precommit,
    };
    let block = match &vote.value {
        NilOrVal::Nil => None,
        NilOrVal::Val(b) => Some(b),
    };
    vote_sign_bytes(
        chain_id,
        kind,
        vote.height.as_u64(),
        round_u32(vote.round)?,
        block,
        &vote.validator,
    )
}

/// CometBFT sign bytes of a malachite proposal.
pub fn proposal_bytes(chain_id: &ChainId, p: &Proposal) -> Result<Vec<u8>, SignBytesError> {
    proposal_sign_bytes(
        chain_id,
        p.height.as_u64(),
        round_u32(p.round)?,
        p.pol_round.as_u32(),
        &p.value,
    )
}

/// CometBFT sign bytes of a vote extension in its scope. The scope's value and validator are
/// bound by the precommit signature next to it, as in CometBFT (see docs/decisions/0601).
pub fn extension_bytes(
    chain_id: &ChainId,
    scope: &VoteExtensionScope<WicasContext>,
    extension: &[u8],
) -> Result<Vec<u8>, SignBytesError> {
    vote_extension_sign_bytes(
        chain_id,
        scope.height.as_u64(),
        round_u32(scope.round)?,
        extension,
    )
}

fn round_u32(round: mc::Round) -> Result<u32, SignBytesError> {
    // A signed vote or proposal always has a defined round; `Nil` cannot be encoded.
    round
        .as_u32()
        .ok_or(SignBytesError::RoundOutOfRange { round: u32::MAX })
}

fn signing_error(e: SignBytesError) -> SigningError {
    SigningError::from_source(e)
}

/// Signs and verifies for one validator key on one chain.
#[derive(Clone, Debug)]
pub struct Ed25519Provider {
    chain_id: ChainId,
    key: PrivateKey,
}

impl Ed25519Provider {
    /// A provider signing with `key` on `chain_id`.
    pub fn new(chain_id: ChainId, key: PrivateKey) -> Self {
        Self { chain_id, key }
    }

    fn sign_bytes(
        &self,
        bytes: Result<Vec<u8>, SignBytesError>,
    ) -> Result<Signature, SigningError> {
        bytes.map(|b| self.key.sign(&b)).map_err(signing_error)
    }
}

fn check(
    bytes: Result<Vec<u8>, SignBytesError>,
    signature: &Signature,
    key: &PublicKey,
) -> Result<VerificationResult, SigningError> {
    let bytes = bytes.map_err(signing_error)?;
    Ok(VerificationResult::from_bool(key.verify(&bytes, signature)))
}

#[async_trait]
impl Signer<WicasContext> for Ed25519Provider {
    async fn sign_vote(
        &self,
        vote: Vote,
    ) -> Result<SignedMessage<WicasContext, Vote>, SigningError> {
        let signature = self.sign_bytes(vote_bytes(&self.chain_id, &vote))?;
        Ok(SignedMessage::new(vote, signature))
    }

    async fn sign_proposal(
        &self,
        proposal: Proposal,
    ) -> Result<SignedMessage<WicasContext, Proposal>, SigningError> {
        let signature = self.sign_bytes(proposal_bytes(&self.chain_id, &proposal))?;
        Ok(SignedMessage::new(proposal, signature))
    }

    async fn sign_vote_extension(
        &self,
        scope: VoteExtensionScope<WicasContext>,
        extension: bytes::Bytes,
    ) -> Result<SignedMessage<WicasContext, bytes::Bytes>, SigningError> {
        let signature = self.sign_bytes(extension_bytes(&self.chain_id, &scope, &extension))?;
        Ok(SignedMessage::new(extension, signature))
    }

    async fn sign_validator_proof(
        &self,
        public_key: Vec<u8>,
        peer_id: Vec<u8>,
    ) -> Result<ValidatorProof<WicasContext>, SigningError> {
        let bytes = ValidatorProof::<WicasContext>::signing_bytes(&public_key, &peer_id);
        let signature = self.key.sign(&bytes);
        Ok(ValidatorProof::new(public_key, peer_id, signature))
    }
}

/// Verifies signatures on one chain (no key needed: full nodes use this alone).
#[derive(Clone, Debug)]
pub struct Ed25519Verifier {
    chain_id: ChainId,
}

impl Ed25519Verifier {
    /// A verifier for `chain_id`.
    pub fn new(chain_id: ChainId) -> Self {
        Self { chain_id }
    }
}

#[async_trait]
impl Verifier<WicasContext> for Ed25519Verifier {
    async fn verify_signed_vote(
        &self,
        vote: &Vote,
        signature: &Signature,
        public_key: &PublicKey,
    ) -> Result<VerificationResult, SigningError> {
        check(vote_bytes(&self.chain_id, vote), signature, public_key)
    }

    async fn verify_signed_proposal(
        &self,
        proposal: &Proposal,
        signature: &Signature,
        public_key: &PublicKey,
    ) -> Result<VerificationResult, SigningError> {
        check(
            proposal_bytes(&self.chain_id, proposal),
            signature,
            public_key,
        )
    }

    async fn verify_signed_vote_extension(
        &self,
        scope: &VoteExtensionScope<WicasContext>,
        extension: &bytes::Bytes,
        signature: &Signature,
        public_key: &PublicKey,
    ) -> Result<VerificationResult, SigningError> {
        check(
            extension_bytes(&self.chain_id, scope, extension),
            signature,
            public_key,
        )
    }

    async fn verify_validator_proof(
        &self,
        proof: &ValidatorProof<WicasContext>,
    ) -> Result<VerificationResult, SigningError> {
        let Ok(key) = PublicKey::from_bytes(&proof.public_key) else {
            return Ok(VerificationResult::Invalid);
        };
        let bytes =
            ValidatorProof::<WicasContext>::signing_bytes(&proof.public_key, &proof.peer_id);
        Ok(VerificationResult::from_bool(
            key.verify(&bytes, &proof.signature),
        ))
    }
}
