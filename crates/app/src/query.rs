//! ABCI queries: the gRPC paths CosmJS sends through `abci_query`, answered from a read-only view
//! of the state at a height.

use prost::Message;
use wicas_store::StateRead;

use crate::Address;
use crate::state::StateError;

/// The answer to an ABCI query (CometBFT `ResponseQuery`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryResult {
    /// 0 on success, else an `sdk` code.
    pub code: u32,
    /// `sdk` when `code != 0`.
    pub codespace: String,
    /// Error text (CosmJS matches `rpc error: code = NotFound` for missing accounts).
    pub log: String,
    /// The protobuf response.
    pub value: Vec<u8>,
    /// Height of the state answered from.
    pub height: u64,
}

/// Why a query failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// No such path (code 6).
    #[error("unknown query path {0}: unknown request")]
    UnknownPath(String),
    /// The request does not decode or holds a bad argument (code 18, gRPC InvalidArgument).
    #[error("rpc error: code = InvalidArgument desc = {0}: invalid request")]
    InvalidArgument(String),
    /// Nothing there (code 22, gRPC NotFound).
    #[error("rpc error: code = NotFound desc = {0}: key not found")]
    NotFound(String),
    /// The height was never committed or was pruned (code 26).
    #[error("height {0} is not available: invalid height")]
    Height(u64),
    /// A contract query failed (wasm codespace 9, wrapped like wasmd: `query wasm contract failed`).
    #[error("rpc error: code = Unknown desc = {0}: query wasm contract failed")]
    Contract(String),
    /// The state could not be read (code 1).
    #[error(transparent)]
    State(#[from] StateError),
}

impl QueryError {
    /// (codespace, code).
    pub fn code(&self) -> (&'static str, u32) {
        match self {
            Self::UnknownPath(_) => ("sdk", 6),
            Self::InvalidArgument(_) => ("sdk", 18),
            Self::NotFound(_) => ("sdk", 22),
            Self::Height(_) => ("sdk", 26),
            Self::Contract(_) => ("wasm", 9),
            Self::State(_) => ("sdk", 1),
        }
    }
}

impl From<wicas_store::StoreError> for QueryError {
    fn from(e: wicas_store::StoreError) -> Self {
        Self::State(StateError::Store(e))
    }
}

pub(crate) fn decode_request<T: Message + Default>(data: &[u8]) -> Result<T, QueryError> {
    T::decode(data)
        .map_err(|e| QueryError::InvalidArgument(format!("request does not decode: {e}")))
}

pub(crate) fn parse_address(s: &str) -> Result<Address, QueryError> {
    Address::from_bech32(s).map_err(|e| QueryError::InvalidArgument(e.to_string()))
}

/// Answer a state query (every path except `Simulate`, which the app runs itself).
pub fn route_state_query(
    path: &str,
    state: &dyn StateRead,
    data: &[u8],
) -> Result<Vec<u8>, QueryError> {
    match path {
        "/cosmos.auth.v1beta1.Query/Account" => crate::auth::query::account(state, data),
        "/cosmos.bank.v1beta1.Query/Balance" => crate::bank::query::balance(state, data),
        "/cosmos.bank.v1beta1.Query/AllBalances" => crate::bank::query::all_balances(state, data),
        "/cosmos.bank.v1beta1.Query/SupplyOf" => crate::bank::query::supply_of(state, data),
        other => Err(QueryError::UnknownPath(other.to_owned())),
    }
}
