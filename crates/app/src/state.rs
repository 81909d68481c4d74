//! Typed helpers over the raw state traits, shared by the modules' extension traits.

use wicas_store::{StateRead, StateWrite, StoreError};

/// Reading or decoding state failed. Either the database failed or a stored value does not decode:
/// both are node faults, not the transaction's, and surface as ABCI code 1 (internal).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored value does not decode.
    #[error("corrupt state at key {key}: {reason}")]
    Corrupt {
        /// Hex of the key.
        key: String,
        /// The decoder's complaint.
        reason: String,
    },
}

impl StateError {
    pub(crate) fn corrupt(key: &[u8], reason: impl std::fmt::Display) -> Self {
        Self::Corrupt {
            key: hex::encode(key),
            reason: reason.to_string(),
        }
    }
}

/// A JSON value at `key` (params and other small records).
pub(crate) fn get_json<T: serde::de::DeserializeOwned>(
    s: &(impl StateRead + ?Sized),
    key: &[u8],
) -> Result<Option<T>, StateError> {
    match s.get_raw(key)? {
        None => Ok(None),
        Some(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StateError::corrupt(key, e)),
    }
}

/// Store `value` as JSON at `key`. Field order is the struct's, so the bytes are deterministic.
pub(crate) fn put_json<T: serde::Serialize>(
    s: &mut (impl StateWrite + ?Sized),
    key: Vec<u8>,
    value: &T,
) {
    // Serialising plain structs of strings and integers cannot fail.
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    s.put_raw(key, bytes);
}

/// A protobuf message at `key`.
pub(crate) fn get_proto<T: prost::Message + Default>(
    s: &(impl StateRead + ?Sized),
    key: &[u8],
) -> Result<Option<T>, StateError> {
    match s.get_raw(key)? {
        None => Ok(None),
        Some(bytes) => T::decode(bytes.as_slice())
            .map(Some)
            .map_err(|e| StateError::corrupt(key, e)),
    }
}

/// A big-endian `u64` at `key`.
pub(crate) fn get_u64(
    s: &(impl StateRead + ?Sized),
    key: &[u8],
) -> Result<Option<u64>, StateError> {
    match s.get_raw(key)? {
        None => Ok(None),
        Some(bytes) => {
            let arr: [u8; 8] = bytes
                .as_slice()
                .try_into()
                .map_err(|_| StateError::corrupt(key, "not 8 bytes"))?;
            Ok(Some(u64::from_be_bytes(arr)))
        }
    }
}

/// A big-endian `u128` at `key`.
pub(crate) fn get_u128(
    s: &(impl StateRead + ?Sized),
    key: &[u8],
) -> Result<Option<u128>, StateError> {
    match s.get_raw(key)? {
        None => Ok(None),
        Some(bytes) => {
            let arr: [u8; 16] = bytes
                .as_slice()
                .try_into()
                .map_err(|_| StateError::corrupt(key, "not 16 bytes"))?;
            Ok(Some(u128::from_be_bytes(arr)))
        }
    }
}
