//! `wicasd keys add|list|show`: secp256k1 account keys in the home's file keyring. New keys
//! come from a 24-word BIP-39 mnemonic on the Cosmos HD path (Keplr/CosmJS import the same
//! account); `--recover` reads a mnemonic from stdin.

use std::io::Read as _;

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use clap::{Args, Subcommand};
use serde_json::json;
use wicas_client::{AccountKey, COSMOS_HD_PATH, generate_mnemonic};
use wicas_node::{Home, KeyFile};

use crate::common::{HomeArgs, Output, print_json};

/// `wicasd keys`.
#[derive(Debug, Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    pub command: KeysCommand,
    #[command(flatten)]
    pub home: HomeArgs,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value = "text", global = true)]
    pub output: Output,
}

/// Key subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a new key (prints its mnemonic once) or, with --recover, import one.
    Add {
        /// The key's name (letters, digits, '-', '_').
        name: String,
        /// Read a BIP-39 mnemonic from stdin instead of making a new one.
        #[arg(long)]
        recover: bool,
        /// BIP-32 derivation path.
        #[arg(long, default_value = COSMOS_HD_PATH)]
        hd_path: String,
    },
    /// Every key in the keyring.
    List,
    /// One key.
    Show {
        /// The key's name.
        name: String,
        /// Print only the address.
        #[arg(long, short = 'a')]
        address: bool,
    },
}

fn describe(k: &KeyFile) -> Result<serde_json::Value> {
    let pubkey = hex::decode(&k.pub_key).context("pub_key is not hex")?;
    Ok(json!({
        "name": k.name,
        "type": "local",
        "address": k.address,
        "pubkey": json!({
            "@type": "/cosmos.crypto.secp256k1.PubKey",
            "key": base64::engine::general_purpose::STANDARD.encode(pubkey),
        }).to_string(),
    }))
}

fn print_key(k: &KeyFile, output: Output) -> Result<()> {
    let d = describe(k)?;
    match output {
        Output::Json => print_json(&d),
        Output::Text => {
            println!(
                "- name: {}\n  type: local\n  address: {}\n  pubkey: '{}'",
                k.name,
                k.address,
                d["pubkey"].as_str().unwrap_or_default()
            );
            Ok(())
        }
    }
}

/// `wicasd keys …`.
pub fn run(args: KeysArgs) -> Result<()> {
    let home = Home::new(&args.home.home);
    match args.command {
        KeysCommand::Add {
            name,
            recover,
            hd_path,
        } => {
            let (phrase, show_phrase) = if recover {
                eprintln!("> Enter your bip39 mnemonic");
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .context("reading the mnemonic from stdin")?;
                if s.trim().is_empty() {
                    bail!("no mnemonic on stdin");
                }
                (s, false)
            } else {
                (generate_mnemonic()?, true)
            };
            let key = AccountKey::from_mnemonic(&phrase, &hd_path)?;
            let file = KeyFile::from_account_key(&name, &key);
            home.add_key(&file)?;
            match args.output {
                Output::Json => {
                    let mut d = describe(&file)?;
                    if show_phrase {
                        d["mnemonic"] = json!(phrase);
                    }
                    print_json(&d)?;
                }
                Output::Text => {
                    print_key(&file, Output::Text)?;
                    if show_phrase {
                        println!(
                            "\n**Important** write this mnemonic phrase in a safe place.\nIt is the only way to recover your account if you ever forget your password.\n\n{phrase}"
                        );
                    }
                }
            }
            Ok(())
        }
        KeysCommand::List => {
            let keys = home.keys()?;
            match args.output {
                Output::Json => {
                    let list = keys.iter().map(describe).collect::<Result<Vec<_>>>()?;
                    print_json(&json!(list))
                }
                Output::Text => {
                    for k in &keys {
                        print_key(k, Output::Text)?;
                    }
                    Ok(())
                }
            }
        }
        KeysCommand::Show { name, address } => {
            let k = home.key(&name).with_context(|| {
                format!(
                    "no key named {name:?} in {}",
                    home.root().join("keyring").display()
                )
            })?;
            if address {
                println!("{}", k.address);
                return Ok(());
            }
            print_key(&k, args.output)
        }
    }
}
