//! Synchronous inference from a contract, end to end with the real engine and SmolLM2-135M:
//! the nameservice-ai contract asks the model to describe a name record inside its transaction.
//!
//! Bad input tried: too little gas for the inference, an unregistered model hash, a prompt over
//! the `max_prompt_tokens` limit, a registered model this node has no file for.

use std::sync::{Arc, OnceLock};

use serde_json::json;
use sha2::{Digest, Sha256};
use wicas_app::ai::{
    AiGenesis, AiParams, ModelRecord, ModelRegistry, inference_seed, model_id, suggested_prices,
};
use wicas_app::{Address, Genesis};
use wicas_infer::{
    ChatMessage, Engine, EngineOptions, GenerateRequest, LlamaEngine, Prompt, SamplingParams,
};

use crate::node::{TestKey, TestNode, TxOpts, contract_wasm, genesis_with, msg_execute};

const MODEL_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";
const MAX_TOKENS: u32 = 12;

struct Model {
    engine: Arc<LlamaEngine>,
    sha256: [u8; 32],
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let dir = std::env::var("WICAS_MODEL_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| {
                std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default())
                    .join(".cache/wicas/models")
            });
        let path = dir.join(MODEL_FILE);
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run scripts/fetch-model smollm2", path.display()));
        let sha256: [u8; 32] = Sha256::digest(&bytes).into();
        drop(bytes);
        let engine = LlamaEngine::load(&path, EngineOptions::default()).expect("load SmolLM2");
        Model {
            engine: Arc::new(engine),
            sha256,
        }
    })
}

fn record(m: &Model) -> ModelRecord {
    let (prefill_price, decode_price) = suggested_prices(m.engine.model_info().weight_bytes);
    ModelRecord {
        sha256: hex::encode(m.sha256),
        name: "SmolLM2-135M-Instruct".into(),
        architecture: "llama".into(),
        prefill_price,
        decode_price,
    }
}

struct Setup {
    node: TestNode,
    alice: TestKey,
    contract: String,
}

/// A chain with the model registered at genesis (`params` tweaks), the nameservice instantiated
/// for model `model_hash`, and the name "wicas" registered to alice.
fn setup(params: AiParams, with_engine: bool, model_hash: [u8; 32]) -> Setup {
    let m = model();
    let alice = TestKey::new("alice");
    let base = genesis_with(&[&alice], 10_000_000_000);
    let genesis = Genesis {
        ai: AiGenesis {
            params,
            models: vec![record(m)],
        },
        ..base
    };
    let registry = ModelRegistry::default();
    if with_engine {
        registry.insert(m.sha256, m.engine.clone());
    }
    let mut node = TestNode::with_config(&genesis, Some(Arc::new(registry)));
    let code = node.store(&alice, contract_wasm("nameservice_ai"));
    let contract = node.instantiate(
        &alice,
        code,
        json!({ "purchase_price": null, "transfer_price": null, "model": model_id(&model_hash), "max_tokens": MAX_TOKENS }),
    );
    let r = node.exec(node.sign(
        &alice,
        vec![msg_execute(
            &alice,
            &contract,
            json!({ "register": { "name": "wicas" } }),
            0,
        )],
        &TxOpts::gas(2_000_000),
    ));
    assert!(r.is_ok(), "register: {}", r.log);
    Setup {
        node,
        alice,
        contract,
    }
}

fn describe(s: &mut Setup, gas: u64) -> wicas_app::TxResult {
    let msg = msg_execute(
        &s.alice,
        &s.contract,
        json!({ "describe": { "name": "wicas" } }),
        0,
    );
    let tx = s.node.sign(&s.alice, vec![msg], &TxOpts::gas(gas));
    s.node.exec(tx)
}

fn description(s: &Setup) -> serde_json::Value {
    s.node
        .smart(&s.contract, json!({ "description": { "name": "wicas" } }))
        .unwrap()["description"]
        .clone()
}

#[test]
fn nameservice_describe_gets_an_llm_answer() {
    let mut s = setup(AiParams::default(), true, model().sha256);
    let r = describe(&mut s, 20_000_000);
    assert!(r.is_ok(), "{}", r.log);
    let d = description(&s);
    let text = d["text"].as_str().unwrap();
    assert!(!text.trim().is_empty(), "empty answer");
    assert_eq!(d["digest"].as_str().unwrap().len(), 64);
    assert_eq!(d["height"], json!(s.node.height));
    assert_eq!(d["owner"], json!(s.alice.bech32()));
}

