//! `wicasd genesis add-account|add-validator`: edit a home's genesis before its first start.

use std::path::PathBuf;

use anyhow::{Context, Result, bail, ensure};
use clap::{Args, Subcommand};
use wicas_app::bank::GenesisBalance;
use wicas_client::parse_coins;
use wicas_node::{GenesisValidator, Home};

use crate::common::{HomeArgs, resolve_address};

/// `wicasd genesis`.
#[derive(Debug, Args)]
pub struct GenesisArgs {
    #[command(subcommand)]
    pub command: GenesisCommand,
    #[command(flatten)]
    pub home: HomeArgs,
}

/// Genesis subcommands.
#[derive(Debug, Subcommand)]
pub enum GenesisCommand {
    /// Give an account (address or key name) coins at genesis.
    AddAccount {
        /// `wicas1…` address or the name of a key in the keyring.
        address_or_key: String,
        /// Coins, e.g. `1000000uwicas`.
        coins: String,
    },
    /// Add a validator by its ed25519 public key (hex), or take the key of another home.
    AddValidator {
        /// ed25519 public key, 64 hex digits.
        #[arg(required_unless_present = "from_home")]
        pub_key: Option<String>,
        /// Use the validator key of this home (`wicasd init` wrote it).
        #[arg(long, conflicts_with = "pub_key")]
        from_home: Option<PathBuf>,
        /// Voting power.
        #[arg(long, default_value_t = 10)]
        power: u64,
    },
}

/// `wicasd genesis …`.
pub fn run(args: GenesisArgs) -> Result<()> {
    let home = Home::new(&args.home.home);
    let mut genesis = home.genesis()?;
    match args.command {
        GenesisCommand::AddAccount {
            address_or_key,
            coins,
        } => {
            let address = resolve_address(&home, &address_or_key)?;
            let coins = parse_coins(&coins)?;
            let balances = &mut genesis.app_state.bank.balances;
            if balances.iter().any(|b| b.address == address) {
                bail!("{address} already has a genesis balance");
            }
            balances.push(GenesisBalance {
                address: address.clone(),
                coins: coins.clone(),
            });
            home.write_genesis(&genesis)?;
            let list: Vec<String> = coins.iter().map(ToString::to_string).collect();
            println!("added {address} with {} to the genesis", list.join(","));
        }
        GenesisCommand::AddValidator {
            pub_key,
            from_home,
            power,
        } => {
            ensure!(power > 0, "--power must be positive");
            let pub_key = match (pub_key, from_home) {
                (Some(hex_key), None) => {
                    let bytes = hex::decode(hex_key.trim())
                        .with_context(|| format!("validator public key {hex_key:?} is not hex"))?;
                    wicas_consensus::PublicKey::from_bytes(&bytes)
                        .with_context(|| format!("validator public key {hex_key:?}"))?;
                    hex::encode(bytes)
                }
                (None, Some(other)) => {
                    hex::encode(Home::new(other).validator_key()?.public_key().to_bytes())
                }
                _ => bail!("give a public key or --from-home, not both"),
            };
            if genesis.validators.iter().any(|v| v.pub_key == pub_key) {
                bail!("validator {pub_key} is already in the genesis");
            }
            genesis.validators.push(GenesisValidator {
                pub_key: pub_key.clone(),
                power,
            });
            home.write_genesis(&genesis)?;
            println!("added validator {pub_key} with power {power} to the genesis");
        }
    }
    Ok(())
}
