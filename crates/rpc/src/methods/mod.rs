//! The methods served, by name, each with its parameter names (positional JSON-RPC params and the
//! URI routes use them), and the shared rules every method follows (heights, pagination).

pub mod chain;
mod info;
mod txs;

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::backend::{Backend, BackendError};
use crate::jsonrpc::RpcError;
use crate::params::Params;
use crate::server::RpcConfig;
use crate::ws::WsShared;

/// Every method with its parameter names, in CometBFT's positional order.
pub const METHODS: &[(&str, &[&str])] = &[
    ("health", &[]),
    ("status", &[]),
    ("abci_info", &[]),
    ("abci_query", &["path", "data", "height", "prove"]),
    ("broadcast_tx_sync", &["tx"]),
    ("broadcast_tx_async", &["tx"]),
    ("broadcast_tx_commit", &["tx"]),
    ("tx", &["hash", "prove"]),
    (
        "tx_search",
        &["query", "prove", "page", "per_page", "order_by"],
    ),
    ("block", &["height"]),
    ("block_results", &["height"]),
    ("commit", &["height"]),
    ("header", &["height"]),
    ("validators", &["height", "page", "per_page"]),
];

/// The parameter names of `method`, `None` if it is not served.
pub fn param_names(method: &str) -> Option<&'static [&'static str]> {
    METHODS
        .iter()
        .find(|(name, _)| *name == method)
        .map(|(_, names)| *names)
}

/// What a method needs to run.
#[derive(Clone)]
pub struct Ctx {
    /// The node.
    pub backend: Arc<dyn Backend>,
    /// Server settings.
    pub config: RpcConfig,
    /// The websocket event bus and connection limit.
    pub ws: Arc<WsShared>,
}

impl Ctx {
    /// Run a backend call on the blocking pool.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Backend) -> Result<T, BackendError> + Send + 'static,
    ) -> Result<T, RpcError> {
        let backend = Arc::clone(&self.backend);
        tokio::task::spawn_blocking(move || f(backend.as_ref()))
            .await
            .map_err(|e| RpcError::internal(format!("backend task failed: {e}")))?
            .map_err(RpcError::from)
    }
}

/// Run `method` with `params`.
pub async fn call(ctx: &Ctx, method: &str, params: &Params) -> Result<Value, RpcError> {
    match method {
        "health" => to_json(&tendermint_rpc::endpoint::health::Response {}),
        "status" => info::status(ctx).await,
        "abci_info" => info::abci_info(ctx).await,
        "abci_query" => info::abci_query(ctx, params).await,
        "broadcast_tx_sync" => txs::broadcast_sync(ctx, params).await,
        "broadcast_tx_async" => txs::broadcast_async(ctx, params).await,
        "broadcast_tx_commit" => txs::broadcast_commit(ctx, params).await,
        "tx" => txs::tx(ctx, params).await,
        "tx_search" => txs::tx_search(ctx, params).await,
        "block" => chain::block(ctx, params).await,
        "block_results" => chain::block_results(ctx, params).await,
        "commit" => chain::commit(ctx, params).await,
        "header" => chain::header(ctx, params).await,
        "validators" => chain::validators(ctx, params).await,
        other => Err(RpcError::method_not_found(other)),
    }
}

/// Serialize a tendermint-rpc response type (CometBFT's JSON by construction).
pub fn to_json(v: &impl Serialize) -> Result<Value, RpcError> {
    serde_json::to_value(v).map_err(|e| RpcError::internal(format!("encoding the response: {e}")))
}

/// The height a method reads, as CometBFT's `getHeight` resolves it: absent (or 0) = latest;
/// otherwise it must be stored.
pub async fn resolve_height(ctx: &Ctx, params: &Params) -> Result<u64, RpcError> {
    let asked = params.opt_u64("height")?;
    let range = ctx.blocking(|b| b.height_range()).await?;
    let Some((base, latest)) = range else {
        return Err(RpcError::internal(
            "no block decided yet: the chain has not produced its first block",
        ));
    };
    match asked {
        None | Some(0) => Ok(latest),
        Some(h) if h > latest => Err(RpcError::internal(format!(
            "height {h} must be less than or equal to the current blockchain height {latest}"
        ))),
        Some(h) if h < base => Err(RpcError::internal(format!(
            "height {h} is not available, lowest height is {base}"
        ))),
        Some(h) => Ok(h),
    }
}

/// `tendermint::block::Height` from a stored height.
pub fn tm_height(h: u64) -> Result<tendermint::block::Height, RpcError> {
    tendermint::block::Height::try_from(h)
        .map_err(|e| RpcError::internal(format!("height {h}: {e}")))
}

/// CometBFT's pagination: `per_page` defaults to 30 and is capped at 100; `page` starts at 1
/// and must not pass the last page.
pub fn page_bounds(params: &Params, total: usize) -> Result<std::ops::Range<usize>, RpcError> {
    const DEFAULT_PER_PAGE: u64 = 30;
    const MAX_PER_PAGE: u64 = 100;
    let per_page = match params.opt_u64("per_page")? {
        None | Some(0) => DEFAULT_PER_PAGE,
        Some(n) => n.min(MAX_PER_PAGE),
    };
    let pages = (total as u64).div_ceil(per_page).max(1);
    let page = params.opt_u64("page")?.unwrap_or(1);
    if page == 0 || page > pages {
        return Err(RpcError::invalid_params(format!(
            "page should be within [1, {pages}] range, given {page}"
        )));
    }
    let start = usize::try_from((page - 1) * per_page)
        .unwrap_or(usize::MAX)
        .min(total);
    let end = usize::try_from(page * per_page)
        .unwrap_or(usize::MAX)
        .min(total);
    Ok(start..end)
}

/// CometBFT's JSON for a validator: tendermint-rs writes `power` and drops `proposer_priority`,
/// CometBFT (and CosmJS, which requires it) uses `voting_power` and sends the priority.
pub fn cometbft_validator(v: &mut Value) {
    if let Value::Object(map) = v {
        if let Some(power) = map.remove("power") {
            map.insert("voting_power".into(), power);
        }
        map.entry("proposer_priority")
            .or_insert_with(|| Value::from("0"));
    }
}

/// CometBFT writes a result's `data` as base64; tendermint-rs's `ExecTxResult`/`CheckTx`
/// serialize their `Bytes` as an array of numbers (CosmJS then fails on `fromBase64`).
pub fn cometbft_result(v: &mut Value) {
    use base64::Engine as _;
    if let Some(slot) = v.get_mut("data")
        && let Value::Array(items) = slot
    {
        let bytes: Vec<u8> = items
            .iter()
            .filter_map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
            .collect();
        *slot = Value::from(base64::engine::general_purpose::STANDARD.encode(bytes));
    }
}
