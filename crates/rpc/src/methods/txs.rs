//! `broadcast_tx_sync|async|commit`, `tx`, `tx_search`.

use std::time::Instant;

use serde_json::Value;
use tendermint::Hash;
use tendermint::abci::types::ExecTxResult;
use tendermint_rpc::endpoint::broadcast::{tx_async, tx_commit, tx_sync};
use tendermint_rpc::endpoint::{tx as tx_endpoint, tx_search as search_endpoint};

use super::{Ctx, page_bounds, tm_height, to_json};
use crate::backend::{IndexedTx, tx_hash};
use crate::jsonrpc::RpcError;
use crate::params::Params;
use crate::query::{self, Condition, Op, Operand};

/// The most heights one `tx_search` may scan when it names neither `tx.hash` nor a single
/// `tx.height` (the index is by hash and by height; other keys are filters over a range).
pub const MAX_SCAN_HEIGHTS: u64 = 10_000;

fn tx_param(params: &Params) -> Result<Vec<u8>, RpcError> {
    let tx = params.base64_bytes("tx")?;
    if tx.is_empty() {
        return Err(RpcError::invalid_params("tx is empty"));
    }
    Ok(tx)
}

pub async fn broadcast_sync(ctx: &Ctx, params: &Params) -> Result<Value, RpcError> {
    let tx = tx_param(params)?;
    let hash = tx_hash(&tx);
    let check = ctx.blocking(move |b| b.submit(&tx)).await?;
    to_json(&tx_sync::Response {
        codespace: check.codespace,
        code: check.code,
        data: check.data,
        log: check.log,
        hash,
    })
}

/// As CometBFT: the hash comes back at once and `CheckTx` runs after the answer (its result is
/// not reported; `tx`/`tx_search` tell whether the tx was committed).
pub async fn broadcast_async(ctx: &Ctx, params: &Params) -> Result<Value, RpcError> {
    let tx = tx_param(params)?;
    let hash = tx_hash(&tx);
    let backend = std::sync::Arc::clone(&ctx.backend);
    drop(tokio::task::spawn_blocking(move || backend.submit(&tx)));
    to_json(&tx_async::Response {
        codespace: String::new(),
        code: tendermint::abci::Code::Ok,
        data: Default::default(),
        log: String::new(),
        hash,
    })
}

/// `CheckTx`, then wait (up to the configured timeout) until a block includes the tx.
fn fix_results(json: &mut Value, pointers: &[&str]) {
    for p in pointers {
        if let Some(v) = json.pointer_mut(p) {
            super::cometbft_result(v);
        }
    }
}

pub async fn broadcast_commit(ctx: &Ctx, params: &Params) -> Result<Value, RpcError> {
    let tx = tx_param(params)?;
    let hash = tx_hash(&tx);
    let check = ctx.blocking(move |b| b.submit(&tx)).await?;
    if check.code.is_err() {
        let mut json = to_json(&tx_commit::Response {
            check_tx: check,
            tx_result: ExecTxResult::default(),
            hash,
            height: tm_height(0)?,
        })?;
        fix_results(&mut json, &["/check_tx", "/tx_result"]);
        return Ok(json);
    }
    let started = Instant::now();
    loop {
        if let Some(found) = ctx.blocking(move |b| b.tx(&hash)).await? {
            let mut json = to_json(&tx_commit::Response {
                check_tx: check,
                tx_result: found.result,
                hash,
                height: tm_height(found.height)?,
            })?;
            fix_results(&mut json, &["/check_tx", "/tx_result"]);
            return Ok(json);
        }
        if started.elapsed() >= ctx.config.broadcast_commit_timeout {
            return Err(RpcError::internal(
                "timed out waiting for tx to be included in a block",
            ));
        }
        tokio::time::sleep(ctx.config.commit_poll_interval).await;
    }
}

fn hash_from_bytes(bytes: &[u8]) -> Result<Hash, RpcError> {
    let arr: [u8; 32] = bytes.try_into().map_err(|_| {
        RpcError::invalid_params(format!("hash must be 32 bytes, got {}", bytes.len()))
    })?;
    Ok(Hash::Sha256(arr))
}

fn indexed_json(t: IndexedTx) -> Result<tx_endpoint::Response, RpcError> {
    Ok(tx_endpoint::Response {
        hash: t.hash,
        height: tm_height(t.height)?,
        index: t.index,
        tx_result: t.result,
        tx: t.tx,
        proof: None,
    })
}

fn no_proofs(params: &Params) -> Result<(), RpcError> {
    if params.flag("prove")? {
        return Err(RpcError::invalid_params(
            "prove=true: this node does not serve tx proofs yet",
        ));
    }
    Ok(())
}

