//! wicas consensus: CometBFT-format blocks and votes driven by malachite.
//!
//! # Model
//! The value consensus decides is a [`BlockRef`]: the CometBFT block id (header hash + part-set
//! header) of a `tendermint::Block`, plus its header time. Blocks travel as CometBFT block parts
//! and are executed by a [`BlockExecutor`] (the application) once decided.
//!
//! # Invariants
//! - Blocks, block ids, validator addresses and every signed byte are CometBFT v0.38's, so that
//!   tendermint-rs light clients, IBC and explorers can verify wicas (DESIGN.md §6). Changing a
//!   sign-bytes function is a hard fork.
//! - A precommit's timestamp is its block's header time: votes are deterministic, and a
//!   malachite commit certificate converts to a valid CometBFT `Commit`.
//! - Everything here is deterministic: no clocks, no randomness, no unordered maps. The host
//!   supplies the time a proposer puts in its block.
//!
//! # Never
//! This crate never executes transactions itself, never reads the clock in consensus-critical
//! code, and never accepts a block whose header differs from what it would have built.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod block;
mod block_ref;
mod codec;
mod commit;
mod context;
mod error;
mod executor;
mod hashes;
mod host;
mod keys;
mod parts;
mod sign_bytes;
mod stream;
mod validators;

pub use block::{
    BLOCK_PROTOCOL_VERSION, BlockContents, ChainParams, ChainTip, MAX_BLOCK_SIZE_BYTES,
    SealedBlock, build_block, decode_block, encode_block, validate_block,
};
pub use block_ref::BlockRef;
pub use codec::{CodecError, ProtobufCodec, certificate_in, certificate_out};
pub use commit::{commit_from_signatures, has_quorum, verify_commit};
pub use context::{
    Ed25519, Ed25519Provider, Ed25519Verifier, Height, PartData, Proposal, ProposalFin,
    ProposalInit, ProposalPart, TxBatch, Vote, WicasContext, commit_from_certificate,
    commit_from_extended_certificate, extension_bytes, proposal_bytes, proposer_index, vote_bytes,
};
pub use error::{
    BlockError, CommitError, KeyError, ParamsError, PartSetError, SignBytesError, ValidatorSetError,
};
pub use executor::{BlockExecutor, CommittedExtension, FinalizeResult, PrepareRequest, TxOutcome};
pub use hashes::{commit_hash, consensus_hash, data_hash, empty_evidence_hash, results_hash};
pub use host::{
    DecidedBlock, DecidedReader, DecidedStore, Host, HostConfig, HostError, Infallible,
    MAX_FUTURE_PROPOSALS, MAX_GOSSIP_BATCH_BYTES, MAX_GOSSIP_BATCH_TXS, MemoryDecidedStore,
    NetConfig, RedbDecidedStore, RedbStoreError, RunningNode, StartError, TxGossip, run_host,
    start_node, start_node_with_gossip,
};
pub use keys::{ADDRESS_LEN, Address, PrivateKey, PublicKey, SIGNATURE_LEN, Signature};
pub use parts::{BLOCK_PART_SIZE_BYTES, MAX_BLOCK_PARTS, PartSet};
pub use sign_bytes::{VoteKind, proposal_sign_bytes, vote_extension_sign_bytes, vote_sign_bytes};
pub use stream::{
    AssembledProposal, MAX_OPEN_STREAMS, StreamAssembler, StreamError, proposal_stream, stream_id,
};
pub use validators::{MAX_TOTAL_VOTING_POWER, Validator, ValidatorSet};
