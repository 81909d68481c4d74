//! Account keys: secp256k1, from a BIP-39 mnemonic on the Cosmos HD path or from a raw secret.

use bip39::{Language, Mnemonic};
use k256::ecdsa::signature::Signer as _;
use k256::ecdsa::{Signature, SigningKey};
use wicas_app::Address;

use crate::error::KeyError;

/// The Cosmos Hub's BIP-44 path (coin type 118), which Keplr, CosmJS and `wasmd keys add` use by
/// default: the same mnemonic gives the same `wicas1…` address everywhere.
pub const COSMOS_HD_PATH: &str = "m/44'/118'/0'/0/0";

/// A secp256k1 account key and the address it controls.
#[derive(Clone)]
pub struct AccountKey {
    sk: SigningKey,
    pubkey: [u8; 33],
    address: Address,
}

impl std::fmt::Debug for AccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountKey")
            .field("address", &self.address.to_bech32())
            .finish_non_exhaustive()
    }
}

/// A fresh 24-word English mnemonic (256 bits from the OS).
pub fn generate_mnemonic() -> Result<String, KeyError> {
    let mut entropy = [0u8; 32];
    getrandom::fill(&mut entropy).map_err(|e| KeyError::Randomness(e.to_string()))?;
    let m = Mnemonic::from_entropy_in(Language::English, &entropy)
        .map_err(|e| KeyError::Mnemonic(e.to_string()))?;
    Ok(m.to_string())
}

impl AccountKey {
    /// The key of a signing key.
    pub fn from_signing_key(sk: SigningKey) -> Self {
        let point = sk.verifying_key().to_encoded_point(true);
        let mut pubkey = [0u8; 33];
        pubkey.copy_from_slice(point.as_bytes());
        let address = Address::from_secp256k1(&pubkey);
        Self {
            sk,
            pubkey,
            address,
        }
    }

    /// From 32 secret bytes.
    pub fn from_secret(secret: &[u8]) -> Result<Self, KeyError> {
        let sk = SigningKey::from_slice(secret).map_err(|e| KeyError::Secret(e.to_string()))?;
        Ok(Self::from_signing_key(sk))
    }

    /// From the hex of 32 secret bytes.
    pub fn from_secret_hex(secret: &str) -> Result<Self, KeyError> {
        let bytes = hex::decode(secret.trim()).map_err(|e| KeyError::Secret(e.to_string()))?;
        Self::from_secret(&bytes)
    }

    /// From a BIP-39 English mnemonic (12–24 words, checksum checked, no passphrase), derived
    /// along `hd_path` (BIP-32), e.g. [`COSMOS_HD_PATH`].
    pub fn from_mnemonic(phrase: &str, hd_path: &str) -> Result<Self, KeyError> {
        let words: Vec<&str> = phrase.split_whitespace().collect();
        let m = Mnemonic::parse_in_normalized(Language::English, &words.join(" "))
            .map_err(|e| KeyError::Mnemonic(e.to_string()))?;
        let seed = m.to_seed_normalized("");
        let derivation = |reason: String| KeyError::Derivation {
            path: hd_path.to_owned(),
            reason,
        };
        let path: bip32::DerivationPath =
            hd_path.parse().map_err(|e| derivation(format!("{e}")))?;
        let xprv =
            bip32::XPrv::derive_from_path(seed, &path).map_err(|e| derivation(format!("{e}")))?;
        Ok(Self::from_signing_key(xprv.private_key().clone()))
    }

    /// The account's address.
    pub fn address(&self) -> &Address {
        &self.address
    }

    /// Its bech32 form (`wicas1…`).
    pub fn bech32(&self) -> String {
        self.address.to_bech32()
    }

    /// The 33-byte compressed public key.
    pub fn pubkey(&self) -> &[u8; 33] {
        &self.pubkey
    }

    /// Hex of the 32 secret bytes (for the file keyring; handle with care).
    pub fn secret_hex(&self) -> String {
        hex::encode(self.sk.to_bytes())
    }

    /// A 64-byte low-S ECDSA signature over SHA-256(`msg`), as the app verifies it.
    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        let sig: Signature = self.sk.sign(msg);
        let sig = sig.normalize_s().unwrap_or(sig);
        sig.to_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_mnemonic_recovers_the_same_key_and_whitespace_does_not_matter() {
        let phrase = generate_mnemonic().unwrap();
        assert_eq!(phrase.split(' ').count(), 24);
        let a = AccountKey::from_mnemonic(&phrase, COSMOS_HD_PATH).unwrap();
        let spaced = format!("  {}\n", phrase.replace(' ', "   "));
        let b = AccountKey::from_mnemonic(&spaced, COSMOS_HD_PATH).unwrap();
        assert_eq!(a.bech32(), b.bech32());
        let other = AccountKey::from_mnemonic(&phrase, "m/44'/118'/0'/0/1").unwrap();
        assert_ne!(a.bech32(), other.bech32());
        let c = AccountKey::from_secret_hex(&a.secret_hex()).unwrap();
        assert_eq!(a.bech32(), c.bech32());
    }

    /// Addresses and public keys CosmJS 0.38.1 `DirectSecp256k1HdWallet.fromMnemonic(phrase,
    /// { prefix: "wicas" })` derives (its default path is the Cosmos Hub's): a key made here
    /// imports into CosmJS and Keplr as the same account.
    #[test]
    fn mnemonics_derive_the_addresses_cosmjs_derives() {
        let cases = [
            (
                "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
                "wicas19rl4cm2hmr8afy4kldpxz3fka4jguq0ax0kzgu",
                "024f4e2ad99c34d60b9ba6283c9431a8418af8673212961f97a77b6377fcd05b62",
            ),
            (
                "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote",
                "wicas1kl0dn0rtwk46h9zcmazyyrruta290crhyps9hg",
                "03352ac3058d7f088ae0791044874279340a63d1b7c10fb395db5a48cb9488b744",
            ),
        ];
        for (phrase, address, pubkey) in cases {
            let k = AccountKey::from_mnemonic(phrase, COSMOS_HD_PATH).unwrap();
            assert_eq!(k.bech32(), address);
            assert_eq!(hex::encode(k.pubkey()), pubkey);
        }
    }

    #[test]
    fn bad_mnemonics_paths_and_secrets_are_refused() {
        // Tried: a wrong checksum word, an unknown word, a bad path, short and zero secrets.
        let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon";
        assert!(matches!(
            AccountKey::from_mnemonic(phrase, COSMOS_HD_PATH),
            Err(KeyError::Mnemonic(_))
        ));
        let unknown = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon wicas";
        assert!(AccountKey::from_mnemonic(unknown, COSMOS_HD_PATH).is_err());
        let ok = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        assert!(matches!(
            AccountKey::from_mnemonic(ok, "44/118"),
            Err(KeyError::Derivation { .. })
        ));
        assert!(AccountKey::from_secret_hex("abcd").is_err());
        assert!(AccountKey::from_secret(&[0u8; 32]).is_err());
    }
}
