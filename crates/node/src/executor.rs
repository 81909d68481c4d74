//! [`AppExecutor`]: consensus's [`BlockExecutor`] over the state machine and the mempool.
//!
//! `finalize_block` runs `begin_block` → `deliver_tx`* → `end_block` → the app's `finalize`,
//! which computes the app hash without writing anything; consensus then stores the decided
//! block, and `commit` writes the app's state (the app's `commit`). So a crash at any point
//! leaves the app at the decided store's height or one below it, and `Host::new` re-executes
//! that one block: no block is lost or applied twice (the contract in
//! `wicas_consensus::BlockExecutor`). `commit` then does the mempool's bookkeeping: results are
//! recorded, included txs leave the pool and the rest are re-checked against the new state (a tx
//! whose sequence the block consumed is evicted).

use std::time::Duration;

use tendermint::Block;
use tendermint::hash::{AppHash, Hash};
use wicas_app::{AppError, BlockInfo, TxResult};
use wicas_consensus::{BlockExecutor, FinalizeResult, PrepareRequest, TxOutcome};

use crate::fail_point::{CrashPoint, FailPoint};
use crate::mempool::tx_hash;
use crate::metrics::NodeMetrics;
use crate::shared::{CommittedTx, NodeHandle};
use crate::txindex::{ExecutedBlock, IndexError, TxIndex};

/// Per-tx bytes a block's protobuf framing adds (field tag + length varint, at most 1 + 5).
pub const TX_FRAMING_BYTES: usize = 6;

/// Largest vote extension accepted (none is produced yet; the inference path will fill it).
pub const MAX_VOTE_EXTENSION_BYTES: usize = 64 * 1024;

/// Why executing a block failed (consensus stops the node rather than diverge).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExecError {
    /// The app refused the block lifecycle or its store failed.
    #[error("app: {0}")]
    App(#[from] AppError),
    /// The header does not fit the app's block info.
    #[error("block header: {0}")]
    Header(String),
    /// A thread panicked while holding the node lock.
    #[error("node state lock poisoned")]
    Poisoned,
    /// `commit` without a finalized block.
    #[error("commit without a finalized block")]
    NothingToCommit,
    /// Recording the block's results in the tx index failed.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// A vote extension over the size limit.
    #[error("vote extension of {size} bytes at height {height} (max {MAX_VOTE_EXTENSION_BYTES})")]
    ExtensionTooLarge {
        /// Its height.
        height: u64,
        /// Its size.
        size: usize,
    },
}

struct Finalized {
    height: u64,
    txs: Vec<Vec<u8>>,
    results: Vec<TxResult>,
    events: Vec<wicas_app::Event>,
    app_hash: [u8; 32],
}

/// The app as consensus drives it.
pub struct AppExecutor {
    node: NodeHandle,
    empty_block_wait: Duration,
    finalized: Option<Finalized>,
    fail_point: Option<FailPoint>,
    index: Option<(TxIndex, NodeMetrics)>,
    committed: Option<tokio::sync::watch::Sender<u64>>,
}

impl std::fmt::Debug for AppExecutor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppExecutor")
            .field("finalized", &self.finalized.as_ref().map(|b| b.height))
            .finish_non_exhaustive()
    }
}

impl AppExecutor {
    /// An executor over `node`'s app and mempool; a proposer with nothing to include waits up to
    /// `empty_block_wait` for a tx before proposing an empty block (keep it well under the
    /// propose timeout).
    pub fn new(node: NodeHandle, empty_block_wait: Duration) -> Self {
        Self {
            node,
            empty_block_wait,
            finalized: None,
            fail_point: None,
            index: None,
            committed: None,
        }
    }

    /// Also record every committed block's txs and results in `index` (in `commit`, before the
    /// app's write) and count them in `metrics`.
    pub fn with_index(mut self, index: TxIndex, metrics: NodeMetrics) -> Self {
        self.index = Some((index, metrics));
        self
    }

    /// Publish each committed height on `committed` once the block is fully committed (stored by
    /// consensus, indexed, and the app's state written): the RPC's latest height and its
    /// websocket events follow it.
    pub fn with_committed(mut self, committed: tokio::sync::watch::Sender<u64>) -> Self {
        self.committed = Some(committed);
        self
    }

    /// Arm a test [`FailPoint`].
    pub fn with_fail_point(mut self, fail_point: Option<FailPoint>) -> Self {
        self.fail_point = fail_point;
        self
    }

    fn fail_point(&self, point: CrashPoint, height: u64) {
        if let Some(armed) = self.fail_point {
            armed.reached(point, height);
        }
    }
}

