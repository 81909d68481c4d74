//! Streaming a proposed block as proposal parts, and reassembling one from a peer.
//!
//! Outgoing: `Init`, one `Data` per CometBFT block part, `Fin` (the proposer's signature over
//! the CometBFT proposal sign bytes), then the stream's end marker. Incoming messages may arrive
//! in any order; [`StreamAssembler`] buffers them per (peer, stream id) within fixed bounds and
//! hands back the block once every part is present and checks out.

use std::collections::BTreeMap;

use bytes::Bytes;
use malachitebft_app_channel::app::streaming::{StreamContent, StreamId, StreamMessage};
use tendermint::Block;
use tendermint::chain::Id as ChainId;

use crate::block::{SealedBlock, decode_block};
use crate::context::{PartData, ProposalFin, ProposalInit, ProposalPart};
use crate::error::{BlockError, PartSetError, SignBytesError};
use crate::keys::{PrivateKey, PublicKey};
use crate::parts::{BLOCK_PART_SIZE_BYTES, MAX_BLOCK_PARTS, PartSet};
use crate::sign_bytes::proposal_sign_bytes;

/// Most proposal streams buffered at once (from all peers); the oldest is dropped beyond it.
/// A round has one proposer, so honest traffic needs a handful; this bounds a flooding peer.
pub const MAX_OPEN_STREAMS: usize = 64;

/// The stream id of the proposal for (height, round): 8 bytes height, 4 bytes round, big endian.
pub fn stream_id(height: u64, round: u32) -> StreamId {
    let mut id = Vec::with_capacity(12);
    id.extend_from_slice(&height.to_be_bytes());
    id.extend_from_slice(&round.to_be_bytes());
    StreamId::new(Bytes::from(id))
}

fn init_sign_bytes(chain_id: &ChainId, init: &ProposalInit) -> Result<Vec<u8>, SignBytesError> {
    let round = init
        .round
        .as_u32()
        .ok_or(SignBytesError::RoundOutOfRange { round: u32::MAX })?;
    proposal_sign_bytes(
        chain_id,
        init.height.as_u64(),
        round,
        init.pol_round.as_u32(),
        &init.block,
    )
}

/// The stream messages that publish `block` under `init` (whose `block` must be
/// `block.block_ref`), signed with the proposer's `key`.
pub fn proposal_stream(
    chain_id: &ChainId,
    init: ProposalInit,
    block: &SealedBlock,
    key: &PrivateKey,
) -> Result<Vec<StreamMessage<ProposalPart>>, SignBytesError> {
    let id = stream_id(
        init.height.as_u64(),
        init.round.as_u32().unwrap_or(u32::MAX),
    );
    let signature = key.sign(&init_sign_bytes(chain_id, &init)?);
    let mut parts = Vec::with_capacity(block.parts.parts().len() + 2);
    parts.push(ProposalPart::Init(init));
    for (index, bytes) in block.parts.parts().iter().enumerate() {
        parts.push(ProposalPart::Data(PartData {
            // A PartSet has at most MAX_BLOCK_PARTS parts.
            index: u32::try_from(index).unwrap_or(u32::MAX),
            bytes: Bytes::copy_from_slice(bytes),
        }));
    }
    parts.push(ProposalPart::Fin(ProposalFin { signature }));
    let mut messages: Vec<_> = parts
        .into_iter()
        .enumerate()
        .map(|(seq, part)| StreamMessage::new(id.clone(), seq as u64, StreamContent::Data(part)))
        .collect();
    messages.push(StreamMessage::new(
        id,
        messages.len() as u64,
        StreamContent::Fin,
    ));
    Ok(messages)
}

