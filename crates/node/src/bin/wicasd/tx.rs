//! `wicasd tx bank|wasm|ai …`: sign with a keyring key, broadcast, wait for the block that
//! includes the tx, print its code, gas and events (and the code id or contract address).

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde_json::json;
use wicas_client::{
    AccountKey, FeeSetting, GasSetting, SendOptions, TxOutcome, msgs, parse_coins, parse_gas_price,
};
use wicas_node::Home;

use crate::common::{HomeArgs, NodeArgs, Output, block_on, print_json, resolve_address};

/// Signing, fee and broadcast flags (wasmd's names).
#[derive(Debug, Clone, Args)]
pub struct TxFlags {
    /// Name of the signing key in the keyring.
    #[arg(long)]
    pub from: Option<String>,
    #[command(flatten)]
    pub home: HomeArgs,
    #[command(flatten)]
    pub node: NodeArgs,
    /// Chain id to sign for (default: the node's).
    #[arg(long)]
    pub chain_id: Option<String>,
    /// Gas limit, or `auto` to simulate first.
    #[arg(long, default_value = "200000")]
    pub gas: String,
    /// With `--gas auto`: the simulated gas is multiplied by this.
    #[arg(long, default_value = "1.3")]
    pub gas_adjustment: String,
    /// Price per gas unit; fee = gas limit × price, rounded up.
    #[arg(long, default_value = "0.025uwicas")]
    pub gas_prices: String,
    /// Exact fee instead of `--gas-prices`.
    #[arg(long, conflicts_with = "gas_prices")]
    pub fees: Option<String>,
    /// Memo.
    #[arg(long, default_value = "")]
    pub note: String,
    /// Seconds to wait for the tx to be included in a block.
    #[arg(long, default_value_t = 60)]
    pub timeout_secs: u64,
}

/// `wicasd tx`.
#[derive(Debug, Args)]
pub struct TxArgs {
    #[command(subcommand)]
    pub command: TxCommand,
}

/// Transaction modules.
#[derive(Debug, Subcommand)]
pub enum TxCommand {
    /// Bank transactions.
    #[command(subcommand)]
    Bank(BankTx),
    /// CosmWasm transactions.
    #[command(subcommand)]
    Wasm(WasmTx),
    /// Inference module transactions.
    #[command(subcommand)]
    Ai(AiTx),
}

/// `wicasd tx bank`.
#[derive(Debug, Subcommand)]
pub enum BankTx {
    /// Send coins: `send FROM_KEY TO_ADDRESS COINS`.
    Send {
        /// Key name of the sender.
        from_key: String,
        /// Recipient (`wicas1…` or a key name).
        to: String,
        /// Coins, e.g. `100uwicas`.
        amount: String,
        #[command(flatten)]
        flags: TxFlags,
    },
}

