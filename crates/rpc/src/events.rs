//! The events a websocket subscriber receives, as CometBFT 0.38 publishes them after a block
//! commits (types/event_bus.go): one `NewBlock`, one `NewBlockHeader`, then one `Tx` per tx in
//! block order. Each comes with the flat attribute map queries match against
//! (`{"tm.event":["Tx"],"tx.hash":[…],"tx.height":[…],"transfer.amount":[…],…}`).
//!
//! Built from what the [`Backend`] stored for a committed height, with the same tendermint-rs
//! types (and the same CometBFT fix-ups) as the `block`, `header` and `tx` methods, so an event
//! and the method answer for the same height carry the same JSON.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use tendermint::abci;

use crate::backend::{Backend, IndexedTx};
use crate::jsonrpc::RpcError;
use crate::methods::{chain::block_json, cometbft_result, to_json};
use crate::query::Condition;

/// `tm.event` of the block event.
pub const NEW_BLOCK: &str = "NewBlock";
/// `tm.event` of the header event.
pub const NEW_BLOCK_HEADER: &str = "NewBlockHeader";
/// `tm.event` of a tx event.
pub const TX: &str = "Tx";

/// One event ready to send: its data already encoded (once, whatever the number of
/// subscribers) and its attribute map for matching.
#[derive(Debug)]
pub struct Published {
    /// The `result.data` JSON: `{"type":"tendermint/event/…","value":{…}}`.
    pub data: String,
    /// The attribute map (composite key → values, in emission order).
    pub events: BTreeMap<String, Vec<String>>,
    /// `events` encoded.
    pub events_json: String,
}

impl Published {
    fn new(kind: &str, value: Value, mut events: BTreeMap<String, Vec<String>>) -> Self {
        events
            .entry("tm.event".into())
            .or_default()
            .push(kind.to_owned());
        let data = json!({"type": format!("tendermint/event/{kind}"), "value": value}).to_string();
        let events_json = serde_json::to_string(&events).unwrap_or_else(|_| "{}".into());
        Self {
            data,
            events,
            events_json,
        }
    }

    /// Whether every condition of a query holds (CometBFT's pubsub: a condition on a key holds
    /// when any of its values satisfies it; `EXISTS` when the key is present).
    pub fn matches(&self, query: &[Condition]) -> bool {
        matches_all(&self.events, query)
    }
}

/// Whether every condition holds on an attribute map.
pub fn matches_all(events: &BTreeMap<String, Vec<String>>, query: &[Condition]) -> bool {
    query.iter().all(|c| {
        events
            .get(&c.key)
            .is_some_and(|values| values.iter().any(|v| c.matches(v)))
    })
}

/// CometBFT's `validateAndStringifyEvents`: `type.key` → values, skipping events without a type
/// and attributes without a key (and attributes that are not UTF-8, which CometBFT 0.38's
/// string attributes cannot hold).
pub fn attribute_map(events: &[abci::Event]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in events.iter().filter(|e| !e.kind.is_empty()) {
        for a in &e.attributes {
            let (Ok(key), Ok(value)) = (a.key_str(), a.value_str()) else {
                continue;
            };
            if !key.is_empty() {
                out.entry(format!("{}.{key}", e.kind))
                    .or_default()
                    .push(value.to_owned());
            }
        }
    }
    out
}

/// The attribute map of a committed tx, as `PublishEventTx` and the kv indexer see it: its
/// events plus `tx.hash` (upper-case hex) and `tx.height`.
pub fn tx_attributes(t: &IndexedTx) -> BTreeMap<String, Vec<String>> {
    let mut events = attribute_map(&t.result.events);
    events.insert("tx.hash".into(), vec![t.hash.to_string()]);
    events.insert("tx.height".into(), vec![t.height.to_string()]);
    events
}

/// The events of the committed `height`, in CometBFT's order.
pub fn for_height(backend: &dyn Backend, height: u64) -> Result<Vec<Published>, RpcError> {
    let record = backend
        .block(height)?
        .ok_or_else(|| RpcError::internal(format!("block at height {height} not found")))?;
    let results = backend
        .block_results(height)?
        .ok_or_else(|| RpcError::internal(format!("no results for height {height}")))?;
    let txs = backend.txs_at(height)?;

    let header = to_json(&record.block.header)?;
    let mut block = block_json(record.block_id, record.block)?;
    let finalize = abci::response::FinalizeBlock {
        events: results.finalize_block_events,
        tx_results: results.txs_results,
        validator_updates: Vec::new(),
        consensus_param_updates: None,
        app_hash: results.app_hash,
    };
    let block_events = attribute_map(&finalize.events);
    let mut finalize = to_json(&finalize)?;
    if let Some(Value::Array(list)) = finalize.get_mut("tx_results") {
        list.iter_mut().for_each(cometbft_result);
    }
    if let Value::Object(map) = &mut block {
        map.insert("result_finalize_block".into(), finalize);
    }

    let mut out = Vec::with_capacity(2 + txs.len());
    out.push(Published::new(NEW_BLOCK, block, block_events));
    out.push(Published::new(
        NEW_BLOCK_HEADER,
        json!({ "header": header }),
        BTreeMap::new(),
    ));
    for t in txs {
        let events = tx_attributes(&t);
        out.push(Published::new(TX, tx_value(t)?, events));
    }
    Ok(out)
}

/// `EventDataTx`: `{"TxResult":{"height":"5","index":0,"tx":"<base64>","result":{…}}}` (the Go
/// struct embeds `abci.TxResult`, which CometBFT's JSON writes under its type name).
fn tx_value(t: IndexedTx) -> Result<Value, RpcError> {
    use base64::Engine as _;
    let mut result = to_json(&t.result)?;
    cometbft_result(&mut result);
    Ok(json!({
        "TxResult": {
            "height": t.height.to_string(),
            "index": t.index,
            "tx": base64::engine::general_purpose::STANDARD.encode(&t.tx),
            "result": result,
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    #[test]
    fn attribute_maps_skip_empty_types_and_keys_and_keep_repeats() {
        let events = [
            abci::Event::new("transfer", [("amount", "5u", true), ("amount", "6u", true)]),
            abci::Event::new("", [("k", "v", true)]),
            abci::Event::new("message", [("", "v", true), ("sender", "wicas1x", true)]),
        ];
        let map = attribute_map(&events);
        assert_eq!(map["transfer.amount"], vec!["5u", "6u"]);
        assert_eq!(map["message.sender"], vec!["wicas1x"]);
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn queries_match_any_value_of_a_key_and_need_every_condition() {
        let p = Published::new(
            TX,
            Value::Null,
            BTreeMap::from([
                ("tx.height".to_owned(), vec!["7".to_owned()]),
                ("transfer.amount".to_owned(), vec!["5u".into(), "6u".into()]),
            ]),
        );
        for (q, want) in [
            ("tm.event='Tx'", true),
            ("tm.event='NewBlock'", false),
            ("tx.height>5", true),
            ("tx.height>7", false),
            ("tx.height<=7 AND transfer.amount='6u'", true),
            ("tx.height<=7 AND transfer.amount='7u'", false),
            ("transfer.amount CONTAINS 'u'", true),
            ("transfer.amount EXISTS", true),
            ("message.sender EXISTS", false),
        ] {
            assert_eq!(p.matches(&parse(q).unwrap()), want, "{q}");
        }
        assert!(p.data.starts_with(r#"{"type":"tendermint/event/Tx""#));
    }
}
