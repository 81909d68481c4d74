//! Bad input and the errors it gets. Tried: a body that is not JSON, JSON that is not a request,
//! a wrong `jsonrpc` version, an unknown method (POST and GET), missing and malformed params
//! (base64, hex, integers, booleans, unquoted URI strings), a 33-byte hash, a height above the
//! chain, an unparsable tx_search query or one that would scan more than 10 000 heights, a page past the end, an empty and an
//! oversized batch, an oversized body, and notifications (no id, no answer).

use serde_json::{Value, json};
use wicas_rpc::RpcConfig;

use crate::fake;
use crate::http::{get, post, request};

fn error_code(v: &Value) -> i64 {
    v["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("not an error: {v}"))
}

#[tokio::test]
async fn malformed_bodies_and_envelopes() {
    let (server, _) = fake::serve(fake::with_txs(), RpcConfig::default()).await;
    let addr = server.local_addr;
    let r = post(addr, "{not json").await;
    assert_eq!(r.status, 500);
    assert_eq!(error_code(&r.json()), -32700);
    assert_eq!(r.json()["error"]["message"], "Parse error");

    let r = post(addr, r#"{"jsonrpc":"1.0","id":4,"method":"status"}"#).await;
    assert_eq!(
        (error_code(&r.json()), r.json()["id"].clone()),
        (-32600, json!(4))
    );
    let r = post(addr, r#"{"jsonrpc":"2.0","id":5,"method":"no_such"}"#).await;
    assert_eq!((r.status, error_code(&r.json())), (200, -32601));
    assert_eq!(r.json()["error"]["message"], "Method not found");
    let r = post(addr, "42").await;
    assert_eq!(error_code(&r.json()), -32600);

    // A notification runs but gets no answer.
    let r = post(addr, r#"{"jsonrpc":"2.0","method":"health"}"#).await;
    assert_eq!((r.status, r.body.as_str()), (200, ""));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn batches_answer_each_request_in_order() {
    let (server, _) = fake::serve(fake::with_txs(), RpcConfig::default()).await;
    let addr = server.local_addr;
    let r = post(
        addr,
        r#"[{"jsonrpc":"2.0","id":1,"method":"health"},
            {"jsonrpc":"2.0","id":"two","method":"nope"},
            {"jsonrpc":"2.0","method":"health"},
            {"jsonrpc":"2.0","id":3,"method":"abci_info","params":[]}]"#,
    )
    .await;
    let v = r.json();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 3, "the notification is not answered");
    assert_eq!(items[0], json!({"jsonrpc":"2.0","id":1,"result":{}}));
    assert_eq!(
        (items[1]["id"].clone(), error_code(&items[1])),
        (json!("two"), -32601)
    );
    assert_eq!(items[2]["result"]["response"]["last_block_height"], "3");

    assert_eq!(error_code(&post(addr, "[]").await.json()), -32600);
    let many: Vec<Value> = (0..=wicas_rpc::MAX_BATCH_REQUESTS)
        .map(|i| json!({"jsonrpc":"2.0","id":i,"method":"health"}))
        .collect();
    let r = post(addr, &Value::Array(many).to_string()).await;
    assert_eq!(error_code(&r.json()), -32600);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn bad_params_are_invalid_params_and_missing_data_is_an_internal_error() {
    let (server, _) = fake::serve(fake::with_txs(), RpcConfig::default()).await;
    let addr = server.local_addr;
    let call = |method: &str, params: Value| {
        json!({"jsonrpc":"2.0","id":1,"method":method,"params":params}).to_string()
    };
    for (method, params) in [
        ("broadcast_tx_sync", json!({})),
        ("broadcast_tx_sync", json!({"tx": "%%%"})),
        ("broadcast_tx_sync", json!({"tx": ""})),
        ("abci_query", json!({"path": "/p", "data": "zz"})),
        ("abci_query", json!({"path": "/p", "height": "-3"})),
        ("abci_query", json!({"path": "/p", "prove": "maybe"})),
        ("tx", json!({"hash": base64_of(&[0u8; 33])})),
        ("tx_search", json!({"query": "tx.height=="})),
        ("tx_search", json!({"query": "tx.height=2", "page": "9"})),
        (
            "tx_search",
            json!({"query": "tx.height=2", "order_by": "sideways"}),
        ),
        ("block_results", json!(["x"])),
        ("abci_query", json!(5)),
        ("health", json!([1])),
    ] {
        let v = post(addr, &call(method, params.clone())).await.json();
        assert_eq!(error_code(&v), -32602, "{method} {params}: {v}");
        assert_eq!(v["error"]["message"], "Invalid params");
    }
    let v = post(addr, &call("block_results", json!({"height": "99"})))
        .await
        .json();
    assert_eq!(error_code(&v), -32603);
    assert_eq!(
        v["error"]["data"],
        "height 99 must be less than or equal to the current blockchain height 3"
    );
    let v = post(addr, &call("tx", json!({"hash": base64_of(&[0u8; 32])})))
        .await
        .json();
    assert_eq!(
        v["error"]["data"],
        format!("tx ({}) not found", "00".repeat(32))
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn tx_search_scans_a_bounded_height_range_only() {
    let fake = fake::Fake {
        tall: true,
        ..fake::Fake::default()
    };
    let (server, _) = fake::serve(fake, RpcConfig::default()).await;
    let search = |q: &str| {
        json!({"jsonrpc":"2.0","id":1,"method":"tx_search","params":{"query":q}}).to_string()
    };
    let v = post(server.local_addr, &search("message.sender='x'"))
        .await
        .json();
    assert_eq!(error_code(&v), -32602);
    assert!(
        v["error"]["data"].as_str().unwrap().contains("tx.height"),
        "{v}"
    );
    let v = post(
        server.local_addr,
        &search("tx.height>49000 AND message.sender='x'"),
    )
    .await
    .json();
    assert_eq!(v["result"]["total_count"], "0", "{v}");
    server.shutdown().await.unwrap();
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_parsing() {
    let config = RpcConfig {
        max_body_bytes: 1024,
        ..RpcConfig::default()
    };
    let (server, fake) = fake::serve(fake::Fake::default(), config).await;
    let tx = base64_of(&vec![b'g'; 4096]);
    let body = json!({"jsonrpc":"2.0","id":1,"method":"broadcast_tx_sync","params":{"tx":tx}});
    let r = request(server.local_addr, "POST", "/", body.to_string().as_bytes()).await;
    assert_eq!(r.status, 413);
    assert_eq!(error_code(&r.json()), -32600);
    assert!(r.json()["error"]["data"].as_str().unwrap().contains("1024"));
    assert!(fake.txs.lock().unwrap().is_empty(), "nothing was submitted");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_uri_form_follows_cometbft() {
    let (server, _) = fake::serve(fake::with_txs(), RpcConfig::default()).await;
    let addr = server.local_addr;
    let r = get(addr, "/status").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["id"], -1);
    assert_eq!(r.json()["result"]["node_info"]["network"], fake::CHAIN_ID);

    let r = get(addr, "/abci_query?path=%22/p%22&data=0x0102&height=2").await;
    let v = r.json();
    assert_eq!(v["result"]["response"]["value"], base64_of(b"/p\x01\x02"));
    assert_eq!(v["result"]["response"]["height"], "2");

    let hash = wicas_rpc::tx_hash(b"tx-a");
    let r = get(addr, &format!("/tx?hash=0x{hash}")).await;
    assert_eq!(r.json()["result"]["height"], "2");
    let r = get(
        addr,
        "/tx_search?query=%22tx.height%3D2%22&per_page=1&page=2",
    )
    .await;
    let v = r.json();
    assert_eq!(
        (
            v["result"]["total_count"].clone(),
            v["result"]["txs"][0]["index"].clone()
        ),
        (json!("2"), json!(1))
    );

    let r = get(addr, "/abci_query?path=/unquoted").await;
    assert_eq!((r.status, error_code(&r.json())), (500, -32602));
    let r = get(addr, "/no_such_method").await;
    assert_eq!((r.status, error_code(&r.json())), (404, -32601));

    let r = get(addr, "/metrics").await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("wicas_txs_committed_total 3\n"),
        "{}",
        r.body
    );
    assert!(r.body.contains("# TYPE wicas_inference_seconds summary"));
    server.shutdown().await.unwrap();
}