/// `wicasd tx wasm`.
#[derive(Debug, Subcommand)]
pub enum WasmTx {
    /// Upload a contract's wasm (gzipped on the way); prints its code id.
    Store {
        /// The `.wasm` file.
        file: PathBuf,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Instantiate a stored code; prints the contract's address.
    Instantiate {
        /// Code id.
        code_id: u64,
        /// Instantiate message (JSON).
        msg: String,
        /// A label for the contract.
        #[arg(long)]
        label: String,
        /// Admin who may migrate (address or key name).
        #[arg(long, conflicts_with = "no_admin")]
        admin: Option<String>,
        /// No admin: the contract can never migrate.
        #[arg(long)]
        no_admin: bool,
        /// Coins sent to the contract.
        #[arg(long)]
        amount: Option<String>,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Execute a contract.
    Execute {
        /// Contract address.
        contract: String,
        /// Execute message (JSON).
        msg: String,
        /// Coins sent to the contract.
        #[arg(long)]
        amount: Option<String>,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Migrate a contract to another code (admin only).
    Migrate {
        /// Contract address.
        contract: String,
        /// New code id.
        code_id: u64,
        /// Migrate message (JSON).
        msg: String,
        #[command(flatten)]
        flags: TxFlags,
    },
}

/// `wicasd tx ai`.
#[derive(Debug, Subcommand)]
pub enum AiTx {
    /// Register a GGUF model by its SHA-256 (signer must be the ai authority). Prices default to
    /// the chain's suggestion for the model's size.
    RegisterModel {
        /// The GGUF file (hashed and loaded here, so a broken file is refused before sending).
        file: PathBuf,
        /// Name on chain (default: the file's `general.name`, else its file name).
        #[arg(long)]
        name: Option<String>,
        /// Gas per prompt token.
        #[arg(long)]
        prefill_price: Option<u64>,
        /// Gas per generated token.
        #[arg(long)]
        decode_price: Option<u64>,
        #[command(flatten)]
        flags: TxFlags,
    },
}

fn permille(s: &str) -> Result<u64> {
    let bad = || anyhow::anyhow!("--gas-adjustment {s:?}: expected a number such as 1.3");
    let (int, frac) = s.trim().split_once('.').unwrap_or((s.trim(), ""));
    if frac.len() > 3 || (int.is_empty() && frac.is_empty()) {
        return Err(bad());
    }
    let int: u64 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| bad())?
    };
    let frac: u64 = format!("{frac:0<3}").parse().map_err(|_| bad())?;
    let v = int
        .checked_mul(1000)
        .and_then(|i| i.checked_add(frac))
        .ok_or_else(bad)?;
    if v == 0 {
        return Err(bad());
    }
    Ok(v)
}

impl TxFlags {
    fn options(&self) -> Result<SendOptions> {
        let gas = if self.gas == "auto" {
            GasSetting::Auto {
                adjustment_permille: permille(&self.gas_adjustment)?,
            }
        } else {
            let limit: u64 = self.gas.parse().ok().filter(|g| *g > 0).with_context(|| {
                format!("--gas {:?}: expected a positive number or auto", self.gas)
            })?;
            GasSetting::Fixed(limit)
        };
        let fee = match &self.fees {
            Some(f) => FeeSetting::Coins(parse_coins(f)?),
            None => FeeSetting::Price(parse_gas_price(&self.gas_prices)?),
        };
        Ok(SendOptions {
            gas,
            fee,
            memo: self.note.clone(),
            chain_id: self.chain_id.clone(),
            timeout: Duration::from_secs(self.timeout_secs),
        })
    }

    fn home(&self) -> Home {
        Home::new(&self.home.home)
    }

    fn key(&self, name: Option<&str>) -> Result<AccountKey> {
        let Some(name) = name.or(self.from.as_deref()) else {
            bail!("--from KEY is required: the name of the signing key in the keyring");
        };
        let home = self.home();
        let file = home.key(name).with_context(|| {
            format!(
                "no key named {name:?} in {} (see `wicasd keys list`)",
                home.root().join("keyring").display()
            )
        })?;
        file.account_key()
    }

    /// Sign, send, wait, print; a tx that failed in its block is an error after printing.
    fn send(&self, key: &AccountKey, msg: cosmos_sdk_proto::Any) -> Result<TxOutcome> {
        let client = self.node.client()?;
        let opts = self.options()?;
        let outcome = block_on(client.sign_and_send(key, vec![msg], &opts))??;
        print_outcome(&outcome, self.node.output)?;
        if !outcome.is_ok() {
            bail!(
                "tx {} failed in block {} (codespace {:?}, code {}): {}",
                outcome.hash,
                outcome.height,
                outcome.codespace,
                outcome.code,
                outcome.log
            );
        }
        Ok(outcome)
    }
}

/// Print a tx result as wasmd does (text or JSON), with the code id / contract address.
pub fn print_outcome(o: &TxOutcome, output: Output) -> Result<()> {
    match output {
        Output::Json => {
            let mut v = serde_json::to_value(o)?;
            if let Some(id) = o.code_id() {
                v["code_id"] = json!(id);
            }
            if let Some(addr) = o.contract_address() {
                v["contract_address"] = json!(addr);
            }
            print_json(&v)
        }
        Output::Text => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "txhash: {}", o.hash)?;
            writeln!(out, "height: {}", o.height)?;
            writeln!(out, "code: {}", o.code)?;
            if !o.is_ok() {
                writeln!(out, "codespace: {}\nraw_log: {}", o.codespace, o.log)?;
            }
            writeln!(
                out,
                "gas_used: {}\ngas_wanted: {}",
                o.gas_used, o.gas_wanted
            )?;
            if let Some(id) = o.code_id() {
                writeln!(out, "code_id: {id}")?;
            }
            if let Some(addr) = o.contract_address() {
                writeln!(out, "contract_address: {addr}")?;
            }
            writeln!(out, "events:")?;
            for e in &o.events {
                let attrs: Vec<String> = e
                    .attributes
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                writeln!(out, "  - {}: {}", e.kind, attrs.join(", "))?;
            }
            Ok(())
        }
    }
}

