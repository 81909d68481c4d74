//! An in-memory [`Backend`]: a chain at height 3 whose txs are given by the test, a mempool
//! that refuses txs starting with `bad` (CheckTx code 5) and `full` (mempool full), and that
//! "commits" every other tx at the next height at once. Blocks are made up from the height
//! (their hashes are not real ones); a test announces new heights with [`Fake::commit`].

use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use tendermint::abci::response::CheckTx;
use tendermint::abci::types::ExecTxResult;
use tendermint::abci::{self, Event};
use tendermint::{Hash, validator};
use wicas_rpc::{
    Backend, BackendError, BlockRecord, BlockResults, IndexedTx, MetricsSnapshot, NodeInfo,
    QueryAnswer, RpcConfig, RpcServer, tx_hash,
};

pub const CHAIN_ID: &str = "wicas-test-1";

pub struct Fake {
    pub txs: Mutex<Vec<IndexedTx>>,
    /// Report a chain of 50 000 blocks (for the bounded-scan rule of `tx_search`).
    pub tall: bool,
    /// The committed height the websocket bus watches.
    pub heights: watch::Sender<u64>,
}

impl Default for Fake {
    fn default() -> Self {
        Self {
            txs: Mutex::default(),
            tall: false,
            heights: watch::channel(3).0,
        }
    }
}

impl Fake {
    fn top(&self) -> u64 {
        let top = self.txs.lock().unwrap().iter().map(|t| t.height).max();
        top.unwrap_or(3).max(3).max(*self.heights.borrow())
    }

    /// Announce that every height up to `height` is committed.
    pub fn commit(&self, height: u64) {
        self.heights.send_replace(height);
    }
}

fn hash(height: u64, tag: u8) -> Hash {
    let mut b = [tag; 32];
    b[..8].copy_from_slice(&height.to_be_bytes());
    Hash::Sha256(b)
}

/// A made-up block at `height` holding `txs`.
pub fn block(height: u64, txs: Vec<Vec<u8>>) -> BlockRecord {
    use tendermint::block::{Commit, Header, Id, header::Version, parts};
    let id = |h: u64| Id {
        hash: hash(h, 1),
        part_set_header: parts::Header::new(1, hash(h, 2)).unwrap(),
    };
    let header = Header {
        version: Version { block: 11, app: 0 },
        chain_id: CHAIN_ID.parse().unwrap(),
        height: height.try_into().unwrap(),
        time: tendermint::Time::from_unix_timestamp(1_700_000_000 + height as i64, 0).unwrap(),
        last_block_id: (height > 1).then(|| id(height - 1)),
        last_commit_hash: Some(hash(height, 3)),
        data_hash: Some(hash(height, 4)),
        validators_hash: hash(0, 5),
        next_validators_hash: hash(0, 5),
        consensus_hash: hash(0, 6),
        app_hash: vec![height as u8; 32].try_into().unwrap(),
        last_results_hash: Some(hash(height, 7)),
        evidence_hash: Some(hash(0, 8)),
        proposer_address: tendermint::account::Id::new([4; 20]),
    };
    let commit = |h: u64| Commit {
        height: h.try_into().unwrap(),
        round: 0u16.into(),
        block_id: id(h),
        signatures: Vec::new(),
    };
    BlockRecord {
        block_id: id(height),
        block: tendermint::Block::new(
            header,
            txs,
            tendermint::evidence::List::default(),
            (height > 1).then(|| commit(height - 1)),
        ),
        commit: commit(height),
    }
}

pub fn validator() -> validator::Info {
    let key = tendermint::PublicKey::from_raw_ed25519(&[7u8; 32]).unwrap();
    validator::Info::new(key, 10u32.into())
}

pub fn indexed(height: u64, index: u32, tx: &[u8], code: u32) -> IndexedTx {
    IndexedTx {
        hash: tx_hash(tx),
        height,
        index,
        tx: tx.to_vec(),
        result: ExecTxResult {
            code: code.into(),
            gas_wanted: 200_000,
            gas_used: 51_234,
            log: if code == 0 {
                String::new()
            } else {
                "insufficient funds".into()
            },
            codespace: if code == 0 {
                String::new()
            } else {
                "sdk".into()
            },
            events: vec![Event::new(
                "transfer",
                [
                    ("recipient", "wicas1abc", true),
                    ("amount", "5uwicas", true),
                ],
            )],
            ..ExecTxResult::default()
        },
    }
}

impl Backend for Fake {
    fn node_info(&self) -> Result<NodeInfo, BackendError> {
        Ok(NodeInfo {
            chain_id: CHAIN_ID.parse().unwrap(),
            moniker: "fake".into(),
            node_id: tendermint::node::Id::new([1; 20]),
            p2p_listen_addr: "/ip4/127.0.0.1/tcp/1".into(),
            rpc_listen_addr: "127.0.0.1:2".into(),
            validator: validator(),
            app_version: "0.1.0".into(),
            catching_up: false,
        })
    }

