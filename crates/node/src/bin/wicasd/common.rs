//! Flags and helpers shared by the client commands (`keys`, `genesis`, `tx`, `query`, `status`),
//! following wasmd: `--home`, `--node`, `--output text|json`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use wicas_client::{Address, DEFAULT_NODE, NodeClient};
use wicas_node::Home;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Lines for people.
    Text,
    /// One JSON object on stdout.
    Json,
}

/// `--home`: defaults to `$WICASD_HOME`, else `~/.wicasd` (as wasmd's `~/.wasmd`).
#[derive(Debug, Clone, Args)]
pub struct HomeArgs {
    /// The node's home directory (keyring, genesis).
    #[arg(long, env = "WICASD_HOME", default_value_os_t = default_home())]
    pub home: PathBuf,
}

/// `--node` and `--output`.
#[derive(Debug, Clone, Args)]
pub struct NodeArgs {
    /// The node's CometBFT JSON-RPC address.
    #[arg(long, default_value = DEFAULT_NODE)]
    pub node: String,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value = "text")]
    pub output: Output,
}

impl NodeArgs {
    /// The client (URL checked, nothing sent).
    pub fn client(&self) -> Result<NodeClient> {
        Ok(NodeClient::new(&self.node)?)
    }
}

fn default_home() -> PathBuf {
    PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".wicasd")
}

/// A single-threaded runtime for one client command.
pub fn block_on<F: std::future::Future>(f: F) -> Result<F::Output> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    Ok(rt.block_on(f))
}

/// A `wicas1…` address as given, or the address of the key of that name in the keyring.
pub fn resolve_address(home: &Home, s: &str) -> Result<String> {
    match Address::from_bech32(s) {
        Ok(a) => Ok(a.to_bech32()),
        Err(bech_err) => {
            let is_name = !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if is_name
                && home
                    .root()
                    .join("keyring")
                    .join(format!("{s}.json"))
                    .is_file()
            {
                return Ok(home.key(s)?.address);
            }
            bail!(
                "{s:?} is neither a valid wicas address ({bech_err}) nor a key in {}",
                home.root().join("keyring").display()
            )
        }
    }
}

/// Print `value` as pretty JSON.
pub fn print_json(value: &serde_json::Value) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
