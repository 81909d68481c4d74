//! Gas units.
//!
//! Two units exist, as in wasmd: **SDK gas** (what a transaction's gas limit and fee are counted
//! in, and what [`crate::InferResponse::gas_used`] reports) and **VM gas** (what cosmwasm-vm's
//! metering counts: most wasm operations cost 115 VM gas, for a target of 1 Tgas per ms).
//! The ratio is wasmd's `DefaultGasMultiplier`: 140 000 000 VM gas = 1 SDK gas (wasmd
//! `x/wasm/types/gas_register.go`, measured in wasmd PR 634).

/// VM gas per SDK gas (wasmd's `DefaultGasMultiplier`).
pub const VM_GAS_PER_SDK_GAS: u64 = 140_000_000;

/// SDK gas → VM gas, saturating at `u64::MAX` (a limit that large means "unlimited").
pub const fn sdk_to_vm(sdk_gas: u64) -> u64 {
    sdk_gas.saturating_mul(VM_GAS_PER_SDK_GAS)
}

/// VM gas → SDK gas, rounded up: any work at all costs at least one SDK gas.
pub const fn vm_to_sdk(vm_gas: u64) -> u64 {
    vm_gas.div_ceil(VM_GAS_PER_SDK_GAS)
}

/// Prices of one model's inference, in SDK gas (DESIGN.md section 8): charged before any work
/// as `base + prompt_tokens * prefill_per_token + max_tokens * decode_per_token`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct InferPrice {
    /// Fixed cost of any request.
    pub base: u64,
    /// Cost per prompt token (prefill).
    pub prefill_per_token: u64,
    /// Cost per generated token (decode), charged for `max_tokens`.
    pub decode_per_token: u64,
}

impl InferPrice {
    /// The up-front charge, or `None` if it overflows `u64` (such a request is refused).
    pub fn charge(&self, prompt_tokens: u64, max_tokens: u64) -> Option<u64> {
        let prefill = prompt_tokens.checked_mul(self.prefill_per_token)?;
        let decode = max_tokens.checked_mul(self.decode_per_token)?;
        self.base.checked_add(prefill)?.checked_add(decode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_up_and_saturate() {
        assert_eq!(sdk_to_vm(2), 280_000_000);
        assert_eq!(vm_to_sdk(0), 0);
        assert_eq!(vm_to_sdk(1), 1);
        assert_eq!(vm_to_sdk(VM_GAS_PER_SDK_GAS), 1);
        assert_eq!(vm_to_sdk(VM_GAS_PER_SDK_GAS + 1), 2);
        assert_eq!(sdk_to_vm(u64::MAX), u64::MAX);
    }

    #[test]
    fn price_is_base_plus_tokens_and_refuses_overflow() {
        let price = InferPrice {
            base: 1000,
            prefill_per_token: 10,
            decode_per_token: 100,
        };
        assert_eq!(price.charge(5, 3), Some(1000 + 50 + 300));
        assert_eq!(price.charge(u64::MAX, 1), None);
    }
}
