//! Starting a chain from a home: the app over its store, the mempool, the decided-block store,
//! malachite's engine with our host. Used by `wicasd start`, `wicasd demo` and the tests.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use malachitebft_app_channel::app::types::core::{LinearTimeouts, VoteExtensionPolicy};
use tokio::sync::mpsc;
use wicas_app::ai::ModelRegistry;
use wicas_app::{App, AppConfig};
use wicas_consensus::{
    Host, HostConfig, NetConfig, RedbDecidedStore, RunningNode, TxGossip, start_node_with_gossip,
};
use wicas_rpc::{NodeInfo, RpcConfig, RpcServer};
use wicas_store::Storage;

use crate::executor::AppExecutor;
use crate::fail_point::FailPoint;
use crate::home::Home;
use crate::mempool::{Mempool, MempoolConfig};
use crate::metrics::NodeMetrics;
use crate::models::ModelDir;
use crate::rpc_backend::{NodeRpc, validator_info};
use crate::shared::NodeHandle;
use crate::txindex::TxIndex;

/// Whether and where a started chain serves the RPC.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RpcListen {
    /// No RPC (in-process tests and benches that drive the [`NodeHandle`] directly).
    #[default]
    Off,
    /// At the home's `node.json` `rpc_laddr`.
    Home,
    /// At this `host:port` (port 0 picks a free one; see [`RunningChain::rpc`]).
    At(String),
}

/// Node-local settings of a running chain (none of them consensus state).
#[derive(Debug, Clone)]
pub struct StartOptions {
    /// The app's contract cache and engines; `None` = a module cache in the home's
    /// `data/wasm-cache` and no engines loaded yet.
    pub app: Option<AppConfig>,
    /// Mempool limits.
    pub mempool: MempoolConfig,
    /// How long a proposer with an empty mempool waits for a tx before an empty block.
    pub empty_block_wait: Duration,
    /// Replace the home's p2p listen address (e.g. a free port in tests).
    pub listen_addr: Option<String>,
    /// Whether and where to serve the RPC.
    pub rpc: RpcListen,
    /// RPC server settings.
    pub rpc_config: RpcConfig,
    /// A test hook: freeze at this step so a test can kill the process there.
    pub fail_point: Option<FailPoint>,
    /// Where the GGUF files of registered models are (used when `app` is `None`; without it
    /// the node cannot run a registered model and refuses to start).
    pub model_dir: Option<PathBuf>,
}

impl Default for StartOptions {
    fn default() -> Self {
        Self {
            app: None,
            mempool: MempoolConfig::default(),
            empty_block_wait: Duration::from_millis(1000),
            listen_addr: None,
            rpc: RpcListen::Off,
            rpc_config: RpcConfig::default(),
            fail_point: None,
            model_dir: None,
        }
    }
}

/// A running chain.
#[derive(Debug)]
pub struct RunningChain {
    /// The app and mempool (submit txs, read results and state).
    pub node: NodeHandle,
    /// Malachite's engine and the host task.
    pub consensus: RunningNode,
    /// The RPC server, when one was asked for (its `local_addr` is the bound address).
    pub rpc: Option<RpcServer>,
    /// Committed txs and block results.
    pub index: TxIndex,
    /// Counters since start.
    pub metrics: NodeMetrics,
}

impl RunningChain {
    /// Stop consensus (malachite's actors, then the host task); the stores and the WAL stay
    /// for the next start.
    pub async fn stop(self) {
        if let Some(rpc) = self.rpc {
            let _stopped = rpc.shutdown().await;
        }
        self.consensus.engine.actor.stop(None);
        let _ended =
            tokio::time::timeout(Duration::from_secs(10), self.consensus.engine.handle).await;
        self.consensus.host.abort();
        // Wait until the aborted task is dropped: it owns the block store, which a restart in
        // the same process must be able to open again.
        let _aborted = self.consensus.host.await;
    }
}

/// Client txs waiting to be gossiped (a full queue skips gossip, never the local mempool).
pub const GOSSIP_QUEUE_TXS: usize = 10_000;
/// Batches from peers waiting for `check_tx` (a full queue drops new batches).
pub const GOSSIP_QUEUE_BATCHES: usize = 256;

/// Admits txs that peers gossiped, on a thread of its own (`check_tx` verifies signatures:
/// keep that off the async workers). Ends when consensus drops its end of the channel.
fn take_gossip(node: NodeHandle, mut batches: mpsc::Receiver<Vec<Vec<u8>>>) {
    std::thread::spawn(move || {
        while let Some(batch) = batches.blocking_recv() {
            for tx in batch {
                // Duplicates (the tx came from several peers, or was already committed) and
                // txs this node's state refuses are expected: gossip is best effort.
                let _ = node.submit_from_peer(tx);
            }
        }
    });
}

fn timeouts(empty_block_wait: Duration) -> LinearTimeouts {
    LinearTimeouts {
        propose: empty_block_wait + Duration::from_millis(2000),
        prevote: Duration::from_millis(1000),
        precommit: Duration::from_millis(1000),
        ..LinearTimeouts::default()
    }
}

/// The proposer's clock (block header time). A node-edge wall clock: consensus checks that the
/// time grows and every validator executes the header's time, never its own.
#[allow(clippy::disallowed_methods)]
// reason: the proposer's block time must come from a clock; consensus code never reads it.
fn wall_clock() -> tendermint::Time {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    tendermint::Time::from_unix_timestamp(
        i64::try_from(now.as_secs()).unwrap_or(i64::MAX),
        now.subsec_nanos(),
    )
    .unwrap_or_else(|_| tendermint::Time::unix_epoch())
}