    fn height_range(&self) -> Result<Option<(u64, u64)>, BackendError> {
        if self.tall {
            return Ok(Some((1, 50_000)));
        }
        Ok(Some((1, self.top())))
    }

    fn committed_heights(&self) -> watch::Receiver<u64> {
        self.heights.subscribe()
    }

    fn block(&self, height: u64) -> Result<Option<BlockRecord>, BackendError> {
        if height == 0 || height > self.top() {
            return Ok(None);
        }
        let txs = self.txs_at(height)?.into_iter().map(|t| t.tx).collect();
        Ok(Some(block(height, txs)))
    }

    fn validators(&self, _height: u64) -> Result<Option<Vec<validator::Info>>, BackendError> {
        Ok(Some(vec![validator()]))
    }

    fn abci_info(&self) -> Result<abci::response::Info, BackendError> {
        Ok(abci::response::Info {
            data: "wicas".into(),
            version: "0.1.0".into(),
            app_version: 0,
            last_block_height: 3u32.into(),
            last_block_app_hash: vec![9; 32].try_into().unwrap(),
        })
    }

    fn abci_query(
        &self,
        path: &str,
        data: &[u8],
        height: u64,
    ) -> Result<QueryAnswer, BackendError> {
        if path == "/cosmos.auth.v1beta1.Query/Account" {
            return Ok(QueryAnswer {
                code: 22,
                codespace: "sdk".into(),
                log: "rpc error: code = NotFound desc = account wicas1x not found: key not found"
                    .into(),
                value: Vec::new(),
                height: 3,
            });
        }
        // Echo: the answer is the path's bytes then the data, read at the asked height.
        let mut value = path.as_bytes().to_vec();
        value.extend_from_slice(data);
        Ok(QueryAnswer {
            code: 0,
            codespace: String::new(),
            log: String::new(),
            value,
            height: if height == 0 { 3 } else { height },
        })
    }

    fn submit(&self, tx: &[u8]) -> Result<CheckTx, BackendError> {
        if tx.starts_with(b"full") {
            return Err(BackendError::Mempool(
                "mempool is full: 5000 txs (max 5000)".into(),
            ));
        }
        if tx.starts_with(b"bad") {
            return Ok(CheckTx {
                code: 5.into(),
                codespace: "sdk".into(),
                log: "insufficient funds".into(),
                ..CheckTx::default()
            });
        }
        let mut txs = self.txs.lock().unwrap();
        let height = txs
            .iter()
            .map(|t| t.height)
            .max()
            .unwrap_or(3)
            .max(*self.heights.borrow())
            + 1;
        txs.push(indexed(height, 0, tx, 0));
        drop(txs);
        self.commit(height);
        Ok(CheckTx::default())
    }

    fn tx(&self, hash: &Hash) -> Result<Option<IndexedTx>, BackendError> {
        Ok(self
            .txs
            .lock()
            .unwrap()
            .iter()
            .find(|t| t.hash == *hash)
            .cloned())
    }

    fn txs_at(&self, height: u64) -> Result<Vec<IndexedTx>, BackendError> {
        Ok(self
            .txs
            .lock()
            .unwrap()
            .iter()
            .filter(|t| t.height == height)
            .cloned()
            .collect())
    }

    fn block_results(&self, height: u64) -> Result<Option<BlockResults>, BackendError> {
        let txs = self.txs_at(height)?;
        Ok(Some(BlockResults {
            txs_results: txs.into_iter().map(|t| t.result).collect(),
            finalize_block_events: vec![Event::new("end", [("k", "v", false)])],
            app_hash: vec![height as u8; 32].try_into().unwrap(),
        }))
    }

    fn metrics(&self) -> Result<MetricsSnapshot, BackendError> {
        Ok(MetricsSnapshot {
            height: 3,
            txs_committed: self.txs.lock().unwrap().len() as u64,
            ..MetricsSnapshot::default()
        })
    }
}

/// A server on a free port over `fake`.
pub async fn serve(fake: Fake, config: RpcConfig) -> (RpcServer, Arc<Fake>) {
    let fake = Arc::new(fake);
    let server = wicas_rpc::serve("127.0.0.1:0", fake.clone(), config)
        .await
        .unwrap();
    (server, fake)
}

/// The fake with three txs: two at height 2 (one failed), one at height 3.
pub fn with_txs() -> Fake {
    let fake = Fake::default();
    fake.txs.lock().unwrap().extend([
        indexed(2, 0, b"tx-a", 0),
        indexed(2, 1, b"tx-b", 5),
        indexed(3, 0, b"tx-c", 0),
    ]);
    fake
}

/// A URL for tendermint-rpc's client.
pub fn url(server: &RpcServer) -> String {
    format!("http://{}", server.local_addr)
}
