//! [`Host`]: the application side of malachite, as plain synchronous methods (one per app
//! message). The async loop in `run.rs` only moves messages between channels and these methods.

use std::collections::BTreeMap;

use bytes::Bytes;
use malachitebft_app_channel::app::consensus::{Role, VoteExtensionError, VoteExtensionVerdicts};
use malachitebft_app_channel::app::engine::host::SyncedValueOutcome;
use malachitebft_app_channel::app::streaming::StreamMessage;
use malachitebft_app_channel::app::types::core::{
    CommitCertificate, Context as _, ExtendedCommitCertificate, ExtendedCommitSignature,
    HeightParams, LinearTimeouts, Round, Validity, VoteExtensionPolicy, VoteExtensions,
};
use malachitebft_app_channel::app::types::sync::RawDecidedValue;
use malachitebft_app_channel::app::types::{LocallyProposedValue, ProposedValue};
use tendermint::block::Commit;
use tendermint::{Block, Time};

use super::error::HostError;
use super::store::{DecidedBlock, DecidedStore};
use crate::block::{
    BlockContents, ChainParams, ChainTip, SealedBlock, build_block, decode_block, validate_block,
};
use crate::block_ref::BlockRef;
use crate::context::commit_from_certificate;
use crate::context::{Height, ProposalInit, ProposalPart, WicasContext};
use crate::error::BlockError;
use crate::executor::{BlockExecutor, CommittedExtension, PrepareRequest};
use crate::hashes::results_hash;
use crate::keys::{Address, PrivateKey};
use crate::stream::{StreamAssembler, proposal_stream};
use crate::validators::ValidatorSet;

type Ctx = WicasContext;

/// Static configuration of a host.
#[derive(Clone, Debug)]
pub struct HostConfig {
    /// Chain parameters (chain id, block limits).
    pub params: ChainParams,
    /// The validator set (fixed for now: no validator updates yet).
    pub validators: ValidatorSet,
    /// This node's validator key.
    pub key: PrivateKey,
    /// Genesis time (lower bound of the first block's time).
    pub genesis_time: Time,
    /// Consensus timeouts.
    pub timeouts: LinearTimeouts,
    /// Whether every precommit must carry a vote extension.
    pub vote_extensions: VoteExtensionPolicy,
}

struct Undecided {
    block: Block,
    bytes: Vec<u8>,
    proposed: ProposedValue<Ctx>,
}

/// The application side of consensus over a [`BlockExecutor`] and a [`DecidedStore`].
pub struct Host<E: BlockExecutor, S: DecidedStore> {
    config: HostConfig,
    ctx: WicasContext,
    address: Address,
    executor: E,
    store: S,
    tip: ChainTip,
    last_commit: Option<Commit>,
    last_extensions: Vec<CommittedExtension>,
    undecided: BTreeMap<BlockRef, Undecided>,
    assembler: StreamAssembler,
    clock: Box<dyn FnMut() -> Time + Send>,
}

impl<E: BlockExecutor, S: DecidedStore> core::fmt::Debug for Host<E, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Host")
            .field("address", &self.address)
            .field("height", &self.tip.height)
            .field("undecided", &self.undecided.len())
            .finish()
    }
}

impl<E: BlockExecutor, S: DecidedStore> Host<E, S> {
    /// A host resuming from `store` and `executor`: the tip is the store's last decided block;
    /// if the executor is one block behind (crash between store and execution), that block is
    /// executed again first. `clock` gives the time a proposer puts in its block.
    pub fn new(
        config: HostConfig,
        mut executor: E,
        store: S,
        clock: Box<dyn FnMut() -> Time + Send>,
    ) -> Result<Self, HostError> {
        let address = Address::from_public_key(&config.key.public_key());
        let ctx = WicasContext::new(config.params.chain_id.clone());
        let (app_height, app_hash) = executor.last_committed();
        let stored = store.max_height().map_err(HostError::store)?;
        let mut tip = ChainTip {
            height: 0,
            block_id: None,
            time: config.genesis_time,
            app_hash,
            last_results_hash: results_hash(&[]),
            last_validators: None,
        };
        let mut last_commit = None;
        let mut last_extensions = Vec::new();
        if let Some(height) = stored {
            let decided = store
                .get(height)
                .map_err(HostError::store)?
                .ok_or(HostError::MissingDecided { height })?;
            let block = decode_block(&decided.block_bytes, usize::MAX)?;
            let app_hash = if app_height + 1 == height {
                executor
                    .finalize_block(&block)
                    .map_err(HostError::executor)?
                    .app_hash
            } else if app_height == height {
                executor.last_committed().1
            } else {
                return Err(HostError::AppOutOfStep {
                    app: app_height,
                    store: height,
                });
            };
            let cert = plain_certificate(&decided.certificate);
            last_commit = Some(commit_from_certificate(&cert, &config.validators)?);
            last_extensions = committed_extensions(&decided.certificate, &config.validators);
            tip = ChainTip {
                height,
                block_id: Some(decided.certificate.value_id.block_id),
                time: block.header.time,
                app_hash,
                last_results_hash: decided.results_hash,
                last_validators: Some(config.validators.clone()),
            };
        } else if app_height != 0 {
            return Err(HostError::AppOutOfStep {
                app: app_height,
                store: 0,
            });
        }
        let assembler = StreamAssembler::new(
            config.params.chain_id.clone(),
            config.params.max_block_bytes(),
        );
        Ok(Self {
            config,
            ctx,
            address,
            executor,
            store,
            tip,
            last_commit,
            last_extensions,
            undecided: BTreeMap::new(),
            assembler,
            clock,
        })
    }

