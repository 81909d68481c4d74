//! The chain's speed through the full state machine, on the real redb store in a temp dir.
//!
//! `WICAS_CONTRACTS_DIR=… cargo bench -p wicas-app --bench chain [--profile dev]`
//! (env `BLOCKS`, `TXS`, `RUNS` override 20 × 50 and 7; `CACHED_GENERATION=1` skips the model
//! after its first answer and the direct runs, to profile only the chain's side).
//! 1. cw20 transfers: pre-signed TxRaw (SIGN_MODE_DIRECT, secp256k1), each block
//!    begin_block → deliver_tx × TXS → end_block → commit; txs/s, blocks/s, µs per tx split into
//!    signature verification (measured alone), deliver_tx and commit.
//! 2. Inference overhead: nameservice-ai `Describe` (SmolLM2-135M, greedy, 8 tokens) in a
//!    deliver_tx versus `LlamaEngine::generate` with the same request and seed; best and median.

#[allow(dead_code)] // reason: the integration tests' test node; the bench uses part of it
#[path = "../tests/it/node.rs"]
mod node;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use cosmos_sdk_proto::cosmos::tx::v1beta1::TxRaw;
use k256::ecdsa::signature::Verifier as _;
use k256::ecdsa::{Signature, VerifyingKey};
use node::{
    CHAIN_ID, TestKey, TestNode, TxOpts, contract_wasm, genesis_with, msg_execute, sign_tx,
};
use prost::Message as _;
use serde_json::json;
use sha2::{Digest, Sha256};
use wicas_app::ai::{ModelRecord, ModelRegistry, inference_seed, model_id, suggested_prices};
use wicas_app::tx::sign_bytes;
use wicas_app::{Address, BlockInfo};
use wicas_infer::{
    ChatMessage, Engine, EngineError, EngineOptions, GenerateRequest, Generation, LlamaEngine,
    ModelInfo, Prompt, SamplingParams,
};

const MAX_TOKENS: u32 = 8;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).map_or(default, |v| v.parse().unwrap_or(default))
}

fn begin(node: &mut TestNode) -> anyhow::Result<()> {
    node.height += 1;
    node.time_unix_nanos += 1_000_000_000;
    node.app.begin_block(BlockInfo {
        height: node.height,
        time_unix_nanos: node.time_unix_nanos,
        chain_id: CHAIN_ID.to_owned(),
        block_hash: Sha256::digest(node.height.to_be_bytes()).into(),
        proposer: vec![1; 20],
    })?;
    Ok(())
}

fn cw20_transfers(blocks: u64, txs: u64) -> anyhow::Result<()> {
    let alice = TestKey::new("alice");
    let mut node = TestNode::new(&genesis_with(&[&alice], 1_000_000_000_000));
    let code = node.store(&alice, contract_wasm("cw20_base"));
    let total = blocks * txs;
    let token = node.instantiate(
        &alice,
        code,
        json!({ "name": "Bench", "symbol": "BNC", "decimals": 6, "mint": null, "marketing": null,
                "initial_balances": [{ "address": alice.bech32(), "amount": total.to_string() }] }),
    );
    let acc = node.account(&alice.address).expect("alice's account");
    let opts = TxOpts::gas(400_000);
    let signed: Vec<Vec<u8>> = (0..total)
        .map(|i| {
            let to = Address::from_secp256k1(&Sha256::digest(i.to_be_bytes())[..]).to_bech32();
            let msg = json!({ "transfer": { "recipient": to, "amount": "1" } });
            let m = msg_execute(&alice, &token, msg, 0);
            sign_tx(&alice, vec![m], &opts, acc.account_number, acc.sequence + i)
        })
        .collect();

    // The signature check alone, on the same sign docs, for the split.
    let vk = VerifyingKey::from_sec1_bytes(alice.key.pubkey())?;
    let mut verify = Duration::ZERO;
    for raw in &signed {
        let tx = TxRaw::decode(raw.as_slice())?;
        let doc = sign_bytes(
            &tx.body_bytes,
            &tx.auth_info_bytes,
            CHAIN_ID,
            acc.account_number,
        );
        let sig = Signature::from_slice(&tx.signatures[0])?;
        let t = Instant::now();
        vk.verify(&doc, &sig)?;
        verify += t.elapsed();
    }

    let (mut deliver, mut commit) = (Duration::ZERO, Duration::ZERO);
    let start = Instant::now();
    for block in signed.chunks(txs as usize) {
        begin(&mut node)?;
        let t = Instant::now();
        for tx in block {
            let r = node.app.deliver_tx(tx)?;
            anyhow::ensure!(r.is_ok(), "transfer failed: {}", r.log);
        }
        deliver += t.elapsed();
        node.app.end_block()?;
        let t = Instant::now();
        node.app.commit()?;
        commit += t.elapsed();
    }
    let wall = start.elapsed();
    let per_tx = |d: Duration| d.as_secs_f64() * 1e6 / total as f64;
    println!("\n## cw20 transfers ({blocks} blocks × {txs} txs, redb in a temp dir)\n");
    println!("| metric | value |\n|---|---|");
    println!("| txs/s | {:.0} |", total as f64 / wall.as_secs_f64());
    println!("| blocks/s | {:.2} |", blocks as f64 / wall.as_secs_f64());
    println!("| µs per tx (all) | {:.1} |", per_tx(wall));
    println!("| µs per tx: deliver_tx | {:.1} |", per_tx(deliver));
    println!("| µs per tx: sig verify (in it) | {:.1} |", per_tx(verify));
    println!("| µs per tx: commit share | {:.1} |", per_tx(commit));
    Ok(())
}

