//! cw20-base 2.0.0 from crates.io (only its lockfile updated) runs through the full state
//! machine: gzipped upload, instantiate with balances, transfer, overdraft refused, queries.

use serde_json::json;

use crate::node::{TestKey, TestNode, TxOpts, attr, contract_wasm, genesis_with, msg_execute};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn cw20_base_runs_unchanged() {
    let alice = TestKey::new("alice");
    let bob = TestKey::new("bob");
    let mut node = TestNode::new(&genesis_with(&[&alice, &bob], 1_000_000_000));
    let code_id = node.store(&alice, gzip(&contract_wasm("cw20_base")));
    assert_eq!(code_id, 1);
    let token = node.instantiate(
        &alice,
        code_id,
        json!({
            "name": "Wicas Token", "symbol": "WCT", "decimals": 6,
            "initial_balances": [{ "address": alice.bech32(), "amount": "1000" }],
            "mint": null, "marketing": null
        }),
    );
    assert_eq!(token, wicas_app::wasm::classic_address(1, 1).to_bech32());

    let transfer =
        |amount: &str| json!({ "transfer": { "recipient": bob.bech32(), "amount": amount } });
    let r = node.exec(node.sign(
        &alice,
        vec![msg_execute(&alice, &token, transfer("250"), 0)],
        &TxOpts::gas(2_000_000),
    ));
    assert!(r.is_ok(), "{}", r.log);
    assert_eq!(attr(&r, "wasm", "action").as_deref(), Some("transfer"));
    assert_eq!(
        attr(&r, "wasm", "_contract_address").as_deref(),
        Some(token.as_str())
    );
    assert_eq!(
        attr(&r, "execute", "_contract_address").as_deref(),
        Some(token.as_str())
    );

    // Overdraft: cw20's own error, a wasm code, nothing moved.
    let r = node.exec(node.sign(
        &alice,
        vec![msg_execute(&alice, &token, transfer("751"), 0)],
        &TxOpts::gas(2_000_000),
    ));
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 5), "{}", r.log);
    assert!(
        r.log.contains("Overflow") || r.log.contains("overflow") || r.log.contains("Cannot Sub"),
        "{}",
        r.log
    );

    let balance = |who: &TestKey| {
        node.smart(&token, json!({ "balance": { "address": who.bech32() } }))
            .unwrap()["balance"]
            .clone()
    };
    assert_eq!(balance(&alice), json!("750"));
    assert_eq!(balance(&bob), json!("250"));
    let info = node.smart(&token, json!({ "token_info": {} })).unwrap();
    assert_eq!(info["total_supply"], json!("1000"));
    let mut accounts: Vec<String> = serde_json::from_value(
        node.smart(&token, json!({ "all_accounts": {} })).unwrap()["accounts"].clone(),
    )
    .unwrap();
    accounts.sort();
    let mut expected = vec![alice.bech32(), bob.bech32()];
    expected.sort();
    assert_eq!(accounts, expected);
    // A bad query is a clear error, not a panic.
    assert!(
        node.smart(&token, json!({ "no_such_query": {} }))
            .unwrap_err()
            .contains("query wasm contract failed")
    );
}
