//! `block`, `block_results`, `commit`, `header`, `validators`.

use serde_json::Value;
use tendermint::block::signed_header::SignedHeader;
use tendermint_rpc::endpoint::{block, block_results, commit, header, validators};

use super::{Ctx, page_bounds, resolve_height, tm_height, to_json};
use crate::backend::BlockRecord;
use crate::jsonrpc::RpcError;
use crate::params::Params;

async fn record(ctx: &Ctx, height: u64) -> Result<BlockRecord, RpcError> {
    ctx.blocking(move |b| b.block(height))
        .await?
        .ok_or_else(|| RpcError::internal(format!("block at height {height} not found")))
}

pub async fn block(ctx: &Ctx, params: &Params) -> Result<Value, RpcError> {
    let height = resolve_height(ctx, params).await?;
    let r = record(ctx, height).await?;
    block_json(r.block_id, r.block)
}

/// `{"block_id":…,"block":…}` as CometBFT writes it (the `block` method, the `NewBlock` event).
pub fn block_json(
    block_id: tendermint::block::Id,
    block: tendermint::Block,
) -> Result<Value, RpcError> {
    let mut json = to_json(&block::Response { block_id, block })?;
    // CometBFT writes the first block's missing last commit as an empty commit, not `null`;
    // CosmJS reads `last_commit.block_id.hash` unconditionally.
    if let Some(slot) = json.pointer_mut("/block/last_commit")
        && slot.is_null()
    {
        *slot = serde_json::json!({
            "height": "0",
            "round": 0,
            "block_id": {"hash": "", "parts": {"total": 0, "hash": ""}},
            "signatures": [],
        });
    }
    Ok(json)
}

pub async fn header(ctx: &Ctx, params: &Params) -> Result<Value, RpcError> {
    let height = resolve_height(ctx, params).await?;
    let r = record(ctx, height).await?;
    to_json(&header::Response {
        header: r.block.header,
    })
}

/// The commit for `height`: the next block's `last_commit` when that block exists (canonical),
/// else the commit certificate this node saw (CometBFT's "seen commit", not canonical).
pub async fn commit(ctx: &Ctx, params: &Params) -> Result<Value, RpcError> {
    let height = resolve_height(ctx, params).await?;
    let r = record(ctx, height).await?;
    let next = ctx.blocking(move |b| b.block(height + 1)).await?;
    let (commit, canonical) = match next.and_then(|n| n.block.last_commit) {
        Some(c) => (c, true),
        None => (r.commit, false),
    };
    let signed_header = SignedHeader::new(r.block.header, commit)
        .map_err(|e| RpcError::internal(format!("commit at height {height}: {e}")))?;
    to_json(&commit::Response {
        signed_header,
        canonical,
    })
}

pub async fn block_results(ctx: &Ctx, params: &Params) -> Result<Value, RpcError> {
    let height = resolve_height(ctx, params).await?;
    let r = ctx
        .blocking(move |b| b.block_results(height))
        .await?
        .ok_or_else(|| {
            RpcError::internal(format!("could not find results for height #{height}"))
        })?;
    let mut json = to_json(&block_results::Response {
        height: tm_height(height)?,
        txs_results: (!r.txs_results.is_empty()).then_some(r.txs_results),
        finalize_block_events: r.finalize_block_events,
        begin_block_events: None,
        end_block_events: None,
        validator_updates: Vec::new(),
        consensus_param_updates: None,
        app_hash: r.app_hash,
    })?;
    if let Some(Value::Array(list)) = json.get_mut("txs_results") {
        list.iter_mut().for_each(super::cometbft_result);
    }
    Ok(json)
}

pub async fn validators(ctx: &Ctx, params: &Params) -> Result<Value, RpcError> {
    let height = resolve_height(ctx, params).await?;
    let all = ctx
        .blocking(move |b| b.validators(height))
        .await?
        .ok_or_else(|| {
            RpcError::internal(format!("could not find validator set for height #{height}"))
        })?;
    let total = all.len();
    let page = page_bounds(params, total)?;
    let shown: Vec<_> = all[page].to_vec();
    let count = shown.len();
    let response = validators::Response::new(
        tm_height(height)?,
        shown,
        i32::try_from(total).unwrap_or(i32::MAX),
    );
    let mut json = to_json(&response)?;
    // CometBFT also sends `count` (validators on this page); tendermint-rpc's type omits it
    // and CosmJS reads it.
    if let Value::Object(map) = &mut json {
        map.insert("count".into(), Value::from(count.to_string()));
        if let Some(Value::Array(list)) = map.get_mut("validators") {
            list.iter_mut().for_each(super::cometbft_validator);
        }
    }
    Ok(json)
}
