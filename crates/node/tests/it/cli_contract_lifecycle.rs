//! A contract's life through the CLI: store, instantiate, execute, smart and raw queries,
//! migrate; and the errors of a bad code id, bad JSON and a failing execute.

use crate::support::{Node, contract, fails, ok, ok_json};

#[test]
fn a_contract_is_stored_instantiated_executed_queried_and_migrated() {
    let node = Node::start();
    let wasm = contract("nameservice_ai");
    let wasm = wasm.to_str().unwrap();

    let stored = ok_json(&node.args(&[
        "tx",
        "wasm",
        "store",
        wasm,
        "--from",
        "validator",
        "--gas",
        "auto",
    ]));
    let code_id = stored["code_id"].as_u64().expect("code id");
    let code = code_id.to_string();

    let init = r#"{"purchase_price":null,"transfer_price":null,"model":"sha256:0000000000000000000000000000000000000000000000000000000000000000","max_tokens":8}"#;
    let inst = ok_json(&node.args(&[
        "tx",
        "wasm",
        "instantiate",
        &code,
        init,
        "--label",
        "ns",
        "--admin",
        "validator",
        "--from",
        "validator",
        "--gas",
        "auto",
    ]));
    let addr = inst["contract_address"]
        .as_str()
        .expect("address")
        .to_owned();
    assert!(addr.starts_with("wicas1"));

    let exec = ok_json(&node.args(&[
        "tx",
        "wasm",
        "execute",
        &addr,
        r#"{"register":{"name":"alice"}}"#,
        "--from",
        "validator",
        "--gas",
        "auto",
    ]));
    assert_eq!(exec["code"], 0);
    let validator = ok(&["keys", "show", "validator", "-a", "--home", &node.home]);
    let owner = ok_json(&node.args(&[
        "query",
        "wasm",
        "contract-state",
        "smart",
        &addr,
        r#"{"resolve_record":{"name":"alice"}}"#,
    ]));
    assert_eq!(owner["data"]["address"], validator.trim());
    // Text output of a smart query is the answer itself.
    let text = ok(&node.args(&[
        "query",
        "wasm",
        "contract-state",
        "smart",
        &addr,
        r#"{"config":{}}"#,
    ]));
    let config: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(config["max_tokens"], 8);
    // Raw: cw-storage-plus `Item` keys are their names.
    let raw = ok(&node.args(&[
        "query",
        "wasm",
        "contract-state",
        "raw",
        &addr,
        "config",
        "--ascii",
    ]));
    assert!(raw.contains("max_tokens"), "{raw}");

    // Tried: a second registration of the same name (the contract refuses: fails in its block),
    // a missing code id, JSON that does not parse, a contract address that is not one.
    let err = fails(&node.args(&[
        "tx",
        "wasm",
        "execute",
        &addr,
        r#"{"register":{"name":"alice"}}"#,
        "--from",
        "validator",
        "--gas",
        "2000000",
    ]));
    assert!(err.contains("failed in block"), "{err}");
    let err = fails(&node.args(&[
        "tx",
        "wasm",
        "instantiate",
        "999",
        init,
        "--label",
        "x",
        "--no-admin",
        "--from",
        "validator",
        "--gas",
        "auto",
    ]));
    assert!(err.contains("simulation failed"), "{err}");
    let err = fails(&node.args(&[
        "tx",
        "wasm",
        "execute",
        &addr,
        "{not json",
        "--from",
        "validator",
    ]));
    assert!(err.contains("not valid JSON"), "{err}");
    let err = fails(&node.args(&["query", "wasm", "contract-state", "smart", "wicas1xx", "{}"]));
    assert!(err.contains("not a valid wicas address"), "{err}");

    // Migrate to the same code: the admin may, the contract decides (nameservice-ai has no
    // migrate entry point, so the chain reports the VM's refusal as a failed tx).
    let out = crate::support::run(&node.args(&[
        "tx",
        "wasm",
        "migrate",
        &addr,
        &code,
        "{}",
        "--from",
        "validator",
        "--gas",
        "2000000",
        "--output",
        "json",
    ]));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        printed["height"].as_u64().unwrap() > 0,
        "the migrate tx was included"
    );
}
