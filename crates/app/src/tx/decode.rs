//! Decoding a `TxRaw` into a checked transaction: every stateless check happens here, bounded
//! before any parsing by the `max_tx_bytes` parameter.

use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, TxBody, TxRaw, mode_info};
use prost::Message;

use super::AnteError;
use crate::Address;
use crate::auth::{AuthParams, SECP256K1_PUBKEY_TYPE_URL};
use crate::coin::{Coin, coins_from_proto};
use crate::msg::Msg;

/// One signer of a transaction, in signer order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The address the messages name.
    pub address: Address,
    /// Compressed secp256k1 key from the signer info, if given.
    pub pubkey: Option<Vec<u8>>,
    /// The sequence signed.
    pub sequence: u64,
    /// The signature (64 bytes, or empty in a simulation).
    pub signature: Vec<u8>,
    /// Whether the signer info says SIGN_MODE_DIRECT. Clients simulate with
    /// SIGN_MODE_UNSPECIFIED and an empty signature (CosmJS does); only a simulation accepts
    /// that, the ante handler refuses it everywhere else.
    pub direct: bool,
}

/// A transaction that passed every stateless check.
#[derive(Debug, Clone)]
pub struct DecodedTx {
    /// Messages, in order.
    pub msgs: Vec<Msg>,
    /// Signers: the messages' signers in first-appearance order (the first pays the fee).
    pub signers: Vec<Signer>,
    /// Fee coins.
    pub fee: Vec<Coin>,
    /// Gas limit (checked against the parameters by the ante handler: a simulation sends 0).
    pub gas_limit: u64,
    /// Memo.
    pub memo: String,
    /// 0 = none.
    pub timeout_height: u64,
    /// Signed body bytes.
    pub body_bytes: Vec<u8>,
    /// Signed auth info bytes.
    pub auth_info_bytes: Vec<u8>,
    /// Size of the raw transaction.
    pub size: usize,
}

/// Decode and check `bytes` against `params`. No state is read.
pub fn decode_tx(bytes: &[u8], params: &AuthParams) -> Result<DecodedTx, AnteError> {
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > params.max_tx_bytes {
        return Err(AnteError::TooLarge {
            size: bytes.len(),
            max: params.max_tx_bytes,
        });
    }
    let raw = TxRaw::decode(bytes).map_err(|e| AnteError::decode("TxRaw", e))?;
    let body =
        TxBody::decode(raw.body_bytes.as_slice()).map_err(|e| AnteError::decode("TxBody", e))?;
    let auth = AuthInfo::decode(raw.auth_info_bytes.as_slice())
        .map_err(|e| AnteError::decode("AuthInfo", e))?;

    if !body.extension_options.is_empty() || !body.non_critical_extension_options.is_empty() {
        return Err(AnteError::ExtensionOptions);
    }
    if body.messages.is_empty() {
        return Err(AnteError::InvalidRequest(
            "must contain at least one message".into(),
        ));
    }
    let memo_chars = body.memo.chars().count();
    if u64::try_from(memo_chars).unwrap_or(u64::MAX) > params.max_memo_characters {
        return Err(AnteError::MemoTooLarge {
            len: memo_chars,
            max: params.max_memo_characters,
        });
    }
    let msgs = body
        .messages
        .iter()
        .map(Msg::from_any)
        .collect::<Result<Vec<_>, _>>()?;

    // Signers: each message's signer, first appearance first (SDK `GetSigners`).
    let mut addresses: Vec<Address> = Vec::new();
    for m in &msgs {
        let s = m.signer();
        if !addresses.contains(s) {
            addresses.push(s.clone());
        }
    }
    if u64::try_from(raw.signatures.len()).unwrap_or(u64::MAX) > params.tx_sig_limit {
        return Err(AnteError::TooManySignatures {
            got: raw.signatures.len(),
            limit: params.tx_sig_limit,
        });
    }
    for got in [raw.signatures.len(), auth.signer_infos.len()] {
        if got != addresses.len() {
            return Err(AnteError::SignerCount {
                expected: addresses.len(),
                got,
            });
        }
    }
    let mut signers = Vec::with_capacity(addresses.len());
    for ((address, info), signature) in addresses
        .into_iter()
        .zip(&auth.signer_infos)
        .zip(raw.signatures)
    {
        let direct = match info.mode_info.as_ref().and_then(|m| m.sum.as_ref()) {
            Some(mode_info::Sum::Single(s)) if s.mode == SignMode::Direct as i32 => true,
            Some(mode_info::Sum::Single(s)) if s.mode == SignMode::Unspecified as i32 => false,
            _ => {
                return Err(AnteError::NotSupported(
                    "only SIGN_MODE_DIRECT single signatures".into(),
                ));
            }
        };
        let pubkey = match &info.public_key {
            None => None,
            Some(any) if any.type_url == SECP256K1_PUBKEY_TYPE_URL => {
                let pk = PubKey::decode(any.value.as_slice())
                    .map_err(|e| AnteError::decode("PubKey", e))?;
                if pk.key.len() != 33 {
                    return Err(AnteError::InvalidPubKey(format!(
                        "secp256k1 key must be 33 bytes, got {}",
                        pk.key.len()
                    )));
                }
                Some(pk.key)
            }
            Some(any) => {
                return Err(AnteError::InvalidPubKey(format!(
                    "unsupported key type {}",
                    any.type_url
                )));
            }
        };
        signers.push(Signer {
            address,
            pubkey,
            sequence: info.sequence,
            signature,
            direct,
        });
    }

    let fee = auth.fee.unwrap_or_default();
    if !fee.granter.is_empty() {
        return Err(AnteError::NotSupported("fee grants".into()));
    }
    if !fee.payer.is_empty() {
        let payer = Address::from_bech32(&fee.payer)?;
        if signers.first().map(|s| &s.address) != Some(&payer) {
            return Err(AnteError::NotSupported(
                "a fee payer other than the first signer".into(),
            ));
        }
    }
    Ok(DecodedTx {
        msgs,
        signers,
        fee: coins_from_proto(&fee.amount)?,
        gas_limit: fee.gas_limit,
        memo: body.memo,
        timeout_height: body.timeout_height,
        body_bytes: raw.body_bytes,
        auth_info_bytes: raw.auth_info_bytes,
        size: bytes.len(),
    })
}
