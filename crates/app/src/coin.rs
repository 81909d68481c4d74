//! Coins: a denom and an unsigned amount, validated the Cosmos SDK way.

use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;

/// The chain's native denom: fees and inference are paid in it.
pub const NATIVE_DENOM: &str = "uwicas";

/// An amount of one denom. Amounts are `u128` (the SDK's `Int` is wider, but no supply here comes
/// near 2^128).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Coin {
    /// The denom (`uwicas`, …).
    pub denom: String,
    /// The amount, in the denom's base unit (decimal string in JSON, like the SDK).
    #[serde(with = "amount_string")]
    pub amount: u128,
}

/// Why a coin or a list of coins is invalid (SDK code 10, `ErrInvalidCoins`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoinError {
    /// The denom does not match `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}`.
    #[error("invalid denom {0:?}")]
    Denom(String),
    /// The amount is not a decimal `u128`.
    #[error("invalid amount {0:?}")]
    Amount(String),
    /// Coins are not sorted by denom, or a denom repeats.
    #[error("coins are not sorted by denom or contain a duplicate: {0}")]
    NotSorted(String),
    /// A zero amount where only positive ones are allowed.
    #[error("zero amount for {0}")]
    Zero(String),
}

impl Coin {
    /// A coin.
    pub fn new(amount: u128, denom: impl Into<String>) -> Self {
        Self {
            denom: denom.into(),
            amount,
        }
    }

    /// From the protobuf form, validating denom and amount.
    pub fn from_proto(c: &ProtoCoin) -> Result<Self, CoinError> {
        validate_denom(&c.denom)?;
        let amount = c
            .amount
            .parse::<u128>()
            .map_err(|_| CoinError::Amount(c.amount.clone()))?;
        Ok(Self {
            denom: c.denom.clone(),
            amount,
        })
    }

    /// The protobuf form.
    pub fn to_proto(&self) -> ProtoCoin {
        ProtoCoin {
            denom: self.denom.clone(),
            amount: self.amount.to_string(),
        }
    }
}

impl std::fmt::Display for Coin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.amount, self.denom)
    }
}

/// `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}` (Cosmos SDK `reDnmString`).
pub fn validate_denom(denom: &str) -> Result<(), CoinError> {
    let bytes = denom.as_bytes();
    let ok = (3..=128).contains(&bytes.len())
        && bytes[0].is_ascii_alphabetic()
        && bytes[1..]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"/:._-".contains(b));
    if ok {
        Ok(())
    } else {
        Err(CoinError::Denom(denom.to_owned()))
    }
}

/// Parse a list of coins that must be sorted by denom, without duplicates, each positive
/// (`sdk.Coins.Validate`).
pub fn coins_from_proto(list: &[ProtoCoin]) -> Result<Vec<Coin>, CoinError> {
    let coins = list
        .iter()
        .map(Coin::from_proto)
        .collect::<Result<Vec<_>, _>>()?;
    for c in &coins {
        if c.amount == 0 {
            return Err(CoinError::Zero(c.denom.clone()));
        }
    }
    if coins.windows(2).any(|w| w[0].denom >= w[1].denom) {
        return Err(CoinError::NotSorted(display(&coins)));
    }
    Ok(coins)
}

/// `1uatom,2uwicas` (the SDK's string form of coins).
pub fn display(coins: &[Coin]) -> String {
    coins
        .iter()
        .map(Coin::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

mod amount_string {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pc(amount: &str, denom: &str) -> ProtoCoin {
        ProtoCoin {
            denom: denom.into(),
            amount: amount.into(),
        }
    }

    #[test]
    fn bad_coins_are_refused_with_the_reason() {
        assert_eq!(
            coins_from_proto(&[pc("5", "uwicas")]).unwrap(),
            vec![Coin::new(5, "uwicas")]
        );
        assert!(matches!(
            coins_from_proto(&[pc("x", "uwicas")]),
            Err(CoinError::Amount(_))
        ));
        assert!(matches!(
            coins_from_proto(&[pc("-1", "uwicas")]),
            Err(CoinError::Amount(_))
        ));
        assert!(matches!(
            coins_from_proto(&[pc("1", "u")]),
            Err(CoinError::Denom(_))
        ));
        assert!(matches!(
            coins_from_proto(&[pc("1", "9abc")]),
            Err(CoinError::Denom(_))
        ));
        assert!(matches!(
            coins_from_proto(&[pc("0", "uwicas")]),
            Err(CoinError::Zero(_))
        ));
        let unsorted = [pc("1", "uwicas"), pc("1", "uatom")];
        assert!(matches!(
            coins_from_proto(&unsorted),
            Err(CoinError::NotSorted(_))
        ));
        let dup = [pc("1", "uatom"), pc("1", "uatom")];
        assert!(matches!(
            coins_from_proto(&dup),
            Err(CoinError::NotSorted(_))
        ));
    }
}
