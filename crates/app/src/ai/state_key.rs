//! Keys of the `ai` module.

/// `ai/model/<32-byte sha256>` → JSON [`super::ModelRecord`].
pub fn model(sha256: &[u8; 32]) -> Vec<u8> {
    [b"ai/model/".as_slice(), sha256.as_slice()].concat()
}

/// Prefix of every model record.
pub fn models() -> &'static [u8] {
    b"ai/model/"
}

/// `ai/params` → JSON [`super::AiParams`].
pub fn params() -> &'static [u8] {
    b"ai/params"
}
