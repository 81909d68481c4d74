//! A node's home directory: `wicasd init` writes it, `wicasd start` reads it.
//!
//! ```text
//! HOME/config/genesis.json            chain id, genesis time, block limits, validators, app state
//! HOME/config/priv_validator_key.json the ed25519 validator key (seed, hex)
//! HOME/config/node.json               listen address, moniker
//! HOME/keyring/NAME.json              secp256k1 account keys (file keyring, mode 0600)
//! HOME/data/                          state.redb (app), blocks.redb (decided blocks), consensus.wal,
//!                                     tx_index.redb (committed txs and block results, for the RPC)
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail, ensure};
use k256::ecdsa::SigningKey;
use serde::{Deserialize, Serialize};
use wicas_app::{Address, Coin, Genesis, NATIVE_DENOM};
use wicas_consensus::{ChainParams, PrivateKey, PublicKey, Validator, ValidatorSet};

/// Chain id `init` uses when none is given.
pub const DEFAULT_CHAIN_ID: &str = "wicas-local-1";
/// Name of the funded account `init` creates (also the `ai` module authority).
pub const GENESIS_ACCOUNT: &str = "validator";
/// Its genesis balance in `uwicas`.
pub const GENESIS_BALANCE: u128 = 1_000_000_000_000;
/// Default p2p listen address.
pub const DEFAULT_LISTEN: &str = "/ip4/127.0.0.1/tcp/26656";
/// Default RPC listen address (CometBFT's `rpc.laddr` default, local only).
pub const DEFAULT_RPC_LISTEN: &str = "127.0.0.1:26657";

fn default_rpc_laddr() -> String {
    DEFAULT_RPC_LISTEN.to_owned()
}

/// One genesis validator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisValidator {
    /// ed25519 public key, hex.
    pub pub_key: String,
    /// Voting power.
    pub power: u64,
}

/// `config/genesis.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisFile {
    /// Lower bound of the first block's time, seconds since the Unix epoch.
    pub genesis_time_unix: i64,
    /// Largest encoded block (CometBFT `block.max_bytes`).
    pub block_max_bytes: i64,
    /// Largest total gas of a block (-1 = unlimited).
    pub block_max_gas: i64,
    /// The validator set.
    pub validators: Vec<GenesisValidator>,
    /// The app's genesis (its `chain_id` is the chain's).
    pub app_state: Genesis,
}

impl GenesisFile {
    /// Everything the node checks at start: consensus parameters, the validator set, and that
    /// the app genesis applies.
    pub fn validate(&self) -> Result<()> {
        self.chain_params()?.validate()?;
        self.validator_set()?;
        self.app_state
            .apply(&mut wicas_store::MemState::new())
            .context("app genesis")?;
        Ok(())
    }

    /// Consensus parameters.
    pub fn chain_params(&self) -> Result<ChainParams> {
        Ok(ChainParams {
            chain_id: self
                .app_state
                .chain_id
                .parse()
                .map_err(|e| anyhow::anyhow!("chain id {:?}: {e}", self.app_state.chain_id))?,
            block_max_bytes: self.block_max_bytes,
            block_max_gas: self.block_max_gas,
            app_version: 1,
        })
    }

    /// The validator set.
    pub fn validator_set(&self) -> Result<ValidatorSet> {
        let vals = self
            .validators
            .iter()
            .map(|v| {
                let bytes = hex::decode(&v.pub_key).context("validator pub_key is not hex")?;
                Ok(Validator::new(PublicKey::from_bytes(&bytes)?, v.power))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ValidatorSet::new(vals)?)
    }

    /// Genesis time.
    pub fn genesis_time(&self) -> Result<tendermint::Time> {
        tendermint::Time::from_unix_timestamp(self.genesis_time_unix, 0)
            .map_err(|e| anyhow::anyhow!("genesis time {}: {e}", self.genesis_time_unix))
    }
}

/// `config/priv_validator_key.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidatorKeyFile {
    address: String,
    pub_key: String,
    seed: String,
}

/// `config/node.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeFile {
    /// Name in logs.
    pub moniker: String,
    /// p2p listen multiaddr.
    pub listen_addr: String,
    /// Peers (multiaddrs).
    #[serde(default)]
    pub persistent_peers: Vec<String>,
    /// Where `wicasd start` serves the CometBFT-compatible RPC (`host:port`; files written
    /// before this field existed get [`DEFAULT_RPC_LISTEN`]).
    #[serde(default = "default_rpc_laddr")]
    pub rpc_laddr: String,
}