pub async fn tx(ctx: &Ctx, params: &Params) -> Result<Value, RpcError> {
    let hash = hash_from_bytes(&params.base64_bytes("hash")?)?;
    no_proofs(params)?;
    match ctx.blocking(move |b| b.tx(&hash)).await? {
        Some(t) => {
            let mut json = to_json(&indexed_json(t)?)?;
            fix_results(&mut json, &["/tx_result"]);
            Ok(json)
        }
        None => Err(RpcError::internal(format!("tx ({hash}) not found"))),
    }
}

/// Whether a tx satisfies every condition: on its attribute map as `PublishEventTx` builds it
/// (the same matching as websocket subscriptions), except that `tx.hash` is compared without
/// regard to the hex's case (clients send both).
fn tx_matches(t: &IndexedTx, conds: &[Condition]) -> bool {
    let events = crate::events::tx_attributes(t);
    conds.iter().all(|c| {
        if c.key == "tx.hash" {
            c.matches(&t.hash.to_string()) || c.matches(&hex::encode(t.hash.as_bytes()))
        } else {
            crate::events::matches_all(&events, std::slice::from_ref(c))
        }
    })
}

/// The heights a query may match, from its `tx.height` conditions and the stored range.
fn height_window(conds: &[Condition], base: u64, latest: u64) -> (u64, u64) {
    let (mut lo, mut hi) = (base, latest);
    for c in conds.iter().filter(|c| c.key == "tx.height") {
        let Operand::Int(n) = c.operand else { continue };
        let n = u64::try_from(n.max(0)).unwrap_or(u64::MAX);
        match c.op {
            Op::Eq => {
                lo = lo.max(n);
                hi = hi.min(n);
            }
            Op::Ge => lo = lo.max(n),
            Op::Gt => lo = lo.max(n.saturating_add(1)),
            Op::Le => hi = hi.min(n),
            Op::Lt => hi = hi.min(n.saturating_sub(1)),
            Op::Contains | Op::Exists => {}
        }
    }
    (lo, hi)
}

async fn candidates(ctx: &Ctx, conds: &[Condition]) -> Result<Vec<IndexedTx>, RpcError> {
    let by_hash = conds.iter().find_map(|c| match (&c.op, &c.operand) {
        (Op::Eq, Operand::Str(s)) if c.key == "tx.hash" => Some(s.clone()),
        _ => None,
    });
    if let Some(text) = by_hash {
        let bytes = hex::decode(&text)
            .map_err(|e| RpcError::invalid_params(format!("tx.hash {text:?}: not hex: {e}")))?;
        let hash = hash_from_bytes(&bytes)?;
        return Ok(ctx
            .blocking(move |b| b.tx(&hash))
            .await?
            .into_iter()
            .collect());
    }
    let Some((base, latest)) = ctx.blocking(|b| b.height_range()).await? else {
        return Ok(Vec::new());
    };
    let (lo, hi) = height_window(conds, base, latest);
    if lo > hi {
        return Ok(Vec::new());
    }
    if hi - lo >= MAX_SCAN_HEIGHTS {
        return Err(RpcError::invalid_params(format!(
            "the query must name tx.hash or bound tx.height to at most {MAX_SCAN_HEIGHTS} blocks (it spans {lo}..={hi})"
        )));
    }
    ctx.blocking(move |b| {
        let mut out = Vec::new();
        for h in lo..=hi {
            out.extend(b.txs_at(h)?);
        }
        Ok(out)
    })
    .await
}

pub async fn tx_search(ctx: &Ctx, params: &Params) -> Result<Value, RpcError> {
    let conds = query::parse(&params.str("query")?)?;
    no_proofs(params)?;
    let descending = match params.opt_str("order_by")?.as_deref() {
        None | Some("") | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(RpcError::invalid_params(format!(
                "order_by must be \"asc\" or \"desc\", got {other:?}"
            )));
        }
    };
    let mut found: Vec<IndexedTx> = candidates(ctx, &conds)
        .await?
        .into_iter()
        .filter(|t| tx_matches(t, &conds))
        .collect();
    found.sort_by_key(|t| (t.height, t.index));
    if descending {
        found.reverse();
    }
    let total = found.len();
    let range = page_bounds(params, total)?;
    let txs = found
        .drain(range)
        .map(indexed_json)
        .collect::<Result<Vec<_>, _>>()?;
    let mut json = to_json(&search_endpoint::Response {
        txs,
        total_count: u32::try_from(total).unwrap_or(u32::MAX),
    })?;
    if let Some(Value::Array(list)) = json.get_mut("txs") {
        for t in list {
            fix_results(t, &["/tx_result"]);
        }
    }
    Ok(json)
}
