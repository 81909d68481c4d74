//! A validator stops and restarts from its WAL, its redb block store and its app's committed
//! state: it continues at the next height, no block is applied twice or skipped, and blocks
//! decided before the restart are still served. Faults tried: a clean stop; a crash after the
//! block was stored but before the app committed it (the app restarts one height behind).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use malachitebft_app_channel::app::types::core::{LinearTimeouts, VoteExtensionPolicy};
use tendermint::Time;
use wicas_consensus::{
    ChainParams, DecidedStore, Host, HostConfig, NetConfig, PrivateKey, RedbDecidedStore,
    RunningNode, Validator, ValidatorSet, start_node,
};

use crate::test_app::{Journal, TestApp};

fn genesis() -> Time {
    Time::from_unix_timestamp(1_764_000_000, 0).unwrap()
}

async fn start(dir: &std::path::Path, app: TestApp, key: &PrivateKey) -> RunningNode {
    let validators = ValidatorSet::new([Validator::new(key.public_key(), 1)]).unwrap();
    let config = HostConfig {
        params: ChainParams {
            chain_id: "wicas-restart-1".parse().unwrap(),
            block_max_bytes: 1 << 20,
            block_max_gas: -1,
            app_version: 1,
        },
        validators,
        key: key.clone(),
        genesis_time: genesis(),
        timeouts: LinearTimeouts::default(),
        vote_extensions: VoteExtensionPolicy::Required,
    };
    let store = RedbDecidedStore::open(dir.join("blocks.redb")).unwrap();
    let begun = std::time::Instant::now();
    let clock = Box::new(move || {
        genesis()
            .checked_add(begun.elapsed())
            .unwrap()
            .checked_add(Duration::from_secs(3600))
            .unwrap()
    });
    let host = Host::new(config, app, store, clock).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let net = NetConfig {
        moniker: "solo".into(),
        listen_addr: format!("/ip4/127.0.0.1/tcp/{port}").parse().unwrap(),
        persistent_peers: Vec::new(),
        wal_path: dir.join("consensus.wal"),
        sync_status_interval_ms: 1000,
    };
    start_node(host, key, net).await.unwrap()
}

async fn stop(node: RunningNode) {
    node.engine.actor.stop(None);
    let _ = tokio::time::timeout(Duration::from_secs(10), node.engine.handle).await;
    node.host.abort();
    let _ = node.host.await;
}

async fn wait_until(journal: &Arc<Mutex<Journal>>, height: u64) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !journal
        .lock()
        .unwrap()
        .committed
        .iter()
        .any(|(h, _)| *h >= height)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "height {height} not reached: {journal:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn heights(journal: &Arc<Mutex<Journal>>) -> Vec<u64> {
    journal
        .lock()
        .unwrap()
        .committed
        .iter()
        .map(|(h, _)| *h)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_validator_resumes_without_reapplying() {
    let dir = std::env::temp_dir().join(format!("wicas-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let key = PrivateKey::from_seed([5; 32]);
    let journal: Arc<Mutex<Journal>> = Arc::default();

    // Run 1: from genesis to at least height 3.
    let node = start(
        &dir,
        TestApp::resume("solo", 0, vec![0; 32], journal.clone()),
        &key,
    )
    .await;
    wait_until(&journal, 3).await;
    stop(node).await;
    let (h1, hash1) = journal.lock().unwrap().committed.last().cloned().unwrap();

    // Run 2: clean restart with the app at its committed height.
    let node = start(
        &dir,
        TestApp::resume("solo", h1, hash1, journal.clone()),
        &key,
    )
    .await;
    wait_until(&journal, h1 + 2).await;
    stop(node).await;
    let (h2, _) = journal.lock().unwrap().committed.last().cloned().unwrap();

    // Run 3: the app lost its last commit (crash between store and app commit): it is one
    // height behind the block store, and the host re-executes exactly that block.
    let (before, hash_before) = journal
        .lock()
        .unwrap()
        .committed
        .iter()
        .rev()
        .find(|(h, _)| *h == h2 - 1)
        .cloned()
        .unwrap();
    journal
        .lock()
        .unwrap()
        .committed
        .retain(|(h, _)| *h <= before);
    let node = start(
        &dir,
        TestApp::resume("solo", before, hash_before, journal.clone()),
        &key,
    )
    .await;
    wait_until(&journal, h2 + 2).await;
    stop(node).await;

    let seen = heights(&journal);
    eprintln!(
        "run 1 ended at {h1}, run 2 at {h2}, run 3 at {}",
        seen.last().unwrap()
    );
    let expected: Vec<u64> = (1..=*seen.last().unwrap()).collect();
    assert_eq!(seen, expected, "every height exactly once, in order");

    let store = RedbDecidedStore::open(dir.join("blocks.redb")).unwrap();
    assert_eq!(store.min_height().unwrap(), Some(1));
    assert!(store.max_height().unwrap().unwrap() >= h2 + 2);
    assert!(
        store.get(1).unwrap().unwrap().certificate.commit_signatures[0]
            .extension
            .is_some()
    );
}