    /// The context consensus runs with.
    pub fn context(&self) -> &WicasContext {
        &self.ctx
    }

    /// This node's address.
    pub fn address(&self) -> Address {
        self.address
    }

    /// The last decided block's tip.
    pub fn tip(&self) -> &ChainTip {
        &self.tip
    }

    /// The executor (for queries between heights).
    pub fn executor(&self) -> &E {
        &self.executor
    }

    /// The decided store.
    pub fn store(&self) -> &S {
        &self.store
    }

    fn height_params(&self) -> HeightParams<Ctx> {
        HeightParams::new(self.config.validators.clone(), self.config.timeouts, None)
            .with_vote_extension_policy(self.config.vote_extensions)
    }

    /// `ConsensusReady`: start at the height after the tip.
    pub fn consensus_ready(&self) -> (Height, HeightParams<Ctx>) {
        (Height::new(self.tip.height + 1), self.height_params())
    }

    /// `StartedRound`: the values already received for this height and round.
    pub fn started_round(
        &self,
        height: Height,
        round: Round,
        _role: Role,
    ) -> Vec<ProposedValue<Ctx>> {
        self.undecided
            .values()
            .filter(|u| u.proposed.height == height && u.proposed.round == round)
            .map(|u| u.proposed.clone())
            .collect()
    }

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
        self.undecided.insert(
            block_ref,
            Undecided {
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
            },
        );
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
        let init = p.init;
        let height = init.height;
        if height.as_u64() != self.tip.height + 1 {
            // Not for the height being decided: sync will bring it if it matters.
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
            self.undecided.insert(
                init.block,
                Undecided {
                    block: p.block,
                    bytes: p.bytes,
                    proposed: proposed.clone(),
                },
            );
        }
        Ok(Some(proposed))
    }

    fn check_block(&self, proposer: &Address, block: &Block) -> Result<(), BlockError> {
        let v = &self.config.validators;
        validate_block(&self.config.params, &self.tip, v, v, proposer, block)
    }

    /// `ExtendVote`: the app's extension for the block this node precommits.
    pub fn extend_vote(&mut self, value: &BlockRef) -> Option<Bytes> {
        if self.config.vote_extensions.is_disabled() {
            return None;
        }
        let u = self.undecided.get(value)?;
        Some(Bytes::from(self.executor.extend_vote(&u.block)))
    }

    /// `VerifyVoteExtensions`: format and size only (DESIGN.md §6).
    pub fn verify_vote_extensions(
        &self,
        height: Height,
        extensions: Vec<(Address, Bytes)>,
    ) -> VoteExtensionVerdicts<Ctx> {
        extensions
            .into_iter()
            .map(|(a, e)| {
                let verdict = self
                    .executor
                    .verify_vote_extension(height.as_u64(), &e)
                    .map_err(|_| VoteExtensionError::InvalidVoteExtension);
                (a, verdict)
            })
            .collect()
    }

    /// `Decided`: execute the block and store it with its certificate.
    pub fn decided(
        &mut self,
        certificate: &CommitCertificate<Ctx>,
        extensions: &VoteExtensions<Ctx>,
    ) -> Result<(), HostError> {
        let height = certificate.height.as_u64();
        if height != self.tip.height + 1 {
            return Err(HostError::WrongHeight {
                expected: self.tip.height + 1,
                got: height,
            });
        }
        let u = self
            .undecided
            .remove(&certificate.value_id)
            .ok_or(HostError::UnknownValue {
                value: certificate.value_id,
            })?;
        let extended = extended_certificate(certificate, extensions);
        let commit = commit_from_certificate(certificate, &self.config.validators)?;
        let result = self
            .executor
            .finalize_block(&u.block)
            .map_err(HostError::executor)?;
        let results = results_hash(&result.tx_outcomes);
        self.store
            .put(
                height,
                DecidedBlock {
                    block_bytes: u.bytes,
                    certificate: extended.clone(),
                    results_hash: results,
                },
            )
            .map_err(HostError::store)?;
        self.tip = ChainTip {
            height,
            block_id: Some(certificate.value_id.block_id),
            time: u.block.header.time,
            app_hash: result.app_hash,
            last_results_hash: results,
            last_validators: Some(self.config.validators.clone()),
        };
        self.last_commit = Some(commit);
        self.last_extensions = committed_extensions(&extended, &self.config.validators);
        self.undecided
            .retain(|_, v| v.proposed.height.as_u64() > height);
        Ok(())
    }

    /// `Finalized`: keep the fuller certificate and start the next height.
    pub fn finalized(
        &mut self,
        certificate: &CommitCertificate<Ctx>,
        extensions: &VoteExtensions<Ctx>,
    ) -> Result<(Height, HeightParams<Ctx>), HostError> {
        let height = certificate.height.as_u64();
        if height == self.tip.height
            && let Some(mut stored) = self.store.get(height).map_err(HostError::store)?
        {
            let extended = extended_certificate(certificate, extensions);
            self.last_commit = Some(commit_from_certificate(
                certificate,
                &self.config.validators,
            )?);
            self.last_extensions = committed_extensions(&extended, &self.config.validators);
            stored.certificate = extended;
            self.store.put(height, stored).map_err(HostError::store)?;
        }
        Ok((Height::new(self.tip.height + 1), self.height_params()))
    }

    /// `GetHistoryMinHeight`.
    pub fn history_min_height(&self) -> Result<Height, HostError> {
        let min = self.store.min_height().map_err(HostError::store)?;
        Ok(Height::new(min.unwrap_or(1)))
    }

    /// `GetDecidedValues`: stored blocks and certificates in `from..=to` (stops at a gap).
    pub fn decided_values(
        &self,
        from: Height,
        to: Height,
    ) -> Result<Vec<RawDecidedValue<Ctx>>, HostError> {
        let mut out = Vec::new();
        for h in from.as_u64()..=to.as_u64() {
            match self.store.get(h).map_err(HostError::store)? {
                Some(d) => out.push(RawDecidedValue::new(
                    Bytes::from(d.block_bytes),
                    d.certificate,
                )),
                None => break,
            }
        }
        Ok(out)
    }

    /// `ProcessSyncedValue`: a decided block from a peer (its certificate is checked by
    /// malachite); validate it like a proposal.
    pub fn process_synced_value(
        &mut self,
        height: Height,
        round: Round,
        proposer: Address,
        bytes: Bytes,
    ) -> SyncedValueOutcome<Ctx> {
        let Ok(block) = decode_block(&bytes, self.config.params.max_block_bytes()) else {
            return SyncedValueOutcome::PeerFault;
        };
        let Ok(sealed) = SealedBlock::seal(block) else {
            return SyncedValueOutcome::PeerFault;
        };
        let valid = height.as_u64() == self.tip.height + 1
            && self.check_block(&proposer, &sealed.block).is_ok();
        let proposed = ProposedValue {
            height,
            round,
            valid_round: Round::Nil,
            proposer,
            value: sealed.block_ref,
            validity: Validity::from_bool(valid),
        };
        if valid {
            self.undecided.insert(
                sealed.block_ref,
                Undecided {
                    block: sealed.block,
                    bytes: bytes.to_vec(),
                    proposed: proposed.clone(),
                },
            );
        }
        SyncedValueOutcome::Verdict(proposed)
    }
}

