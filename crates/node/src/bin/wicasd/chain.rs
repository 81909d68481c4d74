//! `wicasd init` and `wicasd start`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use wicas_node::{DEFAULT_CHAIN_ID, FailPoint, GENESIS_ACCOUNT, Home, RpcListen, StartOptions};

/// `wicasd init` flags.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The home directory to create.
    #[arg(long)]
    pub home: PathBuf,
    /// The chain id.
    #[arg(long, default_value = DEFAULT_CHAIN_ID)]
    pub chain_id: String,
}

/// `wicasd start` flags.
#[derive(Debug, Args)]
pub struct StartArgs {
    /// The home directory (`wicasd init` wrote it).
    #[arg(long)]
    pub home: PathBuf,
    /// p2p listen multiaddr instead of the home's `node.json` one (CometBFT's `--p2p.laddr`).
    #[arg(long = "p2p.laddr")]
    pub p2p_laddr: Option<String>,
    /// Serve the RPC at this `host:port` instead of the home's `node.json` `rpc_laddr`
    /// (default 127.0.0.1:26657); a `tcp://` prefix is accepted.
    #[arg(long = "rpc.laddr")]
    pub rpc_laddr: Option<String>,
    /// Directory of the GGUF files of registered models (default: $WICAS_MODEL_DIR, else
    /// ~/.cache/wicas/models).
    #[arg(long)]
    pub model_dir: Option<PathBuf>,
}

/// `--model-dir`, else `$WICAS_MODEL_DIR`, else `~/.cache/wicas/models`.
fn model_dir(flag: Option<&PathBuf>) -> PathBuf {
    if let Some(dir) = flag {
        return dir.clone();
    }
    if let Some(dir) = std::env::var_os("WICAS_MODEL_DIR") {
        return dir.into();
    }
    let home = std::env::var_os("HOME").map_or_else(PathBuf::new, PathBuf::from);
    home.join(".cache/wicas/models")
}

/// Seconds since the Unix epoch (the genesis time `init` writes; never read by consensus).
#[allow(clippy::disallowed_methods)]
// reason: a new genesis is stamped with the time it was made; validators read it from the file.
pub fn now_unix() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(now.as_secs()).unwrap_or(i64::MAX)
}

/// Env var arming a [`FailPoint`] (`POINT@HEIGHT`): a test hook, never set on a validator.
pub const FAIL_POINT_ENV: &str = "WICAS_FAIL_POINT";

fn fail_point_from_env() -> Result<Option<FailPoint>> {
    match std::env::var(FAIL_POINT_ENV) {
        Ok(v) => {
            Ok(Some(v.parse().map_err(|e: String| {
                anyhow::anyhow!("{FAIL_POINT_ENV}: {e}")
            })?))
        }
        Err(_) => Ok(None),
    }
}

/// `wicasd init`.
pub fn init(args: &InitArgs) -> Result<()> {
    let home = Home::new(&args.home);
    let genesis = home.init(&args.chain_id, now_unix())?;
    let account = home.key(GENESIS_ACCOUNT)?;
    println!(
        "initialised {} (chain {}): validator {}, account {:?} {} funded with {} uwicas",
        args.home.display(),
        genesis.app_state.chain_id,
        genesis.validators[0].pub_key,
        GENESIS_ACCOUNT,
        account.address,
        wicas_node::GENESIS_BALANCE,
    );
    Ok(())
}

/// `wicasd start`: runs until Ctrl-C, printing each committed height.
pub fn start(args: &StartArgs) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let home = Home::new(&args.home);
        let options = StartOptions {
            fail_point: fail_point_from_env()?,
            listen_addr: args.p2p_laddr.clone(),
            rpc: args
                .rpc_laddr
                .clone()
                .map_or(RpcListen::Home, RpcListen::At),
            model_dir: Some(model_dir(args.model_dir.as_ref())),
            ..StartOptions::default()
        };
        let chain = wicas_node::start(&home, options).await?;
        let (mut height, hash) = chain.node.last_commit()?;
        if let Some(rpc) = &chain.rpc {
            eprintln!("RPC at http://{}", rpc.local_addr);
        }
        // Tests read these lines: keep their shape.
        println!(
            "started at height {height} app_hash {}",
            hex::encode_upper(hash)
        );
        eprintln!("Ctrl-C stops");
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
        loop {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => break,
                _ = tick.tick() => {
                    if chain.consensus.host.is_finished() {
                        let ended = chain.consensus.host.await;
                        anyhow::bail!("consensus stopped: {ended:?}");
                    }
                    let (now, hash) = chain.node.last_commit()?;
                    if now != height {
                        height = now;
                        println!("committed height {height} app_hash {}", hex::encode_upper(hash));
                    }
                }
            }
        }
        eprintln!("stopping at height {}", chain.node.height()?);
        chain.stop().await;
        Ok(())
    })
}
