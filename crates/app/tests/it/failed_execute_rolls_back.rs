//! A failing contract call leaves nothing behind: funds sent with it come back, earlier messages
//! of the same transaction are undone, and only the fee and sequence remain.

use serde_json::json;

use crate::node::{TestKey, TestNode, TxOpts, contract_wasm, genesis_with, msg_execute, msg_send};

#[test]
fn failed_execute_rolls_back() {
    let alice = TestKey::new("alice");
    let bob = TestKey::new("bob");
    let mut node = TestNode::new(&genesis_with(&[&alice, &bob], 1_000_000_000));
    let code_id = node.store(&alice, contract_wasm("cw20_base"));
    let token = node.instantiate(
        &alice,
        code_id,
        json!({ "name": "Wicas Token", "symbol": "WCT", "decimals": 6,
                "initial_balances": [{ "address": alice.bech32(), "amount": "1000" }], "mint": null }),
    );
    let ok = json!({ "transfer": { "recipient": bob.bech32(), "amount": "10" } });
    let bad = json!({ "transfer": { "recipient": bob.bech32(), "amount": "100000" } });
    let before_native = node.balance(&bob.address, "uwicas");
    let seq = node.account(&alice.address).unwrap().sequence;
    // bank send + good transfer + bad transfer (with funds attached) in one tx.
    let msgs = vec![
        msg_send(&alice, &bob.address, 7),
        msg_execute(&alice, &token, ok, 0),
        msg_execute(&alice, &token, bad, 5),
    ];
    let r = node.exec(node.sign(&alice, msgs, &TxOpts::gas(3_000_000)));
    assert_eq!(r.code, 5, "{}", r.log);
    assert_eq!(node.balance(&bob.address, "uwicas"), before_native);
    let bob_tokens = node
        .smart(&token, json!({ "balance": { "address": bob.bech32() } }))
        .unwrap();
    assert_eq!(bob_tokens["balance"], json!("0"));
    assert_eq!(
        node.balance(&wicas_app::Address::from_bech32(&token).unwrap(), "uwicas"),
        0
    );
    assert_eq!(
        node.account(&alice.address).unwrap().sequence,
        seq + 1,
        "the sequence is still bumped"
    );
    // A message to a contract that does not exist.
    let ghost = wicas_app::wasm::classic_address(9, 9).to_bech32();
    let r = node.exec(node.sign(
        &alice,
        vec![msg_execute(&alice, &ghost, json!({}), 0)],
        &TxOpts::gas(1_000_000),
    ));
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 8), "{}", r.log);
}
