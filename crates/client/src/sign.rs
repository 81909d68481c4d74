//! Building and signing a Cosmos SDK transaction (TxRaw, SIGN_MODE_DIRECT), and the coin and
//! gas-price strings of the CLI (`100uwicas,5ufoo`, `0.025uwicas`).

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{
    AuthInfo, Fee as ProtoFee, ModeInfo, SignerInfo, TxBody, TxRaw, mode_info,
};
use prost::Message;
use sha2::{Digest, Sha256};
use wicas_app::Coin;
use wicas_app::auth::SECP256K1_PUBKEY_TYPE_URL;
use wicas_app::tx::sign_bytes;

use crate::error::ClientError;
use crate::key::AccountKey;

/// What a transaction pays: the gas limit and the fee coins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fee {
    /// Most gas the transaction may use.
    pub gas_limit: u64,
    /// The fee (at least `gas_limit × min gas price` in `uwicas`).
    pub amount: Vec<Coin>,
}

impl Fee {
    /// `gas_limit` at `price` per gas unit, rounded up (the chain's own rule for its minimum fee).
    pub fn at_price(gas_limit: u64, price: &GasPrice) -> Self {
        let amount = (u128::from(gas_limit) * price.numerator).div_ceil(price.denominator);
        Self {
            gas_limit,
            amount: vec![Coin::new(amount, price.denom.clone())],
        }
    }
}

/// A price per gas unit as an exact fraction (`0.025uwicas` = 25/1000 `uwicas`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GasPrice {
    /// Numerator.
    pub numerator: u128,
    /// Denominator (a power of ten).
    pub denominator: u128,
    /// The denom paid.
    pub denom: String,
}

/// Who signs and where: the chain id and the signer's account number and sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerData {
    /// The chain id (part of the signed bytes: a tx for one chain is invalid on another).
    pub chain_id: String,
    /// The signer's account number (0 for an account the chain has not seen yet).
    pub account_number: u64,
    /// The signer's next sequence.
    pub sequence: u64,
}

/// A `TxRaw` holding `msgs`, signed by `key` in SIGN_MODE_DIRECT, protobuf-encoded: the bytes
/// to broadcast.
pub fn sign_tx(
    key: &AccountKey,
    msgs: Vec<Any>,
    memo: &str,
    fee: &Fee,
    signer: &SignerData,
) -> Vec<u8> {
    let body = TxBody {
        messages: msgs,
        memo: memo.to_owned(),
        ..TxBody::default()
    };
    let auth = AuthInfo {
        signer_infos: vec![SignerInfo {
            public_key: Some(Any {
                type_url: SECP256K1_PUBKEY_TYPE_URL.into(),
                value: PubKey {
                    key: key.pubkey().to_vec(),
                }
                .encode_to_vec(),
            }),
            mode_info: Some(ModeInfo {
                sum: Some(mode_info::Sum::Single(mode_info::Single {
                    mode: SignMode::Direct as i32,
                })),
            }),
            sequence: signer.sequence,
        }],
        fee: Some(ProtoFee {
            amount: fee.amount.iter().map(Coin::to_proto).collect(),
            gas_limit: fee.gas_limit,
            payer: String::new(),
            granter: String::new(),
        }),
        ..AuthInfo::default()
    };
    let body_bytes = body.encode_to_vec();
    let auth_info_bytes = auth.encode_to_vec();
    let doc = sign_bytes(
        &body_bytes,
        &auth_info_bytes,
        &signer.chain_id,
        signer.account_number,
    );
    TxRaw {
        body_bytes,
        auth_info_bytes,
        signatures: vec![key.sign(&doc).to_vec()],
    }
    .encode_to_vec()
}

/// The hash CometBFT and CosmJS use for a tx: uppercase hex SHA-256 of its bytes.
pub fn tx_hash(tx: &[u8]) -> String {
    hex::encode_upper(Sha256::digest(tx))
}

fn split_amount(s: &str) -> Option<(&str, &str)> {
    let i = s.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    (i > 0).then(|| s.split_at(i))
}