/// The engine as the chain sees it, timing its work so that the contract path's overhead is
/// measured inside the same call (deliver_tx minus engine time), free of run-to-run noise.
/// "Engine time" is what a direct `generate` of the same chat request costs: `generate` itself,
/// plus the app's `tokenize` when it hands `generate` tokens (a direct call tokenizes inside).
struct Timed {
    inner: Arc<LlamaEngine>,
    tokenize: Mutex<Duration>,
    engine: Mutex<Duration>,
    /// Profiling aid (`CACHED_GENERATION=1`): the first generation is returned again without
    /// running the model, so that a profiler sees only the chain's own work.
    cached: Option<Mutex<Option<Generation>>>,
}

fn set(slot: &Mutex<Duration>, d: Duration) {
    *slot.lock().unwrap_or_else(PoisonError::into_inner) = d;
}

fn get(slot: &Mutex<Duration>) -> Duration {
    *slot.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Engine for Timed {
    fn model_info(&self) -> &ModelInfo {
        self.inner.model_info()
    }
    fn tokenize(&self, prompt: &Prompt) -> Result<Vec<u32>, EngineError> {
        let t = Instant::now();
        let tokens = self.inner.tokenize(prompt);
        set(&self.tokenize, t.elapsed());
        tokens
    }
    fn generate(&self, request: &GenerateRequest) -> Result<Generation, EngineError> {
        let t = Instant::now();
        let g = match &self.cached {
            Some(slot) => {
                let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
                match &*slot {
                    Some(g) => Ok(g.clone()),
                    None => self
                        .inner
                        .generate(request)
                        .inspect(|g| *slot = Some(g.clone())),
                }
            }
            None => self.inner.generate(request),
        };
        let mut spent = t.elapsed();
        if matches!(request.prompt, Prompt::Tokens(_)) {
            spent += get(&self.tokenize);
        }
        set(&self.engine, spent);
        g
    }
}

/// The nameservice contract's system prompt (its `Describe` builds the same chat).
const SYSTEM: &str = "You describe name records in one short sentence.";

fn chat(role: &str, content: &str) -> ChatMessage {
    let (role, content) = (role.to_owned(), content.to_owned());
    ChatMessage { role, content }
}

fn best_median(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(v[0]), ms(v[v.len() / 2]))
}

