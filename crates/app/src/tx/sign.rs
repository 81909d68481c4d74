//! SIGN_MODE_DIRECT: the bytes signed and the secp256k1 check.

use cosmos_sdk_proto::cosmos::tx::v1beta1::SignDoc;
use k256::ecdsa::signature::Verifier;
use k256::ecdsa::{Signature, VerifyingKey};
use prost::Message;

/// The SignDoc bytes a signer signs: `SignDoc{body_bytes, auth_info_bytes, chain_id,
/// account_number}` in protobuf, exactly as CosmJS `makeSignBytes` produces them.
pub fn sign_bytes(
    body_bytes: &[u8],
    auth_info_bytes: &[u8],
    chain_id: &str,
    account_number: u64,
) -> Vec<u8> {
    SignDoc {
        body_bytes: body_bytes.to_vec(),
        auth_info_bytes: auth_info_bytes.to_vec(),
        chain_id: chain_id.to_owned(),
        account_number,
    }
    .encode_to_vec()
}

/// Why a signature does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// Not 64 bytes `r || s`.
    #[error("signature must be 64 bytes, got {0}")]
    Length(usize),
    /// `s` in the upper half of the order: malleable, refused as the SDK does.
    #[error("signature is not in low-S form")]
    HighS,
    /// The key does not parse.
    #[error("invalid secp256k1 public key")]
    PubKey,
    /// The signature does not match.
    #[error("signature does not match")]
    Mismatch,
}

/// Verify a 64-byte low-S ECDSA signature by a compressed secp256k1 key over SHA-256(`msg`).
pub fn verify_secp256k1(pubkey: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
    if sig.len() != 64 {
        return Err(SignatureError::Length(sig.len()));
    }
    let sig = Signature::from_slice(sig).map_err(|_| SignatureError::Mismatch)?;
    if sig.normalize_s().is_some() {
        return Err(SignatureError::HighS);
    }
    let key = VerifyingKey::from_sec1_bytes(pubkey).map_err(|_| SignatureError::PubKey)?;
    key.verify(msg, &sig).map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k256::ecdsa::SigningKey;
    use k256::ecdsa::signature::Signer;

    #[test]
    fn low_s_signature_verifies_and_its_high_s_twin_is_refused() {
        let sk = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let pk = sk.verifying_key().to_encoded_point(true);
        let msg = sign_bytes(b"body", b"auth", "wicas-1", 3);
        let sig: Signature = sk.sign(&msg);
        let sig = sig.normalize_s().unwrap_or(sig);
        verify_secp256k1(pk.as_bytes(), &msg, &sig.to_bytes()).unwrap();
        // Same signature with s' = n - s: valid ECDSA, but malleable.
        let (r, s) = sig.split_scalars();
        let high = Signature::from_scalars(r, -*s).unwrap();
        assert_eq!(
            verify_secp256k1(pk.as_bytes(), &msg, &high.to_bytes()),
            Err(SignatureError::HighS)
        );
        // Another chain id is another message.
        let other = sign_bytes(b"body", b"auth", "wicas-2", 3);
        assert_eq!(
            verify_secp256k1(pk.as_bytes(), &other, &sig.to_bytes()),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_secp256k1(pk.as_bytes(), &msg, &[0; 63]),
            Err(SignatureError::Length(63))
        );
    }
}