#[test]
fn a_contract_gets_the_same_answer_as_wicasd_infer() {
    let mut s = setup(AiParams::default(), true, model().sha256);
    let r = describe(&mut s, 20_000_000);
    assert!(r.is_ok(), "{}", r.log);
    let d = description(&s);
    // The same request straight to the engine, seeded as the chain seeds it: the block's hash
    // (the test node uses SHA-256 of the height), the contract, call index 0 of the block.
    let block_hash: [u8; 32] = Sha256::digest(s.node.height.to_be_bytes()).into();
    let contract = Address::from_bech32(&s.contract).unwrap();
    let owner = s.alice.bech32();
    let request = GenerateRequest {
        prompt: Prompt::Chat(vec![
            ChatMessage {
                role: "system".into(),
                content: "You describe name records in one short sentence.".into(),
            },
            ChatMessage {
                role: "user".into(),
                content: format!(
                    "The name \"wicas\" is registered on the wicas chain to the address {owner}. Describe this record."
                ),
            },
        ]),
        max_tokens: MAX_TOKENS,
        sampling: SamplingParams::GREEDY,
        seed: inference_seed(&block_hash, &contract, 0),
    };
    let direct = model().engine.generate(&request).unwrap();
    assert_eq!(d["text"].as_str().unwrap(), direct.text);
    assert_eq!(d["digest"].as_str().unwrap(), hex::encode(direct.digest));
}

#[test]
fn out_of_gas_inference_changes_nothing() {
    let mut s = setup(AiParams::default(), true, model().sha256);
    let before = s
        .node
        .smart(&s.contract, json!({ "description": { "name": "wicas" } }))
        .unwrap();
    // Enough for the contract call, far too little for 12 tokens of decode.
    let r = describe(&mut s, 1_500_000);
    assert_ne!(r.code, 0);
    assert!(r.log.contains("out of gas"), "{}", r.log);
    assert!(
        r.log.contains("inference needs"),
        "refused before any work: {}",
        r.log
    );
    assert_eq!(
        s.node
            .smart(&s.contract, json!({ "description": { "name": "wicas" } }))
            .unwrap(),
        before
    );
}

#[test]
fn unknown_model_hash_is_a_clear_error() {
    let unknown = [0x42; 32];
    let mut s = setup(AiParams::default(), true, unknown);
    let r = describe(&mut s, 20_000_000);
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 5), "{}", r.log);
    assert!(
        r.log
            .contains(&format!("unknown model {}", model_id(&unknown))),
        "{}",
        r.log
    );
    assert!(description(&s).is_null());
}

#[test]
fn prompt_over_the_limit_is_rejected() {
    let params = AiParams {
        max_prompt_tokens: 10,
        ..AiParams::default()
    };
    let mut s = setup(params, true, model().sha256);
    let r = describe(&mut s, 20_000_000);
    assert_ne!(r.code, 0);
    assert!(r.log.contains("tokens, the limit is 10"), "{}", r.log);
    assert!(description(&s).is_null());
}

#[test]
fn a_validator_without_the_model_file_stops_instead_of_diverging() {
    let mut s = setup(AiParams::default(), false, model().sha256);
    assert_eq!(s.node.app.unavailable_models().unwrap().len(), 1);
    let msg = msg_execute(
        &s.alice,
        &s.contract,
        json!({ "describe": { "name": "wicas" } }),
        0,
    );
    let tx = s.node.sign(&s.alice, vec![msg], &TxOpts::gas(20_000_000));
    let before = s.node.app_hash();
    s.node
        .app
        .begin_block(wicas_app::BlockInfo {
            height: s.node.height + 1,
            time_unix_nanos: 0,
            chain_id: crate::node::CHAIN_ID.into(),
            block_hash: [1; 32],
            proposer: vec![],
        })
        .unwrap();
    let err = s.node.app.deliver_tx(&tx).unwrap_err();
    assert!(err.to_string().contains("cannot load it"), "{err}");
    assert!(
        s.node.app.commit().is_err(),
        "the block cannot be committed"
    );
    assert_eq!(s.node.app_hash(), before);
}
