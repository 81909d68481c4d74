//! Model identifiers: a model is named by the SHA-256 of its GGUF file.

use core::fmt;
use core::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The scheme prefix of every model id.
const SCHEME: &str = "sha256:";
/// Hex digits in a SHA-256 digest.
const HEX_LEN: usize = 64;

/// A model's identity: `"sha256:"` followed by the 64 lowercase hex digits of the SHA-256 of its
/// GGUF file. Only the canonical form is accepted (no uppercase), so equal ids are equal strings.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(try_from = "String", into = "String")]
pub struct ModelId(String);

/// Why a string is not a [`ModelId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelIdError {
    /// The id does not start with `sha256:`.
    #[error("model id must start with \"sha256:\"")]
    MissingScheme,
    /// The digest part is not 64 characters long.
    #[error("model id digest must have {HEX_LEN} hex digits, got {len}")]
    WrongLength {
        /// Characters after the scheme.
        len: usize,
    },
    /// The digest part contains a character other than `0-9a-f`.
    #[error("model id digest must be lowercase hex")]
    NotLowercaseHex,
}

impl ModelId {
    /// Parse and check a model id string.
    pub fn parse(text: &str) -> Result<Self, ModelIdError> {
        let digest = text
            .strip_prefix(SCHEME)
            .ok_or(ModelIdError::MissingScheme)?;
        if digest.len() != HEX_LEN {
            return Err(ModelIdError::WrongLength { len: digest.len() });
        }
        if !digest
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(ModelIdError::NotLowercaseHex);
        }
        Ok(Self(text.to_owned()))
    }

    /// The id of the model whose GGUF file has this SHA-256 digest.
    pub fn from_sha256(digest: &[u8; 32]) -> Self {
        let mut text = String::with_capacity(SCHEME.len() + HEX_LEN);
        text.push_str(SCHEME);
        for byte in digest {
            text.push(hex_digit(byte >> 4));
            text.push(hex_digit(byte & 0x0f));
        }
        Self(text)
    }

    /// The SHA-256 digest of the model file.
    pub fn sha256(&self) -> [u8; 32] {
        let hex = self.0.as_bytes().get(SCHEME.len()..).unwrap_or_default();
        let mut out = [0u8; 32];
        for (slot, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
            *slot = (hex_value(pair[0]) << 4) | hex_value(pair[1]);
        }
        out
    }

    /// The id as a string (`sha256:…`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(nibble & 0x0f)])
}

fn hex_value(digit: u8) -> u8 {
    // Only called on digits already checked by `parse`.
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => 0,
    }
}

impl FromStr for ModelId {
    type Err = ModelIdError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<String> for ModelId {
    type Error = ModelIdError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<ModelId> for String {
    fn from(id: ModelId) -> String {
        id.0
    }
}

impl fmt::Display for ModelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "sha256:00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff0a1b";

    #[test]
    fn parse_accepts_canonical_and_round_trips_digest() {
        let id = ModelId::parse(ID).unwrap();
        assert_eq!(ModelId::from_sha256(&id.sha256()), id);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{ID}\""));
        assert_eq!(
            serde_json::from_str::<ModelId>(&format!("\"{ID}\"")).unwrap(),
            id
        );
    }

    #[test]
    fn parse_rejects_bad_ids() {
        assert_eq!(ModelId::parse("md5:00"), Err(ModelIdError::MissingScheme));
        assert_eq!(
            ModelId::parse("sha256:abc"),
            Err(ModelIdError::WrongLength { len: 3 })
        );
        let upper = ID.replace("ff", "FF");
        assert_eq!(ModelId::parse(&upper), Err(ModelIdError::NotLowercaseHex));
        assert!(serde_json::from_str::<ModelId>("\"sha256:zz\"").is_err());
    }
}
