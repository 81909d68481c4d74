//! Whole nodes in one process: malachite's engine (WAL, libp2p on 127.0.0.1, sync) with our
//! host, context, codecs and signer, over the test app. One validator alone, then four that must
//! agree on every app hash, with vote extensions required and handed to the next proposer.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use malachitebft_app_channel::app::types::core::{LinearTimeouts, VoteExtensionPolicy};
use tendermint::Time;
use wicas_consensus::{
    ChainParams, Host, HostConfig, MemoryDecidedStore, NetConfig, PrivateKey, RunningNode,
    Validator, ValidatorSet, start_node,
};

use crate::test_app::{Journal, TestApp};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wicas-consensus-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn timeouts() -> LinearTimeouts {
    LinearTimeouts {
        propose: Duration::from_millis(1500),
        prevote: Duration::from_millis(500),
        precommit: Duration::from_millis(500),
        ..LinearTimeouts::default()
    }
}

async fn start_validators(n: u8, name: &str) -> (Vec<RunningNode>, Vec<Arc<Mutex<Journal>>>) {
    let keys: Vec<PrivateKey> = (1..=n).map(|i| PrivateKey::from_seed([i; 32])).collect();
    let validators =
        ValidatorSet::new(keys.iter().map(|k| Validator::new(k.public_key(), 1))).unwrap();
    let params = ChainParams {
        chain_id: "wicas-it-1".parse().unwrap(),
        block_max_bytes: 1 << 20,
        block_max_gas: -1,
        app_version: 1,
    };
    let ports: Vec<u16> = keys.iter().map(|_| free_port()).collect();
    let addr = |p: u16| format!("/ip4/127.0.0.1/tcp/{p}").parse().unwrap();
    let dir = temp_dir(name);
    let mut nodes = Vec::new();
    let mut journals = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let app = TestApp::new(&format!("v{i}"));
        journals.push(app.journal.clone());
        let config = HostConfig {
            params: params.clone(),
            validators: validators.clone(),
            key: key.clone(),
            genesis_time: Time::from_unix_timestamp(1_764_000_000, 0).unwrap(),
            timeouts: timeouts(),
            vote_extensions: VoteExtensionPolicy::Required,
        };
        // The proposer's clock: the genesis time plus the wall-clock elapsed (test edge only).
        let start = std::time::Instant::now();
        let clock = Box::new(move || {
            Time::from_unix_timestamp(1_764_000_000, 0)
                .unwrap()
                .checked_add(start.elapsed())
                .unwrap()
        });
        let host = Host::new(config, app, MemoryDecidedStore::default(), clock).unwrap();
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
        nodes.push(start_node(host, key, net).await.unwrap());
    }
    (nodes, journals)
}

async fn wait_for_height(journals: &[Arc<Mutex<Journal>>], height: u64, limit: Duration) {
    let deadline = std::time::Instant::now() + limit;
    loop {
        let done = journals.iter().all(|j| {
            j.lock()
                .unwrap()
                .committed
                .iter()
                .any(|(h, _)| *h >= height)
        });
        if done {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "height {height} not reached: {journals:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_validator_commits_blocks_alone() {
    let (nodes, journals) = start_validators(1, "one").await;
    wait_for_height(&journals, 3, Duration::from_secs(60)).await;
    let j = journals[0].lock().unwrap();
    let heights: Vec<u64> = j.committed.iter().map(|(h, _)| *h).take(3).collect();
    assert_eq!(heights, vec![1, 2, 3]);
    // Height 2's proposer saw height 1's extension (its own).
    assert!(
        j.extensions_seen.iter().any(|(h, n)| *h == 2 && *n == 1),
        "{:?}",
        j.extensions_seen
    );
    drop(j);
    for n in nodes {
        n.host.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_validators_agree_on_every_app_hash() {
    let (nodes, journals) = start_validators(4, "four").await;
    wait_for_height(&journals, 3, Duration::from_secs(120)).await;
    let first: Vec<Vec<(u64, Vec<u8>)>> = journals
        .iter()
        .map(|j| {
            j.lock()
                .unwrap()
                .committed
                .iter()
                .filter(|(h, _)| *h <= 3)
                .cloned()
                .collect()
        })
        .collect();
    for other in &first[1..] {
        assert_eq!(other, &first[0]);
    }
    // From height 2 on, proposers see > 2/3 of the extensions of the previous height.
    let saw: Vec<(u64, usize)> = journals
        .iter()
        .flat_map(|j| j.lock().unwrap().extensions_seen.clone())
        .filter(|(h, _)| *h >= 2)
        .collect();
    assert!(
        !saw.is_empty() && saw.iter().all(|(_, n)| *n >= 3),
        "{saw:?}"
    );
    for n in nodes {
        n.host.abort();
    }
}
