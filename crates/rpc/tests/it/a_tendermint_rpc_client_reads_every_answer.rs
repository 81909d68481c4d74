//! tendermint-rpc's `HttpClient` (CometBFT 0.38 dialect) against our server: if its
//! deserializers accept an answer, CosmJS's and Hermes's do too (they follow the same JSON).

use tendermint::abci::Code;
use tendermint_rpc::client::CompatMode;
use tendermint_rpc::{Client, HttpClient, Order};
use wicas_rpc::{RpcConfig, tx_hash};

use crate::fake::{self, CHAIN_ID};

fn client(url: &str) -> HttpClient {
    HttpClient::builder(url.parse().unwrap())
        .compat_mode(CompatMode::V0_38)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_abci_info_health_and_queries_parse() {
    let (server, _) = fake::serve(fake::with_txs(), RpcConfig::default()).await;
    let c = client(&fake::url(&server));
    let status = c.status().await.unwrap();
    assert_eq!(status.node_info.network.as_str(), CHAIN_ID);
    assert!(status.node_info.version.to_string().starts_with("0.38."));
    assert_eq!(status.validator_info, fake::validator());
    // tendermint-rs picks its dialect from this version, as CosmJS does.
    assert_eq!(
        CompatMode::from_version(status.node_info.version).unwrap(),
        CompatMode::V0_38
    );
    c.health().await.unwrap();
    let info = c.abci_info().await.unwrap();
    assert_eq!(info.last_block_height.value(), 3);

    let q = c
        .abci_query(Some("/p".into()), vec![1, 2], None, false)
        .await
        .unwrap();
    assert_eq!(
        (q.code, q.value, q.height.value()),
        (Code::Ok, b"/p\x01\x02".to_vec(), 3)
    );
    let q = c
        .abci_query(Some("/p".into()), vec![], Some(2u32.into()), false)
        .await
        .unwrap();
    assert_eq!(q.height.value(), 2);
    let missing = c
        .abci_query(
            Some("/cosmos.auth.v1beta1.Query/Account".into()),
            vec![],
            None,
            false,
        )
        .await
        .unwrap();
    assert!(missing.log.contains("rpc error: code = NotFound"));
    assert_eq!(missing.code, Code::from(22));
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broadcasts_parse_and_report_check_tx_refusals_as_codes() {
    let (server, _) = fake::serve(fake::Fake::default(), RpcConfig::default()).await;
    let c = client(&fake::url(&server));
    let ok = c.broadcast_tx_sync(b"good-1".to_vec()).await.unwrap();
    assert_eq!((ok.code, ok.hash), (Code::Ok, tx_hash(b"good-1")));
    let refused = c.broadcast_tx_sync(b"bad-1".to_vec()).await.unwrap();
    assert_eq!(refused.code, Code::from(5));
    assert_eq!(
        (refused.codespace.as_str(), refused.log.as_str()),
        ("sdk", "insufficient funds")
    );

    let asynchronous = c.broadcast_tx_async(b"good-2".to_vec()).await.unwrap();
    assert_eq!(asynchronous.hash, tx_hash(b"good-2"));

    let committed = c.broadcast_tx_commit(b"good-3".to_vec()).await.unwrap();
    assert_eq!(committed.check_tx.code, Code::Ok);
    assert_eq!(committed.tx_result.gas_used, 51_234);
    assert!(committed.height.value() > 3);
    let refused = c.broadcast_tx_commit(b"bad-2".to_vec()).await.unwrap();
    assert_eq!(
        (refused.check_tx.code, refused.height.value()),
        (Code::from(5), 0)
    );

    let full = c.broadcast_tx_sync(b"full".to_vec()).await.unwrap_err();
    assert!(full.to_string().contains("mempool is full"), "{full}");
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tx_and_tx_search_find_committed_txs() {
    let (server, _) = fake::serve(fake::with_txs(), RpcConfig::default()).await;
    let c = client(&fake::url(&server));
    let t = c.tx(tx_hash(b"tx-b"), false).await.unwrap();
    assert_eq!((t.height.value(), t.index, t.tx), (2, 1, b"tx-b".to_vec()));
    assert_eq!(t.tx_result.code, Code::from(5));
    assert_eq!(t.tx_result.events[0].kind, "transfer");

    let by_hash = c
        .tx_search(
            format!("tx.hash='{}'", tx_hash(b"tx-c")).parse().unwrap(),
            false,
            1,
            30,
            Order::Ascending,
        )
        .await
        .unwrap();
    assert_eq!(by_hash.total_count, 1);
    assert_eq!(by_hash.txs[0].height.value(), 3);

    let by_height = c
        .tx_search(
            "tx.height=2".parse().unwrap(),
            false,
            1,
            1,
            Order::Descending,
        )
        .await
        .unwrap();
    assert_eq!(by_height.total_count, 2);
    assert_eq!(by_height.txs.len(), 1, "one per page");
    assert_eq!(by_height.txs[0].index, 1, "descending");

    let by_event = c
        .tx_search(
            "tx.height>=1 AND transfer.recipient='wicas1abc'"
                .parse()
                .unwrap(),
            false,
            1,
            30,
            Order::Ascending,
        )
        .await
        .unwrap();
    assert_eq!(by_event.total_count, 3);
    let none = c
        .tx_search(
            format!("tx.hash='{}'", tx_hash(b"never")).parse().unwrap(),
            false,
            1,
            30,
            Order::Ascending,
        )
        .await
        .unwrap();
    assert_eq!((none.total_count, none.txs.len()), (0, 0));

    let missing = c.tx(tx_hash(b"never"), false).await.unwrap_err();
    assert!(missing.to_string().contains("not found"), "{missing}");
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn block_results_and_validators_parse() {
    let (server, _) = fake::serve(fake::with_txs(), RpcConfig::default()).await;
    let c = client(&fake::url(&server));
    let r = c.block_results(2u32).await.unwrap();
    assert_eq!(r.height.value(), 2);
    assert_eq!(r.txs_results.unwrap().len(), 2);
    assert_eq!(r.finalize_block_events[0].kind, "end");
    let v = c
        .validators(3u32, tendermint_rpc::Paging::Default)
        .await
        .unwrap();
    assert_eq!((v.total, v.validators.len()), (1, 1));
    let latest = c.latest_block_results().await.unwrap();
    assert_eq!(latest.height.value(), 3);
    server.shutdown().await.unwrap();
}
