//! [`NodeHandle`]: the app and the mempool behind one lock, shared by consensus (the
//! [`crate::AppExecutor`]) and by whoever submits transactions (the demo now, the RPC later).

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::mpsc;

use wicas_app::{App, AppError, QueryResult, TxResult};

use crate::mempool::{Mempool, MempoolError, TxHash};

/// How many committed tx results are remembered for [`NodeHandle::committed`].
pub const REMEMBERED_RESULTS: usize = 10_000;

/// A transaction a committed block included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommittedTx {
    /// The block height.
    pub height: u64,
    /// Its index in the block.
    pub index: usize,
    /// What executing it produced.
    pub result: TxResult,
}

/// Why a submitted transaction was not admitted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SubmitError {
    /// The mempool refused it (full, too large, duplicate, empty).
    #[error(transparent)]
    Mempool(#[from] MempoolError),
    /// The app's `check_tx` refused it.
    #[error("check_tx refused the tx: code {code} ({codespace}): {log}")]
    Rejected {
        /// The error code.
        code: u32,
        /// Its codespace.
        codespace: String,
        /// The error text.
        log: String,
    },
    /// The app failed (store error, not initialised).
    #[error("app: {0}")]
    App(#[from] AppError),
    /// A thread panicked while holding the node lock.
    #[error("node state lock poisoned")]
    Poisoned,
}

/// What the lock guards.
#[derive(Debug)]
pub struct NodeState {
    /// The state machine.
    pub app: App,
    /// Admitted transactions.
    pub mempool: Mempool,
    results: BTreeMap<TxHash, CommittedTx>,
    order: VecDeque<TxHash>,
}

impl NodeState {
    /// Remember the result of a committed tx (the oldest is forgotten past
    /// [`REMEMBERED_RESULTS`]).
    pub fn record(&mut self, hash: TxHash, tx: CommittedTx) {
        if self.results.insert(hash, tx).is_none() {
            self.order.push_back(hash);
        }
        while self.order.len() > REMEMBERED_RESULTS {
            if let Some(old) = self.order.pop_front() {
                self.results.remove(&old);
            }
        }
    }
}

/// Shared access to the app and the mempool.
#[derive(Debug, Clone)]
pub struct NodeHandle {
    inner: Arc<Mutex<NodeState>>,
    /// Signalled when a tx enters the mempool.
    arrived: Arc<Condvar>,
    /// Where txs admitted from clients go to be gossiped (bounded; see `with_gossip`).
    gossip: Option<mpsc::Sender<Vec<u8>>>,
}

impl NodeHandle {
    /// Wrap an opened (and initialised) app and an empty mempool.
    pub fn new(app: App, mempool: Mempool) -> Self {
        Self {
            inner: Arc::new(Mutex::new(NodeState {
                app,
                mempool,
                results: BTreeMap::new(),
                order: VecDeque::new(),
            })),
            arrived: Arc::new(Condvar::new()),
            gossip: None,
        }
    }

    /// Gossip every tx a client submits (and the mempool admits) through `outbound`. When the
    /// queue is full the tx stays in this node's mempool only.
    pub fn with_gossip(mut self, outbound: mpsc::Sender<Vec<u8>>) -> Self {
        self.gossip = Some(outbound);
        self
    }

    /// Lock the state.
    pub fn lock(&self) -> Result<MutexGuard<'_, NodeState>, SubmitError> {
        self.inner.lock().map_err(|_| SubmitError::Poisoned)
    }

    /// Lock the state even if a panicking thread poisoned it (for reads that cannot report an
    /// error, such as consensus's `last_committed`; the app's state is only changed by
    /// committed deltas, so a panic mid-call leaves no half-applied write behind).
    pub fn lock_for_read(&self) -> MutexGuard<'_, NodeState> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `CheckTx` then add to the mempool, and gossip it to the other validators. The mempool's
    /// own limits are checked first, so a refused tx never touches the app's check state.
    pub fn submit(&self, tx: Vec<u8>) -> Result<TxHash, SubmitError> {
        let copy = self.gossip.as_ref().map(|_| tx.clone());
        let hash = self.admit(tx)?;
        if let (Some(out), Some(tx)) = (&self.gossip, copy) {
            let _ = out.try_send(tx);
        }
        Ok(hash)
    }

    /// [`NodeHandle::submit`] for a tx a peer gossiped: checked the same way, not gossiped again.
    pub fn submit_from_peer(&self, tx: Vec<u8>) -> Result<TxHash, SubmitError> {
        self.admit(tx)
    }

    fn admit(&self, tx: Vec<u8>) -> Result<TxHash, SubmitError> {
        let mut s = self.lock()?;
        s.mempool.can_add(&tx)?;
        let checked = s.app.check_tx(&tx)?;
        if !checked.is_ok() {
            return Err(SubmitError::Rejected {
                code: checked.code,
                codespace: checked.codespace,
                log: checked.log,
            });
        }
        let hash = s.mempool.add(tx, checked.gas_wanted)?;
        self.arrived.notify_all();
        Ok(hash)
    }

    /// Block the calling thread until the mempool holds a tx or `limit` passes (the proposer's
    /// pause before an empty block, CometBFT's `create_empty_blocks_interval`).
    pub fn wait_for_txs(&self, limit: Duration) {
        let guard = self.lock_for_read();
        let _unused = self
            .arrived
            .wait_timeout_while(guard, limit, |s| s.mempool.is_empty());
    }

    /// The result of a committed tx, if a block included it (and it is still remembered).
    pub fn committed(&self, hash: &TxHash) -> Result<Option<CommittedTx>, SubmitError> {
        Ok(self.lock()?.results.get(hash).cloned())
    }

    /// The last committed height.
    pub fn height(&self) -> Result<u64, SubmitError> {
        Ok(self.lock()?.app.info().last_height)
    }

    /// The last committed height and the app hash after it.
    pub fn last_commit(&self) -> Result<(u64, [u8; 32]), SubmitError> {
        let info = self.lock()?.app.info();
        Ok((info.last_height, info.last_app_hash))
    }

    /// Transactions waiting in the mempool.
    pub fn mempool_len(&self) -> Result<usize, SubmitError> {
        Ok(self.lock()?.mempool.len())
    }

    /// An ABCI query at the latest height.
    pub fn query(&self, path: &str, data: &[u8]) -> Result<QueryResult, SubmitError> {
        Ok(self.lock()?.app.query(path, data, 0))
    }
}