fn json_arg(what: &str, s: &str) -> Result<serde_json::Value> {
    serde_json::from_str(s).with_context(|| format!("{what} is not valid JSON: {s:?}"))
}

fn coins_arg(s: Option<&String>) -> Result<Vec<wicas_client::Coin>> {
    Ok(match s {
        Some(s) => parse_coins(s)?,
        None => Vec::new(),
    })
}

fn check_contract(s: &str) -> Result<()> {
    wicas_client::Address::from_bech32(s)
        .with_context(|| format!("contract {s:?} is not a valid wicas address"))?;
    Ok(())
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?)
}

/// `wicasd tx …`.
pub fn run(args: TxArgs) -> Result<()> {
    match args.command {
        TxCommand::Bank(BankTx::Send {
            from_key,
            to,
            amount,
            flags,
        }) => {
            let key = flags.key(Some(&from_key))?;
            let to = resolve_address(&flags.home(), &to)?;
            let coins = parse_coins(&amount)?;
            flags.send(&key, msgs::bank_send(&key.bech32(), &to, &coins))?;
        }
        TxCommand::Wasm(WasmTx::Store { file, flags }) => {
            let key = flags.key(None)?;
            let wasm =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            if !wasm.starts_with(b"\0asm") {
                bail!("{} is not a wasm module", file.display());
            }
            flags.send(&key, msgs::store_code(&key.bech32(), gzip(&wasm)?))?;
        }
        TxCommand::Wasm(WasmTx::Instantiate {
            code_id,
            msg,
            label,
            admin,
            no_admin,
            amount,
            flags,
        }) => {
            let key = flags.key(None)?;
            let admin = match (admin, no_admin) {
                (Some(a), false) => resolve_address(&flags.home(), &a)?,
                (None, true) => String::new(),
                _ => bail!("give --admin ADDRESS or --no-admin"),
            };
            let msg = json_arg("the instantiate message", &msg)?;
            let funds = coins_arg(amount.as_ref())?;
            let m = msgs::instantiate(&key.bech32(), &admin, code_id, &label, &msg, &funds);
            flags.send(&key, m)?;
        }
        TxCommand::Wasm(WasmTx::Execute {
            contract,
            msg,
            amount,
            flags,
        }) => {
            let key = flags.key(None)?;
            check_contract(&contract)?;
            let msg = json_arg("the execute message", &msg)?;
            let funds = coins_arg(amount.as_ref())?;
            flags.send(&key, msgs::execute(&key.bech32(), &contract, &msg, &funds))?;
        }
        TxCommand::Wasm(WasmTx::Migrate {
            contract,
            code_id,
            msg,
            flags,
        }) => {
            let key = flags.key(None)?;
            check_contract(&contract)?;
            let msg = json_arg("the migrate message", &msg)?;
            flags.send(&key, msgs::migrate(&key.bech32(), &contract, code_id, &msg))?;
        }
        TxCommand::Ai(AiTx::RegisterModel {
            file,
            name,
            prefill_price,
            decode_price,
            flags,
        }) => {
            let key = flags.key(None)?;
            let sha256 = wicas_node::file_sha256(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let engine =
                wicas_infer::LlamaEngine::load(&file, wicas_infer::EngineOptions::default())
                    .with_context(|| {
                        format!("{} is not a model this node can run", file.display())
                    })?;
            let info = wicas_infer::Engine::model_info(&engine);
            let (prefill, decode) = wicas_app::ai::suggested_prices(info.weight_bytes);
            let name = name
                .or_else(|| (!info.name.is_empty()).then(|| info.name.clone()))
                .or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "model".into());
            eprintln!(
                "model {} ({name}, {})",
                wicas_app::ai::model_id(&sha256),
                info.architecture
            );
            let m = msgs::register_model(
                &key.bech32(),
                &sha256,
                &name,
                &info.architecture,
                prefill_price.unwrap_or(prefill),
                decode_price.unwrap_or(decode),
            );
            flags.send(&key, m)?;
        }
    }
    Ok(())
}
