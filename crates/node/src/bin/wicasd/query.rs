//! `wicasd query …` and `wicasd status`: reads through the node's JSON-RPC (`abci_query`,
//! `tx_search`, `status`).

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use clap::{Args, Subcommand};
use serde_json::json;
use wicas_client::Address;
use wicas_node::Home;

use crate::common::{HomeArgs, NodeArgs, Output, block_on, print_json, resolve_address};
use crate::tx::print_outcome;

/// `wicasd query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(subcommand)]
    pub command: QueryCommand,
}

/// Query modules.
#[derive(Debug, Subcommand)]
pub enum QueryCommand {
    /// CosmWasm queries.
    #[command(subcommand)]
    Wasm(WasmQuery),
    /// Bank queries.
    #[command(subcommand)]
    Bank(BankQuery),
    /// A transaction's result by hash.
    Tx {
        /// Hex hash (64 digits).
        hash: String,
        #[command(flatten)]
        node: NodeArgs,
    },
}

/// `wicasd query wasm`.
#[derive(Debug, Subcommand)]
pub enum WasmQuery {
    /// A contract's state.
    #[command(subcommand)]
    ContractState(ContractState),
}

/// `wicasd query wasm contract-state`.
#[derive(Debug, Subcommand)]
pub enum ContractState {
    /// Ask the contract (its `query` entry point) with a JSON message.
    Smart {
        /// Contract address.
        contract: String,
        /// Query message (JSON).
        msg: String,
        #[command(flatten)]
        node: NodeArgs,
    },
    /// Read one key of the contract's storage.
    Raw {
        /// Contract address.
        contract: String,
        /// The key (hex unless --ascii or --b64).
        key: String,
        /// The key is ASCII text.
        #[arg(long, conflicts_with = "b64")]
        ascii: bool,
        /// The key is base64.
        #[arg(long)]
        b64: bool,
        #[command(flatten)]
        node: NodeArgs,
    },
}

/// `wicasd query bank`.
#[derive(Debug, Subcommand)]
pub enum BankQuery {
    /// Every balance of an account.
    Balances {
        /// `wicas1…` address or a key name.
        address_or_key: String,
        #[command(flatten)]
        home: HomeArgs,
        #[command(flatten)]
        node: NodeArgs,
    },
}

/// `wicasd status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub node: NodeArgs,
}

fn contract_address(s: &str) -> Result<()> {
    Address::from_bech32(s)
        .with_context(|| format!("contract {s:?} is not a valid wicas address"))?;
    Ok(())
}

/// `wicasd query …`.
pub fn run(args: QueryArgs) -> Result<()> {
    match args.command {
        QueryCommand::Wasm(WasmQuery::ContractState(ContractState::Smart {
            contract,
            msg,
            node,
        })) => {
            contract_address(&contract)?;
            let msg: serde_json::Value = serde_json::from_str(&msg)
                .with_context(|| format!("the query message is not valid JSON: {msg:?}"))?;
            let client = node.client()?;
            let data = block_on(client.smart(&contract, &msg))??;
            match node.output {
                Output::Json => print_json(&json!({ "data": data })),
                Output::Text => print_json(&data),
            }
        }
        QueryCommand::Wasm(WasmQuery::ContractState(ContractState::Raw {
            contract,
            key,
            ascii,
            b64,
            node,
        })) => {
            contract_address(&contract)?;
            let key = if ascii {
                key.into_bytes()
            } else if b64 {
                base64::engine::general_purpose::STANDARD
                    .decode(&key)
                    .with_context(|| format!("key {key:?} is not base64"))?
            } else {
                hex::decode(&key)
                    .with_context(|| format!("key {key:?} is not hex (use --ascii or --b64)"))?
            };
            let client = node.client()?;
            let value = block_on(client.raw(&contract, &key))??;
            let b64 = base64::engine::general_purpose::STANDARD.encode(&value);
            match node.output {
                Output::Json => print_json(&json!({ "data": b64 })),
                Output::Text => {
                    match std::str::from_utf8(&value) {
                        Ok(text) => println!("{text}"),
                        Err(_) => println!("{b64}"),
                    }
                    Ok(())
                }
            }
        }
        QueryCommand::Bank(BankQuery::Balances {
            address_or_key,
            home,
            node,
        }) => {
            let address = resolve_address(&Home::new(&home.home), &address_or_key)?;
            let client = node.client()?;
            let coins = block_on(client.balances(&address))??;
            match node.output {
                Output::Json => print_json(&json!({ "balances": coins })),
                Output::Text => {
                    println!("balances:");
                    for c in &coins {
                        println!("- amount: \"{}\"\n  denom: {}", c.amount, c.denom);
                    }
                    Ok(())
                }
            }
        }
        QueryCommand::Tx { hash, node } => {
            let client = node.client()?;
            match block_on(client.find_tx(&hash))?? {
                Some(o) => print_outcome(&o, node.output),
                None => bail!("tx {hash} not found"),
            }
        }
    }
}

/// `wicasd status`.
pub fn status(args: StatusArgs) -> Result<()> {
    let client = args.node.client()?;
    let s = block_on(client.status())??;
    match args.node.output {
        Output::Json => print_json(&serde_json::to_value(&s)?),
        Output::Text => {
            println!("chain_id: {}", s.chain_id);
            println!("moniker: {}", s.moniker);
            println!("version: {}", s.version);
            println!("latest_block_height: {}", s.latest_block_height);
            println!("latest_block_hash: {}", s.latest_block_hash);
            println!("latest_app_hash: {}", s.latest_app_hash);
            println!("catching_up: {}", s.catching_up);
            Ok(())
        }
    }
}
