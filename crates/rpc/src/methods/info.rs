//! `status`, `abci_info`, `abci_query`.

use serde_json::Value;
use tendermint::abci::Code;
use tendermint::node::info::{ListenAddress, OtherInfo, ProtocolVersionInfo, TxIndexStatus};
use tendermint::{AppHash, Hash, Time};
use tendermint_rpc::endpoint::{abci_info, abci_query, status};

use super::{Ctx, tm_height, to_json};
use crate::jsonrpc::RpcError;
use crate::params::Params;

/// The CometBFT RPC version we speak. CosmJS picks its client by this prefix (`0.38.` → its
/// Comet 0.38 adapter, DESIGN.md §7), tendermint-rs's `CompatMode` likewise.
pub const COMETBFT_VERSION: &str = "0.38.0";

/// CometBFT 0.38's p2p protocol version.
const P2P_PROTOCOL: u64 = 8;

/// CometBFT's block protocol version (every wicas header carries it, DESIGN.md §6).
const BLOCK_PROTOCOL: u64 = 11;

fn version_string<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, RpcError> {
    // tendermint's `Version` and `Channels` are strings built only by deserializing.
    serde_json::from_value(Value::from(text))
        .map_err(|e| RpcError::internal(format!("node info field {text:?}: {e}")))
}

pub async fn status(ctx: &Ctx) -> Result<Value, RpcError> {
    // One snapshot: the latest committed height and the stored blocks at both ends, read in one
    // backend call; every sync_info field comes from those two blocks.
    let (info, earliest, latest) = ctx
        .blocking(|b| {
            let info = b.node_info()?;
            let Some((base, latest)) = b.height_range()? else {
                return Ok((info, None, None));
            };
            Ok((
                info,
                Some((base, b.block(base)?)),
                Some((latest, b.block(latest)?)),
            ))
        })
        .await?;
    let stored = |r: Option<(u64, Option<crate::BlockRecord>)>| match r {
        None => Ok(None),
        Some((_, Some(record))) => Ok(Some(record)),
        Some((h, None)) => Err(RpcError::internal(format!(
            "the block at height {h} is not stored"
        ))),
    };
    let (earliest, latest) = (stored(earliest)?, stored(latest)?);
    // As CometBFT's `Status` (rpc/core/status.go, from the block store's meta of each height):
    // `*_app_hash` is that block's header `app_hash`, the state root after the height *before*
    // it (for block 1, the genesis root), not the root after it (that is in `abci_info` and in
    // the next header).
    let tip = |r: &Option<crate::BlockRecord>| match r {
        Some(r) => (
            r.block_id.hash,
            r.block.header.app_hash.clone(),
            r.block.header.height,
            r.block.header.time,
        ),
        // No block yet: height 0 with empty hashes, as CometBFT. (Not `Height::default()`,
        // which tendermint-rs defines as 1: that made a node without blocks claim height 1
        // with empty hashes, which CosmJS refuses.)
        None => (
            Hash::None,
            AppHash::default(),
            tendermint::block::Height::from(0u32),
            Time::unix_epoch(),
        ),
    };
    let (e_hash, e_app, e_height, e_time) = tip(&earliest);
    let (l_hash, l_app, l_height, l_time) = tip(&latest);
    let response = status::Response {
        node_info: tendermint::node::Info {
            protocol_version: ProtocolVersionInfo {
                p2p: P2P_PROTOCOL,
                block: BLOCK_PROTOCOL,
                app: 0,
            },
            id: info.node_id,
            listen_addr: ListenAddress::new(info.p2p_listen_addr.clone()),
            network: info.chain_id.clone(),
            version: version_string(COMETBFT_VERSION)?,
            channels: version_string("")?,
            moniker: info
                .moniker
                .parse()
                .map_err(|e| RpcError::internal(format!("moniker: {e}")))?,
            other: OtherInfo {
                tx_index: TxIndexStatus::On,
                rpc_address: format!("tcp://{}", info.rpc_listen_addr),
            },
        },
        sync_info: status::SyncInfo {
            earliest_block_hash: e_hash,
            earliest_app_hash: e_app,
            earliest_block_height: e_height,
            earliest_block_time: e_time,
            latest_block_hash: l_hash,
            latest_app_hash: l_app,
            latest_block_height: l_height,
            latest_block_time: l_time,
            catching_up: info.catching_up,
        },
        validator_info: info.validator,
    };
    let mut json = to_json(&response)?;
    if let Some(v) = json.pointer_mut("/validator_info") {
        super::cometbft_validator(v);
    }
    Ok(json)
}

pub async fn abci_info(ctx: &Ctx) -> Result<Value, RpcError> {
    let response = ctx.blocking(|b| b.abci_info()).await?;
    to_json(&abci_info::Response { response })
}

pub async fn abci_query(ctx: &Ctx, params: &Params) -> Result<Value, RpcError> {
    let path = params.opt_str("path")?.unwrap_or_default();
    let data = params.hex_bytes("data")?;
    let height = params.opt_u64("height")?.unwrap_or(0);
    if params.flag("prove")? {
        return Err(RpcError::invalid_params(
            "prove=true: this node does not serve query proofs yet",
        ));
    }
    let answer = ctx
        .blocking(move |b| b.abci_query(&path, &data, height))
        .await?;
    let response = abci_query::AbciQuery {
        code: Code::from(answer.code),
        log: answer.log,
        info: String::new(),
        index: 0,
        key: Vec::new(),
        value: answer.value,
        proof: None,
        height: tm_height(answer.height)?,
        codespace: answer.codespace,
    };
    to_json(&abci_query::Response { response })
}
