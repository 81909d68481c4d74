//! Account and contract addresses: raw bytes, shown as bech32 with the chain's prefix.
//!
//! An account address is `RIPEMD160(SHA256(compressed secp256k1 pubkey))` (20 bytes, Cosmos SDK
//! `secp256k1.PubKey.Address`); a contract address is 32 bytes (wasmd's module-address
//! derivation). Both print as `bech32("wicas", bytes)`.

use bech32::{Bech32, Hrp};
use ripemd::Ripemd160;
use sha2::{Digest, Sha256};

/// The human-readable prefix of every wicas address.
pub const BECH32_PREFIX: &str = "wicas";

/// Longest address accepted, in bytes (Cosmos SDK `address.MaxAddrLen`).
pub const MAX_ADDRESS_LEN: usize = 255;

/// An address as raw bytes (20 for accounts, 32 for contracts).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address(Vec<u8>);

/// Why a string or byte string is not a wicas address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AddressError {
    /// Not valid bech32.
    #[error("invalid bech32 address {address:?}: {reason}")]
    Bech32 {
        /// The input.
        address: String,
        /// The decoder's complaint.
        reason: String,
    },
    /// Valid bech32 with another chain's prefix.
    #[error("address {address:?} has prefix {found:?}, expected {BECH32_PREFIX:?}")]
    WrongPrefix {
        /// The input.
        address: String,
        /// Its prefix.
        found: String,
    },
    /// Empty or longer than [`MAX_ADDRESS_LEN`].
    #[error("address has {len} bytes; must be 1..={MAX_ADDRESS_LEN}")]
    BadLength {
        /// The length found.
        len: usize,
    },
}

impl Address {
    /// Wrap raw bytes, checking their length.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, AddressError> {
        if bytes.is_empty() || bytes.len() > MAX_ADDRESS_LEN {
            return Err(AddressError::BadLength { len: bytes.len() });
        }
        Ok(Self(bytes))
    }

    /// The account address of a compressed secp256k1 public key.
    pub fn from_secp256k1(pubkey: &[u8]) -> Self {
        let sha = Sha256::digest(pubkey);
        Self(Ripemd160::digest(sha).to_vec())
    }

    /// An address that is already a 20-byte hash (module accounts).
    pub(crate) fn from_secp256k1_like_hash(hash: &[u8]) -> Self {
        Self(hash.to_vec())
    }

    /// Parse a bech32 string with the `wicas` prefix.
    pub fn from_bech32(s: &str) -> Result<Self, AddressError> {
        let (hrp, data) = bech32::decode(s).map_err(|e| AddressError::Bech32 {
            address: s.to_owned(),
            reason: e.to_string(),
        })?;
        if hrp.as_str() != BECH32_PREFIX {
            return Err(AddressError::WrongPrefix {
                address: s.to_owned(),
                found: hrp.to_string(),
            });
        }
        Self::from_bytes(data)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bech32 form.
    pub fn to_bech32(&self) -> String {
        let hrp = Hrp::parse_unchecked(BECH32_PREFIX);
        // An address is at most 255 bytes, far below bech32's length limit, so encoding succeeds;
        // the fallback keeps this total without a panic.
        bech32::encode::<Bech32>(hrp, &self.0).unwrap_or_else(|_| hex::encode(&self.0))
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_bech32())
    }
}

impl std::fmt::Debug for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Address({})", self.to_bech32())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bech32_round_trips_and_checks_the_prefix() {
        let a = Address::from_secp256k1(&[2u8; 33]);
        assert_eq!(a.as_bytes().len(), 20);
        let s = a.to_bech32();
        assert!(s.starts_with("wicas1"));
        assert_eq!(Address::from_bech32(&s).unwrap(), a);
        // Same bytes under the cosmos prefix are refused.
        let other = bech32::encode::<Bech32>(Hrp::parse_unchecked("cosmos"), a.as_bytes()).unwrap();
        assert!(matches!(
            Address::from_bech32(&other),
            Err(AddressError::WrongPrefix { .. })
        ));
        assert!(matches!(
            Address::from_bech32("wicas1xyz"),
            Err(AddressError::Bech32 { .. })
        ));
    }

    #[test]
    fn cosmjs_test_vector_derives_the_same_account() {
        // CosmJS `pubkeyToAddress` test: AtQaCqFnshaZQp6rIkvAPyzThvCvXSDO+9AzbxVErqJP (base64)
        // -> cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2r.
        let pk = hex::decode("02d41a0aa167b21699429eab224bc03f2cd386f0af5d20cefbd0336f1544aea24f")
            .unwrap();
        let (_, expected) =
            bech32::decode("cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2r").unwrap();
        assert_eq!(Address::from_secp256k1(&pk).as_bytes(), expected.as_slice());
    }
}
