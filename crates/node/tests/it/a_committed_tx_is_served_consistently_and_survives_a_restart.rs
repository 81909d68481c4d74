//! A one-validator chain started from a home with its RPC on a free port, read by tendermint-rpc's
//! `HttpClient` (CometBFT 0.38 dialect): a signed bank send goes through `broadcast_tx_commit`,
//! and `tx`, `tx_search`, `block`, `block_results`, `header`, `commit` and `validators` must
//! agree with each other and with CometBFT's hashing (header hash = block id, validator set hash
//! = header's `validators_hash`, the commit signs the block id). Then the node is stopped and
//! started again from the same home, and the tx must still be found (the index is on disk).
//! Bad input tried: a height above the chain, a tx hash never committed.

use tendermint::abci::Code;
use tendermint_rpc::{Client, Order, Paging};

use crate::rpc_support::{bank_send, client, fresh_home, http_get, options, wait_for_height};

const CHAIN_ID: &str = "wicas-rpc-test-1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_committed_tx_is_served_consistently_and_survives_a_restart() {
    let (_dir, home) = fresh_home(CHAIN_ID);

    let chain = wicas_node::start(&home, options()).await.unwrap();
    let c = client(chain.rpc.as_ref().unwrap().local_addr);
    wait_for_height(&c, 1).await;
    let status = c.status().await.unwrap();
    assert_eq!(status.node_info.network.as_str(), CHAIN_ID);
    assert!(status.node_info.version.to_string().starts_with("0.38."));
    assert!(status.validator_info.power.value() > 0);

    let tx = bank_send(&c, &home, CHAIN_ID).await;
    let done = c.broadcast_tx_commit(tx.clone()).await.unwrap();
    assert_eq!(done.check_tx.code, Code::Ok, "{}", done.check_tx.log);
    assert_eq!(done.tx_result.code, Code::Ok, "{}", done.tx_result.log);
    assert!(done.tx_result.events.iter().any(|e| e.kind == "transfer"));
    let height = done.height;

    let found = c.tx(done.hash, false).await.unwrap();
    assert_eq!((found.height, found.tx.clone()), (height, tx.clone()));
    let by_hash = c
        .tx_search(
            format!("tx.hash='{}'", done.hash).parse().unwrap(),
            false,
            1,
            30,
            Order::Ascending,
        )
        .await
        .unwrap();
    assert_eq!(by_hash.total_count, 1);
    let by_height = c
        .tx_search(
            format!("tx.height={height}").parse().unwrap(),
            false,
            1,
            30,
            Order::Ascending,
        )
        .await
        .unwrap();
    assert_eq!(by_height.txs[0].hash, done.hash);

    let block = c.block(height).await.unwrap();
    assert_eq!(block.block.data, vec![tx.clone()]);
    assert_eq!(
        block.block.header.hash(),
        block.block_id.hash,
        "block id = header hash"
    );
    let header = c.header(height).await.unwrap();
    assert_eq!(header.header, block.block.header);
    let results = c.block_results(height).await.unwrap();
    assert_eq!(
        results.txs_results.unwrap()[0].gas_used,
        done.tx_result.gas_used
    );
    let validators = c.validators(height, Paging::All).await.unwrap();
    let set = tendermint::validator::Set::new(validators.validators.clone(), None);
    assert_eq!(set.hash(), block.block.header.validators_hash);
    let commit = c.commit(height).await.unwrap();
    assert_eq!(commit.signed_header.header, block.block.header);
    assert_eq!(commit.signed_header.commit.block_id, block.block_id);
    assert_eq!(commit.signed_header.commit.height, height);
    let first = c.block(1u32).await.unwrap();
    assert!(first.block.last_commit.is_none());
    assert!(c.abci_info().await.unwrap().last_block_height.value() >= height.value());

    let far = tendermint::block::Height::try_from(height.value() + 1_000).unwrap();
    let future = c.block(far).await.unwrap_err();
    assert!(
        future.to_string().contains("must be less than or equal to"),
        "{future}"
    );
    let unknown = c
        .tx(tendermint::Hash::Sha256([7; 32]), false)
        .await
        .unwrap_err();
    assert!(unknown.to_string().contains("not found"), "{unknown}");

    chain.stop().await;
    let again = wicas_node::start(&home, options()).await.unwrap();
    let c = client(again.rpc.as_ref().unwrap().local_addr);
    wait_for_height(&c, height.value() + 1).await;
    let found = c.tx(done.hash, false).await.unwrap();
    assert_eq!((found.height, found.index, found.tx), (height, 0, tx));
    assert_eq!(found.tx_result.code, Code::Ok);
    let metrics = http_get(again.rpc.as_ref().unwrap().local_addr, "/metrics").await;
    assert!(metrics.contains("wicas_height "), "{metrics}");
    again.stop().await;
}
