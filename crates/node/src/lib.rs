//! # wicas-node — the node around the state machine
//!
//! Wires the app (`wicas-app`) to consensus (`wicas-consensus`): [`AppExecutor`] is the
//! consensus [`wicas_consensus::BlockExecutor`] over the app, [`Mempool`] holds transactions the
//! app's `check_tx` admitted, [`Home`] is the on-disk home `wicasd init` writes, and [`start`]
//! runs a chain from a home, with the CometBFT-compatible RPC ([`NodeRpc`] over the decided
//! blocks and the [`TxIndex`]) when asked.
//!
//! Invariants:
//! - Consensus decides, the app executes: this crate never changes state outside the app's
//!   block lifecycle, and every block is applied exactly once, across crashes too (the app
//!   writes its state only after consensus stored the decided block; see [`AppExecutor`]).
//! - The mempool is bounded: a tx that does not fit is refused with "mempool full", never
//!   silently dropped; a tx a committed block invalidated is evicted by re-checking.
//! - Wall clocks live only at the edge (the proposer's block time, key generation).

mod executor;
mod fail_point;
mod home;
mod keyring;
mod mempool;
mod metrics;
mod models;
mod rpc_backend;
mod run;
mod shared;
mod testnet;
mod txindex;

pub use executor::{
    AppExecutor, ExecError, MAX_VOTE_EXTENSION_BYTES, TX_FRAMING_BYTES, block_info,
};
pub use fail_point::{CrashPoint, FailPoint};
pub use home::{
    DEFAULT_CHAIN_ID, DEFAULT_LISTEN, DEFAULT_RPC_LISTEN, GENESIS_ACCOUNT, GENESIS_BALANCE,
    GenesisFile, GenesisValidator, Home, KeyFile, NodeFile, new_account_key,
};
pub use mempool::{Mempool, MempoolConfig, MempoolError, TxHash, tx_hash};
pub use metrics::{MeteredEngine, MetricsReading, NodeMetrics};
pub use models::ModelDir;
pub use rpc_backend::{NodeRpc, validator_info};
pub use run::{RpcListen, RunningChain, StartOptions, start};
pub use shared::{CommittedTx, NodeHandle, NodeState, REMEMBERED_RESULTS, SubmitError};
pub use testnet::{
    MAX_TESTNET_ACCOUNTS, MAX_TESTNET_VALIDATORS, TestnetNode, TestnetPlan, write_testnet,
};
pub use txindex::{ExecutedBlock, IndexError, TxIndex, abci_event, exec_tx_result};
