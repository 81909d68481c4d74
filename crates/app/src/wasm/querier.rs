//! The chain side of a contract's queries: bank, wasm (smart, raw, contract and code info) and
//! the `wicas` AI query, answered from the calling contract's own view of the state (its writes
//! so far included).

use std::rc::Rc;

use cosmwasm_std::{Binary, ContractResult, QueryRequest, SystemError, SystemResult};
use serde_json::json;
use wicas_bindings::AiQuery;
use wicas_infer::{ChatMessage, Prompt, SamplingParams};
use wicas_types::gas::{VM_GAS_PER_SDK_GAS, sdk_to_vm};
use wicas_types::{InferRequest, InferResponse, Sampling};
use wicas_vm::{ChainQuerier, QueryOutcome, StateAccess};

use super::env::{SharedState, WasmEnv};
use super::{WasmRead, contract_state_key};
use crate::Address;
use crate::ai::{AiError, InferCall, InferSite, infer};
use crate::bank::BankRead;
use wicas_store::StateRead;

/// Answers one contract's queries.
#[derive(Debug)]
pub struct ContractQuerier {
    env: Rc<WasmEnv>,
    state: SharedState,
    contract: Address,
}

impl ContractQuerier {
    /// The querier of `contract`, reading `state`.
    pub fn new(env: Rc<WasmEnv>, state: SharedState, contract: Address) -> Self {
        Self {
            env,
            state,
            contract,
        }
    }
}

fn ok(value: serde_json::Value) -> SystemResult<ContractResult<Binary>> {
    SystemResult::Ok(ContractResult::Ok(Binary::from(
        value.to_string().into_bytes(),
    )))
}

fn ok_bytes(bytes: Vec<u8>) -> SystemResult<ContractResult<Binary>> {
    SystemResult::Ok(ContractResult::Ok(Binary::from(bytes)))
}

fn contract_err(msg: String) -> SystemResult<ContractResult<Binary>> {
    SystemResult::Ok(ContractResult::Err(msg))
}

fn no_such_contract(addr: &str) -> SystemResult<ContractResult<Binary>> {
    SystemResult::Err(SystemError::NoSuchContract {
        addr: addr.to_owned(),
    })
}

fn free(result: SystemResult<ContractResult<Binary>>) -> QueryOutcome {
    QueryOutcome {
        result,
        gas_used: 0,
    }
}

/// A contract's `InferRequest` as the engine's call.
pub fn to_call(r: &InferRequest) -> InferCall {
    let prompt = match (&r.prompt, &r.messages) {
        (Some(p), _) => Prompt::Text(p.clone()),
        (None, Some(m)) => Prompt::Chat(
            m.iter()
                .map(|m| ChatMessage {
                    role: m.role.clone(),
                    content: m.content.clone(),
                })
                .collect(),
        ),
        (None, None) => Prompt::Text(String::new()),
    };
    let sampling = match r.sampling {
        Sampling::Greedy => SamplingParams::GREEDY,
        Sampling::Sample {
            temperature_permille,
            top_k,
            top_p_permille,
            repeat_penalty_permille,
        } => SamplingParams {
            // Permille integers to f32: exact for these ranges' numerators, one rounding each.
            temperature: temperature_permille as f32 / 1000.0,
            top_k,
            top_p: top_p_permille as f32 / 1000.0,
            repeat_penalty: repeat_penalty_permille as f32 / 1000.0,
            repeat_last_n: SamplingParams::GREEDY.repeat_last_n,
        },
    };
    InferCall {
        model: r.model.to_string(),
        prompt,
        max_tokens: r.max_tokens,
        sampling,
    }
}

impl ContractQuerier {
    fn ai(&self, request: &InferRequest, gas_limit: u64) -> QueryOutcome {
        if let Err(e) = request.validate() {
            return free(contract_err(format!("invalid inference request: {e}")));
        }
        let Ok(state) = self.state.try_borrow() else {
            return free(SystemResult::Err(SystemError::Unknown {}));
        };
        let mut block = self.env.infer.get();
        let site = InferSite {
            block_hash: &self.env.block.block_hash,
            contract: &self.contract,
            gas_remaining: gas_limit / VM_GAS_PER_SDK_GAS,
        };
        let result = infer(
            &*state,
            &self.env.models,
            site,
            &mut block,
            &to_call(request),
        );
        self.env.infer.set(block);
        match result {
            Ok(answer) => {
                let g = &answer.generation;
                let response = InferResponse {
                    text: g.text.clone(),
                    tokens: g.tokens.clone(),
                    digest: hex::encode(g.digest),
                    prompt_tokens: u32::try_from(g.prompt_tokens.len()).unwrap_or(u32::MAX),
                    gas_used: answer.gas_used,
                };
                let bytes = serde_json::to_vec(&response).unwrap_or_default();
                QueryOutcome {
                    result: ok_bytes(bytes),
                    gas_used: sdk_to_vm(answer.gas_used),
                }
            }
            Err(AiError::Unavailable(fault)) => {
                let text = fault.to_string();
                *self.env.fault.borrow_mut() = Some(fault);
                free(contract_err(text))
            }
            Err(e) => free(contract_err(e.to_string())),
        }
    }