fn extended_certificate(
    certificate: &CommitCertificate<Ctx>,
    extensions: &VoteExtensions<Ctx>,
) -> ExtendedCommitCertificate<Ctx> {
    ExtendedCommitCertificate {
        height: certificate.height,
        round: certificate.round,
        value_id: certificate.value_id,
        commit_signatures: certificate
            .commit_signatures
            .iter()
            .map(|s| {
                let ext = extensions
                    .extensions
                    .iter()
                    .find(|(a, _)| *a == s.address)
                    .map(|(_, e)| e.clone());
                ExtendedCommitSignature::new(s.address, s.signature, ext)
            })
            .collect(),
    }
}

fn plain_certificate(c: &ExtendedCommitCertificate<Ctx>) -> CommitCertificate<Ctx> {
    CommitCertificate {
        height: c.height,
        round: c.round,
        value_id: c.value_id,
        commit_signatures: c
            .commit_signatures
            .iter()
            .map(|s| {
                malachitebft_app_channel::app::types::core::CommitSignature::new(
                    s.address,
                    s.signature,
                )
            })
            .collect(),
    }
}

fn committed_extensions(
    c: &ExtendedCommitCertificate<Ctx>,
    validators: &ValidatorSet,
) -> Vec<CommittedExtension> {
    c.commit_signatures
        .iter()
        .filter_map(|s| {
            let ext = s.extension.as_ref()?;
            let (_, v) = validators.find(&s.address)?;
            Some(CommittedExtension {
                validator: s.address,
                voting_power: v.voting_power(),
                extension: ext.message.to_vec(),
                signature: ext.signature,
            })
        })
        .collect()
}
