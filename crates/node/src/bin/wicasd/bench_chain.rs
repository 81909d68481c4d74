//! `wicasd bench-chain`: blocks/s, bank transfers/s and broadcast → committed latency of a local
//! network of N validators.
//!
//! Writes a `wicasd testnet` in a temporary directory, starts its N validators *in this process*
//! (each its own app, store, mempool and malachite engine, talking libp2p over 127.0.0.1: one
//! process keeps the measurement free of RPC and client costs), pre-signs `--txs` bank sends
//! spread over `--accounts` funded accounts, submits each account's txs in order to one
//! validator (account `u` → node `u mod N`: every node gets its share, and gossip must carry
//! them to the proposers), and records when each node commits each height.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use clap::Args;
use cosmos_sdk_proto::cosmos::auth::v1beta1::{
    BaseAccount, QueryAccountRequest, QueryAccountResponse,
};
use prost::Message;
use wicas_client::{AccountKey, Coin, Fee, GasPrice, SignerData, msgs, sign_tx};
use wicas_node::{
    Home, NodeHandle, StartOptions, SubmitError, TestnetPlan, tx_hash, write_testnet,
};

/// `wicasd bench-chain` flags.
#[derive(Debug, Args)]
pub struct BenchChainArgs {
    /// Validators (1 or 4 in the reported tables).
    #[arg(long, default_value_t = 4)]
    pub validators: usize,
    /// Bank sends to commit (at most 10 000: the node remembers that many results).
    #[arg(long, default_value_t = 4000)]
    pub txs: usize,
    /// Sending accounts (each sends txs / accounts in sequence order).
    #[arg(long, default_value_t = 200)]
    pub accounts: usize,
    /// First port of the temporary testnet.
    #[arg(long, default_value_t = 46656)]
    pub base_port: u16,
}

const CHAIN_ID: &str = "wicas-bench-1";
const GAS_LIMIT: u64 = 100_000;

fn account_number(node: &NodeHandle, address: &str) -> Result<u64> {
    let req = QueryAccountRequest {
        address: address.to_owned(),
    };
    let r = node.query("/cosmos.auth.v1beta1.Query/Account", &req.encode_to_vec())?;
    ensure!(r.code == 0, "account {address}: {}", r.log);
    let any = QueryAccountResponse::decode(r.value.as_slice())?
        .account
        .context("no account in the answer")?;
    Ok(BaseAccount::decode(any.value.as_slice())?.account_number)
}

