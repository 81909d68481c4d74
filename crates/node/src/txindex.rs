//! [`TxIndex`]: committed transactions and block results on disk (CometBFT's kv tx indexer and
//! its stored `FinalizeBlock` responses), so that clients find a tx after a restart.
//!
//! Layout (redb file `<home>/data/tx_index.redb`):
//! - `txs`: tx hash → protobuf `cometbft.abci.v1…TxResult{height, index, tx, result}` (v0.38);
//! - `by_height`: (height, index) → tx hash;
//! - `blocks`: height → protobuf `ResponseFinalizeBlock{events, tx_results, app_hash}`.
//!
//! A block is written in one redb transaction by the executor's `commit`, the step that makes
//! the block's state durable; re-executing a block after a crash rewrites the same rows.

use std::path::Path;
use std::sync::Arc;

use prost::Message;
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use tendermint::abci::types::ExecTxResult;
use tendermint::{AppHash, Hash};
use tendermint_proto::v0_38::abci as pb;
use wicas_app::{Event, TxResult};
use wicas_rpc::{BlockResults, IndexedTx};

const TXS: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("txs");
const BY_HEIGHT: TableDefinition<(u64, u32), [u8; 32]> = TableDefinition::new("by_height");
const BLOCKS: TableDefinition<u64, &[u8]> = TableDefinition::new("blocks");

/// Errors of the tx index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// The database failed.
    #[error("tx index: {0}")]
    Redb(#[from] redb::Error),
    /// A stored row does not decode (corruption or a newer format).
    #[error("tx index row: {0}")]
    Decode(String),
    /// A block holds more txs than a u32 index.
    #[error("block {height} holds too many txs")]
    TooManyTxs {
        /// The height.
        height: u64,
    },
}

fn db_err(e: impl Into<redb::Error>) -> IndexError {
    IndexError::Redb(e.into())
}

/// What one executed block produced, as the executor hands it to the index.
#[derive(Debug)]
pub struct ExecutedBlock<'a> {
    /// The height.
    pub height: u64,
    /// The block's txs in order.
    pub txs: &'a [Vec<u8>],
    /// One result per tx.
    pub results: &'a [TxResult],
    /// Block-level events (end of block).
    pub events: &'a [Event],
    /// The state root after the block.
    pub app_hash: [u8; 32],
}

/// The tx index. Cheap to clone; readers and the writer share one database.
#[derive(Clone)]
pub struct TxIndex {
    db: Arc<Database>,
}

impl std::fmt::Debug for TxIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TxIndex").finish_non_exhaustive()
    }
}

/// A chain event as CometBFT's ABCI event.
pub fn abci_event(e: &Event) -> tendermint::abci::Event {
    tendermint::abci::Event::new(
        e.kind.clone(),
        e.attributes
            .iter()
            .map(|a| (a.key.clone(), a.value.clone(), a.index)),
    )
}

/// An app tx result as CometBFT's `ExecTxResult`.
pub fn exec_tx_result(r: &TxResult) -> ExecTxResult {
    ExecTxResult {
        code: r.code.into(),
        data: r.data.clone().into(),
        log: r.log.clone(),
        info: String::new(),
        gas_wanted: i64::try_from(r.gas_wanted).unwrap_or(i64::MAX),
        gas_used: i64::try_from(r.gas_used).unwrap_or(i64::MAX),
        events: r.events.iter().map(abci_event).collect(),
        codespace: r.codespace.clone(),
    }
}

fn decode_result(raw: Option<pb::ExecTxResult>) -> Result<ExecTxResult, IndexError> {
    ExecTxResult::try_from(raw.unwrap_or_default()).map_err(|e| IndexError::Decode(e.to_string()))
}

fn committed_ok(
    txs: &impl ReadableTable<[u8; 32], &'static [u8]>,
    key: &[u8; 32],
) -> Result<bool, IndexError> {
    let Some(row) = txs.get(key).map_err(db_err)? else {
        return Ok(false);
    };
    let row = pb::TxResult::decode(row.value()).map_err(|e| IndexError::Decode(e.to_string()))?;
    Ok(row.result.is_some_and(|r| r.code == 0))
}

