//! The generation digest: SHA-256 over every step's logits and the token chosen from them.
//!
//! Byte layout (version 1), for each generation step in order (step 0 = the logits after the
//! prompt's last token):
//!
//! ```text
//! logits[0..vocab] as IEEE-754 binary32 bits, little-endian, 4 bytes each, in token-id order
//! token id chosen at this step, u32 little-endian
//! ```
//!
//! Nothing else is hashed: no length prefix, no domain tag. The raw logits are hashed before any
//! penalty or temperature is applied, so two validators agree on the digest only if their forward
//! passes agree to the bit.

use sha2::{Digest, Sha256};

/// Accumulates the digest of one generation.
#[derive(Debug, Clone, Default)]
pub struct OutputDigest {
    hasher: Sha256,
    buf: Vec<u8>,
}

impl OutputDigest {
    /// An empty digest.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one step: the raw logits and the token chosen from them.
    pub fn step(&mut self, logits: &[f32], token: u32) {
        self.buf.clear();
        self.buf.reserve(logits.len() * 4 + 4);
        for l in logits {
            self.buf.extend_from_slice(&l.to_bits().to_le_bytes());
        }
        self.buf.extend_from_slice(&token.to_le_bytes());
        self.hasher.update(&self.buf);
    }

    /// The final 32 bytes.
    pub fn finish(self) -> [u8; 32] {
        self.hasher.finalize().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_sha256_of_the_documented_layout() {
        let mut d = OutputDigest::new();
        d.step(&[1.0, -0.0], 7);
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&1.0f32.to_bits().to_le_bytes());
        bytes.extend_from_slice(&(-0.0f32).to_bits().to_le_bytes());
        bytes.extend_from_slice(&7u32.to_le_bytes());
        let want: [u8; 32] = Sha256::digest(&bytes).into();
        assert_eq!(d.finish(), want);
    }

    #[test]
    fn a_single_bit_of_a_logit_changes_the_digest() {
        let mut a = OutputDigest::new();
        a.step(&[0.0], 1);
        let mut b = OutputDigest::new();
        b.step(&[-0.0], 1);
        assert_ne!(a.finish(), b.finish());
    }
}