/// The app's view of a decided block's header.
pub fn block_info(block: &Block) -> Result<BlockInfo, ExecError> {
    let h = &block.header;
    let time = u64::try_from(h.time.unix_timestamp_nanos())
        .map_err(|_| ExecError::Header(format!("block time {} before 1970", h.time)))?;
    let block_hash = match h.hash() {
        Hash::Sha256(b) => b,
        Hash::None => return Err(ExecError::Header("header has no hash".into())),
    };
    Ok(BlockInfo {
        height: h.height.value(),
        time_unix_nanos: time,
        chain_id: h.chain_id.to_string(),
        block_hash,
        proposer: h.proposer_address.as_bytes().to_vec(),
    })
}

fn app_hash(bytes: [u8; 32]) -> AppHash {
    // A 32-byte vector is always a valid AppHash (any length is).
    AppHash::try_from(bytes.to_vec()).unwrap_or_default()
}

impl BlockExecutor for AppExecutor {
    type Error = ExecError;

    fn prepare_txs(&mut self, request: &PrepareRequest) -> Vec<Vec<u8>> {
        self.node.wait_for_txs(self.empty_block_wait);
        self.node.lock_for_read().mempool.reap(
            request.max_tx_bytes,
            request.max_gas,
            TX_FRAMING_BYTES,
        )
    }

    fn finalize_block(&mut self, block: &Block) -> Result<FinalizeResult, ExecError> {
        let info = block_info(block)?;
        let height = info.height;
        let mut s = self.node.lock().map_err(|_| ExecError::Poisoned)?;
        s.app.begin_block(info)?;
        let txs: Vec<Vec<u8>> = block.data.clone();
        let mut results = Vec::with_capacity(txs.len());
        for tx in &txs {
            results.push(s.app.deliver_tx(tx)?);
        }
        let end = s.app.end_block()?;
        let finalized = s.app.finalize()?;
        drop(s);
        self.fail_point(CrashPoint::AfterFinalize, height);
        let tx_outcomes = results
            .iter()
            .map(|r| TxOutcome {
                code: r.code,
                data: r.data.clone(),
                gas_wanted: i64::try_from(r.gas_wanted).unwrap_or(i64::MAX),
                gas_used: i64::try_from(r.gas_used).unwrap_or(i64::MAX),
            })
            .collect();
        self.finalized = Some(Finalized {
            height,
            txs,
            results,
            events: end.events,
            app_hash: finalized.app_hash,
        });
        Ok(FinalizeResult {
            app_hash: app_hash(finalized.app_hash),
            tx_outcomes,
        })
    }

    fn commit(&mut self) -> Result<(), ExecError> {
        let done = self.finalized.take().ok_or(ExecError::NothingToCommit)?;
        self.fail_point(CrashPoint::AfterStore, done.height);
        // Index before the app's write: consensus has stored the block, so a crash from here
        // until the app's commit makes the host re-execute this block and index it again (the
        // index is keyed by height and hash, a rewrite is the same row); a crash after the
        // app's commit finds the index already written.
        if let Some((index, metrics)) = &self.index {
            index.record(&ExecutedBlock {
                height: done.height,
                txs: &done.txs,
                results: &done.results,
                events: &done.events,
                app_hash: done.app_hash,
            })?;
            let failed = done.results.iter().filter(|r| !r.is_ok()).count();
            metrics.txs(done.results.len() as u64, failed as u64);
        }
        let mut guard = self.node.lock().map_err(|_| ExecError::Poisoned)?;
        guard.app.commit()?;
        let s = &mut *guard;
        s.mempool
            .remove_committed(done.txs.iter().map(Vec::as_slice));
        for (index, (tx, result)) in done.txs.iter().zip(done.results).enumerate() {
            s.record(
                tx_hash(tx),
                CommittedTx {
                    height: done.height,
                    index,
                    result,
                },
            );
        }
        let app = &mut s.app;
        s.mempool
            .retain(|tx| app.check_tx(tx).is_ok_and(|r| r.is_ok()));
        drop(guard);
        if let Some(committed) = &self.committed {
            committed.send_replace(done.height);
        }
        self.fail_point(CrashPoint::AfterCommit, done.height);
        Ok(())
    }

    fn last_committed(&self) -> (u64, AppHash) {
        let info = self.node.lock_for_read().app.info();
        (info.last_height, app_hash(info.last_app_hash))
    }

    fn extend_vote(&mut self, _block: &Block) -> Vec<u8> {
        Vec::new()
    }

    fn verify_vote_extension(&self, height: u64, extension: &[u8]) -> Result<(), ExecError> {
        if extension.len() > MAX_VOTE_EXTENSION_BYTES {
            return Err(ExecError::ExtensionTooLarge {
                height,
                size: extension.len(),
            });
        }
        Ok(())
    }
}
