//! Contract queries: parsed here, answered by the app.

use std::rc::Rc;

use cosmwasm_std::{Binary, ContractResult, QueryRequest, SystemError, SystemResult};
use cosmwasm_vm::{BackendResult, GasInfo, Querier};
use wicas_bindings::AiQuery;

use crate::{CallError, CallOutcome};

/// What the app answers a query with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryOutcome {
    /// The answer, exactly as cosmwasm-std's `QuerierResult`: a system error (unknown request,
    /// unknown contract, …), a contract error, or the serialised response.
    pub result: SystemResult<ContractResult<Binary>>,
    /// VM gas the answer cost (nested contract execution, state reads, inference). It may exceed
    /// the limit when work could not stop exactly at it; the caller then runs out of gas.
    pub gas_used: u64,
}

impl QueryOutcome {
    /// The answer to a nested `WasmQuery::Smart` from the queried contract's [`CallOutcome`]
    /// (as returned by [`crate::WasmVm::query`]): its answer or error message goes back to the
    /// asking contract as a contract result (`SystemError::NoSuchContract` for an unknown address
    /// is the app's to report before calling). If the nested query ran out of gas, `gas_used` is
    /// one more than its limit, so the asking contract runs out of gas too (as in wasmd).
    pub fn from_call(outcome: CallOutcome<Binary>) -> Self {
        let out_of_gas = matches!(outcome.result, Err(CallError::OutOfGas { .. }));
        let result = match outcome.result {
            Ok(answer) => SystemResult::Ok(ContractResult::Ok(answer)),
            Err(CallError::Contract { message }) => SystemResult::Ok(ContractResult::Err(message)),
            Err(other) => SystemResult::Ok(ContractResult::Err(other.to_string())),
        };
        let gas_used = if out_of_gas {
            outcome.gas.limit.saturating_add(1)
        } else {
            outcome.gas.used
        };
        Self { result, gas_used }
    }
}

/// The chain side of contract queries; implemented by the app, one value per contract call (so
/// it knows which contract asks, at which height, with which call index for inference seeds).
///
/// Must answer:
/// - `Bank`: `Balance`, `Supply`, `DenomMetadata` as the chain supports them;
/// - `Wasm`: `Smart` (a nested read-only contract call, e.g. through [`crate::WasmVm::query`]),
///   `Raw` (read [`crate::contract_state_key`]), `ContractInfo`, `CodeInfo`;
/// - `Custom(AiQuery::Infer)`: the AI module's synchronous inference, charged before any work;
/// - anything else: `SystemError::UnsupportedRequest`.
///
/// Determinism: the answer and `gas_used` must depend only on the request, `gas_limit` and
/// chain state. Takes `&self`: keep per-call counters in a `Cell`.
pub trait ChainQuerier {
    /// Answer `request` using at most about `gas_limit` VM gas.
    fn query(&self, request: &QueryRequest<AiQuery>, gas_limit: u64) -> QueryOutcome;
}

/// The cosmwasm-vm `Querier`: JSON bytes in, the app's answer out.
pub(crate) struct ContractQuerier {
    inner: Rc<dyn ChainQuerier>,
}

impl ContractQuerier {
    pub(crate) fn new(inner: Rc<dyn ChainQuerier>) -> Self {
        Self { inner }
    }
}

impl Querier for ContractQuerier {
    fn query_raw(
        &self,
        request: &[u8],
        gas_limit: u64,
    ) -> BackendResult<SystemResult<ContractResult<Binary>>> {
        let parsed: QueryRequest<AiQuery> = match cosmwasm_std::from_json(request) {
            Ok(parsed) => parsed,
            Err(e) => {
                let error = SystemError::InvalidRequest {
                    error: format!("parsing QueryRequest<AiQuery>: {e}"),
                    request: Binary::from(request),
                };
                return (Ok(SystemResult::Err(error)), GasInfo::free());
            }
        };
        let QueryOutcome { result, gas_used } = self.inner.query(&parsed, gas_limit);
        (Ok(result), GasInfo::with_cost(gas_used))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GasReport;

    #[test]
    fn nested_query_outcomes_map_to_query_results() {
        let gas = GasReport {
            limit: 100,
            used: 40,
        };
        let ok = QueryOutcome::from_call(CallOutcome {
            result: Ok(Binary::from(b"1")),
            gas,
        });
        assert_eq!(
            ok.result,
            SystemResult::Ok(ContractResult::Ok(Binary::from(b"1")))
        );
        assert_eq!(ok.gas_used, 40);
        let failed = CallOutcome {
            result: Err(CallError::Contract {
                message: "no".into(),
            }),
            gas,
        };
        let failed = QueryOutcome::from_call(failed);
        assert_eq!(
            failed.result,
            SystemResult::Ok(ContractResult::Err("no".into()))
        );
        let starving = CallOutcome {
            result: Err(CallError::OutOfGas { limit: 100 }),
            gas: GasReport {
                limit: 100,
                used: 100,
            },
        };
        assert_eq!(
            QueryOutcome::from_call(starving).gas_used,
            101,
            "the asker runs out too"
        );
    }
}
