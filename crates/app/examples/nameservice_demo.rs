//! The README's first command, until the networked node has its RPC and CLI (issue 5):
//! a one-validator chain run in-process — the real state machine on the real redb store, signed
//! Cosmos SDK transactions, the real cosmwasm-vm and engine — where the `nameservice-ai` contract
//! asks SmolLM2 to describe a name record and stores the answer.
//!
//! Blocks are produced by the in-process test block producer (no network, no malachite); the same
//! app runs under malachite in `wicasd start`.
//!
//! `scripts/demo` runs it: `cargo run -p wicas-app --example nameservice_demo`.

#[allow(dead_code)] // reason: the integration tests' in-process block producer; the demo uses part of it
#[path = "../tests/it/node.rs"]
mod node;

use std::sync::Arc;

use anyhow::{Context, Result, ensure};
use node::{TestKey, TestNode, TxOpts, contract_wasm, genesis_with, msg_execute};
use serde_json::json;
use sha2::{Digest, Sha256};
use wicas_app::Genesis;
use wicas_app::ai::{AiGenesis, ModelRecord, ModelRegistry, model_id, suggested_prices};
use wicas_infer::{Engine, EngineOptions, LlamaEngine};

const MODEL_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

fn main() -> Result<()> {
    let dir = std::env::var("WICAS_MODEL_DIR").map_or_else(
        |_| {
            std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default())
                .join(".cache/wicas/models")
        },
        std::path::PathBuf::from,
    );
    let path = dir.join(MODEL_FILE);
    let bytes = std::fs::read(&path)
        .with_context(|| format!("{}: run scripts/fetch-model smollm2", path.display()))?;
    let sha256: [u8; 32] = Sha256::digest(&bytes).into();
    drop(bytes);
    let engine = Arc::new(LlamaEngine::load(&path, EngineOptions::default())?);
    let (prefill_price, decode_price) = suggested_prices(engine.model_info().weight_bytes);
    println!("model     {} ({})", MODEL_FILE, model_id(&sha256));

    let alice = TestKey::new("alice");
    let genesis = Genesis {
        ai: AiGenesis {
            models: vec![ModelRecord {
                sha256: hex::encode(sha256),
                name: "SmolLM2-135M-Instruct".into(),
                architecture: "llama".into(),
                prefill_price,
                decode_price,
            }],
            ..AiGenesis::default()
        },
        ..genesis_with(&[&alice], 10_000_000_000)
    };
    let registry = ModelRegistry::default();
    registry.insert(sha256, engine);
    let mut node = TestNode::with_config(&genesis, Some(Arc::new(registry)));
    println!("chain     {} — account {}", node::CHAIN_ID, alice.bech32());

    let code = node.store(&alice, contract_wasm("nameservice_ai"));
    println!(
        "height {:>3}  stored nameservice-ai as code {code}",
        node.height
    );
    let contract = node.instantiate(
        &alice,
        code,
        json!({ "purchase_price": null, "transfer_price": null, "model": model_id(&sha256), "max_tokens": 32 }),
    );
    println!("height {:>3}  instantiated {contract}", node.height);

    for (what, msg, gas) in [
        (
            "register",
            json!({ "register": { "name": "wicas" } }),
            2_000_000,
        ),
        (
            "describe",
            json!({ "describe": { "name": "wicas" } }),
            60_000_000,
        ),
    ] {
        let tx = node.sign(
            &alice,
            vec![msg_execute(&alice, &contract, msg, 0)],
            &TxOpts::gas(gas),
        );
        let r = node.exec(tx);
        ensure!(r.is_ok(), "{what} failed: code {} {}", r.code, r.log);
        println!(
            "height {:>3}  {what:<9} code {} gas {}/{}",
            node.height, r.code, r.gas_used, r.gas_wanted
        );
    }

    let answer = node
        .smart(&contract, json!({ "description": { "name": "wicas" } }))
        .map_err(anyhow::Error::msg)
        .context("querying the stored description")?;
    let d = &answer["description"];
    println!("\nThe contract asked the model to describe the name \"wicas\"; it stored:");
    println!("  text   {}", d["text"].as_str().unwrap_or_default().trim());
    println!("  digest {}", d["digest"].as_str().unwrap_or_default());
    println!("  height {}", d["height"]);
    println!("app hash  {}", hex::encode(node.app_hash()));
    Ok(())
}
