//! A `wicasd` child process whose output lines a test can wait for, killed (SIGKILL) on drop.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// A line the child printed.
#[derive(Debug, Clone)]
pub enum Line {
    Out(String),
    Err(String),
}

/// Run `wicasd ARGS` to completion; panics with its stderr if it fails.
pub fn wicasd_ok(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_wicasd"))
        .args(args)
        .output()
        .expect("wicasd runs");
    assert!(
        out.status.success(),
        "wicasd {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A running `wicasd start`.
pub struct Node {
    child: Child,
    lines: Receiver<Line>,
    /// Every line seen so far (for failure messages).
    pub seen: Vec<Line>,
    /// The last `committed height H app_hash X` (or `started at ...`) line, parsed.
    pub last: Option<(u64, String)>,
}

impl Node {
    /// `wicasd start --home HOME` with extra env vars.
    pub fn start(home: &Path, env: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wicasd"));
        cmd.args(["start", "--home"])
            .arg(home)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn wicasd start");
        let (tx, rx) = channel();
        let out = child.stdout.take().expect("stdout");
        let err = child.stderr.take().expect("stderr");
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for l in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(Line::Out(l)).is_err() {
                    break;
                }
            }
        });
        std::thread::spawn(move || {
            for l in BufReader::new(err).lines().map_while(Result::ok) {
                if tx2.send(Line::Err(l)).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            lines: rx,
            seen: Vec::new(),
            last: None,
        }
    }

    /// Wait until a line satisfies `pred` (panics after `limit` or if the process ends).
    pub fn wait_for(&mut self, limit: Duration, mut pred: impl FnMut(&Line) -> bool) -> Line {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    if let Line::Out(text) = &line
                        && let Some(parsed) = parse_height_line(text)
                    {
                        self.last = Some(parsed);
                    }
                    self.seen.push(line.clone());
                    if pred(&line) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("timed out after {limit:?}; output: {:#?}", self.tail())
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("wicasd ended; output: {:#?}", self.tail())
                }
            }
        }
    }

    /// Wait for the `started at height H app_hash X` line.
    pub fn started(&mut self) -> (u64, String) {
        let line = self.wait_for(
            Duration::from_secs(60),
            |l| matches!(l, Line::Out(t) if t.starts_with("started at height")),
        );
        let Line::Out(text) = line else {
            unreachable!()
        };
        parse_height_line(&text).expect("started line")
    }

    /// Wait until the node reports a committed height ≥ `height`; returns that line's
    /// (height, app hash).
    pub fn committed_at_least(&mut self, height: u64, limit: Duration) -> (u64, String) {
        if let Some(last) = &self.last
            && last.0 >= height
        {
            return last.clone();
        }
        let line = self.wait_for(
            limit,
            |l| matches!(l, Line::Out(t) if parse_height_line(t).is_some_and(|(h, _)| h >= height)),
        );
        let Line::Out(text) = line else {
            unreachable!()
        };
        parse_height_line(&text).expect("height line")
    }

    /// SIGKILL and reap.
    pub fn kill(mut self) -> Vec<Line> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::take(&mut self.seen)
    }

    fn tail(&self) -> Vec<Line> {
        self.seen.iter().rev().take(30).rev().cloned().collect()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `committed height H app_hash X` or `started at height H app_hash X`.
pub fn parse_height_line(text: &str) -> Option<(u64, String)> {
    let rest = text
        .strip_prefix("committed height ")
        .or_else(|| text.strip_prefix("started at height "))?;
    let (h, hash) = rest.split_once(" app_hash ")?;
    Some((h.parse().ok()?, hash.to_owned()))
}
