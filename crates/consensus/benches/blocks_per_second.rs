//! Blocks decided per second by 1 and 4 in-process validators on 127.0.0.1 (malachite engine,
//! our host, redb store, WAL), each block carrying `TXS_PER_BLOCK` 200-byte txs and vote
//! extensions. The executor only hashes txs: this measures consensus, not the state machine.
//!
//! Run: `cargo bench -p wicas-consensus --bench blocks_per_second` (add `--profile dev` for a
//! quick number without a release build of every dependency).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use malachitebft_app_channel::app::types::core::{LinearTimeouts, VoteExtensionPolicy};
use sha2::{Digest, Sha256};
use tendermint::hash::AppHash;
use tendermint::{Block, Time};
use wicas_consensus::{
    BlockExecutor, ChainParams, FinalizeResult, Host, HostConfig, NetConfig, PrepareRequest,
    PrivateKey, RedbDecidedStore, TxOutcome, Validator, ValidatorSet, start_node,
};

const TXS_PER_BLOCK: usize = 100;

struct HashApp {
    height: u64,
    hash: Vec<u8>,
    pending: Option<(u64, Vec<u8>)>,
    committed: Arc<AtomicU64>,
}

#[derive(Debug, thiserror::Error)]
#[error("unreachable")]
struct Never;

impl BlockExecutor for HashApp {
    type Error = Never;

    fn prepare_txs(&mut self, r: &PrepareRequest) -> Vec<Vec<u8>> {
        (0..TXS_PER_BLOCK)
            .map(|i| format!("{:0>200}", r.height * 1000 + i as u64).into_bytes())
            .collect()
    }

    fn finalize_block(&mut self, block: &Block) -> Result<FinalizeResult, Never> {
        let mut h = Sha256::new();
        h.update(&self.hash);
        for tx in &block.data {
            h.update(tx);
        }
        let hash = h.finalize().to_vec();
        self.pending = Some((block.header.height.value(), hash.clone()));
        Ok(FinalizeResult {
            app_hash: AppHash::try_from(hash).unwrap_or_default(),
            tx_outcomes: vec![TxOutcome::default(); block.data.len()],
        })
    }

    fn commit(&mut self) -> Result<(), Never> {
        if let Some((height, hash)) = self.pending.take() {
            self.height = height;
            self.hash = hash;
            self.committed.store(height, Ordering::SeqCst);
        }
        Ok(())
    }

    fn last_committed(&self) -> (u64, AppHash) {
        (
            self.height,
            AppHash::try_from(self.hash.clone()).unwrap_or_default(),
        )
    }

    fn extend_vote(&mut self, block: &Block) -> Vec<u8> {
        block.header.height.value().to_be_bytes().to_vec()
    }

    fn verify_vote_extension(&self, _: u64, _: &[u8]) -> Result<(), Never> {
        Ok(())
    }
}

async fn run(n: u8, blocks: u64) -> f64 {
    let dir = std::env::temp_dir().join(format!("wicas-bench-{n}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let keys: Vec<PrivateKey> = (1..=n).map(|i| PrivateKey::from_seed([i; 32])).collect();
    let validators =
        ValidatorSet::new(keys.iter().map(|k| Validator::new(k.public_key(), 1))).expect("set");
    let ports: Vec<u16> = keys
        .iter()
        .map(|_| {
            std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map(|a| a.port())
                .expect("port")
        })
        .collect();
    let addr = |p: u16| format!("/ip4/127.0.0.1/tcp/{p}").parse().expect("addr");
    let genesis = Time::from_unix_timestamp(1_764_000_000, 0).expect("time");
    let mut counters = Vec::new();
    let mut nodes = Vec::new();
    let start = Instant::now();
    for (i, key) in keys.iter().enumerate() {
        let committed = Arc::new(AtomicU64::new(0));
        counters.push(committed.clone());
        let app = HashApp {
            height: 0,
            hash: vec![0; 32],
            pending: None,
            committed,
        };
        let config = HostConfig {
            params: ChainParams {
                chain_id: "wicas-bench".parse().expect("chain"),
                block_max_bytes: 4 << 20,
                block_max_gas: -1,
                app_version: 1,
            },
            validators: validators.clone(),
            key: key.clone(),
            genesis_time: genesis,
            timeouts: LinearTimeouts::default(),
            vote_extensions: VoteExtensionPolicy::Required,
        };
        let begun = Instant::now();
        let clock = Box::new(move || genesis.checked_add(begun.elapsed()).expect("time"));
        let store = RedbDecidedStore::open(dir.join(format!("v{i}.redb"))).expect("store");
        let host = Host::new(config, app, store, clock).expect("host");
        let net = NetConfig {
            moniker: format!("v{i}"),
            listen_addr: addr(ports[i]),
            persistent_peers: ports
                .iter()
                .filter(|p| **p != ports[i])
                .map(|p| addr(*p))
                .collect(),
            wal_path: dir.join(format!("v{i}.wal")),
            sync_status_interval_ms: 1000,
        };
        nodes.push(start_node(host, key, net).await.expect("start"));
    }
    // Measure from the first decided block, so that peer connection setup is not counted.
    while counters.iter().any(|c| c.load(Ordering::SeqCst) < 1) {
        assert!(start.elapsed() < Duration::from_secs(120), "no first block");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let t0 = Instant::now();
    let h0 = counters
        .iter()
        .map(|c| c.load(Ordering::SeqCst))
        .min()
        .unwrap_or(0);
    while counters
        .iter()
        .any(|c| c.load(Ordering::SeqCst) < h0 + blocks)
    {
        assert!(t0.elapsed() < Duration::from_secs(300), "too slow");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let rate = blocks as f64 / t0.elapsed().as_secs_f64();
    for n in nodes {
        n.engine.actor.stop(None);
        n.host.abort();
    }
    rate
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for (n, blocks) in [(1u8, 300u64), (4, 100)] {
        let rate = rt.block_on(run(n, blocks));
        println!(
            "{n} validator(s): {rate:.1} blocks/s ({TXS_PER_BLOCK} txs of 200 B per block, {blocks} blocks)"
        );
    }
}
