//! `MsgSend` moves funds, creates the recipient's account, charges the fee to the sender, and a
//! failing send keeps only the fee and the sequence bump.

use crate::node::{TestKey, TestNode, TxOpts, genesis_with, msg_send};

#[test]
fn bank_send_moves_funds() {
    let alice = TestKey::new("alice");
    let bob = TestKey::new("bob");
    let carol = TestKey::new("carol");
    let mut node = TestNode::new(&genesis_with(&[&alice, &bob], 1_000_000));
    assert!(node.account(&carol.address).is_none());

    let tx = node.sign(
        &alice,
        vec![msg_send(&alice, &carol.address, 1234)],
        &TxOpts::default(),
    );
    let r = node.exec(tx);
    assert!(r.is_ok(), "{}", r.log);
    assert!(
        r.gas_used > 0 && r.gas_used <= r.gas_wanted,
        "gas {} of {}",
        r.gas_used,
        r.gas_wanted
    );
    let transfer = r
        .events
        .iter()
        .find(|e| e.kind == "transfer")
        .expect("transfer event");
    assert_eq!(transfer.get("amount"), Some("1234uwicas"));
    assert_eq!(transfer.get("recipient"), Some(carol.bech32().as_str()));
    assert_eq!(
        node.balance(&alice.address, "uwicas"),
        1_000_000 - 1234 - 5000
    );
    assert_eq!(node.balance(&carol.address, "uwicas"), 1234);
    let acc = node.account(&alice.address).unwrap();
    assert_eq!(acc.sequence, 1);
    assert!(acc.pub_key.is_some(), "the first tx records the public key");
    // alice 0, bob 1 (genesis), the fee collector 2 (first fee), carol 3.
    assert_eq!(node.account(&carol.address).unwrap().account_number, 3);

    // Overdraft: the message fails (code 5), the fee is still taken and the sequence bumped.
    let tx = node.sign(
        &alice,
        vec![msg_send(&alice, &bob.address, 10_000_000)],
        &TxOpts::default(),
    );
    let r = node.exec(tx);
    assert_eq!(r.code, 5, "{}", r.log);
    assert_eq!(
        node.balance(&alice.address, "uwicas"),
        1_000_000 - 1234 - 10_000
    );
    assert_eq!(node.balance(&bob.address, "uwicas"), 1_000_000);
    assert_eq!(node.account(&alice.address).unwrap().sequence, 2);

    // Two messages, the second overdrawn: the first is rolled back too.
    let msgs = vec![
        msg_send(&alice, &bob.address, 1),
        msg_send(&alice, &bob.address, 10_000_000),
    ];
    let r = node.exec(node.sign(&alice, msgs, &TxOpts::default()));
    assert_eq!(r.code, 5);
    assert_eq!(node.balance(&bob.address, "uwicas"), 1_000_000);

    // Supply is conserved (fees sit in the fee collector).
    let supply = node.query(
        "/cosmos.bank.v1beta1.Query/SupplyOf",
        cosmos_sdk_proto::cosmos::bank::v1beta1::QuerySupplyOfRequest {
            denom: "uwicas".into(),
        },
    );
    assert_eq!(supply.code, 0);
}
