//! [`Backend`]: what the RPC needs from a node. The node crate implements it (the RPC crate never
//! depends on the node, so there is no package cycle).
//!
//! # Contract
//! - Every method is a short, blocking read or a `CheckTx`-style admission; the server calls them
//!   on tokio's blocking pool, never on the async workers (a query may run a contract that runs
//!   inference for seconds).
//! - Heights are CometBFT heights: block `h` is the `h`-th decided block; `0` is "nothing yet".
//! - The *latest* height is the last **committed** one: its block is stored, its results are
//!   indexed and the app's state after it is written. A block the store holds but the app has
//!   not committed yet is not served as latest, so every answer about the tip (status, block,
//!   commit, events) describes one consistent state.
//! - Everything returned for a height `h <= latest` is final: the RPC may cache it.
//! - Results are the node's own records, never recomputed: a tx the node did not index is
//!   reported as missing, not re-executed.

use tendermint::abci::response::CheckTx;
use tendermint::abci::types::ExecTxResult;
use tendermint::block::{Commit, Id as BlockId};
use tendermint::{AppHash, Block, Hash, abci, validator};

/// A node-side failure the RPC reports as CometBFT's "Internal error" (-32603).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackendError {
    /// The node's stores failed (disk, corruption).
    #[error("store: {0}")]
    Store(String),
    /// The mempool refused the tx (full, too large, already in the pool).
    #[error("{0}")]
    Mempool(String),
    /// The node's state lock was poisoned by a panicking thread.
    #[error("node state lock poisoned")]
    Poisoned,
    /// The node is shutting down or not started yet.
    #[error("node unavailable: {0}")]
    Unavailable(String),
}

/// Static facts about the node (what `status` reports besides the chain tip).
#[derive(Clone, Debug)]
pub struct NodeInfo {
    /// The chain id (`node_info.network`).
    pub chain_id: tendermint::chain::Id,
    /// The node's name.
    pub moniker: String,
    /// `hex(SHA-256(node public key)[..20])`, as CometBFT derives node ids.
    pub node_id: tendermint::node::Id,
    /// The p2p listen address.
    pub p2p_listen_addr: String,
    /// The RPC listen address (`node_info.other.rpc_address`).
    pub rpc_listen_addr: String,
    /// This node's validator key and power (power 0 when it is not in the set).
    pub validator: validator::Info,
    /// The app's version string (`abci_info.version`).
    pub app_version: String,
    /// Whether the node is still syncing decided blocks from peers.
    pub catching_up: bool,
}

/// A decided block as the RPC serves it.
#[derive(Clone, Debug)]
pub struct BlockRecord {
    /// Its block id (header hash and part-set header).
    pub block_id: BlockId,
    /// The block.
    pub block: Block,
    /// The commit that decided this block (from its commit certificate; the next block's
    /// `last_commit` once that block exists).
    pub commit: Commit,
}

/// A committed transaction with its result (CometBFT's kv tx indexer record).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedTx {
    /// SHA-256 of the tx bytes.
    pub hash: Hash,
    /// The block height.
    pub height: u64,
    /// Its position in the block.
    pub index: u32,
    /// The raw tx (TxRaw bytes).
    pub tx: Vec<u8>,
    /// What executing it produced.
    pub result: ExecTxResult,
}

/// Results of executing a block (CometBFT's `ResponseFinalizeBlock` as stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockResults {
    /// One result per tx, in block order.
    pub txs_results: Vec<ExecTxResult>,
    /// Block-level events (begin and end of block).
    pub finalize_block_events: Vec<abci::Event>,
    /// The state root after the block.
    pub app_hash: AppHash,
}

/// An ABCI query's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryAnswer {
    /// 0 on success.
    pub code: u32,
    /// The error's codespace when `code != 0`.
    pub codespace: String,
    /// The error text (CosmJS matches `rpc error: code = NotFound` for missing accounts).
    pub log: String,
    /// The protobuf response.
    pub value: Vec<u8>,
    /// The height the answer was read at.
    pub height: u64,
}

/// Counters for `GET /metrics`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricsSnapshot {
    /// The latest committed height.
    pub height: u64,
    /// Transactions committed since the node started (successful or not).
    pub txs_committed: u64,
    /// Transactions committed with a non-zero code since the node started.
    pub txs_failed: u64,
    /// Inference calls the engines answered since the node started.
    pub inference_calls: u64,
    /// Total wall-clock seconds spent in those calls.
    pub inference_seconds_total: f64,
    /// Tokens the engines generated in those calls.
    pub inference_tokens: u64,
    /// Transactions waiting in the mempool.
    pub mempool_size: u64,
}

/// What the RPC reads and submits through.
pub trait Backend: Send + Sync + 'static {
    /// Static node facts.
    fn node_info(&self) -> Result<NodeInfo, BackendError>;

    /// The lowest decided height still stored and the latest committed height (see the module
    /// contract); `None` before the first block is committed.
    fn height_range(&self) -> Result<Option<(u64, u64)>, BackendError>;

    /// The latest committed height, updated once per block after the block's commit (its block,
    /// results and app state all stored); `0` before the first block. The websocket event bus
    /// watches it and publishes every height up to the new value, read back through this trait.
    fn committed_heights(&self) -> tokio::sync::watch::Receiver<u64>;

    /// The decided block at `height`.
    fn block(&self, height: u64) -> Result<Option<BlockRecord>, BackendError>;

    /// The validator set that signed `height` (CometBFT order), `None` if unknown.
    fn validators(&self, height: u64) -> Result<Option<Vec<validator::Info>>, BackendError>;

    /// The app's last committed height and app hash (`abci_info`).
    fn abci_info(&self) -> Result<abci::response::Info, BackendError>;

    /// An ABCI query at `height` (0 = latest).
    fn abci_query(&self, path: &str, data: &[u8], height: u64)
    -> Result<QueryAnswer, BackendError>;

    /// `CheckTx` then admission to the mempool. A tx the app refuses comes back as a `CheckTx`
    /// with a non-zero code; a mempool refusal (full, duplicate, too large) as
    /// [`BackendError::Mempool`], as CometBFT reports them.
    fn submit(&self, tx: &[u8]) -> Result<CheckTx, BackendError>;

    /// A committed tx by hash.
    fn tx(&self, hash: &Hash) -> Result<Option<IndexedTx>, BackendError>;

    /// The committed txs of the block at `height`, in block order.
    fn txs_at(&self, height: u64) -> Result<Vec<IndexedTx>, BackendError>;

    /// What executing the block at `height` produced.
    fn block_results(&self, height: u64) -> Result<Option<BlockResults>, BackendError>;

    /// Counters for `GET /metrics`.
    fn metrics(&self) -> Result<MetricsSnapshot, BackendError>;
}

/// The SHA-256 of a tx, as CometBFT names txs.
pub fn tx_hash(tx: &[u8]) -> Hash {
    use sha2::Digest;
    Hash::Sha256(sha2::Sha256::digest(tx).into())
}
