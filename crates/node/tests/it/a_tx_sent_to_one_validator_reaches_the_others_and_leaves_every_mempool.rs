//! Mempool gossip between validators started in this process from a `wicasd testnet`.
//!
//! While only 2 of 4 validators run (20 of 40 power: no quorum, nothing commits) the network is
//! up, so what reaches a mempool can only have come by gossip: a tx sent to node0 must show up
//! in node1's mempool. Two txs that spend the same sequence of one account, one sent to each
//! node, are each refused by the other node's `check_tx` when gossiped (bad input tried: a
//! conflicting double spend; a tx to a node whose mempool is full, refused with "mempool full").
//! Once the other two validators start, the chain commits exactly one of the pair plus the
//! gossiped tx, and every mempool ends empty: included txs are removed, the loser is evicted by
//! re-checking against the new state.

use std::time::{Duration, Instant};

use cosmos_sdk_proto::cosmos::auth::v1beta1::{
    BaseAccount, QueryAccountRequest, QueryAccountResponse,
};
use prost::Message;
use wicas_client::{AccountKey, Coin, Fee, GasPrice, SignerData, msgs, sign_tx};
use wicas_node::{
    Home, MempoolConfig, NodeHandle, RunningChain, StartOptions, TestnetPlan, TxHash, tx_hash,
    write_testnet,
};

use crate::four_validators_agree_and_a_killed_one_catches_up::free_base_port;

const CHAIN: &str = "wicas-gossip-1";

fn account_number(node: &NodeHandle, address: &str) -> u64 {
    let req = QueryAccountRequest {
        address: address.to_owned(),
    };
    let r = node
        .query("/cosmos.auth.v1beta1.Query/Account", &req.encode_to_vec())
        .unwrap();
    assert_eq!(r.code, 0, "{}", r.log);
    let any = QueryAccountResponse::decode(r.value.as_slice())
        .unwrap()
        .account
        .unwrap();
    BaseAccount::decode(any.value.as_slice())
        .unwrap()
        .account_number
}

fn in_mempool(node: &NodeHandle, hash: &TxHash) -> bool {
    node.lock().unwrap().mempool.contains(hash)
}

fn wait_until(what: &str, limit: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_tx_sent_to_one_validator_reaches_the_others_and_leaves_every_mempool() {
    let dir = tempfile::tempdir().unwrap();
    let plan = TestnetPlan {
        validators: 4,
        accounts: 1,
        chain_id: CHAIN.into(),
        output: dir.path().to_owned(),
        base_port: free_base_port(4),
        genesis_time_unix: 1_764_000_000,
    };
    let homes: Vec<Home> = write_testnet(&plan)
        .unwrap()
        .into_iter()
        .map(|n| Home::new(n.home))
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let start = |home: &Home, mempool: MempoolConfig| -> RunningChain {
        let options = StartOptions {
            mempool,
            ..StartOptions::default()
        };
        runtime.block_on(wicas_node::start(home, options)).unwrap()
    };
    let small = MempoolConfig {
        max_txs: 2,
        ..MempoolConfig::default()
    };
    let c0 = start(&homes[0], MempoolConfig::default());
    let c1 = start(&homes[1], small);
    let (n0, n1) = (c0.node.clone(), c1.node.clone());

    let user = homes[0].key("user0").unwrap();
    let key = AccountKey::from_secret_hex(&user.priv_key).unwrap();
    let number = account_number(&n0, &user.address);
    let to = homes[1].key("validator").unwrap().address;
    let fee = Fee::at_price(
        100_000,
        &GasPrice {
            numerator: 25,
            denominator: 1000,
            denom: "uwicas".into(),
        },
    );
    let send = |sequence: u64, amount: u128| {
        let signer = SignerData {
            chain_id: CHAIN.into(),
            account_number: number,
            sequence,
        };
        let msg = msgs::bank_send(&user.address, &to, &[Coin::new(amount, "uwicas")]);
        sign_tx(&key, vec![msg], "", &fee, &signer)
    };

    // Gossip is fire-and-forget: give libp2p time to connect the two (and subscribe) first.
    std::thread::sleep(Duration::from_secs(5));
    // Gossip with no quorum: node0's tx reaches node1.
    let first = send(0, 5);
    let first_hash = tx_hash(&first);
    n0.submit(first).unwrap();
    wait_until("gossip to node1", Duration::from_secs(30), || {
        in_mempool(&n1, &first_hash)
    });

    // A double spend of sequence 1: each node keeps its own and refuses the other's gossip.
    let (a, b) = (send(1, 7), send(1, 8));
    let (a_hash, b_hash) = (tx_hash(&a), tx_hash(&b));
    n0.submit(a.clone()).unwrap();
    n1.submit(b.clone()).unwrap();
    assert!(
        n0.submit(b).is_err(),
        "node0 refuses the second spend of sequence 1"
    );
    std::thread::sleep(Duration::from_secs(2));
    assert!(in_mempool(&n0, &a_hash) && !in_mempool(&n0, &b_hash));
    assert!(in_mempool(&n1, &b_hash) && !in_mempool(&n1, &a_hash));
    // node1 holds 2 txs, its limit.
    let refused = n1.submit(send(2, 9)).unwrap_err();
    assert!(refused.to_string().contains("mempool full"), "{refused}");

    // Quorum: the others join, blocks commit, every mempool empties.
    let c2 = start(&homes[2], MempoolConfig::default());
    let c3 = start(&homes[3], MempoolConfig::default());
    let nodes = [n0.clone(), n1.clone(), c2.node.clone(), c3.node.clone()];
    let spent = |h: &TxHash| n0.committed(h).unwrap().is_some();
    wait_until(
        "sequences 0 and 1 committed",
        Duration::from_secs(90),
        || spent(&first_hash) && (spent(&a_hash) || spent(&b_hash)),
    );
    assert!(
        !(spent(&a_hash) && spent(&b_hash)),
        "one spend of a sequence"
    );
    wait_until("every mempool empty", Duration::from_secs(60), || {
        nodes.iter().all(|n| n.mempool_len().unwrap() == 0)
    });
    for c in [c0, c1, c2, c3] {
        runtime.block_on(c.stop());
    }
}
