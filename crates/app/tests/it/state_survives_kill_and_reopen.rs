//! The app over the real store survives a real crash: a child process runs blocks (bank sends
//! and cw20 transfers through the wasm module, with its on-disk module cache) and is SIGKILLed
//! at a chosen point of a block — after `begin_block`, after its txs, a few µs into `commit`,
//! right after `commit`. The reopened app stands at the last committed height with the root a
//! fresh replay of the same blocks gives, and the chain goes on from there.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::json;
use wicas_app::{AppConfig, Genesis};
use wicas_store::Storage;

use crate::node::{
    TestKey, TestNode, TxOpts, block_info, contract_wasm, genesis_with, msg_execute,
    msg_instantiate, msg_send, msg_store_code,
};

/// The child's home (state.redb and the wasm cache); set only in the child.
const CHILD_HOME: &str = "WICAS_APP_CHILD_HOME";
/// `<phase> <height>`: the child stops there and waits to be killed.
const CHILD_PAUSE: &str = "WICAS_APP_CHILD_PAUSE";

fn keys() -> (TestKey, TestKey) {
    (TestKey::new("alice"), TestKey::new("bob"))
}

fn genesis() -> Genesis {
    let (alice, bob) = keys();
    genesis_with(&[&alice, &bob], 1_000_000_000_000)
}

/// The txs of block `h`, signed against the state committed before it: alice stores cw20-base
/// (block 1), instantiates it (block 2) and then transfers one token to bob per block; bob sends
/// alice `h` uwicas in every block.
fn block_txs(node: &TestNode, h: u64) -> Vec<Vec<u8>> {
    let (alice, bob) = keys();
    let token = wicas_app::wasm::classic_address(1, 1).to_bech32();
    let (wasm_msg, gas) = match h {
        1 => (
            msg_store_code(&alice, contract_wasm("cw20_base")),
            50_000_000,
        ),
        2 => {
            let init = json!({ "name": "Crash", "symbol": "CRS", "decimals": 0, "mint": null,
                "initial_balances": [{ "address": alice.bech32(), "amount": "1000000" }] });
            (msg_instantiate(&alice, 1, init, None), 5_000_000)
        }
        _ => {
            let transfer = json!({ "transfer": { "recipient": bob.bech32(), "amount": "1" } });
            (msg_execute(&alice, &token, transfer, 0), 2_000_000)
        }
    };
    vec![
        node.sign(&alice, vec![wasm_msg], &TxOpts::gas(gas)),
        node.sign(
            &bob,
            vec![msg_send(&bob, &alice.address, u128::from(h))],
            &TxOpts::default(),
        ),
    ]
}

/// The chain in `home`: created from genesis when the store is empty, else reopened.
fn open(home: &Path) -> TestNode {
    let storage = Storage::open(home.join("state.redb")).expect("open store");
    if storage.latest_version() == 0 {
        let config = AppConfig::new(home.join("wasm")).expect("vm");
        return TestNode::with_storage(storage, &genesis(), config);
    }
    TestNode::reopen(storage, &home.join("wasm"))
}

/// One block, announcing each phase on stdout; pauses (to be killed) at `pause`.
fn run_block(node: &mut TestNode, pause: Option<(&str, u64)>) {
    let h = node.height + 1;
    let txs = block_txs(node, h);
    let mark = |phase: &str| {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{phase} {h}")
            .and_then(|()| out.flush())
            .expect("stdout");
        if pause == Some((phase, h)) {
            std::thread::sleep(Duration::from_secs(600));
        }
    };
    node.app.begin_block(block_info(h)).expect("begin_block");
    mark("begun");
    for tx in &txs {
        let r = node.app.deliver_tx(tx).expect("deliver_tx");
        assert!(r.is_ok(), "block {h}: {}", r.log);
    }
    mark("delivered");
    node.app.end_block().expect("end_block");
    mark("committing");
    node.app.commit().expect("commit");
    node.height = h;
    mark("committed");
}

/// Run by `state_survives_kill_and_reopen` in a child process: opens (or creates) the chain in
/// `$WICAS_APP_CHILD_HOME` and runs blocks until killed.
#[test]
#[ignore = "a child process of state_survives_kill_and_reopen"]
fn child_node_runs_blocks_until_killed() {
    let home = std::env::var(CHILD_HOME).expect("run by state_survives_kill_and_reopen");
    let pause = std::env::var(CHILD_PAUSE).unwrap_or_default();
    let pause = pause
        .split_once(' ')
        .map(|(phase, h)| (phase, h.parse::<u64>().expect("pause height")));
    let mut node = open(Path::new(&home));
    loop {
        run_block(&mut node, pause);
    }
}

