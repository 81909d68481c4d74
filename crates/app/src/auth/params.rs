//! `auth` parameters: limits on transactions and the minimum gas price.

/// Transaction limits and prices. Defaults follow the Cosmos SDK's `x/auth` defaults where one
/// exists.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthParams {
    /// Longest memo in characters (SDK default 256).
    pub max_memo_characters: u64,
    /// Most signatures in one transaction (SDK default 7).
    pub tx_sig_limit: u64,
    /// Gas per byte of the transaction (SDK default 10).
    pub tx_size_cost_per_byte: u64,
    /// Gas to verify one secp256k1 signature (SDK default 1000).
    pub sig_verify_cost_secp256k1: u64,
    /// Largest transaction accepted, in bytes. 1 MiB: CometBFT's default `max_tx_bytes`, which
    /// still fits wasmd's 800 KiB code-size limit for `MsgStoreCode`.
    pub max_tx_bytes: u64,
    /// Highest gas limit one transaction may ask for. Sized for synchronous inference: 48 output
    /// tokens of a 1B-parameter model at the default prices stay well under it.
    pub max_tx_gas: u64,
    /// Minimum gas price in thousandths of `uwicas` per gas unit (25 = 0.025uwicas, the price
    /// most Cosmos chains start with). The fee must be at least `ceil(gas_limit * price / 1000)`.
    pub min_gas_price_milli: u64,
}

impl Default for AuthParams {
    fn default() -> Self {
        Self {
            max_memo_characters: 256,
            tx_sig_limit: 7,
            tx_size_cost_per_byte: 10,
            sig_verify_cost_secp256k1: 1000,
            max_tx_bytes: 1 << 20,
            max_tx_gas: 1_000_000_000,
            min_gas_price_milli: 25,
        }
    }
}

/// An invalid parameter set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParamsError {
    /// A parameter that must be positive is zero.
    #[error("parameter {0} must be positive")]
    Zero(&'static str),
}

impl AuthParams {
    /// Check the parameters.
    pub fn validate(&self) -> Result<(), ParamsError> {
        let positive = [
            ("tx_sig_limit", self.tx_sig_limit),
            ("max_tx_bytes", self.max_tx_bytes),
            ("max_tx_gas", self.max_tx_gas),
        ];
        for (name, v) in positive {
            if v == 0 {
                return Err(ParamsError::Zero(name));
            }
        }
        Ok(())
    }

    /// The least fee in `uwicas` for `gas_limit`.
    pub fn min_fee(&self, gas_limit: u64) -> u128 {
        (u128::from(gas_limit) * u128::from(self.min_gas_price_milli)).div_ceil(1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_fee_rounds_up() {
        let p = AuthParams::default();
        assert_eq!(p.min_fee(200_000), 5_000);
        assert_eq!(p.min_fee(1), 1);
        assert_eq!(p.min_fee(0), 0);
        assert!(p.validate().is_ok());
        assert_eq!(
            AuthParams { max_tx_gas: 0, ..p }.validate(),
            Err(ParamsError::Zero("max_tx_gas"))
        );
    }
}