/// `keyring/NAME.json`: a secp256k1 account key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFile {
    /// Key name.
    pub name: String,
    /// Bech32 address.
    pub address: String,
    /// Compressed public key, hex.
    pub pub_key: String,
    /// Secret scalar, hex.
    pub priv_key: String,
}

impl KeyFile {
    /// The signing key.
    pub fn signing_key(&self) -> Result<SigningKey> {
        let bytes = hex::decode(&self.priv_key).context("priv_key is not hex")?;
        Ok(SigningKey::from_slice(&bytes)?)
    }
}

/// A home directory.
#[derive(Debug, Clone)]
pub struct Home {
    root: PathBuf,
}

/// 32 bytes from the OS (key generation).
pub(crate) fn random32() -> Result<[u8; 32]> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("OS randomness: {e}"))?;
    Ok(b)
}

pub(crate) fn write_json(path: &Path, value: &impl Serialize, secret: bool) -> Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    std::fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))?;
    if secret {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

pub(crate) fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let text = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_slice(&text).with_context(|| format!("parsing {}", path.display()))
}

/// A new secp256k1 account key named `name`.
pub fn new_account_key(name: &str) -> Result<KeyFile> {
    let sk = loop {
        if let Ok(sk) = SigningKey::from_slice(&random32()?) {
            break sk;
        }
    };
    let pubkey = sk
        .verifying_key()
        .to_encoded_point(true)
        .as_bytes()
        .to_vec();
    Ok(KeyFile {
        name: name.to_owned(),
        address: Address::from_secp256k1(&pubkey).to_bech32(),
        pub_key: hex::encode(&pubkey),
        priv_key: hex::encode(sk.to_bytes()),
    })
}

impl Home {
    /// The home at `root` (nothing is read yet).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Its root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `data/`.
    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    pub(crate) fn config(&self, name: &str) -> PathBuf {
        self.root.join("config").join(name)
    }

    pub(crate) fn key_path(&self, name: &str) -> Result<PathBuf> {
        ensure!(
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "key name {name:?}: use letters, digits, '-' and '_'"
        );
        Ok(self.root.join("keyring").join(format!("{name}.json")))
    }

    /// `wicasd init`: a one-validator genesis with one funded account that is also the `ai`
    /// authority. Refuses a home that already has a genesis.
    pub fn init(&self, chain_id: &str, genesis_time_unix: i64) -> Result<GenesisFile> {
        let genesis_path = self.config("genesis.json");
        if genesis_path.exists() {
            bail!(
                "{} exists: this home is already initialised",
                genesis_path.display()
            );
        }
        let val = PrivateKey::from_seed(random32()?);
        let pk = val.public_key();
        let account = new_account_key(GENESIS_ACCOUNT)?;
        let mut app_state = Genesis {
            chain_id: chain_id.to_owned(),
            ..Genesis::default()
        };
        app_state.ai.params.authority = account.address.clone();
        app_state
            .bank
            .balances
            .push(wicas_app::bank::GenesisBalance {
                address: account.address.clone(),
                coins: vec![Coin::new(GENESIS_BALANCE, NATIVE_DENOM)],
            });
        let genesis = GenesisFile {
            genesis_time_unix,
            block_max_bytes: 4 << 20,
            block_max_gas: -1,
            validators: vec![GenesisValidator {
                pub_key: hex::encode(pk.to_bytes()),
                power: 10,
            }],
            app_state,
        };
        // Everything the node checks at start is checked before anything is written.
        genesis.validate()?;
        for dir in ["config", "keyring", "data"] {
            std::fs::create_dir_all(self.root.join(dir))
                .with_context(|| format!("creating {}", self.root.join(dir).display()))?;
        }
        write_json(
            &self.config("priv_validator_key.json"),
            &ValidatorKeyFile {
                address: wicas_consensus::Address::from_public_key(&pk).to_string(),
                pub_key: hex::encode(pk.to_bytes()),
                seed: hex::encode(val.to_seed()),
            },
            true,
        )?;
        write_json(&self.key_path(GENESIS_ACCOUNT)?, &account, true)?;
        write_json(
            &self.config("node.json"),
            &NodeFile {
                moniker: "wicas".into(),
                listen_addr: DEFAULT_LISTEN.into(),
                persistent_peers: Vec::new(),
                rpc_laddr: DEFAULT_RPC_LISTEN.into(),
            },
            false,
        )?;
        write_json(&genesis_path, &genesis, false)?;
        Ok(genesis)
    }

