//! Running `wicasd`: one-shot commands, and a node started in the background that is stopped
//! (and its home deleted) when the handle drops.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary under test: `$WICASD_BIN` when set (a shared target directory can hold another
/// branch's `wicasd` at `CARGO_BIN_EXE_wicasd`), else cargo's.
pub fn wicasd() -> Command {
    let bin = std::env::var_os("WICASD_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_wicasd").into());
    let mut c = Command::new(bin);
    c.env_remove("WICASD_HOME");
    c
}

/// Run `wicasd args…` with `stdin`.
pub fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    use std::io::Write as _;
    let mut child = wicasd()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wicasd runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub fn run(args: &[&str]) -> Output {
    wicasd().args(args).output().expect("wicasd runs")
}

/// stdout of a command that must succeed.
pub fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "wicasd {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `--output json` of a command that must succeed.
pub fn ok_json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--output", "json"]);
    let text = ok(&all);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// stderr of a command that must fail.
pub fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        !out.status.success(),
        "wicasd {args:?} should have failed:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A built contract from `contracts/artifacts` (or `$WICAS_CONTRACTS_DIR`).
pub fn contract(name: &str) -> PathBuf {
    let dir = std::env::var_os("WICAS_CONTRACTS_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../contracts/artifacts"),
        PathBuf::from,
    );
    let path = dir.join(format!("{name}.wasm"));
    assert!(
        path.is_file(),
        "{} is missing: run scripts/build-contracts",
        path.display()
    );
    path
}

/// A one-validator chain started by `wicasd start` on free ports.
pub struct Node {
    pub dir: tempfile::TempDir,
    pub home: String,
    pub rpc: String,
    child: Child,
}

impl Node {
    /// `init` a home, `start` it, wait until `status` answers.
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        ok(&[
            "init",
            "--home",
            home.to_str().unwrap(),
            "--chain-id",
            "wicas-cli-1",
        ]);
        let (p2p, rpc) = (free_port(), free_port());
        let log = std::fs::File::create(dir.path().join("node.log")).unwrap();
        let child = wicasd()
            .args([
                "start",
                "--home",
                home.to_str().unwrap(),
                "--p2p.laddr",
                &format!("/ip4/127.0.0.1/tcp/{p2p}"),
                "--rpc.laddr",
                &format!("tcp://127.0.0.1:{rpc}"),
            ])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("wicasd start");
        let mut node = Self {
            home: home.to_str().unwrap().to_owned(),
            dir,
            rpc: format!("http://127.0.0.1:{rpc}"),
            child,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if run(&["status", "--node", &node.rpc]).status.success() {
                return node;
            }
            if let Some(status) = node.child.try_wait().unwrap() {
                panic!("wicasd start exited ({status}):\n{}", node.log());
            }
            assert!(
                Instant::now() < deadline,
                "no RPC after 60 s:\n{}",
                node.log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("node.log")).unwrap_or_default()
    }

    /// `wicasd ARGS --home H --node URL` (for tx, query and keys commands).
    pub fn args<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        let mut all = args.to_vec();
        all.extend(["--home", &self.home, "--node", &self.rpc]);
        all
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // SIGINT is `wicasd start`'s clean stop; kill if it does not stop in time.
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `uwicas` amount in a `query bank balances --output json` answer (0 when absent).
pub fn uwicas(balances: &serde_json::Value) -> u128 {
    balances["balances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["denom"] == "uwicas")
        .map_or(0, |c| c["amount"].as_str().unwrap().parse().unwrap())
}
