//! Crash safety: a writer process killed at random moments loses nothing committed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use wicas_store::Storage;

use crate::helpers::{Rng, apply_model, block_writes, commit_blocks, dump, temp_store};

const CHILD_ENV: &str = "WICAS_STORE_CHILD_DB";

/// Run by `state_survives_kill_and_reopen` in a child process: commits workload blocks forever
/// (until killed), printing `begin v` before and `committed v` after each commit.
#[test]
#[ignore = "a child process of state_survives_kill_and_reopen"]
fn child_writer_commits_until_killed() {
    let path = std::env::var(CHILD_ENV).expect("run by state_survives_kill_and_reopen");
    let store = Storage::open(&path).expect("child open");
    loop {
        let v = store.latest_version() + 1;
        println!("begin {v}");
        commit_blocks(&store, v, v);
        println!("committed {v}");
    }
}

#[test]
fn state_survives_kill_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng::new(0x5eed);
    let mut last_committed = 0;
    let mut lost_in_flight = 0;
    for round in 0..6 {
        let mut child = Command::new(&exe)
            .args([
                "persistence::child_writer_commits_until_killed",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait for a few commits, then kill a moment after a commit began: most kills land
        // inside the commit (its delta apply, tree update or redb write and fsync).
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let wanted = 3 + rng.below(5);
        let mut began = 0;
        let mut seen = 0;
        while seen < wanted {
            let line = lines.next().expect("child ended early").unwrap();
            if let Some(v) = line.strip_prefix("begin ") {
                began = v.parse::<u64>().unwrap();
                seen += 1;
            }
        }
        std::thread::sleep(Duration::from_micros(rng.below(4_000)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for line in lines.map_while(Result::ok) {
            if let Some(v) = line.strip_prefix("begin ") {
                began = v.parse::<u64>().unwrap();
            }
            if let Some(v) = line.strip_prefix("committed ") {
                last_committed = v.parse::<u64>().unwrap();
            }
        }

        let store = Storage::open(&path).expect("reopen after kill");
        let v = store.latest_version();
        // The commit in flight when the kill came either landed whole or not at all.
        assert!(
            v == began || v + 1 == began,
            "round {round}: reopened at {v}, child began {began}"
        );
        assert!(
            v >= last_committed,
            "round {round}: lost committed version {last_committed}"
        );
        if v + 1 == began {
            lost_in_flight += 1;
        }
        // The same blocks replayed in a fresh store give the same root and the same state.
        let (_d, fresh) = temp_store();
        let expected_root = commit_blocks(&fresh, 1, v);
        assert_eq!(store.root_hash(), expected_root, "round {round}: root");
        let mut model = BTreeMap::new();
        for b in 1..=v {
            apply_model(&mut model, &block_writes(b));
        }
        let got = dump(&store.latest_snapshot().unwrap());
        assert_eq!(
            got,
            model.into_iter().collect::<Vec<_>>(),
            "round {round}: state"
        );
        last_committed = v;
    }
    // With 6 kills a few ms into a commit, at least one must have hit one in flight, or the
    // test is not testing a crash during a commit.
    eprintln!("kills that landed inside a commit: {lost_in_flight} of 6");
    assert!(lost_in_flight > 0, "no kill landed inside a commit");
}