/// Roots of a fresh, uninterrupted replay of the same blocks, by height.
struct Replay {
    node: TestNode,
    roots: Vec<[u8; 32]>,
}

impl Replay {
    fn new() -> Self {
        let node = TestNode::new(&genesis());
        let roots = vec![node.app_hash()];
        Self { node, roots }
    }

    fn root(&mut self, h: u64) -> [u8; 32] {
        while self.node.height < h {
            run_block(&mut self.node, None);
            self.roots.push(self.node.app_hash());
        }
        self.roots[usize::try_from(h).unwrap()]
    }
}

/// Where a round kills the child: in `phase` of the block `ahead` blocks past the last commit;
/// `in_commit_us` kills that long after `committing` is announced instead of pausing.
struct Kill {
    phase: &'static str,
    ahead: u64,
    in_commit_us: Option<u64>,
}

const ROUNDS: [Kill; 6] = [
    Kill {
        phase: "begun",
        ahead: 3,
        in_commit_us: None,
    },
    Kill {
        phase: "delivered",
        ahead: 1,
        in_commit_us: None,
    },
    Kill {
        phase: "committing",
        ahead: 2,
        in_commit_us: Some(0),
    },
    Kill {
        phase: "committed",
        ahead: 1,
        in_commit_us: None,
    },
    Kill {
        phase: "committing",
        ahead: 1,
        in_commit_us: Some(300),
    },
    Kill {
        phase: "committing",
        ahead: 2,
        in_commit_us: Some(1_500),
    },
];

/// Run the child until the kill point of `kill`; returns (height of the target block, whether
/// its commit finished before the kill).
fn kill_child(home: &Path, last: u64, kill: &Kill) -> (u64, bool) {
    let target = last + kill.ahead;
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "state_survives_kill_and_reopen::child_node_runs_blocks_until_killed",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_HOME, home)
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    if kill.in_commit_us.is_none() {
        cmd.env(CHILD_PAUSE, format!("{} {target}", kill.phase));
    }
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let wanted = format!("{} {target}", kill.phase);
    loop {
        let line = lines.next().expect("child ended early").unwrap();
        if line == wanted {
            break;
        }
    }
    if let Some(us) = kill.in_commit_us {
        std::thread::sleep(Duration::from_micros(us));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let committed = lines
        .map_while(Result::ok)
        .any(|l| l == format!("committed {target}"));
    (target, committed || kill.phase == "committed")
}

#[test]
fn state_survives_kill_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let mut replay = Replay::new();
    let mut last = 0;
    for (round, kill) in ROUNDS.iter().enumerate() {
        let (target, committed) = kill_child(home, last, kill);
        let node = open(home);
        let info = node.app.info();
        let h = info.last_height;
        // A commit either landed whole or not at all; a block never committed is gone.
        let expected = if kill.in_commit_us.is_some() {
            assert!(
                h == target || h + 1 == target,
                "round {round}: reopened at {h}, killed in the commit of {target}"
            );
            if committed { target } else { h }
        } else if kill.phase == "committed" {
            target
        } else {
            target - 1
        };
        assert_eq!(h, expected, "round {round}: height after the kill");
        assert!(h >= last, "round {round}: lost committed height {last}");
        assert_eq!(
            info.last_app_hash,
            replay.root(h),
            "round {round}: root at {h} differs from a fresh replay"
        );
        assert_eq!(info.chain_id.as_deref(), Some(crate::node::CHAIN_ID));
        last = h;
    }

    // The reopened chain goes on: two more blocks in this process, same roots as the replay.
    let mut node = open(home);
    let (alice, bob) = keys();
    for _ in 0..2 {
        run_block(&mut node, None);
        assert_eq!(
            node.app_hash(),
            replay.root(node.height),
            "height {}",
            node.height
        );
    }
    let h = node.height;
    let token = wicas_app::wasm::classic_address(1, 1).to_bech32();
    let bob_tokens = node.smart(&token, json!({ "balance": { "address": bob.bech32() } }));
    assert_eq!(bob_tokens.unwrap()["balance"], json!((h - 2).to_string()));
    assert_eq!(node.account(&alice.address).unwrap().sequence, h);
    // Genesis twice is refused.
    assert!(matches!(
        node.app.init_chain(&genesis()),
        Err(wicas_app::AppError::AlreadyInitialized(_))
    ));
}