impl TxIndex {
    /// Opens (creating if needed) the index at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, IndexError> {
        let db = Database::create(path).map_err(db_err)?;
        let tx = db.begin_write().map_err(db_err)?;
        tx.open_table(TXS).map_err(db_err)?;
        tx.open_table(BY_HEIGHT).map_err(db_err)?;
        tx.open_table(BLOCKS).map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(Self { db: Arc::new(db) })
    }

    /// Records an executed block (durable when this returns).
    pub fn record(&self, block: &ExecutedBlock<'_>) -> Result<(), IndexError> {
        let height = block.height;
        let results: Vec<ExecTxResult> = block.results.iter().map(exec_tx_result).collect();
        let finalize = pb::ResponseFinalizeBlock {
            events: block.events.iter().map(|e| abci_event(e).into()).collect(),
            tx_results: results.iter().cloned().map(Into::into).collect(),
            validator_updates: Vec::new(),
            consensus_param_updates: None,
            app_hash: block.app_hash.to_vec().into(),
        };
        let w = self.db.begin_write().map_err(db_err)?;
        {
            let mut txs = w.open_table(TXS).map_err(db_err)?;
            let mut by_height = w.open_table(BY_HEIGHT).map_err(db_err)?;
            for (i, (tx, result)) in block.txs.iter().zip(results).enumerate() {
                let index = u32::try_from(i).map_err(|_| IndexError::TooManyTxs { height })?;
                let hash = wicas_rpc::tx_hash(tx);
                let Hash::Sha256(key) = hash else { continue };
                // As CometBFT's kv indexer: a failed replay of a tx never hides its earlier
                // successful execution.
                if result.code.is_err() && committed_ok(&txs, &key)? {
                    continue;
                }
                let row = pb::TxResult {
                    height: i64::try_from(height).unwrap_or(i64::MAX),
                    index,
                    tx: tx.clone().into(),
                    result: Some(result.into()),
                };
                txs.insert(key, row.encode_to_vec().as_slice())
                    .map_err(db_err)?;
                by_height.insert((height, index), key).map_err(db_err)?;
            }
            let mut blocks = w.open_table(BLOCKS).map_err(db_err)?;
            blocks
                .insert(height, finalize.encode_to_vec().as_slice())
                .map_err(db_err)?;
        }
        w.commit().map_err(db_err)?;
        Ok(())
    }

    /// The highest height recorded, `None` before the first block.
    pub fn last_height(&self) -> Result<Option<u64>, IndexError> {
        let r = self.db.begin_read().map_err(db_err)?;
        let blocks = r.open_table(BLOCKS).map_err(db_err)?;
        Ok(blocks.last().map_err(db_err)?.map(|(k, _)| k.value()))
    }

    /// A committed tx by hash.
    pub fn tx(&self, hash: &[u8; 32]) -> Result<Option<IndexedTx>, IndexError> {
        let r = self.db.begin_read().map_err(db_err)?;
        let txs = r.open_table(TXS).map_err(db_err)?;
        let Some(row) = txs.get(hash).map_err(db_err)? else {
            return Ok(None);
        };
        let row =
            pb::TxResult::decode(row.value()).map_err(|e| IndexError::Decode(e.to_string()))?;
        Ok(Some(IndexedTx {
            hash: Hash::Sha256(*hash),
            height: u64::try_from(row.height)
                .map_err(|_| IndexError::Decode(format!("height {}", row.height)))?,
            index: row.index,
            tx: row.tx.to_vec(),
            result: decode_result(row.result)?,
        }))
    }

    /// The committed txs of the block at `height`, in order.
    pub fn txs_at(&self, height: u64) -> Result<Vec<IndexedTx>, IndexError> {
        let hashes: Vec<[u8; 32]> = {
            let r = self.db.begin_read().map_err(db_err)?;
            let by_height = r.open_table(BY_HEIGHT).map_err(db_err)?;
            let mut out = Vec::new();
            for row in by_height
                .range((height, 0)..=(height, u32::MAX))
                .map_err(db_err)?
            {
                out.push(row.map_err(db_err)?.1.value());
            }
            out
        };
        let mut out = Vec::with_capacity(hashes.len());
        for h in hashes {
            // The same tx bytes at a later height (a replay the app refused) point the hash row
            // elsewhere; only rows that still belong to this height are listed.
            if let Some(t) = self.tx(&h)?
                && t.height == height
            {
                out.push(t);
            }
        }
        Ok(out)
    }

    /// What executing the block at `height` produced.
    pub fn block_results(&self, height: u64) -> Result<Option<BlockResults>, IndexError> {
        let r = self.db.begin_read().map_err(db_err)?;
        let blocks = r.open_table(BLOCKS).map_err(db_err)?;
        let Some(row) = blocks.get(height).map_err(db_err)? else {
            return Ok(None);
        };
        let f = pb::ResponseFinalizeBlock::decode(row.value())
            .map_err(|e| IndexError::Decode(e.to_string()))?;
        let events = f
            .events
            .into_iter()
            .map(|e| {
                tendermint::abci::Event::try_from(e).map_err(|e| IndexError::Decode(e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        let txs_results = f
            .tx_results
            .into_iter()
            .map(|r| decode_result(Some(r)))
            .collect::<Result<_, _>>()?;
        Ok(Some(BlockResults {
            txs_results,
            finalize_block_events: events,
            app_hash: AppHash::try_from(f.app_hash.to_vec())
                .map_err(|e| IndexError::Decode(e.to_string()))?,
        }))
    }
}
