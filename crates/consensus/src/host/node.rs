//! Starting consensus: malachite's engine (WAL, libp2p network, sync) plus our host loop.

use std::path::PathBuf;

use malachitebft_app_channel::app::config::{ConsensusConfig, NodeConfig, ValueSyncConfig};
use malachitebft_app_channel::app::net::Multiaddr;
use malachitebft_app_channel::app::types::Keypair;
use malachitebft_app_channel::app::types::codec::Codec;
use malachitebft_app_channel::{
    ConsensusContext, EngineHandle, NetworkContext, NetworkIdentity, RequestContext, Signer,
    SyncContext, WalContext, start_engine,
};
use tokio::task::JoinHandle;

use super::error::HostError;
use super::gossip::TxGossip;
use super::run::run_host;
use super::state::Host;
use super::store::DecidedStore;
use crate::codec::ProtobufCodec;
use crate::context::{Ed25519Provider, Ed25519Verifier};
use crate::executor::BlockExecutor;
use crate::keys::PrivateKey;

/// Network and disk settings of one node.
#[derive(Clone, Debug)]
pub struct NetConfig {
    /// Node name in logs and metrics.
    pub moniker: String,
    /// Where to listen, e.g. `/ip4/127.0.0.1/tcp/26656`.
    pub listen_addr: Multiaddr,
    /// Peers to keep connected to.
    pub persistent_peers: Vec<Multiaddr>,
    /// The write-ahead log file.
    pub wal_path: PathBuf,
    /// How often sync tells peers our height (malachite's default is 10 000 ms); a lagging
    /// node learns it is behind within this period.
    pub sync_status_interval_ms: u64,
}

/// Malachite's view of the node configuration.
#[derive(Clone, Debug)]
struct EngineConfig {
    moniker: String,
    consensus: ConsensusConfig,
    value_sync: ValueSyncConfig,
}

impl NodeConfig for EngineConfig {
    fn moniker(&self) -> &str {
        &self.moniker
    }

    fn consensus(&self) -> &ConsensusConfig {
        &self.consensus
    }

    fn consensus_mut(&mut self) -> &mut ConsensusConfig {
        &mut self.consensus
    }

    fn value_sync(&self) -> &ValueSyncConfig {
        &self.value_sync
    }

    fn value_sync_mut(&mut self) -> &mut ValueSyncConfig {
        &mut self.value_sync
    }
}

/// Errors starting the engine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The validator key could not become a libp2p identity.
    #[error("network identity: {0}")]
    Identity(String),
    /// Signing or encoding the validator proof failed.
    #[error("validator proof: {0}")]
    Proof(String),
    /// Malachite's engine failed to start.
    #[error("engine: {0}")]
    Engine(String),
}

/// A running node: the engine and the host task (which ends with the host's error, if any).
pub struct RunningNode {
    /// Malachite's actors.
    pub engine: EngineHandle,
    /// The host loop.
    pub host: JoinHandle<Result<(), HostError>>,
}

impl core::fmt::Debug for RunningNode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RunningNode").finish_non_exhaustive()
    }
}

/// Starts malachite with our context, codecs and signer, and runs `host` on its channels.
/// The libp2p identity is derived from the validator key (one key per node, as malachite's
/// own apps do). No mempool gossip: see [`start_node_with_gossip`].
pub async fn start_node<E: BlockExecutor, S: DecidedStore>(
    host: Host<E, S>,
    key: &PrivateKey,
    net: NetConfig,
) -> Result<RunningNode, StartError> {
    start_node_with_gossip(host, key, net, None).await
}

/// [`start_node`] with the node's ends of mempool gossip.
pub async fn start_node_with_gossip<E: BlockExecutor, S: DecidedStore>(
    host: Host<E, S>,
    key: &PrivateKey,
    net: NetConfig,
    gossip: Option<TxGossip>,
) -> Result<RunningNode, StartError> {
    let ctx = host.context().clone();
    let chain_id = ctx.chain_id().clone();
    let address = host.address();
    let keypair = Keypair::ed25519_from_bytes(key.to_seed())
        .map_err(|e| StartError::Identity(e.to_string()))?;
    let signer = Ed25519Provider::new(chain_id.clone(), key.clone());
    let proof = signer
        .sign_validator_proof(
            key.public_key().to_bytes().to_vec(),
            keypair.public().to_peer_id().to_bytes(),
        )
        .await
        .map_err(|e| StartError::Proof(e.to_string()))?;
    let proof_bytes = ProtobufCodec
        .encode(&proof)
        .map_err(|e| StartError::Proof(e.to_string()))?;
    let identity = NetworkIdentity::new_validator(
        net.moniker.clone(),
        keypair,
        address.to_string(),
        proof_bytes,
    );

    let mut consensus = ConsensusConfig::default();
    consensus.p2p.listen_addr = net.listen_addr;
    consensus.p2p.persistent_peers = net.persistent_peers;
    let config = EngineConfig {
        moniker: net.moniker,
        consensus,
        value_sync: ValueSyncConfig {
            status_update_interval: std::time::Duration::from_millis(net.sync_status_interval_ms),
            ..ValueSyncConfig::default()
        },
    };
    let (channels, engine) = start_engine(
        ctx,
        config,
        WalContext::new(net.wal_path, ProtobufCodec),
        NetworkContext::new(identity, ProtobufCodec),
        ConsensusContext::new_validator(
            address,
            Box::new(Ed25519Verifier::new(chain_id)),
            Box::new(signer),
        ),
        SyncContext::new(ProtobufCodec),
        RequestContext::new(100),
    )
    .await
    .map_err(|e| StartError::Engine(e.to_string()))?;
    let host = tokio::spawn(run_host(host, channels, gossip));
    Ok(RunningNode { engine, host })
}
