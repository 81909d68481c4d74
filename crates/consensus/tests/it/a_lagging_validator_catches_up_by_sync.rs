//! Four validators; one is stopped while the other three (> 2/3) keep deciding, then restarted
//! from its WAL, redb store and committed app state. It must catch up through malachite's sync
//! (our codec, `GetDecidedValues`, `ProcessSyncedValue`) and agree on every app hash. Faults
//! tried: a validator down for several heights, including rounds where it was the proposer.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use malachitebft_app_channel::app::types::core::{LinearTimeouts, VoteExtensionPolicy};
use tendermint::Time;
use wicas_consensus::{
    ChainParams, Host, HostConfig, NetConfig, PrivateKey, RedbDecidedStore, RunningNode, Validator,
    ValidatorSet, start_node,
};

use crate::test_app::{Journal, TestApp};

struct Net {
    keys: Vec<PrivateKey>,
    validators: ValidatorSet,
    ports: Vec<u16>,
    dir: std::path::PathBuf,
}

impl Net {
    fn new() -> Self {
        let keys: Vec<PrivateKey> = (11..15u8).map(|i| PrivateKey::from_seed([i; 32])).collect();
        let validators =
            ValidatorSet::new(keys.iter().map(|k| Validator::new(k.public_key(), 1))).unwrap();
        let ports = keys
            .iter()
            .map(|_| {
                std::net::TcpListener::bind("127.0.0.1:0")
                    .unwrap()
                    .local_addr()
                    .unwrap()
                    .port()
            })
            .collect();
        let dir = std::env::temp_dir().join(format!("wicas-catchup-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self {
            keys,
            validators,
            ports,
            dir,
        }
    }

    async fn start(&self, i: usize, app: TestApp) -> RunningNode {
        let genesis = Time::from_unix_timestamp(1_764_000_000, 0).unwrap();
        let config = HostConfig {
            params: ChainParams {
                chain_id: "wicas-catchup-1".parse().unwrap(),
                block_max_bytes: 1 << 20,
                block_max_gas: -1,
                app_version: 1,
            },
            validators: self.validators.clone(),
            key: self.keys[i].clone(),
            genesis_time: genesis,
            timeouts: LinearTimeouts {
                propose: Duration::from_millis(1000),
                prevote: Duration::from_millis(500),
                precommit: Duration::from_millis(500),
                ..LinearTimeouts::default()
            },
            vote_extensions: VoteExtensionPolicy::Required,
        };
        let begun = std::time::Instant::now();
        let clock = Box::new(move || {
            genesis
                .checked_add(begun.elapsed() + Duration::from_secs(3600 * (i as u64 + 1)))
                .unwrap()
        });
        let store = RedbDecidedStore::open(self.dir.join(format!("v{i}.redb"))).unwrap();
        let host = Host::new(config, app, store, clock).unwrap();
        let addr = |p: u16| format!("/ip4/127.0.0.1/tcp/{p}").parse().unwrap();
        let net = NetConfig {
            moniker: format!("v{i}"),
            listen_addr: addr(self.ports[i]),
            persistent_peers: self
                .ports
                .iter()
                .filter(|p| **p != self.ports[i])
                .map(|p| addr(*p))
                .collect(),
            wal_path: self.dir.join(format!("v{i}.wal")),
            sync_status_interval_ms: 500,
        };
        start_node(host, &self.keys[i], net).await.unwrap()
    }
}

async fn wait_until(journals: &[Arc<Mutex<Journal>>], height: u64, limit: Duration) {
    let deadline = std::time::Instant::now() + limit;
    while !journals.iter().all(|j| {
        j.lock()
            .unwrap()
            .committed
            .iter()
            .any(|(h, _)| *h >= height)
    }) {
        assert!(
            std::time::Instant::now() < deadline,
            "height {height} not reached; heights per node: {:?}",
            journals
                .iter()
                .map(|j| {
                    let c = &j.lock().unwrap().committed;
                    (c.len(), c.first().map(|x| x.0), c.last().map(|x| x.0))
                })
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lagging_validator_catches_up_by_sync() {
    let net = Net::new();
    let journals: Vec<Arc<Mutex<Journal>>> = (0..4).map(|_| Arc::default()).collect();
    let mut nodes = Vec::new();
    for (i, journal) in journals.iter().enumerate() {
        let app = TestApp::resume(&format!("v{i}"), 0, vec![0; 32], journal.clone());
        nodes.push(Some(net.start(i, app).await));
    }
    wait_until(&journals, 2, Duration::from_secs(60)).await;

    // Stop validator 3; the other three keep going.
    let down = nodes[3].take().unwrap();
    down.engine.actor.stop(None);
    let _ = tokio::time::timeout(Duration::from_secs(10), down.engine.handle).await;
    down.host.abort();
    let _ = down.host.await;
    let (h_down, hash_down) = journals[3]
        .lock()
        .unwrap()
        .committed
        .last()
        .cloned()
        .unwrap();
    wait_until(&journals[..3], h_down + 4, Duration::from_secs(120)).await;

    // Restart it at its committed state; it must catch up with the others.
    let app = TestApp::resume("v3", h_down, hash_down, journals[3].clone());
    nodes[3] = Some(net.start(3, app).await);
    let target = journals[0].lock().unwrap().committed.last().unwrap().0 + 1;
    wait_until(&journals, target, Duration::from_secs(120)).await;

    let upto = |j: &Arc<Mutex<Journal>>| -> Vec<(u64, Vec<u8>)> {
        j.lock()
            .unwrap()
            .committed
            .iter()
            .filter(|(h, _)| *h <= target)
            .cloned()
            .collect()
    };
    let reference = upto(&journals[0]);
    assert_eq!(reference.len() as u64, target);
    for j in &journals[1..] {
        assert_eq!(upto(j), reference);
    }
    eprintln!("validator 3 was down at height {h_down} and caught up to {target}");
    for n in nodes.into_iter().flatten() {
        n.engine.actor.stop(None);
        n.host.abort();
    }
}
