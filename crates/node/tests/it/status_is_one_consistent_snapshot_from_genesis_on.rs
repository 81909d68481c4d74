//! `status` polled without pause from before block 1 until block 4, while the chain produces
//! blocks: every answer must parse as tendermint-rpc's `status::Response`, and from height 1 on
//! its `sync_info` must describe one committed block: non-empty hashes (CosmJS refuses empty
//! ones), the block id, header app hash and time of the `block` at that height, an app that has
//! committed that height (`abci_info`), and as `latest_app_hash` the state root after the
//! height before (CometBFT's header `app_hash`; the genesis root at height 1).

use tendermint_rpc::Client;
use tendermint_rpc::endpoint::status;

use crate::rpc_support::{client, fresh_home, http_get, options};

const CHAIN_ID: &str = "wicas-status-test-1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_is_one_consistent_snapshot_from_genesis_on() {
    let (_dir, home) = fresh_home(CHAIN_ID);
    let chain = wicas_node::start(&home, options()).await.unwrap();
    let addr = chain.rpc.as_ref().unwrap().local_addr;
    let c = client(addr);

    let mut answers = Vec::new();
    let started = std::time::Instant::now();
    loop {
        assert!(started.elapsed().as_secs() < 60, "no block 4 within 60 s");
        let raw = http_get(addr, "/status").await;
        let body = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        let json: serde_json::Value =
            serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {raw}"));
        let sync = &json["result"]["sync_info"];
        let height: u64 = sync["latest_block_height"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        if height >= 1 {
            for field in [
                "latest_block_hash",
                "latest_app_hash",
                "latest_block_time",
                "earliest_block_hash",
                "earliest_app_hash",
            ] {
                assert!(
                    !sync[field].as_str().unwrap_or("").is_empty(),
                    "{field} is empty at height {height}: {sync}"
                );
            }
            // Right now, before the next block can land: the app has committed this height.
            let info = c.abci_info().await.unwrap();
            assert!(
                info.last_block_height.value() >= height,
                "status says {height}, the app is at {}",
                info.last_block_height
            );
        }
        let parsed: status::Response = serde_json::from_value(json["result"].clone())
            .unwrap_or_else(|e| panic!("tendermint-rpc refuses {json}: {e}"));
        answers.push(parsed);
        if height >= 4 {
            break;
        }
    }
    assert!(
        answers
            .iter()
            .any(|a| a.sync_info.latest_block_height.value() == 1),
        "never saw height 1: the poll started too late to test the first block"
    );

    // Each answer against the blocks it names (stored and final, so read afterwards).
    let genesis_root = c.block(1u32).await.unwrap().block.header.app_hash;
    for a in answers
        .iter()
        .filter(|a| a.sync_info.latest_block_height.value() > 0)
    {
        let s = &a.sync_info;
        let h = s.latest_block_height;
        let block = c.block(h).await.unwrap();
        assert_eq!(s.latest_block_hash, block.block_id.hash, "at {h}");
        assert_eq!(s.latest_app_hash, block.block.header.app_hash, "at {h}");
        assert_eq!(s.latest_block_time, block.block.header.time, "at {h}");
        let root_before = if h.value() == 1 {
            genesis_root.clone()
        } else {
            let before = tendermint::block::Height::try_from(h.value() - 1).unwrap();
            c.block_results(before).await.unwrap().app_hash
        };
        assert_eq!(s.latest_app_hash, root_before, "at {h}");
        assert_eq!(s.earliest_block_height.value(), 1);
    }
    chain.stop().await;
}
