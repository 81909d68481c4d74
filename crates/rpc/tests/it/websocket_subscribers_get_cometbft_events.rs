//! `/websocket` over the in-memory backend: methods answer as over HTTP; `NewBlock`,
//! `NewBlockHeader` and `Tx` subscriptions receive CometBFT 0.38's event JSON (parsed back with
//! tendermint-rpc's own 0.38 event deserializer) under the id of their `subscribe`; unsubscribing
//! stops them. Hostile input tried: frames that are not JSON (text and binary), a query that
//! does not parse, unknown methods and queries, too many subscriptions, too many connections,
//! an oversized frame, and a client that stops reading.

use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};
use tendermint_rpc::event::{Event, EventData, v0_38::DeEvent};
use tokio_tungstenite::tungstenite::Message;
use wicas_rpc::{RpcConfig, tx_hash};

use crate::fake::{self, Fake};
use crate::ws_client::Ws;

fn parse_event(message: &Value) -> Event {
    let de: DeEvent = serde_json::from_value(message["result"].clone())
        .unwrap_or_else(|e| panic!("{e}: {message}"));
    de.into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_receive_blocks_headers_and_matching_txs_until_unsubscribed() {
    let (server, fake) = fake::serve(Fake::default(), RpcConfig::default()).await;
    let mut ws = Ws::connect(server.local_addr).await.unwrap();

    // Every HTTP method works over the socket.
    ws.call(json!(1), "status", json!({})).await;
    let status = ws.answer(json!(1)).await;
    let status: tendermint_rpc::endpoint::status::Response =
        serde_json::from_value(status["result"].clone()).unwrap();
    assert_eq!(status.sync_info.latest_block_height.value(), 3);

    ws.call(
        json!("nb"),
        "subscribe",
        json!({"query": "tm.event='NewBlock'"}),
    )
    .await;
    ws.call(
        json!(2),
        "subscribe",
        json!(["tm.event = 'NewBlockHeader'"]),
    )
    .await;
    let tx_query = "tm.event='Tx' AND transfer.recipient='wicas1abc' AND tx.height>3";
    ws.call(json!(3), "subscribe", json!({"query": tx_query}))
        .await;
    for id in [json!("nb"), json!(2), json!(3)] {
        assert_eq!(ws.answer(id).await["result"], json!({}));
    }

    let tx = b"a tx sent over the socket".to_vec();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&tx);
    ws.call(json!(4), "broadcast_tx_sync", json!({"tx": b64}))
        .await;
    let sent = ws.answer(json!(4)).await;
    assert_eq!(sent["result"]["code"], 0, "{sent}");

    let block = ws.event(json!("nb"), "NewBlock").await;
    assert_eq!(block["jsonrpc"], "2.0");
    assert_eq!(block["result"]["query"], "tm.event='NewBlock'");
    assert_eq!(block["result"]["data"]["type"], "tendermint/event/NewBlock");
    let EventData::NewBlock {
        block: Some(b),
        block_id,
        result_finalize_block: Some(results),
    } = parse_event(&block).data
    else {
        panic!("not a 0.38 NewBlock: {block}");
    };
    assert_eq!(b.header.height.value(), 4);
    assert_eq!(b.data, vec![tx.clone()]);
    assert_eq!(block_id, fake::block(4, vec![]).block_id);
    assert_eq!(results.tx_results.len(), 1);
    assert_eq!(
        block["result"]["data"]["value"]["result_finalize_block"]["tx_results"][0]["gas_used"],
        "51234"
    );

    let header = ws.event(json!(2), "NewBlockHeader").await;
    assert_eq!(
        header["result"]["data"]["type"],
        "tendermint/event/NewBlockHeader"
    );
    assert_eq!(header["result"]["data"]["value"]["header"]["height"], "4");
    assert_eq!(
        header["result"]["events"],
        json!({"tm.event": ["NewBlockHeader"]})
    );

    let txe = ws.event(json!(3), "Tx").await;
    assert_eq!(txe["result"]["data"]["type"], "tendermint/event/Tx");
    let events = &txe["result"]["events"];
    assert_eq!(events["tx.hash"], json!([tx_hash(&tx).to_string()]));
    assert_eq!(events["tx.height"], json!(["4"]));
    assert_eq!(events["transfer.amount"], json!(["5uwicas"]));
    let value = &txe["result"]["data"]["value"]["TxResult"];
    assert_eq!(
        (value["height"].clone(), value["index"].clone()),
        (json!("4"), json!(0))
    );
    assert_eq!(value["result"]["code"], 0);
    let EventData::Tx { tx_result } = parse_event(&txe).data else {
        panic!("not a Tx event: {txe}");
    };
    assert_eq!((tx_result.height, tx_result.tx), (4, tx));

    // Unsubscribing stops exactly that subscription.
    ws.call(json!(5), "unsubscribe", json!({"query": tx_query}))
        .await;
    assert_eq!(ws.answer(json!(5)).await["result"], json!({}));
    ws.call(json!(6), "broadcast_tx_sync", json!({"tx": "YW5vdGhlcg=="}))
        .await;
    ws.answer(json!(6)).await;
    let next = ws.event(json!("nb"), "NewBlock").await;
    let EventData::NewBlock { block: Some(b), .. } = parse_event(&next).data else {
        panic!("not a NewBlock: {next}");
    };
    assert_eq!(
        (b.header.height.value(), b.data.clone()),
        (5, vec![b"another".to_vec()])
    );
    ws.call(json!(7), "unsubscribe_all", json!({})).await;
    assert_eq!(ws.answer(json!(7)).await["result"], json!({}));
    fake.commit(20);
    let quiet = ws.read(Duration::from_millis(500)).await;
    let late: Vec<_> = ws.seen.iter().chain(quiet.iter()).collect();
    assert!(
        late.iter()
            .all(|m| m["result"]["events"]["tm.event"] != json!(["Tx"])),
        "a Tx event after unsubscribing: {late:?}"
    );
    assert!(quiet.is_none(), "an event after unsubscribe_all: {quiet:?}");
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_frames_get_errors_and_the_connection_keeps_serving() {
    let config = RpcConfig {
        max_ws_connections: 2,
        max_body_bytes: 4096,
        ..RpcConfig::default()
    };
    let (server, _fake) = fake::serve(Fake::default(), config).await;
    let mut ws = Ws::connect(server.local_addr).await.unwrap();
    let code = |m: &Value| m["error"]["code"].as_i64().unwrap_or(0);

    ws.send_raw(Message::Text("not json".into())).await;
    assert_eq!(
        code(&ws.take("parse error", |m| m["error"].is_object()).await),
        -32700
    );
    ws.send_raw(Message::Binary(vec![0xff, 0x00, 0x7b].into()))
        .await;
    assert_eq!(
        code(&ws.take("parse error", |m| m["error"].is_object()).await),
        -32700
    );
    ws.call(json!(1), "no_such_method", json!({})).await;
    assert_eq!(code(&ws.answer(json!(1)).await), -32601);
    ws.call(
        json!(2),
        "subscribe",
        json!({"query": "tm.event='Tx' OR tx.height>1"}),
    )
    .await;
    let bad = ws.answer(json!(2)).await;
    assert_eq!(code(&bad), -32603);
    assert!(
        bad["error"]["data"]
            .as_str()
            .unwrap()
            .starts_with("failed to parse query")
    );
    ws.call(json!(3), "subscribe", json!({})).await;
    assert_eq!(code(&ws.answer(json!(3)).await), -32602, "a missing query");
    ws.call(json!(4), "unsubscribe", json!({"query": "tm.event='Tx'"}))
        .await;
    assert_eq!(
        ws.answer(json!(4)).await["error"]["data"],
        "subscription not found"
    );

    ws.call(json!(9), "subscribe", json!({"query": "tx.height>0"}))
        .await;
    assert_eq!(ws.answer(json!(9)).await["result"], json!({}));
    ws.call(json!(21), "subscribe", json!({"query": "tx.height>0"}))
        .await;
    assert_eq!(
        ws.answer(json!(21)).await["error"]["data"],
        "already subscribed"
    );
    for i in 1..5 {
        let q = format!("tx.height>{i}");
        ws.call(json!(10 + i), "subscribe", json!({"query": q}))
            .await;
        assert_eq!(ws.answer(json!(10 + i)).await["result"], json!({}));
    }
    ws.call(json!(20), "subscribe", json!({"query": "tx.height>99"}))
        .await;
    assert_eq!(
        ws.answer(json!(20)).await["error"]["data"],
        "max_subscriptions_per_client 5 reached"
    );

    // A notification is not answered; the next request is.
    ws.send_raw(Message::Text(
        r#"{"jsonrpc":"2.0","method":"health"}"#.into(),
    ))
    .await;
    ws.call(json!(22), "health", json!({})).await;
    assert_eq!(ws.read(Duration::from_secs(5)).await.unwrap()["id"], 22);

    // Connection slots: two are allowed, the third is refused at the upgrade.
    let second = Ws::connect(server.local_addr).await.unwrap();
    assert!(Ws::connect(server.local_addr).await.is_err());
    drop(second);

    // A frame over the size limit closes the connection.
    ws.send_raw(Message::Text("x".repeat(8192).into())).await;
    assert!(
        ws.closed(Duration::from_secs(10)).await,
        "the connection survived an oversized frame"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_loses_its_subscriptions_not_the_servers_memory() {
    let config = RpcConfig {
        ws_client_buffer: 8,
        ws_write_timeout: Duration::from_secs(60),
        ..RpcConfig::default()
    };
    // Blocks of one 256 KiB tx each: 150 of them are far more than the socket buffers hold.
    const BLOCKS: u64 = 150;
    let fake = Fake::default();
    fake.txs
        .lock()
        .unwrap()
        .extend((4..4 + BLOCKS).map(|h| fake::indexed(h, 0, &vec![h as u8; 256 * 1024], 0)));
    let (server, fake) = fake::serve(fake, config).await;
    let mut ws = Ws::connect(server.local_addr).await.unwrap();
    ws.call(
        json!("slow"),
        "subscribe",
        json!({"query": "tm.event='NewBlock'"}),
    )
    .await;
    assert_eq!(ws.answer(json!("slow")).await["result"], json!({}));

    fake.commit(3 + BLOCKS);
    tokio::time::sleep(Duration::from_secs(3)).await;

    let mut blocks = 0;
    let cancelled = loop {
        let m = ws
            .read(Duration::from_secs(10))
            .await
            .expect("neither every block nor a cancellation arrived");
        if m["error"].is_object() {
            break m;
        }
        blocks += 1;
    };
    assert_eq!(cancelled["id"], "slow");
    assert_eq!(cancelled["error"]["code"], -32000);
    assert_eq!(
        cancelled["error"]["data"],
        "subscription was canceled (reason: client is not pulling messages fast enough)"
    );
    assert!(blocks < BLOCKS, "{blocks} blocks before the cancellation");
    // Cancelled means cancelled: no more events, and the connection still answers.
    fake.commit(4 + BLOCKS);
    ws.call(json!(1), "health", json!({})).await;
    assert_eq!(ws.read(Duration::from_secs(5)).await.unwrap()["id"], 1);
    assert!(ws.read(Duration::from_millis(500)).await.is_none());
    server.shutdown().await.unwrap();
}