/// `100uwicas,5ufoo` → coins sorted by denom; refuses bad denoms, zero or non-integer amounts,
/// duplicates and an empty list.
pub fn parse_coins(s: &str) -> Result<Vec<Coin>, ClientError> {
    let bad = |why: String| ClientError::Invalid(format!("invalid coins {s:?}: {why}"));
    let mut coins = Vec::new();
    for part in s.split(',').map(str::trim) {
        let (amount, denom) =
            split_amount(part).ok_or_else(|| bad(format!("{part:?} is not AMOUNTDENOM")))?;
        let coin = Coin::from_proto(&ProtoCoin {
            denom: denom.to_owned(),
            amount: amount.to_owned(),
        })
        .map_err(|e| bad(e.to_string()))?;
        if coin.amount == 0 {
            return Err(bad(format!("zero amount of {denom}")));
        }
        coins.push(coin);
    }
    coins.sort_by(|a, b| a.denom.cmp(&b.denom));
    if coins.windows(2).any(|w| w[0].denom == w[1].denom) {
        return Err(bad("a denom repeats".into()));
    }
    Ok(coins)
}

/// `0.025uwicas` → the price per gas unit, for [`Fee::at_price`].
pub fn parse_gas_price(s: &str) -> Result<GasPrice, ClientError> {
    let bad = |why: &str| ClientError::Invalid(format!("invalid gas price {s:?}: {why}"));
    let (number, denom) = split_amount(s.trim()).ok_or_else(|| bad("expected e.g. 0.025uwicas"))?;
    wicas_app::Coin::from_proto(&ProtoCoin {
        denom: denom.to_owned(),
        amount: "0".into(),
    })
    .map_err(|_| bad("bad denom"))?;
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if int.is_empty() && frac.is_empty() || frac.contains('.') || frac.len() > 18 {
        return Err(bad("bad number"));
    }
    let digits = format!("{int}{frac}");
    let num: u128 = digits.parse().map_err(|_| bad("bad number"))?;
    let den = 10u128.pow(u32::try_from(frac.len()).map_err(|_| bad("bad number"))?);
    Ok(GasPrice {
        numerator: num,
        denominator: den,
        denom: denom.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wicas_app::tx::{decode_tx, verify_secp256k1};

    #[test]
    fn a_signed_tx_decodes_in_the_app_and_its_signature_verifies() {
        let key = AccountKey::from_secret(&[9u8; 32]).unwrap();
        let fee = Fee::at_price(200_000, &parse_gas_price("0.025uwicas").unwrap());
        assert_eq!(fee.amount, vec![Coin::new(5_000, "uwicas")]);
        let signer = SignerData {
            chain_id: "wicas-t-1".into(),
            account_number: 4,
            sequence: 7,
        };
        let msg = crate::msgs::bank_send(&key.bech32(), &key.bech32(), &[Coin::new(1, "uwicas")]);
        let tx = sign_tx(&key, vec![msg], "hi", &fee, &signer);
        assert_eq!(tx_hash(&tx).len(), 64);
        let decoded = decode_tx(&tx, &wicas_app::auth::AuthParams::default()).unwrap();
        assert_eq!(decoded.gas_limit, 200_000);
        let raw = TxRaw::decode(tx.as_slice()).unwrap();
        let doc = sign_bytes(&raw.body_bytes, &raw.auth_info_bytes, "wicas-t-1", 4);
        verify_secp256k1(key.pubkey(), &doc, &raw.signatures[0]).unwrap();
        let wrong_chain = sign_bytes(&raw.body_bytes, &raw.auth_info_bytes, "wicas-t-2", 4);
        assert!(verify_secp256k1(key.pubkey(), &wrong_chain, &raw.signatures[0]).is_err());
    }

    #[test]
    fn coins_and_gas_prices_parse_and_bad_ones_are_refused() {
        assert_eq!(
            parse_coins("5ufoo,100uwicas").unwrap(),
            vec![Coin::new(5, "ufoo"), Coin::new(100, "uwicas")]
        );
        // Tried: no amount, no denom, a decimal amount, zero, a duplicate denom, a bad denom.
        for bad in [
            "uwicas",
            "100",
            "1.5uwicas",
            "0uwicas",
            "1uwicas,2uwicas",
            "1u!",
            "",
        ] {
            assert!(parse_coins(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_gas_price("0.025uwicas").unwrap(),
            GasPrice {
                numerator: 25,
                denominator: 1000,
                denom: "uwicas".into()
            }
        );
        assert_eq!(parse_gas_price("1uwicas").unwrap().denominator, 1);
        for bad in ["uwicas", "0.0.1uwicas", "0.025", ".uwicas"] {
            assert!(parse_gas_price(bad).is_err(), "{bad}");
        }
        let fee = Fee::at_price(3, &parse_gas_price("0.025uwicas").unwrap());
        assert_eq!(fee.amount[0].amount, 1, "rounds up");
    }
}
