//! A real `wicasd start` process is killed (SIGKILL) at each step of a height and at random
//! moments, and restarted on the same home: it must resume (never `AppOutOfStep`, never a block
//! applied twice), report the same app hash for every height it reported before, and go on
//! committing.
//!
//! Faults tried: SIGKILL after a block was executed but before consensus stored it
//! (`after-finalize`), after it was stored but before the app wrote its state (`after-store`),
//! after the app wrote it (`after-commit`), and at random moments of a running chain (mostly
//! waiting for the next height, sometimes inside WAL or store writes).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use wicas_node::Home;

use crate::process::{Line, Node, parse_height_line, wicasd_ok};

const FAIL_POINT_ENV: &str = "WICAS_FAIL_POINT";

/// A fresh one-validator home listening on a free port.
fn one_validator_home(dir: &Path) -> std::path::PathBuf {
    let home = dir.join("home");
    wicasd_ok(&["init", "--home", home.to_str().unwrap()]);
    let h = Home::new(&home);
    let mut f = h.node_file().unwrap();
    f.listen_addr = "/ip4/127.0.0.1/tcp/0".into();
    f.rpc_laddr = "127.0.0.1:0".into();
    h.set_node_file(&f).unwrap();
    home
}

/// Every (height, app hash) a node printed, checked against what earlier runs printed.
#[derive(Default)]
struct Hashes(BTreeMap<u64, String>);

impl Hashes {
    fn record(&mut self, height: u64, hash: &str) {
        let old = self.0.entry(height).or_insert_with(|| hash.to_owned());
        assert_eq!(old, hash, "height {height} reported two app hashes");
    }

    fn record_lines(&mut self, lines: &[Line]) {
        for l in lines {
            if let Line::Out(t) = l
                && let Some((h, hash)) = parse_height_line(t)
            {
                self.record(h, &hash);
            }
        }
    }
}

#[test]
fn a_validator_killed_at_each_step_of_a_height_restarts_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let home = one_validator_home(dir.path());
    let mut hashes = Hashes::default();
    let mut target = 3;
    for point in ["after-finalize", "after-store", "after-commit"] {
        let armed = format!("{point}@{target}");
        let mut node = Node::start(&home, &[(FAIL_POINT_ENV, &armed)]);
        node.started();
        node.wait_for(
            Duration::from_secs(60),
            |l| matches!(l, Line::Err(t) if t.contains("fail point")),
        );
        let lines = node.kill();
        hashes.record_lines(&lines);

        let mut node = Node::start(&home, &[]);
        let (height, hash) = node.started();
        hashes.record(height, &hash);
        let expected = match point {
            // Nothing of the block was durable: the node decides it again.
            "after-finalize" => target - 1,
            // The block was stored: the host re-executes it before consensus starts.
            _ => target,
        };
        assert_eq!(height, expected, "restart after {armed}");
        node.committed_at_least(target + 2, Duration::from_secs(60));
        let lines = node.kill();
        hashes.record_lines(&lines);
        target = hashes.0.keys().last().copied().unwrap() + 2;
    }
}

#[test]
fn a_validator_killed_at_random_moments_resumes_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let home = one_validator_home(dir.path());
    let mut hashes = Hashes::default();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut last = 0;
    for round in 0..6 {
        let mut node = Node::start(&home, &[]);
        let (height, hash) = node.started();
        assert!(
            height >= last,
            "round {round}: restarted at {height}, had reported {last}"
        );
        hashes.record(height, &hash);
        node.committed_at_least(height + 1, Duration::from_secs(60));
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(seed % 1500));
        let lines = node.kill();
        hashes.record_lines(&lines);
        last = hashes.0.keys().last().copied().unwrap_or(0);
    }
    assert!(last >= 6, "the chain advanced across restarts (at {last})");
}
