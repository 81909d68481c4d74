//! # wicas-rpc — the node's CometBFT-compatible JSON-RPC
//!
//! Serves the subset of CometBFT 0.38's RPC that CosmJS 0.38 and tendermint-rs clients use
//! (`status`, `abci_info`, `abci_query`, `broadcast_tx_sync|async|commit`, `tx`, `tx_search`,
//! `block`, `block_results`, `commit`, `header`, `validators`, `health`) as JSON-RPC 2.0 POST at
//! `/` (single and batch), as GET URIs (`/status`, `/abci_query?path="…"&data=0x…`) and over a
//! websocket at `/websocket`, where `subscribe` delivers CometBFT's `NewBlock`,
//! `NewBlockHeader` and `Tx` events; plus `GET /metrics` in Prometheus's text format.
//!
//! Invariants:
//! - The JSON is CometBFT's by construction: every answer is a `tendermint-rpc` 0.40 endpoint
//!   response (or a `tendermint` block, commit or validator type) serialized by its own serde
//!   code; the rare field tendermint-rpc lacks (`validators.count`) is added and tested.
//! - Errors are JSON-RPC errors with CometBFT's codes, messages and texts ("tx (…) not found",
//!   "height … must be less than or equal to the current blockchain height …").
//! - The RPC reads and submits only through [`Backend`], which the node implements; it holds no
//!   chain state of its own and never changes state except by submitting a tx to the mempool.
//!
//! - Every websocket resource is bounded (connections, subscribing clients, subscriptions per
//!   client, one outgoing queue per client); a client that does not read loses its
//!   subscriptions, never the node's memory.
//!
//! Never: block tokio's workers on the node (every backend call runs on the blocking pool), or
//! answer for data it does not have (a missing tx, block or proof is an error, not a guess).

mod backend;
mod events;
mod jsonrpc;
mod methods;
mod metrics;
mod params;
mod query;
mod server;
mod ws;

pub use backend::{
    Backend, BackendError, BlockRecord, BlockResults, IndexedTx, MetricsSnapshot, NodeInfo,
    QueryAnswer, tx_hash,
};
pub use jsonrpc::RpcError;
pub use methods::METHODS;
pub use metrics::render as render_metrics;
pub use query::{Condition, MAX_QUERY_BYTES, Op, Operand, parse as parse_query};
pub use server::{
    DEFAULT_MAX_BODY_BYTES, MAX_BATCH_REQUESTS, RpcConfig, RpcServer, ServeError, router, serve,
};
pub use ws::{MAX_PENDING_REQUESTS, MAX_SUBSCRIBE_QUERY_BYTES};
