//! Proposals: building and streaming ours, reassembling and validating theirs.

use malachitebft_app_channel::app::streaming::StreamMessage;
use malachitebft_app_channel::app::types::core::{Context as _, Round, Validity};
use malachitebft_app_channel::app::types::{LocallyProposedValue, ProposedValue};
use tendermint::Block;

use super::error::HostError;
use super::state::{Host, Undecided};
use super::store::DecidedStore;
use crate::block::{BlockContents, SealedBlock, build_block, validate_block};
use crate::block_ref::BlockRef;
use crate::context::{Height, ProposalInit, ProposalPart, WicasContext};
use crate::error::BlockError;
use crate::executor::{BlockExecutor, PrepareRequest};
use crate::keys::Address;
use crate::stream::{AssembledProposal, proposal_stream};

type Ctx = WicasContext;

/// Complete proposals for future heights kept at most (a proposer one height ahead sends one
/// per round; this bounds what a peer can make us hold).
pub const MAX_FUTURE_PROPOSALS: usize = 16;

impl<E: BlockExecutor, S: DecidedStore> Host<E, S> {
    /// `GetValue`: build, keep and stream this node's proposal for (height, round).
    pub fn get_value(
        &mut self,
        height: Height,
        round: Round,
    ) -> Result<(LocallyProposedValue<Ctx>, Vec<StreamMessage<ProposalPart>>), HostError> {
        if height.as_u64() != self.tip.height + 1 {
            return Err(HostError::WrongHeight {
                expected: self.tip.height + 1,
                got: height.as_u64(),
            });
        }
        let existing = self
            .undecided
            .iter()
            .find(|(_, u)| u.proposed.height == height && u.proposed.proposer == self.address)
            .map(|(r, _)| *r);
        let block_ref = match existing {
            // Re-propose the same block after a restart within the height.
            Some(r) => r,
            None => self.build_proposal(height, round)?,
        };
        let messages = self.stream(height, round, Round::Nil, &block_ref)?;
        Ok((
            LocallyProposedValue::new(height, round, block_ref),
            messages,
        ))
    }

    fn build_proposal(&mut self, height: Height, round: Round) -> Result<BlockRef, HostError> {
        let mut txs = self.executor.prepare_txs(&PrepareRequest {
            height: height.as_u64(),
            max_tx_bytes: self.config.params.max_block_bytes(),
            max_gas: self.config.params.block_max_gas,
            last_extensions: self.last_extensions.clone(),
        });
        let min_time = self
            .tip
            .time
            .checked_add(core::time::Duration::from_millis(1))
            .ok_or(HostError::Block(BlockError::TimeNotIncreasing))?;
        let now = (self.clock)();
        let time = if now > min_time { now } else { min_time };
        let block = loop {
            let contents = BlockContents {
                time,
                proposer: self.address,
                txs: txs.clone(),
                last_commit: self.last_commit.clone(),
            };
            let v = &self.config.validators;
            match build_block(&self.config.params, &self.tip, v, v, contents) {
                // The app's byte budget ignores protobuf framing: drop txs from the end until
                // the block fits.
                Err(BlockError::TooLarge { .. }) if !txs.is_empty() => {
                    txs.pop();
                }
                other => break other?,
            }
        };
        let sealed = SealedBlock::seal(block)?;
        let block_ref = sealed.block_ref;
        self.keep(Undecided {
            proposed: ProposedValue {
                height,
                round,
                valid_round: Round::Nil,
                proposer: self.address,
                value: block_ref,
                validity: Validity::Valid,
            },
            block: sealed.block,
            bytes: sealed.bytes,
        })?;
        Ok(block_ref)
    }

    fn stream(
        &self,
        height: Height,
        round: Round,
        pol_round: Round,
        block_ref: &BlockRef,
    ) -> Result<Vec<StreamMessage<ProposalPart>>, HostError> {
        let u = self
            .undecided
            .get(block_ref)
            .ok_or(HostError::UnknownValue { value: *block_ref })?;
        let sealed = SealedBlock::seal(u.block.clone())?;
        let init = ProposalInit {
            height,
            round,
            pol_round,
            proposer: self.address,
            block: *block_ref,
        };
        Ok(proposal_stream(
            &self.config.params.chain_id,
            init,
            &sealed,
            &self.config.key,
        )?)
    }

    /// `RestreamProposal`: stream a value this node proposed earlier, for a new round.
    pub fn restream(
        &self,
        height: Height,
        round: Round,
        valid_round: Round,
        address: &Address,
        value: &BlockRef,
    ) -> Result<Vec<StreamMessage<ProposalPart>>, HostError> {
        if *address != self.address {
            return Ok(Vec::new());
        }
        self.stream(height, round, valid_round, value)
    }

    /// `ReceivedProposalPart`: buffer; when a stream completes, validate the block.
    pub fn received_part(
        &mut self,
        from: &[u8],
        msg: StreamMessage<ProposalPart>,
    ) -> Result<Option<ProposedValue<Ctx>>, HostError> {
        let validators = self.config.validators.clone();
        let Some(p) = self.assembler.add(from, msg, |_, a| {
            validators.find(a).map(|(_, v)| *v.public_key())
        })?
        else {
            return Ok(None);
        };
        if p.init.height.as_u64() > self.tip.height + 1 {
            // A fast proposer's next height: keep it (bounded) until this node gets there.
            if self.future.len() < MAX_FUTURE_PROPOSALS {
                self.future.push(p);
            }
            return Ok(None);
        }
        self.accept(p)
    }

    /// Validates a complete proposal for the current height and keeps it if valid.
    fn accept(&mut self, p: AssembledProposal) -> Result<Option<ProposedValue<Ctx>>, HostError> {
        let init = p.init;
        let height = init.height;
        if height.as_u64() != self.tip.height + 1 {
            // Old height: already decided.
            return Ok(None);
        }
        let expected = *self
            .ctx
            .select_proposer(&self.config.validators, height, init.round)
            .address();
        let validity = Validity::from_bool(
            init.proposer == expected && self.check_block(&expected, &p.block).is_ok(),
        );
        let proposed = ProposedValue {
            height,
            round: init.round,
            valid_round: init.pol_round,
            proposer: init.proposer,
            value: init.block,
            validity,
        };
        if validity.is_valid() {
            self.keep(Undecided {
                block: p.block,
                bytes: p.bytes,
                proposed: proposed.clone(),
            })?;
        }
        Ok(Some(proposed))
    }

    /// Proposals buffered for `height` that arrived early, now validated.
    pub(super) fn take_future(&mut self, height: Height) -> Result<(), HostError> {
        let (now, later): (Vec<_>, Vec<_>) = core::mem::take(&mut self.future)
            .into_iter()
            .filter(|p| p.init.height >= height)
            .partition(|p| p.init.height == height);
        self.future = later;
        for p in now {
            self.accept(p)?;
        }
        Ok(())
    }

    pub(super) fn check_block(&self, proposer: &Address, block: &Block) -> Result<(), BlockError> {
        let v = &self.config.validators;
        validate_block(&self.config.params, &self.tip, v, v, proposer, block)
    }
}
