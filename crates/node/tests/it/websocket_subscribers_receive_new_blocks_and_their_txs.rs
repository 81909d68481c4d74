//! A live one-validator chain's `/websocket`: a client subscribes to `NewBlock` and to a `Tx`
//! query on the sender's attribute, sends a signed bank send with `broadcast_tx_sync` over the
//! same socket, and must receive the tx's event (its bytes, hash and height, parsed by
//! tendermint-rpc's 0.38 event deserializer) and the `NewBlock` event of the block that holds it
//! (the same block the `block` method serves). Then it unsubscribes and events stop. Hostile
//! input on the live node: a query that does not parse, too many subscriptions.

use std::time::Duration;

use base64::Engine as _;
use serde_json::json;
use tendermint_rpc::Client;
use tendermint_rpc::event::{Event, EventData, v0_38::DeEvent};
use wicas_node::GENESIS_ACCOUNT;

use crate::rpc_support::{bank_send, client, fresh_home, options, wait_for_height};
use crate::ws_client::Ws;

const CHAIN_ID: &str = "wicas-ws-test-1";

fn parse_event(message: &serde_json::Value) -> Event {
    let de: DeEvent = serde_json::from_value(message["result"].clone())
        .unwrap_or_else(|e| panic!("{e}: {message}"));
    de.into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_subscribers_receive_new_blocks_and_their_txs() {
    let (_dir, home) = fresh_home(CHAIN_ID);
    let chain = wicas_node::start(&home, options()).await.unwrap();
    let addr = chain.rpc.as_ref().unwrap().local_addr;
    let c = client(addr);
    wait_for_height(&c, 1).await;

    let mut ws = Ws::connect(addr).await.unwrap();
    let sender = home.key(GENESIS_ACCOUNT).unwrap().address;
    let tx_query = format!("tm.event='Tx' AND message.sender='{sender}' AND tx.height>0");
    ws.call(
        json!(1),
        "subscribe",
        json!({"query": "tm.event='NewBlock'"}),
    )
    .await;
    ws.call(json!(2), "subscribe", json!({"query": tx_query}))
        .await;
    assert_eq!(ws.answer(json!(1)).await["result"], json!({}));
    assert_eq!(ws.answer(json!(2)).await["result"], json!({}));
    let first = ws.event(json!(1), "NewBlock").await;
    assert!(matches!(
        parse_event(&first).data,
        EventData::NewBlock { block: Some(_), .. }
    ));

    let tx = bank_send(&c, &home, CHAIN_ID).await;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&tx);
    ws.call(json!(3), "broadcast_tx_sync", json!({"tx": b64}))
        .await;
    let sent = ws.answer(json!(3)).await;
    assert_eq!(sent["result"]["code"], 0, "{sent}");

    let txe = ws.event(json!(2), "Tx").await;
    assert_eq!(txe["result"]["query"], tx_query.as_str());
    let hash = wicas_rpc::tx_hash(&tx);
    assert_eq!(
        txe["result"]["events"]["tx.hash"],
        json!([hash.to_string()])
    );
    let EventData::Tx { tx_result } = parse_event(&txe).data else {
        panic!("not a Tx event: {txe}");
    };
    assert_eq!(tx_result.tx, tx);
    let height = u64::try_from(tx_result.height).unwrap();
    let indexed = c.tx(hash, false).await.unwrap();
    assert_eq!(indexed.height.value(), height);

    // The NewBlock event of that height carries the tx and the block `block` serves.
    let want = height.to_string();
    let holding = ws
        .take("the NewBlock holding the tx", |m| {
            m["id"] == 1
                && m["result"]["data"]["value"]["block"]["header"]["height"] == want.as_str()
        })
        .await;
    let EventData::NewBlock {
        block: Some(block),
        block_id,
        result_finalize_block: Some(results),
    } = parse_event(&holding).data
    else {
        panic!("not a 0.38 NewBlock: {holding}");
    };
    assert_eq!(block.data, vec![tx.clone()]);
    let served = c.block(block.header.height).await.unwrap();
    assert_eq!(
        (served.block_id, served.block.header),
        (block_id, block.header)
    );
    assert_eq!(results.tx_results.len(), 1);

    // Hostile input on the live node.
    ws.call(json!(4), "subscribe", json!({"query": "tm.event=='Tx'"}))
        .await;
    let bad = ws.answer(json!(4)).await;
    assert_eq!(bad["error"]["code"], -32603, "{bad}");
    for i in 0..3 {
        let q = format!("tx.height>{}", 1000 + i);
        ws.call(json!(10 + i), "subscribe", json!({"query": q}))
            .await;
        assert_eq!(ws.answer(json!(10 + i)).await["result"], json!({}));
    }
    ws.call(json!(20), "subscribe", json!({"query": "tx.height>9999"}))
        .await;
    assert_eq!(
        ws.answer(json!(20)).await["error"]["data"],
        "max_subscriptions_per_client 5 reached"
    );

    ws.call(json!(5), "unsubscribe_all", json!({})).await;
    assert_eq!(ws.answer(json!(5)).await["result"], json!({}));
    ws.seen.clear();
    // Blocks keep coming (about every 200 ms) but no event does.
    let now = c
        .status()
        .await
        .unwrap()
        .sync_info
        .latest_block_height
        .value();
    wait_for_height(&c, now + 2).await;
    let late = ws.read(Duration::from_millis(300)).await;
    assert!(late.is_none(), "an event after unsubscribe_all: {late:?}");
    chain.stop().await;
}
