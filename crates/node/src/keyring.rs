//! The home's file keyring (`HOME/keyring/NAME.json`, mode 0600) and genesis edits
//! (`wicasd keys`, `wicasd genesis add-account|add-validator`).

use anyhow::{Context, Result, bail};
use wicas_client::AccountKey;

use crate::home::{GenesisFile, Home, KeyFile, read_json, write_json};

impl KeyFile {
    /// The file of `key` under `name`.
    pub fn from_account_key(name: &str, key: &AccountKey) -> Self {
        Self {
            name: name.to_owned(),
            address: key.bech32(),
            pub_key: hex::encode(key.pubkey()),
            priv_key: key.secret_hex(),
        }
    }

    /// The key, checked against the address the file records.
    pub fn account_key(&self) -> Result<AccountKey> {
        let key = AccountKey::from_secret_hex(&self.priv_key)
            .with_context(|| format!("key {:?}", self.name))?;
        if key.bech32() != self.address {
            bail!(
                "key {:?}: its secret gives {} but the file says {}",
                self.name,
                key.bech32(),
                self.address
            );
        }
        Ok(key)
    }
}

impl Home {
    /// Add `key` to the keyring; refuses a name that is taken.
    pub fn add_key(&self, key: &KeyFile) -> Result<()> {
        let path = self.key_path(&key.name)?;
        if path.exists() {
            bail!(
                "a key named {:?} already exists in {}",
                key.name,
                path.display()
            );
        }
        let dir = self.root().join("keyring");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        write_json(&path, key, true)
    }

    /// Every key in the keyring, by name.
    pub fn keys(&self) -> Result<Vec<KeyFile>> {
        let dir = self.root().join("keyring");
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
        };
        let mut keys = Vec::new();
        for entry in entries {
            let path = entry?.path();
            if path.extension().is_some_and(|x| x == "json") {
                keys.push(read_json::<KeyFile>(&path)?);
            }
        }
        keys.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(keys)
    }

    /// Replace `config/genesis.json` after checking it as `start` would. Refuses once the node
    /// has started (the chain's genesis is then fixed).
    pub fn write_genesis(&self, genesis: &GenesisFile) -> Result<()> {
        if self.data_dir().join("state.redb").exists() {
            bail!(
                "{} has already started a chain: its genesis can no longer change",
                self.root().display()
            );
        }
        genesis.validate()?;
        write_json(&self.config("genesis.json"), genesis, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_a_taken_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let home = Home::new(dir.path());
        assert!(home.keys().unwrap().is_empty());
        let k = AccountKey::from_secret(&[3u8; 32]).unwrap();
        home.add_key(&KeyFile::from_account_key("bob", &k)).unwrap();
        let err = home
            .add_key(&KeyFile::from_account_key("bob", &k))
            .unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        let back = home.key("bob").unwrap().account_key().unwrap();
        assert_eq!(back.bech32(), k.bech32());
        assert_eq!(home.keys().unwrap().len(), 1);
        let mut tampered = KeyFile::from_account_key("eve", &k);
        tampered.address = AccountKey::from_secret(&[4u8; 32]).unwrap().bech32();
        assert!(tampered.account_key().is_err());
    }
}
