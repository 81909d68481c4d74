//! `SubMsg::gas_limit` as wasmd applies it: a limited submessage runs on its own meter; running
//! out of it fails only that submessage (its writes are dropped, the parent pays the whole limit,
//! a reply on error sees "SubMsg hit gas limit"), while the transaction's own gas running out
//! fails the transaction whatever the reply mode. Driven by `contracts/submsg-probe`, which
//! executes itself as a submessage and records the reply it gets.

use base64::Engine as _;
use serde_json::{Value, json};

use crate::node::{TestKey, TestNode, TxOpts, contract_wasm, genesis_with, msg_execute};

const ROUNDS: u32 = 100;

struct Probe {
    node: TestNode,
    alice: TestKey,
    contract: String,
}

impl Probe {
    fn new() -> Self {
        let alice = TestKey::new("alice");
        let mut node = TestNode::new(&genesis_with(&[&alice], 1_000_000_000_000));
        let code = node.store(&alice, contract_wasm("submsg_probe"));
        let contract = node.instantiate(&alice, code, json!({}));
        Self {
            node,
            alice,
            contract,
        }
    }

    fn run(&mut self, msg: Value, gas: u64) -> wicas_app::TxResult {
        let m = msg_execute(&self.alice, &self.contract, msg, 0);
        let tx = self.node.sign(&self.alice, vec![m], &TxOpts::gas(gas));
        self.node.exec(tx)
    }

    fn call(&mut self, gas_limit: Option<u64>, reply_on: &str, tx_gas: u64) -> wicas_app::TxResult {
        let spin = json!({ "spin": { "rounds": ROUNDS } }).to_string();
        let msg = base64::engine::general_purpose::STANDARD.encode(spin);
        let call = json!({ "call": { "msg": msg, "gas_limit": gas_limit, "reply_on": reply_on } });
        self.run(call, tx_gas)
    }

    fn spins(&self) -> Value {
        self.node
            .smart(&self.contract, json!({ "spins": {} }))
            .unwrap()
    }

    fn last_reply(&self) -> Value {
        self.node
            .smart(&self.contract, json!({ "last_reply": {} }))
            .unwrap()
    }
}

#[test]
fn submessage_gas_limit_bounds_only_the_submessage() {
    let mut p = Probe::new();
    // What the work costs when a transaction does it directly.
    let direct = p.run(json!({ "spin": { "rounds": ROUNDS } }), 10_000_000);
    assert!(direct.is_ok(), "{}", direct.log);
    assert_eq!(p.spins(), json!(1));
    let cost = direct.gas_used;

    // A limit a quarter of the cost: the submessage runs out, the reply sees it, the tx succeeds,
    // the spin's writes are gone and the tx paid the whole limit.
    let limit = cost / 4;
    let r = p.call(Some(limit), "error", 10_000_000);
    assert!(r.is_ok(), "{}", r.log);
    let reply = p.last_reply();
    assert_eq!(reply["id"], json!(7));
    let error = reply["error"].as_str().expect("an error reply");
    assert!(error.contains("SubMsg hit gas limit"), "{error}");
    assert_eq!(reply["gas_used"], json!(limit));
    assert_eq!(
        p.spins(),
        json!(1),
        "the out-of-gas submessage's writes are dropped"
    );
    assert!(
        r.gas_used > limit,
        "the parent pays the limit: {}",
        r.gas_used
    );
    assert!(r.gas_used < cost, "but no more: {} vs {cost}", r.gas_used);

    // Enough limit: the submessage succeeds, spends less than its limit, and replies with it.
    let r = p.call(Some(cost * 2), "always", 10_000_000);
    assert!(r.is_ok(), "{}", r.log);
    let reply = p.last_reply();
    assert_eq!(reply["error"], Value::Null);
    let used = reply["gas_used"].as_u64().unwrap();
    assert!(
        used > limit && used < cost * 2,
        "gas_used {used}, cost {cost}"
    );
    assert_eq!(p.spins(), json!(2));

    // Out of its limit with no reply on error: the whole tx fails with out of gas (sdk 11), and
    // nothing of it stays.
    let before = p.last_reply();
    let r = p.call(Some(limit), "success", 10_000_000);
    assert_eq!((r.codespace.as_str(), r.code), ("sdk", 11), "{}", r.log);
    assert!(r.log.contains("SubMsg hit gas limit"), "{}", r.log);
    assert_eq!(p.spins(), json!(2));
    assert_eq!(p.last_reply(), before);

    // No limit, and the transaction's own gas runs out inside the submessage: a reply on error
    // cannot catch that; the tx fails out of gas and changes nothing.
    let r = p.call(None, "error", cost / 2);
    assert_eq!((r.codespace.as_str(), r.code), ("sdk", 11), "{}", r.log);
    assert!(!r.log.contains("SubMsg hit gas limit"), "{}", r.log);
    assert_eq!(p.spins(), json!(2));
    assert_eq!(p.last_reply(), before);

    // A limit larger than what the tx has left: the parent runs out while paying, which is the
    // transaction's out of gas, not the submessage's.
    let r = p.call(Some(cost * 10), "error", cost / 2);
    assert_eq!((r.codespace.as_str(), r.code), ("sdk", 11), "{}", r.log);
    assert!(!r.log.contains("SubMsg hit gas limit"), "{}", r.log);
    assert_eq!(p.spins(), json!(2));
    assert_eq!(p.last_reply(), before);
}
