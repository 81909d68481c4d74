//! Addresses: bech32 with the prefix `wicas`.

use bech32::{Bech32, Hrp};
use cosmwasm_vm::{BackendApi, BackendError, BackendResult, GasInfo};
use wicas_types::gas::sdk_to_vm;

use crate::GasCosts;

/// The human-readable part of every wicas address.
pub const BECH32_PREFIX: &str = "wicas";

/// Longest canonical address accepted (cosmwasm's limit for `addr_canonicalize`).
const MAX_CANONICAL_LEN: usize = 255;

/// The contract-facing address API: `wicas1…` ⇄ raw bytes. Only the canonical (lowercase,
/// checksummed bech32, not bech32m) form of an address validates, so one account has exactly one
/// valid string.
#[derive(Debug, Clone, Copy)]
pub struct WicasApi {
    costs: GasCosts,
}

impl WicasApi {
    /// An API charging `costs`.
    pub fn new(costs: GasCosts) -> Self {
        Self { costs }
    }

    /// The raw bytes of a canonical `wicas1…` address.
    pub fn canonicalize(human: &str) -> Result<Vec<u8>, String> {
        let (hrp, data) =
            bech32::decode(human).map_err(|e| format!("invalid bech32 address {human:?}: {e}"))?;
        if hrp.as_str() != BECH32_PREFIX {
            return Err(format!(
                "address {human:?} has prefix {:?}, expected {BECH32_PREFIX:?}",
                hrp.as_str()
            ));
        }
        if data.is_empty() || data.len() > MAX_CANONICAL_LEN {
            return Err(format!(
                "address {human:?} has {} bytes; expected 1..=255",
                data.len()
            ));
        }
        // Re-encoding catches upper case and bech32m: only the canonical string is valid.
        if Self::humanize(&data)? != human {
            return Err(format!("address {human:?} is not in canonical form"));
        }
        Ok(data)
    }

    /// The `wicas1…` string of raw address bytes.
    pub fn humanize(canonical: &[u8]) -> Result<String, String> {
        if canonical.is_empty() || canonical.len() > MAX_CANONICAL_LEN {
            return Err(format!(
                "canonical address has {} bytes; expected 1..=255",
                canonical.len()
            ));
        }
        let hrp = Hrp::parse(BECH32_PREFIX).map_err(|e| e.to_string())?;
        bech32::encode::<Bech32>(hrp, canonical).map_err(|e| e.to_string())
    }
}

impl BackendApi for WicasApi {
    fn addr_validate(&self, input: &str) -> BackendResult<()> {
        let gas = GasInfo::with_cost(sdk_to_vm(self.costs.canonicalize + self.costs.humanize));
        (
            Self::canonicalize(input)
                .map(drop)
                .map_err(BackendError::user_err),
            gas,
        )
    }

    fn addr_canonicalize(&self, human: &str) -> BackendResult<Vec<u8>> {
        let gas = GasInfo::with_cost(sdk_to_vm(self.costs.canonicalize));
        (
            Self::canonicalize(human).map_err(BackendError::user_err),
            gas,
        )
    }

    fn addr_humanize(&self, canonical: &[u8]) -> BackendResult<String> {
        let gas = GasInfo::with_cost(sdk_to_vm(self.costs.humanize));
        (
            Self::humanize(canonical).map_err(BackendError::user_err),
            gas,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_20_and_32_byte_addresses() {
        for len in [20usize, 32] {
            let raw: Vec<u8> = (0..len as u8).collect();
            let human = WicasApi::humanize(&raw).unwrap();
            assert!(human.starts_with("wicas1"), "{human}");
            assert_eq!(WicasApi::canonicalize(&human).unwrap(), raw);
        }
    }

    #[test]
    fn rejects_other_prefix_uppercase_bad_checksum_and_empty() {
        let human = WicasApi::humanize(&[7; 20]).unwrap();
        assert!(WicasApi::canonicalize(&human.to_uppercase()).is_err());
        let cosmos = bech32::encode::<Bech32>(Hrp::parse("cosmos").unwrap(), &[7; 20]).unwrap();
        assert!(
            WicasApi::canonicalize(&cosmos)
                .unwrap_err()
                .contains("prefix")
        );
        let mut broken = human.clone();
        broken.pop();
        broken.push(if human.ends_with('q') { 'p' } else { 'q' });
        assert!(WicasApi::canonicalize(&broken).is_err());
        assert!(WicasApi::canonicalize("").is_err());
        assert!(WicasApi::humanize(&[]).is_err());
        let bech32m =
            bech32::encode::<bech32::Bech32m>(Hrp::parse("wicas").unwrap(), &[7; 20]).unwrap();
        assert!(WicasApi::canonicalize(&bech32m).is_err());
    }
}
