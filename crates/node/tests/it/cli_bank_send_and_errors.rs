//! A bank send through `wicasd tx` changes balances; every kind of bad input gets a clear error.

use crate::support::{Node, fails, free_port, ok_json, uwicas};

fn balance(node: &Node, who: &str) -> u128 {
    uwicas(&ok_json(&node.args(&["query", "bank", "balances", who])))
}

#[test]
fn a_bank_send_moves_funds_and_bad_input_gets_a_clear_error() {
    let node = Node::start();
    let bob = ok_json(&["keys", "add", "bob", "--home", &node.home])["address"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = balance(&node, "validator");

    let tx = ok_json(&node.args(&["tx", "bank", "send", "validator", &bob, "1234uwicas"]));
    assert_eq!(tx["code"], 0, "{tx}");
    assert!(tx["height"].as_u64().unwrap() >= 1);
    assert!(tx["gas_used"].as_i64().unwrap() > 0);
    assert_eq!(tx["gas_wanted"], 200_000);
    let transfer = tx["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "transfer")
        .any(|e| {
            e["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a[1] == "1234uwicas")
        });
    assert!(transfer, "{tx}");
    assert_eq!(balance(&node, &bob), 1234);
    // 200000 gas × 0.025uwicas = 5000uwicas fee.
    assert_eq!(balance(&node, "validator"), before - 1234 - 5000);

    let hash = tx["txhash"]
        .as_str()
        .or(tx["hash"].as_str())
        .unwrap()
        .to_owned();
    let found = ok_json(&node.args(&["query", "tx", &hash]));
    assert_eq!(found["height"], tx["height"]);
    assert_eq!(found["code"], 0);

    // Tried: an unknown signing key, a bad recipient, bad coins, an unreachable node, a fee
    // below the minimum (refused by check_tx), a send beyond the balance (fails in its block
    // and costs only the fee), a model registration by a key that is not the authority.
    let err = fails(&node.args(&["tx", "bank", "send", "nobody", &bob, "1uwicas"]));
    assert!(err.contains("no key named \"nobody\""), "{err}");
    let err = fails(&node.args(&[
        "tx",
        "bank",
        "send",
        "validator",
        "wicas1nothing",
        "1uwicas",
    ]));
    assert!(err.contains("neither a valid wicas address"), "{err}");
    let err = fails(&node.args(&["tx", "bank", "send", "validator", &bob, "1.5uwicas"]));
    assert!(err.contains("invalid coins"), "{err}");
    let nowhere = format!("http://127.0.0.1:{}", free_port());
    let err = fails(&["status", "--node", &nowhere]);
    assert!(err.contains("unreachable"), "{err}");
    let err = fails(&["query", "bank", "balances", &bob, "--node", &nowhere]);
    assert!(err.contains("unreachable"), "{err}");

    let err = fails(&node.args(&[
        "tx",
        "bank",
        "send",
        "validator",
        &bob,
        "1uwicas",
        "--fees",
        "1uwicas",
    ]));
    assert!(
        err.contains("rejected by check_tx") && err.contains("code 13"),
        "{err}"
    );
    assert_eq!(balance(&node, &bob), 1234, "a refused tx changes nothing");

    ok_json(&node.args(&["tx", "bank", "send", "validator", &bob, "100000uwicas"]));
    let err = fails(&node.args(&["tx", "bank", "send", "bob", "validator", "1000000uwicas"]));
    assert!(
        err.contains("failed in block") && err.contains("insufficient"),
        "{err}"
    );
    assert_eq!(
        balance(&node, &bob),
        101_234 - 5000,
        "only the fee was taken"
    );
}
