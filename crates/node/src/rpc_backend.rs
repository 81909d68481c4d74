//! [`NodeRpc`]: the node side of the RPC ([`wicas_rpc::Backend`]) over the app and mempool
//! ([`NodeHandle`]), the decided-block store (read through a [`DecidedReader`] while consensus
//! owns it) and the [`TxIndex`].

use tendermint::abci::response::CheckTx;
use tendermint::{Hash, abci, validator};
use wicas_consensus::{
    DecidedReader, MAX_BLOCK_SIZE_BYTES, PublicKey, ValidatorSet, commit_from_extended_certificate,
    decode_block,
};
use wicas_rpc::{
    Backend, BackendError, BlockRecord, BlockResults, IndexedTx, MetricsSnapshot, NodeInfo,
    QueryAnswer,
};

use crate::metrics::NodeMetrics;
use crate::shared::{NodeHandle, SubmitError};
use crate::txindex::TxIndex;

/// What the RPC serves from a running node.
#[derive(Debug, Clone)]
pub struct NodeRpc {
    /// The app and the mempool.
    pub node: NodeHandle,
    /// Decided blocks and certificates.
    pub blocks: DecidedReader,
    /// Committed txs and block results.
    pub index: TxIndex,
    /// The validator set (fixed at genesis for now: no validator updates yet).
    pub validators: ValidatorSet,
    /// Counters since start.
    pub metrics: NodeMetrics,
    /// Static node facts (`catching_up` is false: the node does not report its sync state yet).
    pub info: NodeInfo,
    /// The last height the executor committed (block stored, results indexed, app state
    /// written); see [`crate::AppExecutor::with_committed`].
    pub committed: tokio::sync::watch::Receiver<u64>,
}

fn store_err(e: impl std::fmt::Display) -> BackendError {
    BackendError::Store(e.to_string())
}

impl From<SubmitError> for BackendError {
    fn from(e: SubmitError) -> Self {
        match e {
            SubmitError::Mempool(m) => BackendError::Mempool(m.to_string()),
            SubmitError::Poisoned => BackendError::Poisoned,
            other => BackendError::Store(other.to_string()),
        }
    }
}

/// This node's `validator_info`: its key, and its power in `set` (0 if it is not a validator).
pub fn validator_info(key: &PublicKey, set: &ValidatorSet) -> validator::Info {
    let power = set
        .validators()
        .iter()
        .find(|v| v.public_key() == key)
        .map_or(0, |v| v.voting_power());
    validator::Info::new(key.to_tendermint(), power.try_into().unwrap_or_default())
}

impl NodeRpc {
    /// The latest height every store agrees on. Consensus stores a block, the executor indexes
    /// it and then the app writes its state; only then is the height published as committed.
    /// The decided store may therefore be one block ahead of it for a moment: that block is not
    /// served as the tip, so an answer never mixes a new block with the app's older state.
    fn latest(&self) -> Result<Option<u64>, BackendError> {
        let committed = *self.committed.borrow();
        let stored = self.blocks.max_height().map_err(store_err)?;
        Ok(stored.map(|s| s.min(committed)).filter(|h| *h > 0))
    }
}

impl Backend for NodeRpc {
    fn node_info(&self) -> Result<NodeInfo, BackendError> {
        Ok(self.info.clone())
    }

    fn height_range(&self) -> Result<Option<(u64, u64)>, BackendError> {
        let Some(latest) = self.latest()? else {
            return Ok(None);
        };
        let base = self.blocks.min_height().map_err(store_err)?.unwrap_or(1);
        Ok(Some((base.min(latest), latest)))
    }

    fn committed_heights(&self) -> tokio::sync::watch::Receiver<u64> {
        self.committed.clone()
    }

    fn block(&self, height: u64) -> Result<Option<BlockRecord>, BackendError> {
        let Some(d) = self.blocks.get(height).map_err(store_err)? else {
            return Ok(None);
        };
        // Stored blocks passed this bound when they were decided.
        let max = usize::try_from(MAX_BLOCK_SIZE_BYTES).unwrap_or(usize::MAX);
        let block = decode_block(&d.block_bytes, max).map_err(store_err)?;
        let commit = commit_from_extended_certificate(&d.certificate, &self.validators)
            .map_err(store_err)?;
        Ok(Some(BlockRecord {
            block_id: d.certificate.value_id.block_id,
            block,
            commit,
        }))
    }

    fn validators(&self, height: u64) -> Result<Option<Vec<validator::Info>>, BackendError> {
        if self.latest()?.is_none_or(|l| height > l) {
            return Ok(None);
        }
        Ok(Some(
            self.validators.to_tendermint(None).validators().clone(),
        ))
    }

    fn abci_info(&self) -> Result<abci::response::Info, BackendError> {
        let info = self.node.lock()?.app.info();
        Ok(abci::response::Info {
            data: "wicas".into(),
            version: self.info.app_version.clone(),
            app_version: 0,
            last_block_height: info.last_height.try_into().map_err(store_err)?,
            last_block_app_hash: info.last_app_hash.to_vec().try_into().map_err(store_err)?,
        })
    }

    fn abci_query(
        &self,
        path: &str,
        data: &[u8],
        height: u64,
    ) -> Result<QueryAnswer, BackendError> {
        let r = self.node.lock()?.app.query(path, data, height);
        Ok(QueryAnswer {
            code: r.code,
            codespace: r.codespace,
            log: r.log,
            value: r.value,
            height: r.height,
        })
    }

    fn submit(&self, tx: &[u8]) -> Result<CheckTx, BackendError> {
        match self.node.submit(tx.to_vec()) {
            Ok(_) => Ok(CheckTx::default()),
            Err(SubmitError::Rejected {
                code,
                codespace,
                log,
            }) => Ok(CheckTx {
                code: code.into(),
                codespace,
                log,
                ..CheckTx::default()
            }),
            Err(e) => Err(e.into()),
        }
    }

    fn tx(&self, hash: &Hash) -> Result<Option<IndexedTx>, BackendError> {
        let Hash::Sha256(key) = hash else {
            return Ok(None);
        };
        self.index.tx(key).map_err(store_err)
    }

    fn txs_at(&self, height: u64) -> Result<Vec<IndexedTx>, BackendError> {
        self.index.txs_at(height).map_err(store_err)
    }

    fn block_results(&self, height: u64) -> Result<Option<BlockResults>, BackendError> {
        self.index.block_results(height).map_err(store_err)
    }

    fn metrics(&self) -> Result<MetricsSnapshot, BackendError> {
        let m = self.metrics.read();
        Ok(MetricsSnapshot {
            height: self.latest()?.unwrap_or(0),
            txs_committed: m.txs_committed,
            txs_failed: m.txs_failed,
            inference_calls: m.inference_calls,
            #[allow(clippy::cast_precision_loss)]
            // reason: a metric for people; nanoseconds as f64 lose nothing below 104 days.
            inference_seconds_total: m.inference_nanos as f64 / 1e9,
            inference_tokens: m.inference_tokens,
            mempool_size: self.node.mempool_len()? as u64,
        })
    }
}
