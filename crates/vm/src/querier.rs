//! Contract queries: parsed here, answered by the app.

use std::rc::Rc;

use cosmwasm_std::{Binary, ContractResult, QueryRequest, SystemError, SystemResult};
use cosmwasm_vm::{BackendResult, GasInfo, Querier};
use wicas_bindings::AiQuery;

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
