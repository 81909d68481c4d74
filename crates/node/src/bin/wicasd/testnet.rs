//! `wicasd testnet --validators N --output DIR`: ready-made homes for a local network.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use wicas_node::{DEFAULT_CHAIN_ID, TestnetPlan, write_testnet};

/// `wicasd testnet` flags.
#[derive(Debug, Args)]
pub struct TestnetArgs {
    /// Number of validators (one home each: DIR/node0, DIR/node1, …).
    #[arg(long, default_value_t = 4)]
    pub validators: usize,
    /// Where to write the homes.
    #[arg(long)]
    pub output: PathBuf,
    /// The chain id.
    #[arg(long, default_value = DEFAULT_CHAIN_ID)]
    pub chain_id: String,
    /// Node I listens on BASE+10·I (p2p) and BASE+10·I+1 (RPC).
    #[arg(long, default_value_t = 26656)]
    pub base_port: u16,
    /// Extra funded accounts (`user0`, …) in node0's keyring.
    #[arg(long, default_value_t = 0)]
    pub accounts: usize,
}

/// `wicasd testnet`.
pub fn run(args: &TestnetArgs) -> Result<()> {
    let plan = TestnetPlan {
        validators: args.validators,
        accounts: args.accounts,
        chain_id: args.chain_id.clone(),
        output: args.output.clone(),
        base_port: args.base_port,
        genesis_time_unix: crate::chain::now_unix(),
    };
    let nodes = write_testnet(&plan)?;
    println!(
        "wrote {} validator homes of chain {} in {}",
        nodes.len(),
        args.chain_id,
        args.output.display()
    );
    for n in &nodes {
        println!("{}  p2p {}  rpc {}", n.home.display(), n.p2p, n.rpc);
    }
    Ok(())
}