    fn smart(&self, contract_addr: &str, msg: &[u8], gas_limit: u64) -> QueryOutcome {
        let Ok(target) = Address::from_bech32(contract_addr) else {
            return free(no_such_contract(contract_addr));
        };
        let code = {
            let Ok(state) = self.state.try_borrow() else {
                return free(SystemResult::Err(SystemError::Unknown {}));
            };
            match state
                .contract_info(&target)
                .ok()
                .flatten()
                .and_then(|i| state.code_info(i.code_id).ok().flatten())
            {
                Some(code) => code,
                None => return free(no_such_contract(contract_addr)),
            }
        };
        let Ok(checksum) = cosmwasm_std::Checksum::from_hex(&code.checksum) else {
            return free(no_such_contract(contract_addr));
        };
        let querier = Rc::new(ContractQuerier::new(
            Rc::clone(&self.env),
            Rc::clone(&self.state),
            target.clone(),
        ));
        let ctx = wicas_vm::CallContext {
            env: self.env.cw_env(&target),
            gas_limit,
            state: StateAccess::ReadWrite(self.state.clone()),
            querier,
        };
        let out = self.env.vm.query(&checksum, ctx, msg);
        let result = match out.result {
            Ok(bin) => SystemResult::Ok(ContractResult::Ok(bin)),
            Err(e) => contract_err(e.to_string()),
        };
        QueryOutcome {
            result,
            gas_used: out.gas.used,
        }
    }
}

impl ChainQuerier for ContractQuerier {
    fn query(&self, request: &QueryRequest<AiQuery>, gas_limit: u64) -> QueryOutcome {
        let Ok(state) = self.state.try_borrow() else {
            return free(SystemResult::Err(SystemError::Unknown {}));
        };
        match request {
            QueryRequest::Custom(AiQuery::Infer(r)) => {
                drop(state);
                self.ai(r, gas_limit)
            }
            QueryRequest::Bank(cosmwasm_std::BankQuery::Balance { address, denom }) => {
                let amount = Address::from_bech32(address)
                    .ok()
                    .and_then(|a| state.balance(&a, denom).ok())
                    .unwrap_or(0);
                free(ok(
                    json!({ "amount": { "denom": denom, "amount": amount.to_string() } }),
                ))
            }
            QueryRequest::Bank(cosmwasm_std::BankQuery::Supply { denom }) => {
                let amount = state.supply(denom).unwrap_or(0);
                free(ok(
                    json!({ "amount": { "denom": denom, "amount": amount.to_string() } }),
                ))
            }
            QueryRequest::Wasm(cosmwasm_std::WasmQuery::Smart { contract_addr, msg }) => {
                drop(state);
                self.smart(contract_addr, msg, gas_limit)
            }
            QueryRequest::Wasm(cosmwasm_std::WasmQuery::Raw { contract_addr, key }) => {
                let Ok(target) = Address::from_bech32(contract_addr) else {
                    return free(no_such_contract(contract_addr));
                };
                let value = state
                    .get_raw(&contract_state_key(target.as_bytes(), key))
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                free(ok_bytes(value))
            }
            QueryRequest::Wasm(cosmwasm_std::WasmQuery::ContractInfo { contract_addr }) => {
                let info = Address::from_bech32(contract_addr)
                    .ok()
                    .and_then(|a| state.contract_info(&a).ok().flatten());
                match info {
                    Some(i) => free(ok(json!({
                        "code_id": i.code_id,
                        "creator": i.creator,
                        "admin": if i.admin.is_empty() { None } else { Some(i.admin) },
                        "pinned": false,
                        "ibc_port": null,
                    }))),
                    None => free(no_such_contract(contract_addr)),
                }
            }
            QueryRequest::Wasm(cosmwasm_std::WasmQuery::CodeInfo { code_id }) => {
                match state.code_info(*code_id).ok().flatten() {
                    Some(c) => free(ok(
                        json!({ "code_id": code_id, "creator": c.creator, "checksum": c.checksum }),
                    )),
                    None => free(SystemResult::Err(SystemError::NoSuchCode {
                        code_id: *code_id,
                    })),
                }
            }
            _ => free(SystemResult::Err(SystemError::UnsupportedRequest {
                kind: "this query".into(),
            })),
        }
    }
}
