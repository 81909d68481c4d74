//! Validator keys: ed25519 public/private keys, signatures and CometBFT addresses.
//!
//! An address is `SHA-256(ed25519 public key)[..20]`, exactly as CometBFT derives it
//! (`crypto/ed25519.PubKey.Address`), so that the RPC's `validators` answer and the block's
//! `proposer_address` are what light clients expect.

use core::fmt;

use sha2::{Digest, Sha256};

use crate::error::KeyError;

/// Length of a validator address in bytes (CometBFT `crypto.AddressSize`).
pub const ADDRESS_LEN: usize = 20;

/// A validator address: the first 20 bytes of SHA-256 of its ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address([u8; ADDRESS_LEN]);

impl Address {
    /// The address of a public key.
    pub fn from_public_key(key: &PublicKey) -> Self {
        let digest = Sha256::digest(key.to_bytes());
        let mut out = [0u8; ADDRESS_LEN];
        out.copy_from_slice(&digest[..ADDRESS_LEN]);
        Self(out)
    }

    /// Wraps 20 raw bytes; any other length is an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let raw: [u8; ADDRESS_LEN] = bytes
            .try_into()
            .map_err(|_| KeyError::AddressLength { len: bytes.len() })?;
        Ok(Self(raw))
    }

    /// The raw 20 bytes.
    pub fn as_bytes(&self) -> &[u8; ADDRESS_LEN] {
        &self.0
    }

    /// The same address as a `tendermint` account id.
    pub fn to_tendermint(&self) -> tendermint::account::Id {
        tendermint::account::Id::new(self.0)
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex_upper(f, &self.0)
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address(")?;
        write_hex_upper(f, &self.0)?;
        write!(f, ")")
    }
}

/// An ed25519 public key (validated point encoding).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(ed25519_consensus::VerificationKey);

impl PublicKey {
    /// Parses 32 bytes; rejects other lengths and invalid encodings.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let raw: [u8; 32] = bytes
            .try_into()
            .map_err(|_| KeyError::PublicKeyLength { len: bytes.len() })?;
        ed25519_consensus::VerificationKey::try_from(raw)
            .map(Self)
            .map_err(|_| KeyError::InvalidPublicKey)
    }

    /// The 32-byte encoding.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// This key as a `tendermint` public key.
    pub fn to_tendermint(&self) -> tendermint::PublicKey {
        tendermint::PublicKey::from_ed25519_consensus(self.0)
    }

    /// Checks `signature` over `message`.
    pub fn verify(&self, message: &[u8], signature: &Signature) -> bool {
        let sig = ed25519_consensus::Signature::from(signature.0);
        self.0.verify(&sig, message).is_ok()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey(")?;
        write_hex_upper(f, &self.to_bytes())?;
        write!(f, ")")
    }
}

/// Length of an ed25519 signature in bytes.
pub const SIGNATURE_LEN: usize = 64;

/// An ed25519 signature (64 bytes), ordered bytewise so certificates sort deterministically.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Signature([u8; SIGNATURE_LEN]);

impl Signature {
    /// Wraps 64 raw bytes; any other length is an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let raw: [u8; SIGNATURE_LEN] = bytes
            .try_into()
            .map_err(|_| KeyError::SignatureLength { len: bytes.len() })?;
        Ok(Self(raw))
    }

    /// The raw 64 bytes.
    pub fn as_bytes(&self) -> &[u8; SIGNATURE_LEN] {
        &self.0
    }

    /// This signature as a `tendermint` signature.
    pub fn to_tendermint(&self) -> tendermint::Signature {
        // `tendermint::Signature` rejects only empty input and lengths other than 64.
        tendermint::Signature::try_from(self.0.as_slice())
            .expect("a 64-byte array is always a valid ed25519 signature encoding")
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature(")?;
        write_hex_upper(f, &self.0[..8])?;
        write!(f, "…)")
    }
}

/// An ed25519 private key. `Debug` never prints the secret.
#[derive(Clone)]
pub struct PrivateKey(ed25519_consensus::SigningKey);

impl PrivateKey {
    /// A key from its 32-byte seed.
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self(ed25519_consensus::SigningKey::from(seed))
    }

    /// The 32-byte seed (for key files).
    pub fn to_seed(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verification_key())
    }

    /// Signs `message` (ed25519 is deterministic: same key and message, same signature).
    pub fn sign(&self, message: &[u8]) -> Signature {
        Signature(self.0.sign(message).to_bytes())
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({:?})", self.public_key())
    }
}

pub(crate) fn write_hex_upper(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    for b in bytes {
        write!(f, "{b:02X}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_is_sha256_prefix_like_cometbft() {
        let key = PrivateKey::from_seed([7; 32]).public_key();
        let ours = Address::from_public_key(&key);
        let theirs = tendermint::account::Id::from(key.to_tendermint());
        assert_eq!(ours.to_tendermint(), theirs);
    }

    #[test]
    fn bad_lengths_are_typed_errors() {
        assert!(matches!(
            Address::from_bytes(&[0; 19]),
            Err(KeyError::AddressLength { len: 19 })
        ));
        assert!(matches!(
            PublicKey::from_bytes(&[0; 31]),
            Err(KeyError::PublicKeyLength { len: 31 })
        ));
        assert!(matches!(
            Signature::from_bytes(&[0; 65]),
            Err(KeyError::SignatureLength { len: 65 })
        ));
    }

    #[test]
    fn signatures_verify_only_for_their_message() {
        let key = PrivateKey::from_seed([1; 32]);
        let sig = key.sign(b"hello");
        assert!(key.public_key().verify(b"hello", &sig));
        assert!(!key.public_key().verify(b"hellO", &sig));
    }
}
