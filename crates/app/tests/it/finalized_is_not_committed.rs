//! Finalize is not commit: a block whose app hash was computed (`App::finalize`) but never
//! written (`App::commit`) is gone after a reopen, the app resumes at the last committed height
//! with the same app hash, balances and sequences, and the lost block can be executed again.
//! (`state_survives_kill_and_reopen` does the same with real SIGKILLs of a child process.)

use wicas_store::Storage;

use crate::node::{TestKey, TestNode, TxOpts, genesis_with, msg_send};

#[test]
fn a_finalized_but_uncommitted_block_is_gone_after_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let alice = TestKey::new("alice");
    let bob = TestKey::new("bob");
    let genesis = genesis_with(&[&alice, &bob], 1_000_000);

    let (hash, height) = {
        let mut node = TestNode::with_storage(
            Storage::open(&path).unwrap(),
            &genesis,
            wicas_app::AppConfig::new(dir.path().join("wasm")).unwrap(),
        );
        for i in 0..3 {
            let tx = node.sign(
                &alice,
                vec![msg_send(&alice, &bob.address, 100 + i)],
                &TxOpts::default(),
            );
            assert!(node.exec(tx).is_ok());
        }
        let committed = (node.app_hash(), node.height);
        // A fourth block is executed and finalized (its app hash computed) but never
        // committed: the process dies here.
        let tx = node.sign(
            &alice,
            vec![msg_send(&alice, &bob.address, 999)],
            &TxOpts::default(),
        );
        node.app
            .begin_block(wicas_app::BlockInfo {
                height: node.height + 1,
                time_unix_nanos: 0,
                chain_id: crate::node::CHAIN_ID.into(),
                block_hash: [9; 32],
                proposer: vec![],
            })
            .unwrap();
        assert!(node.app.deliver_tx(&tx).unwrap().is_ok());
        node.app.end_block().unwrap();
        let finalized = node.app.finalize().unwrap();
        assert_eq!(finalized.height, 4);
        assert_ne!(finalized.app_hash, committed.0, "the block changed state");
        assert_eq!(node.app.info().last_height, 3, "finalized is not committed");
        assert!(
            node.app
                .begin_block(wicas_app::BlockInfo {
                    height: 5,
                    time_unix_nanos: 0,
                    chain_id: crate::node::CHAIN_ID.into(),
                    block_hash: [9; 32],
                    proposer: vec![],
                })
                .is_err(),
            "no next block before the finalized one is committed"
        );
        committed
    };
    assert_eq!(height, 3);

    let mut node = TestNode::reopen(Storage::open(&path).unwrap(), &dir.path().join("wasm"));
    let info = node.app.info();
    assert_eq!(info.last_height, 3);
    assert_eq!(info.last_app_hash, hash);
    assert_eq!(info.chain_id.as_deref(), Some(crate::node::CHAIN_ID));
    assert_eq!(
        node.balance(&bob.address, "uwicas"),
        1_000_000 + 100 + 101 + 102
    );
    assert_eq!(node.account(&alice.address).unwrap().sequence, 3);
    // The chain goes on from height 4, and the uncommitted tx can be delivered again.
    let tx = node.sign(
        &alice,
        vec![msg_send(&alice, &bob.address, 999)],
        &TxOpts::default(),
    );
    let r = node.exec(tx);
    assert!(r.is_ok(), "{}", r.log);
    assert_eq!(node.app.info().last_height, 4);
    // Queries at a past height see the past.
    let past = node.app.query(
        "/cosmos.bank.v1beta1.Query/Balance",
        &prost::Message::encode_to_vec(
            &cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceRequest {
                address: bob.bech32(),
                denom: "uwicas".into(),
            },
        ),
        1,
    );
    assert_eq!(past.code, 0, "{}", past.log);
    assert_eq!(past.height, 1);
    let coin =
        <cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceResponse as prost::Message>::decode(
            past.value.as_slice(),
        )
        .unwrap()
        .balance
        .unwrap();
    assert_eq!(coin.amount, (1_000_000 + 100).to_string());
    // Genesis twice is refused.
    assert!(matches!(
        node.app.init_chain(&genesis),
        Err(wicas_app::AppError::AlreadyInitialized(_))
    ));
}
