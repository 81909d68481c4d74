//! Shared test fixtures: artifacts, env, a recording test querier, a host over MemState.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use anyhow::{Context, Result, bail};
use cosmwasm_std::{
    Addr, BlockInfo, Coin, ContractInfo, ContractResult, Env, MessageInfo, QueryRequest, Response,
    SystemError, SystemResult, Timestamp, to_json_binary,
};
use sha2::{Digest, Sha256};
use wicas_bindings::{AiMsg, AiQuery, InferRequest, InferResponse};
use wicas_store::MemState;
use wicas_types::gas::sdk_to_vm;
use wicas_vm::{
    CallContext, CallOutcome, ChainQuerier, Checksum, QueryOutcome, StateAccess, VmConfig, WasmVm,
    WicasApi, transaction_info,
};

/// Gas for ordinary calls: generous (instance cost alone is 60 000 SDK gas).
pub const CALL_GAS_SDK: u64 = 1_000_000;

/// The bytes of `contracts/artifacts/<name>.wasm`, or a clear error telling how to build it.
pub fn artifact(name: &str) -> Result<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../contracts/artifacts")
        .join(format!("{name}.wasm"));
    std::fs::read(&path).with_context(|| {
        format!(
            "contract artifact {} is missing: run scripts/build-contracts",
            path.display()
        )
    })
}

/// A `wicas1…` address made of `byte` repeated `len` times.
pub fn addr(byte: u8, len: usize) -> Addr {
    Addr::unchecked(WicasApi::humanize(&vec![byte; len]).expect("valid length"))
}

pub fn env_for(contract: &Addr, height: u64) -> Env {
    Env {
        block: BlockInfo {
            height,
            time: Timestamp::from_seconds(1_700_000_000 + height * 5),
            chain_id: "wicas-test-1".into(),
        },
        transaction: Some(transaction_info(0, &[0u8; 32]).expect("valid")),
        contract: ContractInfo {
            address: contract.clone(),
        },
    }
}

pub fn info(sender: &Addr, funds: &[Coin]) -> MessageInfo {
    MessageInfo {
        sender: sender.clone(),
        funds: funds.to_vec(),
    }
}

/// A test double of the app's querier: answers `AiQuery::Infer` with a text derived from the
/// request (so tests can check that the contract's prompt arrived), records every request, and
/// charges a fixed gas per inference. Wasm and bank queries are answered as unsupported: the
/// real routing is the app's.
pub struct RecordingQuerier {
    pub requests: RefCell<Vec<InferRequest>>,
    pub gas_per_inference: u64,
}

impl RecordingQuerier {
    pub fn new(gas_per_inference: u64) -> Rc<Self> {
        Rc::new(Self {
            requests: RefCell::new(Vec::new()),
            gas_per_inference,
        })
    }

    /// The answer this double gives to `request`.
    pub fn answer_for(request: &InferRequest) -> InferResponse {
        let prompt = match (&request.prompt, &request.messages) {
            (Some(p), _) => p.clone(),
            (None, Some(messages)) => messages
                .iter()
                .map(|m| m.content.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            (None, None) => String::new(),
        };
        let digest = Sha256::digest(prompt.as_bytes());
        InferResponse {
            text: format!("answer to: {prompt}"),
            tokens: vec![1, 2, 3],
            digest: digest.iter().map(|b| format!("{b:02x}")).collect(),
            prompt_tokens: u32::try_from(prompt.len()).unwrap_or(u32::MAX),
            gas_used: 777,
        }
    }
}

impl ChainQuerier for RecordingQuerier {
    fn query(&self, request: &QueryRequest<AiQuery>, gas_limit: u64) -> QueryOutcome {
        match request {
            QueryRequest::Custom(AiQuery::Infer(infer)) => {
                if self.gas_per_inference > gas_limit {
                    // Refused before any work, as the AI module does.
                    return QueryOutcome {
                        result: SystemResult::Ok(ContractResult::Err(
                            "inference needs more gas than left".into(),
                        )),
                        gas_used: 0,
                    };
                }
                if let Err(e) = infer.validate() {
                    return QueryOutcome {
                        result: SystemResult::Ok(ContractResult::Err(e.to_string())),
                        gas_used: 0,
                    };
                }
                self.requests.borrow_mut().push(infer.clone());
                let answer = to_json_binary(&Self::answer_for(infer)).expect("serialisable");
                QueryOutcome {
                    result: SystemResult::Ok(ContractResult::Ok(answer)),
                    gas_used: self.gas_per_inference,
                }
            }
            _ => QueryOutcome {
                result: SystemResult::Err(SystemError::UnsupportedRequest {
                    kind: "test querier".into(),
                }),
                gas_used: 0,
            },
        }
    }
}

/// A host with its cache in a temp dir and one MemState.
pub struct Host {
    pub vm: WasmVm,
    pub state: Rc<RefCell<MemState>>,
    pub querier: Rc<RecordingQuerier>,
    pub height: u64,
    _dir: tempfile::TempDir,
}

impl Host {
    pub fn new() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let vm = WasmVm::new(VmConfig::new(dir.path().join("wasm")))?;
        Ok(Self {
            vm,
            state: Rc::new(RefCell::new(MemState::new())),
            querier: RecordingQuerier::new(sdk_to_vm(5_000)),
            height: 100,
            _dir: dir,
        })
    }

    pub fn ctx(&self, contract: &Addr, gas_sdk: u64) -> CallContext {
        CallContext {
            env: env_for(contract, self.height),
            gas_limit: sdk_to_vm(gas_sdk),
            state: StateAccess::ReadWrite(self.state.clone()),
            querier: self.querier.clone(),
        }
    }

    pub fn read_only_ctx(&self, contract: &Addr) -> CallContext {
        let snapshot: Rc<MemState> = Rc::new(self.state.borrow().clone());
        CallContext {
            env: env_for(contract, self.height),
            gas_limit: sdk_to_vm(CALL_GAS_SDK),
            state: StateAccess::ReadOnly(snapshot),
            querier: self.querier.clone(),
        }
    }

    pub fn instantiate(
        &self,
        code: &Checksum,
        contract: &Addr,
        sender: &Addr,
        msg: &serde_json::Value,
    ) -> CallOutcome<Response<AiMsg>> {
        let msg = serde_json::to_vec(msg).expect("json");
        self.vm.instantiate(
            code,
            self.ctx(contract, CALL_GAS_SDK),
            &info(sender, &[]),
            &msg,
        )
    }

    pub fn execute(
        &self,
        code: &Checksum,
        contract: &Addr,
        sender: &Addr,
        funds: &[Coin],
        msg: &serde_json::Value,
    ) -> CallOutcome<Response<AiMsg>> {
        let msg = serde_json::to_vec(msg).expect("json");
        self.vm.execute(
            code,
            self.ctx(contract, CALL_GAS_SDK),
            &info(sender, funds),
            &msg,
        )
    }

    pub fn query(
        &self,
        code: &Checksum,
        contract: &Addr,
        msg: &serde_json::Value,
    ) -> Result<serde_json::Value> {
        let msg = serde_json::to_vec(msg)?;
        let outcome = self.vm.query(code, self.read_only_ctx(contract), &msg);
        match outcome.result {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes)?),
            Err(e) => bail!("query failed: {e}"),
        }
    }
}

/// The value of attribute `key` in a response.
pub fn attr(response: &Response<AiMsg>, key: &str) -> Option<String> {
    response
        .attributes
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}
