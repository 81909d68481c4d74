//! The host: malachite's application side over a [`BlockExecutor`](crate::BlockExecutor) and a
//! [`DecidedStore`], and the function that starts a node.

mod certs;
mod error;
mod gossip;
mod node;
mod proposals;
mod redb_store;
mod run;
mod state;
mod store;

pub use error::HostError;
pub use gossip::{MAX_GOSSIP_BATCH_BYTES, MAX_GOSSIP_BATCH_TXS, TxGossip};
pub use node::{NetConfig, RunningNode, StartError, start_node, start_node_with_gossip};
pub use proposals::MAX_FUTURE_PROPOSALS;
pub use redb_store::{DecidedReader, RedbDecidedStore, RedbStoreError};
pub use run::run_host;
pub use state::{Host, HostConfig};
pub use store::{DecidedBlock, DecidedStore, Infallible, MemoryDecidedStore};
