//! [`Host`]: the application side of malachite, as plain synchronous methods (one per app
//! message). The async loop in `run.rs` only moves messages between channels and these methods.

use std::collections::BTreeMap;

use bytes::Bytes;
use malachitebft_app_channel::app::consensus::{Role, VoteExtensionError, VoteExtensionVerdicts};
use malachitebft_app_channel::app::engine::host::SyncedValueOutcome;
use malachitebft_app_channel::app::types::ProposedValue;
use malachitebft_app_channel::app::types::core::{
    CommitCertificate, HeightParams, LinearTimeouts, Round, Validity, VoteExtensionPolicy,
    VoteExtensions,
};
use malachitebft_app_channel::app::types::sync::RawDecidedValue;
use tendermint::block::Commit;
use tendermint::{Block, Time};

use super::certs::{committed_extensions, extended_certificate, plain_certificate};
use super::error::HostError;
use super::store::{DecidedBlock, DecidedStore};
use crate::block::{ChainParams, ChainTip, SealedBlock, decode_block};
use crate::block_ref::BlockRef;
use crate::codec::{pending_in, pending_out};
use crate::context::{Height, WicasContext, commit_from_certificate};
use crate::executor::{BlockExecutor, CommittedExtension};
use crate::hashes::results_hash;
use crate::keys::{Address, PrivateKey};
use crate::stream::{AssembledProposal, StreamAssembler};
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

/// A block this node holds for the height being decided.
pub(super) struct Undecided {
    pub(super) block: Block,
    pub(super) bytes: Vec<u8>,
    pub(super) proposed: ProposedValue<Ctx>,
}

/// The application side of consensus over a [`BlockExecutor`] and a [`DecidedStore`].
pub struct Host<E: BlockExecutor, S: DecidedStore> {
    pub(super) config: HostConfig,
    pub(super) ctx: WicasContext,
    pub(super) address: Address,
    pub(super) executor: E,
    pub(super) store: S,
    pub(super) tip: ChainTip,
    pub(super) last_commit: Option<Commit>,
    pub(super) last_extensions: Vec<CommittedExtension>,
    pub(super) undecided: BTreeMap<BlockRef, Undecided>,
    pub(super) assembler: StreamAssembler,
    pub(super) future: Vec<AssembledProposal>,
    pub(super) clock: Box<dyn FnMut() -> Time + Send>,
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
        config.params.validate()?;
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
                // Crash after storing the block, before the app committed it: execute it again.
                let result = executor
                    .finalize_block(&block)
                    .map_err(HostError::executor)?;
                if results_hash(&result.tx_outcomes) != decided.results_hash {
                    return Err(HostError::ReplayMismatch { height });
                }
                executor.commit().map_err(HostError::executor)?;
                result.app_hash
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
        let mut undecided = BTreeMap::new();
        for record in store
            .pending_from(tip.height + 1)
            .map_err(HostError::store)?
        {
            let (proposed, bytes) = pending_in(&record)?;
            let block = decode_block(&bytes, usize::MAX)?;
            undecided.insert(
                proposed.value,
                Undecided {
                    block,
                    bytes,
                    proposed,
                },
            );
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
            undecided,
            assembler,
            future: Vec::new(),
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
        &mut self,
        height: Height,
        round: Round,
        _role: Role,
    ) -> Result<Vec<ProposedValue<Ctx>>, HostError> {
        self.take_future(height)?;
        Ok(self
            .undecided
            .values()
            .filter(|u| u.proposed.height == height && u.proposed.round == round)
            .map(|u| u.proposed.clone())
            .collect())
    }

    /// Keeps a block for the height being decided, durably first (see
    /// [`DecidedStore::put_pending`]).
    pub(super) fn keep(&mut self, u: Undecided) -> Result<(), HostError> {
        let mut id = [0u8; 32];
        id.copy_from_slice(u.proposed.value.block_id.hash.as_bytes());
        self.store
            .put_pending(
                u.proposed.height.as_u64(),
                id,
                pending_out(&u.proposed, &u.bytes),
            )
            .map_err(HostError::store)?;
        self.undecided.insert(u.proposed.value, u);
        Ok(())
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
        self.executor.commit().map_err(HostError::executor)?;
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
        self.store.prune_pending(height).map_err(HostError::store)?;
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
            let kept = self.keep(Undecided {
                block: sealed.block,
                bytes: bytes.to_vec(),
                proposed: proposed.clone(),
            });
            if kept.is_err() {
                // Not stored, so not safe to decide on: let sync ask again.
                return SyncedValueOutcome::PeerFault;
            }
        }
        SyncedValueOutcome::Verdict(proposed)
    }
}