/// Why a reassembled proposal was refused.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamError {
    /// Two different `Init`s (or `Fin`s, or data parts with one index) in one stream.
    #[error("conflicting {0} in one stream")]
    Conflict(&'static str),
    /// A data part index at or beyond the part count, or a part larger than 64 KiB.
    #[error("data part {index} is out of range or oversized")]
    BadPart {
        /// The part index.
        index: u32,
    },
    /// The parts do not match the part-set header in `Init`.
    #[error(transparent)]
    Parts(#[from] PartSetError),
    /// The block does not decode or hashes to another id.
    #[error(transparent)]
    Block(#[from] BlockError),
    /// The reassembled block's id or time differs from `Init`.
    #[error("block does not match the block id announced in Init")]
    WrongBlock,
    /// `Fin`'s signature does not verify with the proposer's key.
    #[error("bad proposer signature")]
    BadSignature,
    /// The proposer is not a validator at that height.
    #[error("unknown proposer")]
    UnknownProposer,
    /// Sign bytes could not be built.
    #[error(transparent)]
    SignBytes(#[from] SignBytesError),
    /// Mempool gossip inside a proposal stream.
    #[error("a tx batch is not a proposal part")]
    NotAProposalPart,
}

/// A complete, checked proposal from a peer.
#[derive(Clone, Debug)]
pub struct AssembledProposal {
    /// Which block, from whom, at which height and round.
    pub init: ProposalInit,
    /// The block (its id equals `init.block`).
    pub block: Block,
    /// The encoded block, as stored and synced.
    pub bytes: Vec<u8>,
}

#[derive(Default)]
struct Partial {
    init: Option<ProposalInit>,
    data: BTreeMap<u32, Bytes>,
    fin: Option<ProposalFin>,
    bytes: usize,
}

/// Buffers incoming proposal streams, keyed by (sender, stream id).
pub struct StreamAssembler {
    chain_id: ChainId,
    max_block_bytes: usize,
    open: BTreeMap<(Vec<u8>, Bytes), Partial>,
    order: Vec<(Vec<u8>, Bytes)>,
}

impl core::fmt::Debug for StreamAssembler {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StreamAssembler")
            .field("open_streams", &self.open.len())
            .finish()
    }
}

impl StreamAssembler {
    /// An assembler for `chain_id` accepting blocks up to `max_block_bytes`.
    pub fn new(chain_id: ChainId, max_block_bytes: usize) -> Self {
        Self {
            chain_id,
            max_block_bytes,
            open: BTreeMap::new(),
            order: Vec::new(),
        }
    }

    /// Adds one message from `sender` (opaque peer bytes). Returns the proposal when its stream
    /// is complete and valid; `Ok(None)` while parts are missing. `proposer_key` looks up the
    /// public key of a validator at a height. A stream that fails is dropped.
    pub fn add(
        &mut self,
        sender: &[u8],
        msg: StreamMessage<ProposalPart>,
        proposer_key: impl Fn(u64, &crate::keys::Address) -> Option<PublicKey>,
    ) -> Result<Option<AssembledProposal>, StreamError> {
        let key = (sender.to_vec(), msg.stream_id.to_bytes());
        let StreamContent::Data(part) = msg.content else {
            return Ok(None); // the end marker carries nothing; completeness is by parts
        };
        if !self.open.contains_key(&key) {
            if self.order.len() >= MAX_OPEN_STREAMS {
                let oldest = self.order.remove(0);
                self.open.remove(&oldest);
            }
            self.order.push(key.clone());
        }
        let result = self.insert(&key, part);
        let done = match &result {
            Err(_) => true,
            Ok(()) => self.is_complete(&key),
        };
        if !done {
            return Ok(None);
        }
        self.order.retain(|k| *k != key);
        let partial = self.open.remove(&key);
        result?;
        match partial {
            Some(p) => self.finish(p, proposer_key).map(Some),
            None => Ok(None),
        }
    }

    fn insert(&mut self, key: &(Vec<u8>, Bytes), part: ProposalPart) -> Result<(), StreamError> {
        let max_bytes = self.max_block_bytes;
        let partial = self.open.entry(key.clone()).or_default();
        match part {
            ProposalPart::Init(init) => match &partial.init {
                Some(old) if *old != init => return Err(StreamError::Conflict("Init")),
                _ => partial.init = Some(init),
            },
            ProposalPart::Fin(fin) => match &partial.fin {
                Some(old) if *old != fin => return Err(StreamError::Conflict("Fin")),
                _ => partial.fin = Some(fin),
            },
            ProposalPart::Txs(_) => return Err(StreamError::NotAProposalPart),
            ProposalPart::Data(d) => {
                if d.index >= MAX_BLOCK_PARTS || d.bytes.len() > BLOCK_PART_SIZE_BYTES {
                    return Err(StreamError::BadPart { index: d.index });
                }
                match partial.data.get(&d.index) {
                    Some(old) if *old != d.bytes => return Err(StreamError::Conflict("Data")),
                    Some(_) => {}
                    None => {
                        partial.bytes += d.bytes.len();
                        if partial.bytes > max_bytes {
                            return Err(StreamError::Block(BlockError::TooLarge {
                                size: partial.bytes,
                                max: max_bytes,
                            }));
                        }
                        partial.data.insert(d.index, d.bytes);
                    }
                }
            }
        }
        if let Some(init) = &partial.init {
            let total = init.block.block_id.part_set_header.total;
            if partial.data.keys().any(|i| *i >= total) {
                let index = partial
                    .data
                    .keys()
                    .copied()
                    .find(|i| *i >= total)
                    .unwrap_or(total);
                return Err(StreamError::BadPart { index });
            }
        }
        Ok(())
    }

    fn is_complete(&self, key: &(Vec<u8>, Bytes)) -> bool {
        self.open.get(key).is_some_and(|p| match (&p.init, &p.fin) {
            (Some(init), Some(_)) => {
                p.data.len() as u64 == u64::from(init.block.block_id.part_set_header.total)
            }
            _ => false,
        })
    }

    fn finish(
        &self,
        partial: Partial,
        proposer_key: impl Fn(u64, &crate::keys::Address) -> Option<PublicKey>,
    ) -> Result<AssembledProposal, StreamError> {
        let (Some(init), Some(fin)) = (partial.init, partial.fin) else {
            return Err(StreamError::Conflict("incomplete stream"));
        };
        let key = proposer_key(init.height.as_u64(), &init.proposer)
            .ok_or(StreamError::UnknownProposer)?;
        if !key.verify(&init_sign_bytes(&self.chain_id, &init)?, &fin.signature) {
            return Err(StreamError::BadSignature);
        }
        let parts: Vec<Vec<u8>> = partial.data.into_values().map(|b| b.to_vec()).collect();
        let bytes = PartSet::assemble(init.block.block_id.part_set_header, parts)?;
        let block = decode_block(&bytes, self.max_block_bytes)?;
        let sealed = SealedBlock::seal(block)?;
        if sealed.block_ref != init.block {
            return Err(StreamError::WrongBlock);
        }
        Ok(AssembledProposal {
            init,
            block: sealed.block,
            bytes,
        })
    }
}