/// Per node: when (since start) it committed each height.
type HeightTimes = Arc<Mutex<Vec<BTreeMap<u64, Duration>>>>;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// `wicasd bench-chain`.
pub fn run(args: &BenchChainArgs) -> Result<()> {
    ensure!(
        args.txs <= wicas_node::REMEMBERED_RESULTS,
        "--txs at most {}",
        wicas_node::REMEMBERED_RESULTS
    );
    ensure!(
        args.accounts >= 1 && args.txs >= args.accounts,
        "--accounts between 1 and --txs"
    );
    let dir = tempfile_dir()?;
    let plan = TestnetPlan {
        validators: args.validators,
        accounts: args.accounts,
        chain_id: CHAIN_ID.into(),
        output: dir.clone(),
        base_port: args.base_port,
        genesis_time_unix: crate::chain::now_unix() - 1,
    };
    let homes = write_testnet(&plan)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = runtime.block_on(measure(
        args,
        &homes.iter().map(|n| n.home.clone()).collect::<Vec<_>>(),
    ));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("wicas-bench-chain-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

async fn measure(args: &BenchChainArgs, homes: &[PathBuf]) -> Result<()> {
    let mut chains = Vec::new();
    for home in homes {
        chains.push(wicas_node::start(&Home::new(home), StartOptions::default()).await?);
    }
    let nodes: Vec<NodeHandle> = chains.iter().map(|c| c.node.clone()).collect();
    // Wait for the first block so every node is connected.
    let t0 = Instant::now();
    while nodes.iter().any(|n| n.height().unwrap_or(0) < 1) {
        ensure!(
            t0.elapsed() < Duration::from_secs(60),
            "no first block in 60 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Pre-sign.
    let home0 = Home::new(&homes[0]);
    let price = GasPrice {
        numerator: 25,
        denominator: 1000,
        denom: "uwicas".into(),
    };
    let fee = Fee::at_price(GAS_LIMIT, &price);
    let sink = home0.key("validator")?.address;
    let mut per_node: Vec<Vec<(usize, Vec<u8>)>> = vec![Vec::new(); nodes.len()];
    let per_account = args.txs / args.accounts;
    let mut senders_keys = Vec::with_capacity(args.accounts);
    for u in 0..args.accounts {
        let kf = home0.key(&format!("user{u}"))?;
        let key = AccountKey::from_secret_hex(&kf.priv_key)?;
        let number = account_number(&nodes[0], &kf.address)?;
        senders_keys.push((kf.address, key, number));
    }
    // Sequence-major order: each account's txs stay in sequence order on its node, and
    // consecutive txs come from different accounts (blocks mix senders).
    let mut hashes = Vec::new();
    for seq in 0..per_account as u64 {
        for (u, (address, key, number)) in senders_keys.iter().enumerate() {
            let msg = msgs::bank_send(address, &sink, &[Coin::new(1, "uwicas")]);
            let signer = SignerData {
                chain_id: CHAIN_ID.into(),
                account_number: *number,
                sequence: seq,
            };
            let tx = sign_tx(key, vec![msg], "", &fee, &signer);
            let node = u % nodes.len();
            hashes.push((node, tx_hash(&tx)));
            per_node[node].push((hashes.len() - 1, tx));
        }
    }
    let total = hashes.len();

    // Watch heights.
    let start = Instant::now();
    let times: HeightTimes = Arc::new(Mutex::new(vec![BTreeMap::new(); nodes.len()]));
    let start_heights: Vec<u64> = nodes.iter().map(|n| n.height().unwrap_or(0)).collect();
    let watching = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let watcher = {
        let (nodes, times, watching) = (nodes.clone(), times.clone(), watching.clone());
        std::thread::spawn(move || {
            while watching.load(std::sync::atomic::Ordering::Relaxed) {
                for (i, n) in nodes.iter().enumerate() {
                    if let Ok(h) = n.height() {
                        let mut t = times
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        t[i].entry(h).or_insert_with(|| start.elapsed());
                    }
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };

    // Submit: one thread per node.
    let submitted: Arc<Mutex<Vec<Duration>>> = Arc::new(Mutex::new(vec![Duration::ZERO; total]));
    let mut senders = Vec::new();
    for (i, list) in per_node.into_iter().enumerate() {
        let (node, submitted) = (nodes[i].clone(), submitted.clone());
        senders.push(std::thread::spawn(move || -> Result<()> {
            for (index, tx) in list {
                loop {
                    let at = start.elapsed();
                    match node.submit(tx.clone()) {
                        Ok(_) => {
                            submitted
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)[index] = at;
                            break;
                        }
                        Err(SubmitError::Mempool(wicas_node::MempoolError::Full { .. })) => {
                            std::thread::sleep(Duration::from_millis(5));
                        }
                        Err(e) => bail!("tx {index} refused: {e}"),
                    }
                }
            }
            Ok(())
        }));
    }
    for s in senders {
        s.join()
            .map_err(|_| anyhow::anyhow!("a sender panicked"))??;
    }
    let submit_done = start.elapsed();

    // Wait until every tx is committed on the node it was sent to.
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut committed_at = vec![None; total];
    loop {
        let mut left = 0;
        for (i, (node, hash)) in hashes.iter().enumerate() {
            if committed_at[i].is_none() {
                match nodes[*node].committed(hash)? {
                    Some(c) => {
                        ensure!(c.result.code == 0, "tx {i} failed: {}", c.result.log);
                        committed_at[i] = Some(c.height);
                    }
                    None => left += 1,
                }
            }
        }
        if left == 0 {
            break;
        }
        ensure!(
            Instant::now() < deadline,
            "{left} txs not committed in 600 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    watching.store(false, std::sync::atomic::Ordering::Relaxed);
    let _ = watcher.join();
    let load = loadavg();

    let times = times
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let submitted = submitted
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let mut latencies = Vec::with_capacity(total);
    let mut last_commit = Duration::ZERO;
    for (i, (node, _)) in hashes.iter().enumerate() {
        let h = committed_at[i].unwrap_or_default();
        let t = times[*node]
            .range(h..)
            .next()
            .map(|(_, t)| *t)
            .context("commit time not observed")?;
        last_commit = last_commit.max(t);
        latencies.push(t.saturating_sub(submitted[i]));
    }
    latencies.sort();
    let first_submit = submitted.iter().min().copied().unwrap_or_default();
    let window = last_commit.saturating_sub(first_submit).as_secs_f64();
    let end_height = committed_at.iter().flatten().max().copied().unwrap_or(0);
    let blocks = end_height.saturating_sub(start_heights[0]);
    println!(
        "| validators | txs | blocks | blocks/s | transfers/s | latency p50 | latency p99 | submit s | loadavg after |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {} | {:.2} | {:.0} | {:.0} ms | {:.0} ms | {:.1} | {} |",
        nodes.len(),
        total,
        blocks,
        blocks as f64 / window,
        total as f64 / window,
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        submit_done.as_secs_f64(),
        load
    );
    for c in chains {
        c.stop().await;
    }
    Ok(())
}