fn inference_overhead(runs: u64) -> anyhow::Result<()> {
    let home = std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default());
    let dir = std::env::var("WICAS_MODEL_DIR").map_or(home.join(".cache/wicas/models"), Into::into);
    let path = dir.join("SmolLM2-135M-Instruct.Q4_1.gguf");
    let bytes = std::fs::read(&path)
        .map_err(|e| anyhow::anyhow!("{}: {e}; run scripts/fetch-model smollm2", path.display()))?;
    let sha256: [u8; 32] = Sha256::digest(&bytes).into();
    drop(bytes);
    let engine = Arc::new(LlamaEngine::load(&path, EngineOptions::default())?);
    let (prefill_price, decode_price) = suggested_prices(engine.model_info().weight_bytes);
    let alice = TestKey::new("alice");
    let mut genesis = genesis_with(&[&alice], 10_000_000_000);
    genesis.ai.models.push(ModelRecord {
        sha256: hex::encode(sha256),
        name: "SmolLM2-135M-Instruct".into(),
        architecture: "llama".into(),
        prefill_price,
        decode_price,
    });
    let registry = ModelRegistry::default();
    let cached = std::env::var_os("CACHED_GENERATION").map(|_| Mutex::new(None));
    let timed = Arc::new(Timed {
        inner: engine.clone(),
        tokenize: Mutex::new(Duration::ZERO),
        engine: Mutex::new(Duration::ZERO),
        cached,
    });
    registry.insert(sha256, timed.clone());
    let mut node = TestNode::with_config(&genesis, Some(Arc::new(registry)));
    let code = node.store(&alice, contract_wasm("nameservice_ai"));
    let contract = node.instantiate(
        &alice,
        code,
        json!({ "purchase_price": null, "transfer_price": null, "model": model_id(&sha256), "max_tokens": MAX_TOKENS }),
    );
    let call = |verb: &str| msg_execute(&alice, &contract, json!({ verb: { "name": "wicas" } }), 0);
    let r = node.exec(node.sign(&alice, vec![call("register")], &TxOpts::gas(2_000_000)));
    anyhow::ensure!(r.is_ok(), "register: {}", r.log);

    let owner = alice.bech32();
    let user = format!(
        "The name \"wicas\" is registered on the wicas chain to the address {owner}. Describe this record."
    );
    let contract_addr = Address::from_bech32(&contract)?;
    let (mut chain, mut direct, mut overhead) = (Vec::new(), Vec::new(), Vec::new());
    let mut tokenize = Vec::new();
    for _ in 0..runs {
        let tx = node.sign(&alice, vec![call("describe")], &TxOpts::gas(20_000_000));
        begin(&mut node)?;
        let t = Instant::now();
        let r = node.app.deliver_tx(&tx)?;
        let elapsed = t.elapsed();
        chain.push(elapsed);
        let inside = get(&timed.engine);
        overhead.push(elapsed.saturating_sub(inside));
        tokenize.push(get(&timed.tokenize));
        anyhow::ensure!(r.is_ok(), "describe: {}", r.log);
        node.app.end_block()?;
        node.app.commit()?;
        if timed.cached.is_some() {
            continue; // profiling the chain's side only
        }
        // The same request the contract makes (see the ai_inference test), seeded as the chain does.
        let block_hash: [u8; 32] = Sha256::digest(node.height.to_be_bytes()).into();
        let request = GenerateRequest {
            prompt: Prompt::Chat(vec![chat("system", SYSTEM), chat("user", &user)]),
            max_tokens: MAX_TOKENS,
            sampling: SamplingParams::GREEDY,
            seed: inference_seed(&block_hash, &contract_addr, 0),
        };
        let t = Instant::now();
        let g = engine.generate(&request)?;
        direct.push(t.elapsed());
        let stored = node.smart(&contract, json!({ "description": { "name": "wicas" } }));
        let same = stored.map_err(anyhow::Error::msg)?["description"]["text"] == json!(g.text);
        anyhow::ensure!(same, "contract and engine disagree");
    }
    println!(
        "\n## Inference call overhead (SmolLM2-135M Q4_1, greedy, {MAX_TOKENS} tokens, {runs} runs)\n"
    );
    println!("| path | best ms | median ms |\n|---|---|---|");
    let (cb, cm) = best_median(chain);
    if !direct.is_empty() {
        let (db, dm) = best_median(direct);
        println!("| LlamaEngine::generate | {db:.2} | {dm:.2} |");
        println!("| nameservice Describe in deliver_tx | {cb:.2} | {cm:.2} |");
        let (xb, xm) = (cb - db, cm - dm);
        println!("| difference (separate runs, noisy) | {xb:.2} | {xm:.2} |");
    } else {
        println!("| nameservice Describe in deliver_tx (cached generation) | {cb:.2} | {cm:.2} |");
    }
    let (tb, tm) = best_median(tokenize);
    println!("| the app's tokenize call | {tb:.3} | {tm:.3} |");
    let (ob, om) = best_median(overhead);
    println!("| overhead: deliver_tx − engine inside it (goal < 1 ms) | {ob:.3} | {om:.3} |");
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let profile = ["bench", "dev"][usize::from(cfg!(debug_assertions))];
    println!("# wicas-app chain bench (profile: {profile})");
    cw20_transfers(env_u64("BLOCKS", 20), env_u64("TXS", 50))?;
    inference_overhead(env_u64("RUNS", 7))?;
    Ok(())
}