/// Open the app (writing genesis on the first start), check it can serve every registered
/// model, and start consensus. Must be called inside a multi-threaded tokio runtime.
pub async fn start(home: &Home, options: StartOptions) -> Result<RunningChain> {
    let genesis = home.genesis()?;
    let key = home.validator_key()?;
    let node_file = home.node_file()?;
    let data = home.data_dir();
    std::fs::create_dir_all(&data).with_context(|| format!("creating {}", data.display()))?;

    let storage = Storage::open(data.join("state.redb")).context("opening the app store")?;
    let metrics = NodeMetrics::default();
    let app_config = match options.app {
        Some(config) => config,
        None => {
            let mut config =
                AppConfig::new(data.join("wasm-cache")).context("opening the contract cache")?;
            if let Some(dir) = &options.model_dir {
                config.models = Arc::new(ModelRegistry::with_loader(Arc::new(ModelDir::new(
                    dir,
                    metrics.clone(),
                ))));
            }
            config
        }
    };
    let mut app = App::open(storage, app_config).context("opening the app")?;
    match app.info().chain_id {
        None => {
            app.init_chain(&genesis.app_state)
                .context("writing the app genesis")?;
        }
        Some(id) => ensure!(
            id == genesis.app_state.chain_id,
            "the store holds chain {id:?} but genesis.json says {:?}",
            genesis.app_state.chain_id
        ),
    }
    let missing = app.unavailable_models()?;
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(ToString::to_string).collect();
        bail!(
            "this node cannot load registered models (it would answer differently from the other validators): {}",
            list.join("; ")
        );
    }

    let (gossip_out, outbound) = mpsc::channel(GOSSIP_QUEUE_TXS);
    let (inbound, gossip_in) = mpsc::channel(GOSSIP_QUEUE_BATCHES);
    let node = NodeHandle::new(app, Mempool::new(options.mempool)).with_gossip(gossip_out);
    take_gossip(node.clone(), gossip_in);
    let index = TxIndex::open(data.join("tx_index.redb")).context("opening tx_index.redb")?;
    let (committed, committed_rx) = tokio::sync::watch::channel(node.height()?);
    let executor = AppExecutor::new(node.clone(), options.empty_block_wait)
        .with_fail_point(options.fail_point)
        .with_index(index.clone(), metrics.clone())
        .with_committed(committed);
    let config = HostConfig {
        params: genesis.chain_params()?,
        validators: genesis.validator_set()?,
        key: key.clone(),
        genesis_time: genesis.genesis_time()?,
        timeouts: timeouts(options.empty_block_wait),
        vote_extensions: VoteExtensionPolicy::Disabled,
    };
    let blocks = RedbDecidedStore::open(data.join("blocks.redb")).context("opening blocks.redb")?;
    let reader = blocks.reader();
    let validators = config.validators.clone();
    let host = Host::new(config, executor, blocks, Box::new(wall_clock))
        .context("resuming consensus from the stores")?;
    let listen = options.listen_addr.unwrap_or(node_file.listen_addr);
    let rpc_addr = match options.rpc {
        RpcListen::Off => None,
        RpcListen::Home => Some(node_file.rpc_laddr.clone()),
        RpcListen::At(addr) => Some(addr),
    };
    let moniker = node_file.moniker.clone();
    let net = NetConfig {
        moniker: node_file.moniker,
        listen_addr: listen
            .parse()
            .with_context(|| format!("listen address {listen:?}"))?,
        persistent_peers: node_file
            .persistent_peers
            .iter()
            .map(|p| p.parse().with_context(|| format!("peer {p:?}")))
            .collect::<Result<_>>()?,
        wal_path: data.join("consensus.wal"),
        sync_status_interval_ms: 1000,
    };
    let rpc = match rpc_addr {
        None => None,
        Some(addr) => {
            let public = key.public_key();
            let backend = NodeRpc {
                node: node.clone(),
                blocks: reader,
                index: index.clone(),
                metrics: metrics.clone(),
                info: NodeInfo {
                    chain_id: genesis.app_state.chain_id.parse().map_err(|e| {
                        anyhow::anyhow!(
                            "chain id {:?} is not a CometBFT chain id: {e}",
                            genesis.app_state.chain_id
                        )
                    })?,
                    moniker,
                    node_id: tendermint::node::Id::try_from(public.to_tendermint())
                        .map_err(|e| anyhow::anyhow!("node id: {e}"))?,
                    p2p_listen_addr: listen,
                    rpc_listen_addr: addr.clone(),
                    validator: validator_info(&public, &validators),
                    app_version: env!("CARGO_PKG_VERSION").to_owned(),
                    catching_up: false,
                },
                validators,
                committed: committed_rx,
            };
            Some(
                wicas_rpc::serve(&addr, Arc::new(backend), options.rpc_config)
                    .await
                    .context("starting the RPC server")?,
            )
        }
    };
    let gossip = TxGossip { outbound, inbound };
    let consensus = match start_node_with_gossip(host, &key, net, Some(gossip)).await {
        Ok(c) => c,
        Err(e) => {
            if let Some(rpc) = rpc {
                let _stopped = rpc.shutdown().await;
            }
            return Err(e).context("starting consensus");
        }
    };
    Ok(RunningChain {
        node,
        consensus,
        rpc,
        index,
        metrics,
    })
}