    /// The genesis file.
    pub fn genesis(&self) -> Result<GenesisFile> {
        let g: GenesisFile = read_json(&self.config("genesis.json"))
            .context("is this a wicasd home? run `wicasd init --home DIR`")?;
        Ok(g)
    }

    /// The validator key.
    pub fn validator_key(&self) -> Result<PrivateKey> {
        let f: ValidatorKeyFile = read_json(&self.config("priv_validator_key.json"))?;
        let seed: [u8; 32] = hex::decode(&f.seed)
            .context("validator seed is not hex")?
            .try_into()
            .map_err(|_| anyhow::anyhow!("validator seed is not 32 bytes"))?;
        Ok(PrivateKey::from_seed(seed))
    }

    /// `config/node.json`.
    pub fn node_file(&self) -> Result<NodeFile> {
        read_json(&self.config("node.json"))
    }

    /// Rewrite `config/node.json`.
    pub fn set_node_file(&self, f: &NodeFile) -> Result<()> {
        write_json(&self.config("node.json"), f, false)
    }

    /// Write a home from parts (`wicasd testnet`): creates its directories and refuses a home
    /// that already has a genesis.
    pub fn write_parts(
        &self,
        genesis: &GenesisFile,
        validator: &PrivateKey,
        node: &NodeFile,
        keys: &[KeyFile],
    ) -> Result<()> {
        let genesis_path = self.config("genesis.json");
        if genesis_path.exists() {
            bail!(
                "{} exists: this home is already initialised",
                genesis_path.display()
            );
        }
        for dir in ["config", "keyring", "data"] {
            std::fs::create_dir_all(self.root.join(dir))
                .with_context(|| format!("creating {}", self.root.join(dir).display()))?;
        }
        let pk = validator.public_key();
        write_json(
            &self.config("priv_validator_key.json"),
            &ValidatorKeyFile {
                address: wicas_consensus::Address::from_public_key(&pk).to_string(),
                pub_key: hex::encode(pk.to_bytes()),
                seed: hex::encode(validator.to_seed()),
            },
            true,
        )?;
        for key in keys {
            write_json(&self.key_path(&key.name)?, key, true)?;
        }
        self.set_node_file(node)?;
        write_json(&genesis_path, genesis, false)
    }

    /// The account key `name` from the keyring.
    pub fn key(&self, name: &str) -> Result<KeyFile> {
        read_json(&self.key_path(name)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_writes_a_home_that_loads_and_refuses_a_second_init() {
        let dir = tempfile::tempdir().unwrap();
        let home = Home::new(dir.path());
        let g = home.init("wicas-t-1", 1_764_000_000).unwrap();
        let loaded = home.genesis().unwrap();
        assert_eq!(loaded.app_state, g.app_state);
        assert_eq!(loaded.validator_set().unwrap().len(), 1);
        let key = home.key(GENESIS_ACCOUNT).unwrap();
        assert_eq!(loaded.app_state.ai.params.authority, key.address);
        let pk = key
            .signing_key()
            .unwrap()
            .verifying_key()
            .to_encoded_point(true);
        assert_eq!(hex::encode(pk.as_bytes()), key.pub_key);
        let v = home.validator_key().unwrap();
        assert_eq!(
            hex::encode(v.public_key().to_bytes()),
            g.validators[0].pub_key
        );
        let err = home.init("wicas-t-1", 0).unwrap_err();
        assert!(err.to_string().contains("already initialised"), "{err}");
    }

    #[test]
    fn bad_chain_ids_and_key_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let home = Home::new(dir.path());
        assert!(home.init("bad chain id!", 0).is_err());
        assert!(
            !dir.path().join("config").exists(),
            "a refused init writes nothing"
        );
        assert!(home.key("../etc").is_err());
        assert!(Home::new(dir.path().join("none")).genesis().is_err());
    }
}
