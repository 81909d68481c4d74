//! Four validators from `wicasd testnet`, each a separate `wicasd start` process on 127.0.0.1:
//! every node reaches the same heights with the same app hashes; one is killed and the other
//! three keep committing; restarted, it catches up by sync to the same app hash.
//!
//! Transactions go to different nodes (each validator's account sends through its own node's
//! RPC, one more while node3 is down); every node then reports the same balances.
//!
//! Faults tried: SIGKILL of one validator (node3) while the chain runs, a tx sent to a node while
//! one validator is down, a restart of node3 from its store and WAL while the others are several
//! heights ahead.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::process::{Line, Node, parse_height_line, wicasd_ok};
use crate::support::{ok_json, uwicas};

/// A base port such that node I's p2p (BASE+10·I) and RPC (+1) ports are free now.
pub fn free_base_port(validators: u16) -> u16 {
    // Tests in this binary run in parallel: each call starts from its own offset.
    static CALLS: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 10;
    let start = 20_000 + (std::process::id() % 2000) as u16 * 10 + call * 100;
    'candidates: for base in (start..60_000).step_by(1000) {
        for i in 0..validators {
            for port in [base + 10 * i, base + 10 * i + 1] {
                if TcpListener::bind(("127.0.0.1", port)).is_err() {
                    continue 'candidates;
                }
            }
        }
        return base;
    }
    panic!("no free ports");
}

/// The latest height the node at `rpc` reports.
fn rpc_height(rpc: &str) -> u64 {
    ok_json(&["status", "--node", rpc])["latest_block_height"]
        .as_u64()
        .unwrap()
}

/// Node `i`'s RPC URL for a testnet made at `base` (its p2p port + 1).
fn rpc_url(base: u16, i: usize) -> String {
    format!("http://127.0.0.1:{}", base + 10 * i as u16 + 1)
}

/// `validator` of `home` sends `amount` uwicas to `to` through the node at `rpc`; waits for
/// the block and checks it succeeded.
fn send(home: &Path, rpc: &str, to: &str, amount: u64) {
    let out = ok_json(&[
        "tx",
        "bank",
        "send",
        "validator",
        to,
        &format!("{amount}uwicas"),
        "--home",
        home.to_str().unwrap(),
        "--node",
        rpc,
    ]);
    assert_eq!(out["code"], 0, "send through {rpc}: {out}");
}

/// `to`'s uwicas balance as the node at `rpc` reports it.
fn balance(rpc: &str, who: &str) -> u128 {
    uwicas(&ok_json(&["query", "bank", "balances", who, "--node", rpc]))
}

/// `wicasd testnet --validators N` into `dir`; returns the homes and the base port.
fn testnet_with_ports(dir: &Path, validators: u16, accounts: usize) -> (Vec<PathBuf>, u16) {
    let base = free_base_port(validators);
    wicasd_ok(&[
        "testnet",
        "--validators",
        &validators.to_string(),
        "--output",
        dir.to_str().unwrap(),
        "--base-port",
        &base.to_string(),
        "--accounts",
        &accounts.to_string(),
        "--chain-id",
        "wicas-net-1",
    ]);
    let homes = (0..validators)
        .map(|i| dir.join(format!("node{i}")))
        .collect();
    (homes, base)
}

/// (height → app hash) from the lines a node printed.
fn heights(lines: &[Line]) -> BTreeMap<u64, String> {
    lines
        .iter()
        .filter_map(|l| match l {
            Line::Out(t) => parse_height_line(t),
            Line::Err(_) => None,
        })
        .collect()
}

/// Every height two nodes both reported has one app hash; returns how many were compared.
fn agree(a: &BTreeMap<u64, String>, b: &BTreeMap<u64, String>) -> usize {
    let mut n = 0;
    for (h, hash) in a {
        if let Some(other) = b.get(h) {
            assert_eq!(hash, other, "app hash at height {h}");
            n += 1;
        }
    }
    n
}

#[test]
fn four_validators_agree_and_a_killed_one_catches_up() {
    scenario(false);
}

/// A tx committed while node3 is down is in node3's state once it has caught up.
#[test]
fn a_tx_committed_while_a_validator_is_down_reaches_it_after_restart() {
    scenario(true);
}

fn scenario(tx_while_down: bool) {
    let dir = tempfile::tempdir().unwrap();
    let (homes, base) = testnet_with_ports(dir.path(), 4, 0);
    let mut nodes: Vec<Node> = homes.iter().map(|h| Node::start(h, &[])).collect();
    for n in &mut nodes {
        n.started();
    }
    let limit = Duration::from_secs(90);
    for n in &mut nodes {
        n.committed_at_least(4, limit);
    }

    // Each validator's account sends through its own node: a tx reaches the proposer by
    // gossip whichever node received it.
    let to = ok_json(&[
        "keys",
        "add",
        "recipient",
        "--home",
        homes[0].to_str().unwrap(),
    ])["address"]
        .as_str()
        .unwrap()
        .to_owned();
    let to = to.as_str();
    for (i, home) in homes.iter().enumerate() {
        send(home, &rpc_url(base, i), to, 100 + i as u64);
    }

    // node3 dies; the other three (30 of 40 power > 2/3) go on.
    let killed = nodes.pop().unwrap();
    // The printed lines are read lazily: ask the node itself how far it got.
    let dead_at = rpc_height(&rpc_url(base, 3));
    let before = heights(&killed.kill());
    // A tx while node3 is down, sent to node1.
    let extra = if tx_while_down {
        send(&homes[1], &rpc_url(base, 1), to, 1000);
        1000
    } else {
        0
    };
    for n in &mut nodes {
        n.committed_at_least(dead_at + 3, limit);
    }
    // Every tx so far is committed at or below `top` (the sends waited for their blocks).
    let top = rpc_height(&rpc_url(base, 1));

    // Restarted, it catches up past where the others were.
    let mut back = Node::start(&homes[3], &[]);
    let (restart_height, _) = back.started();
    assert!(
        restart_height >= dead_at,
        "restarted at {restart_height} < {dead_at}"
    );
    back.committed_at_least(top + 1, limit);
    for n in &mut nodes {
        n.committed_at_least(top + 1, limit);
    }
    let after = heights(&back.seen);
    let others: Vec<BTreeMap<u64, String>> = nodes.iter().map(|n| heights(&n.seen)).collect();
    let mut compared = agree(&before, &after);
    for o in &others {
        compared += agree(o, &before) + agree(o, &after);
        for p in &others {
            agree(o, p);
        }
    }
    assert!(compared > 0, "no height was reported by two nodes");
    // Every node, the restarted one too, reports every transfer.
    let statuses: Vec<serde_json::Value> = (0..homes.len())
        .map(|i| ok_json(&["status", "--node", &rpc_url(base, i)]))
        .collect();
    let balances: Vec<u128> = (0..homes.len())
        .map(|i| balance(&rpc_url(base, i), to))
        .collect();
    for (i, got) in balances.iter().enumerate() {
        assert_eq!(
            *got,
            100 + 101 + 102 + 103 + extra,
            "balance on node{i}; statuses {statuses:?}; node3 died at {dead_at}, restarted at \
             {restart_height}, the others were at {top}"
        );
    }
}
