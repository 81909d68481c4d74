//! Host timings: store+compile, first call from the disk cache, execute and query from the
//! memory cache (cw20-base transfers, nameservice describe through a test querier).
//!
//! `scripts/build-contracts && cargo bench -p wicas-vm --bench host` (release), or with
//! `--profile dev` for a quick look (dependencies are built at opt-level 2 there).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use cosmwasm_std::{
    Addr, BlockInfo, ContractInfo, ContractResult, Env, MessageInfo, QueryRequest, SystemError,
    SystemResult, Timestamp, to_json_binary,
};
use wicas_bindings::{AiQuery, InferResponse};
use wicas_store::MemState;
use wicas_types::gas::sdk_to_vm;
use wicas_vm::{
    CallContext, ChainQuerier, Checksum, QueryOutcome, StateAccess, VmConfig, WasmVm, WicasApi,
};

const ROUNDS: u32 = 200;

/// Answers inference with a constant (this measures the host path, not an engine).
struct FixedAnswer;

impl ChainQuerier for FixedAnswer {
    fn query(&self, request: &QueryRequest<AiQuery>, _gas_limit: u64) -> QueryOutcome {
        let result = match request {
            QueryRequest::Custom(AiQuery::Infer(_)) => {
                let answer = InferResponse {
                    text: "a fixed answer".into(),
                    tokens: vec![1, 2, 3],
                    digest: "00".repeat(32),
                    prompt_tokens: 10,
                    gas_used: 0,
                };
                SystemResult::Ok(ContractResult::Ok(to_json_binary(&answer).expect("json")))
            }
            _ => SystemResult::Err(SystemError::UnsupportedRequest {
                kind: "bench".into(),
            }),
        };
        QueryOutcome {
            result,
            gas_used: 0,
        }
    }
}

fn addr(byte: u8, len: usize) -> Addr {
    Addr::unchecked(WicasApi::humanize(&vec![byte; len]).expect("address"))
}

fn ctx(contract: &Addr, state: &Rc<RefCell<MemState>>) -> CallContext {
    CallContext {
        env: Env {
            block: BlockInfo {
                height: 1,
                time: Timestamp::from_seconds(1),
                chain_id: "bench".into(),
            },
            transaction: None,
            contract: ContractInfo {
                address: contract.clone(),
            },
        },
        gas_limit: sdk_to_vm(10_000_000),
        state: StateAccess::ReadWrite(state.clone()),
        querier: Rc::new(FixedAnswer),
    }
}

fn info(sender: &Addr) -> MessageInfo {
    MessageInfo {
        sender: sender.clone(),
        funds: vec![],
    }
}

fn artifact(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../contracts/artifacts/{name}.wasm",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|_| panic!("{path} missing: run scripts/build-contracts"))
}

fn per_call(total: Duration, rounds: u32) -> String {
    format!("{:8.3} ms", total.as_secs_f64() * 1e3 / f64::from(rounds))
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vm = WasmVm::new(VmConfig::new(dir.path())).expect("vm");
    let mut codes: Vec<(&str, Checksum)> = Vec::new();
    for name in ["cw20_base", "nameservice_ai", "ai_oracle"] {
        let wasm = artifact(name);
        let start = Instant::now();
        let code = vm.store_code(&wasm).expect("store");
        println!(
            "store_code+compile {name:15} {:7} bytes {}",
            wasm.len(),
            per_call(start.elapsed(), 1)
        );
        codes.push((name, code));
    }
    let cw20 = codes[0].1;
    let state = Rc::new(RefCell::new(MemState::new()));
    let (token, alice, bob) = (addr(0x20, 32), addr(0xa1, 20), addr(0xb0, 20));
    let init = format!(
        r#"{{"name":"Bench","symbol":"BNCH","decimals":6,"initial_balances":[{{"address":"{alice}","amount":"1000000000"}}]}}"#
    );
    // A fresh WasmVm on the same directory: the first call loads the module from the disk cache.
    drop(vm);
    let vm = WasmVm::new(VmConfig::new(dir.path())).expect("vm");
    let start = Instant::now();
    vm.instantiate(&cw20, ctx(&token, &state), &info(&alice), init.as_bytes())
        .result
        .expect("init");
    println!(
        "first call (disk cache)   cw20 instantiate        {}",
        per_call(start.elapsed(), 1)
    );

    let transfer = format!(r#"{{"transfer":{{"recipient":"{bob}","amount":"1"}}}}"#);
    let mut gas = 0;
    let start = Instant::now();
    for _ in 0..ROUNDS {
        let outcome = vm.execute(
            &cw20,
            ctx(&token, &state),
            &info(&alice),
            transfer.as_bytes(),
        );
        outcome.result.expect("transfer");
        gas = outcome.gas.used_sdk();
    }
    println!(
        "execute (memory cache)    cw20 transfer           {}  {gas} SDK gas",
        per_call(start.elapsed(), ROUNDS)
    );

    let balance = format!(r#"{{"balance":{{"address":"{bob}"}}}}"#);
    let start = Instant::now();
    for _ in 0..ROUNDS {
        vm.query(&cw20, ctx(&token, &state), balance.as_bytes())
            .result
            .expect("query");
    }
    println!(
        "query (memory cache)      cw20 balance            {}",
        per_call(start.elapsed(), ROUNDS)
    );

    let names = codes[1].1;
    let ns = addr(0x4e, 32);
    let model = format!("sha256:{}", "11".repeat(32));
    let init = format!(
        r#"{{"purchase_price":null,"transfer_price":null,"model":"{model}","max_tokens":8}}"#
    );
    vm.instantiate(&names, ctx(&ns, &state), &info(&alice), init.as_bytes())
        .result
        .expect("init");
    vm.execute(
        &names,
        ctx(&ns, &state),
        &info(&alice),
        br#"{"register":{"name":"alice"}}"#,
    )
    .result
    .expect("register");
    let start = Instant::now();
    for _ in 0..ROUNDS {
        let outcome = vm.execute(
            &names,
            ctx(&ns, &state),
            &info(&alice),
            br#"{"describe":{"name":"alice"}}"#,
        );
        outcome.result.expect("describe");
        gas = outcome.gas.used_sdk();
    }
    println!(
        "execute (memory cache)    nameservice describe    {}  {gas} SDK gas (inference answered by a constant)",
        per_call(start.elapsed(), ROUNDS)
    );
}
