//! Executing wasm messages: store, instantiate, execute, migrate, admin changes, and the messages
//! contracts emit (submessages with replies). Every contract call runs in a fork of the state
//! that is applied only if the call succeeds; a failed submessage without a reply on error fails
//! its parent, and the transaction's message fork drops everything.

use std::cell::RefCell;
use std::rc::Rc;

use cosmwasm_std::{Addr, Binary, Checksum, CosmosMsg, MessageInfo, ReplyOn, Response, SubMsg};
use wicas_bindings::AiMsg;
use wicas_store::{StateDelta, StateWrite};
use wicas_types::gas::{sdk_to_vm, vm_to_sdk};
use wicas_vm::{CallContext, CallError, CallOutcome, StateAccess};

use super::address::{classic_address, predictable_address};
use super::env::{SharedState, WasmEnv};
use super::querier::ContractQuerier;
use super::{CodeInfo, ContractInfo, WasmError, WasmMsg, WasmRead, WasmWrite, event, state_key};
use crate::bank::{BankWrite, transfer_events};
use crate::coin::{Coin, display};
use crate::gas::GasMeter;
use crate::{Address, Event};

/// Deepest submessage nesting (wasmd `DefaultMaxCallDepth`... its query depth is 10; we bound
/// dispatch the same way so a contract cannot recurse without end).
const MAX_DEPTH: u32 = 10;

/// What a wasm message produced.
#[derive(Debug, Default)]
pub struct WasmOutcome {
    /// Events, in order.
    pub events: Vec<Event>,
    /// The data the message returns (contract data, after replies).
    pub data: Option<Vec<u8>>,
    /// For instantiation: the new address; for store code: the code id.
    pub address: Option<Address>,
    /// For store code: the code id and checksum.
    pub code: Option<(u64, Vec<u8>)>,
}

/// Runs wasm messages for one transaction.
pub struct Keeper<'a> {
    env: &'a Rc<WasmEnv>,
    meter: &'a GasMeter,
}

impl std::fmt::Debug for Keeper<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keeper").finish_non_exhaustive()
    }
}

fn call_error(e: CallError, wrap: fn(String) -> WasmError) -> WasmError {
    match e {
        CallError::OutOfGas { .. } => WasmError::OutOfGas(e.to_string()),
        other => wrap(other.to_string()),
    }
}

fn cw_coins(coins: &[Coin]) -> Vec<cosmwasm_std::Coin> {
    coins
        .iter()
        .map(|c| cosmwasm_std::Coin::new(c.amount, c.denom.clone()))
        .collect()
}

impl<'a> Keeper<'a> {
    /// A keeper charging `meter`.
    pub fn new(env: &'a Rc<WasmEnv>, meter: &'a GasMeter) -> Self {
        Self { env, meter }
    }

    /// Execute a transaction's wasm message.
    pub fn handle(&self, state: &mut StateDelta, msg: &WasmMsg) -> Result<WasmOutcome, WasmError> {
        match msg {
            WasmMsg::StoreCode { sender, wasm } => self.store_code(state, sender, wasm),
            WasmMsg::Instantiate {
                sender,
                admin,
                code_id,
                label,
                msg,
                funds,
                salt,
            } => self.instantiate(
                state,
                sender,
                admin.as_ref(),
                *code_id,
                label,
                msg,
                funds,
                salt.as_ref(),
                0,
            ),
            WasmMsg::Execute {
                sender,
                contract,
                msg,
                funds,
            } => self.execute(state, sender, contract, msg, funds, 0),
            WasmMsg::Migrate {
                sender,
                contract,
                code_id,
                msg,
            } => self.migrate(state, sender, contract, *code_id, msg, 0),
            WasmMsg::UpdateAdmin {
                sender,
                contract,
                new_admin,
            } => self.set_admin(state, sender, contract, new_admin.to_bech32()),
            WasmMsg::ClearAdmin { sender, contract } => {
                self.set_admin(state, sender, contract, String::new())
            }
        }
    }

    fn charge(&self, sdk_gas: u64, what: &'static str) -> Result<(), WasmError> {
        self.meter
            .consume(sdk_gas, what)
            .map_err(|e| WasmError::OutOfGas(e.to_string()))
    }

    fn store_code(
        &self,
        state: &mut StateDelta,
        sender: &Address,
        wasm: &[u8],
    ) -> Result<WasmOutcome, WasmError> {
        self.charge(self.env.vm.compile_cost_sdk(wasm.len()), "wasm compile")?;
        let checksum = self
            .env
            .vm
            .store_code(wasm)
            .map_err(|e| WasmError::CreateFailed(e.to_string()))?;
        let code_id = state.next_id(state_key::next_code_id())?;
        let hex = checksum.to_hex();
        state.put_code_info(
            code_id,
            &CodeInfo {
                checksum: hex.clone(),
                creator: sender.to_bech32(),
            },
        );
        state.put_raw(state_key::code_bytes(checksum.as_slice()), wasm.to_vec());
        Ok(WasmOutcome {
            events: vec![event::store_code(&hex, code_id)],
            code: Some((code_id, checksum.as_slice().to_vec())),
            ..WasmOutcome::default()
        })
    }

    fn checksum_of(&self, state: &StateDelta, code_id: u64) -> Result<Checksum, WasmError> {
        let info = state
            .code_info(code_id)?
            .ok_or_else(|| WasmError::NotFound(format!("code id {code_id}")))?;
        let checksum =
            Checksum::from_hex(&info.checksum).map_err(|e| WasmError::NotFound(e.to_string()))?;
        // A node whose module cache lost the code rebuilds it from state.
        if !self.env.vm.has_code(&checksum) {
            let bytes = state
                .code_bytes(checksum.as_slice())?
                .ok_or_else(|| WasmError::NotFound(format!("wasm of code {code_id}")))?;
            self.env
                .vm
                .restore_code(&bytes)
                .map_err(|e| WasmError::CreateFailed(e.to_string()))?;
        }
        Ok(checksum)
    }

    fn contract(
        &self,
        state: &StateDelta,
        addr: &Address,
    ) -> Result<(ContractInfo, Checksum), WasmError> {
        let info = state
            .contract_info(addr)?
            .ok_or_else(|| WasmError::NotFound(format!("contract {addr}")))?;
        let checksum = self.checksum_of(state, info.code_id)?;
        Ok((info, checksum))
    }

    /// Run one contract entry point in a fork of `state`; apply the fork only on success.
    fn call<T>(
        &self,
        state: &mut StateDelta,
        contract: &Address,
        wrap: fn(String) -> WasmError,
        entry: impl FnOnce(CallContext) -> CallOutcome<T>,
    ) -> Result<T, WasmError> {
        let shared: SharedState = Rc::new(RefCell::new(state.fork()));
        let querier = Rc::new(ContractQuerier::new(
            Rc::clone(self.env),
            Rc::clone(&shared),
            contract.clone(),
        ));
        let ctx = CallContext {
            env: self.env.cw_env(contract),
            gas_limit: sdk_to_vm(self.meter.remaining()),
            state: StateAccess::ReadWrite(shared.clone()),
            querier,
        };
        let out = entry(ctx);
        self.charge(vm_to_sdk(out.gas.used), "wasm call")?;
        if let Some(fault) = self.env.fault.borrow().clone() {
            return Err(WasmError::ExecuteFailed(fault.to_string()));
        }
        let value = out.result.map_err(|e| call_error(e, wrap))?;
        let child = Rc::try_unwrap(shared)
            .map_err(|_| {
                WasmError::ExecuteFailed("contract state still borrowed after the call".into())
            })?
            .into_inner();
        state.apply(child).map_err(|e| WasmError::State(e.into()))?;
        Ok(value)
    }

    fn send_funds(
        &self,
        state: &mut StateDelta,
        from: &Address,
        to: &Address,
        funds: &[Coin],
    ) -> Result<Vec<Event>, WasmError> {
        if funds.is_empty() {
            return Ok(Vec::new());
        }
        state.send(from, to, funds)?;
        Ok(transfer_events(from, to, &display(funds)))
    }

    #[allow(clippy::too_many_arguments)] // reason: the fields of MsgInstantiateContract(2)
    fn instantiate(
        &self,
        state: &mut StateDelta,
        sender: &Address,
        admin: Option<&Address>,
        code_id: u64,
        label: &str,
        msg: &[u8],
        funds: &[Coin],
        salt: Option<&(Vec<u8>, bool)>,
        depth: u32,
    ) -> Result<WasmOutcome, WasmError> {
        let checksum = self.checksum_of(state, code_id)?;
        let contract = match salt {
            None => classic_address(code_id, state.next_id(state_key::next_instance_id())?),
            Some((salt, fix_msg)) => {
                let init = if *fix_msg { msg } else { &[] };
                predictable_address(checksum.as_slice(), sender, salt, init)
            }
        };
        if state.contract_info(&contract)?.is_some() {
            return Err(WasmError::AccountExists(contract.to_bech32()));
        }
        let height = self.env.block.height;
        state.put_contract_info(
            &contract,
            &ContractInfo {
                code_id,
                creator: sender.to_bech32(),
                admin: admin.map(Address::to_bech32).unwrap_or_default(),
                label: label.to_owned(),
                created_height: height,
            },
        );
        let mut events = self.send_funds(state, sender, &contract, funds)?;
        let info = MessageInfo {
            sender: Addr::unchecked(sender.to_bech32()),
            funds: cw_coins(funds),
        };
        let vm = &self.env.vm;
        let response = self.call(state, &contract, WasmError::InstantiateFailed, |ctx| {
            vm.instantiate(&checksum, ctx, &info, msg)
        })?;
        events.push(event::instantiate(&contract, code_id));
        let data = self.finish(state, &contract, response, &mut events, depth)?;
        Ok(WasmOutcome {
            events,
            data,
            address: Some(contract),
            code: None,
        })
    }

    fn execute(
        &self,
        state: &mut StateDelta,
        sender: &Address,
        contract: &Address,
        msg: &[u8],
        funds: &[Coin],
        depth: u32,
    ) -> Result<WasmOutcome, WasmError> {
        let (_, checksum) = self.contract(state, contract)?;
        let mut events = self.send_funds(state, sender, contract, funds)?;
        let info = MessageInfo {
            sender: Addr::unchecked(sender.to_bech32()),
            funds: cw_coins(funds),
        };
        let vm = &self.env.vm;
        let response = self.call(state, contract, WasmError::ExecuteFailed, |ctx| {
            vm.execute(&checksum, ctx, &info, msg)
        })?;
        events.push(event::execute(contract));
        let data = self.finish(state, contract, response, &mut events, depth)?;
        Ok(WasmOutcome {
            events,
            data,
            ..WasmOutcome::default()
        })
    }

    fn migrate(
        &self,
        state: &mut StateDelta,
        sender: &Address,
        contract: &Address,
        code_id: u64,
        msg: &[u8],
        depth: u32,
    ) -> Result<WasmOutcome, WasmError> {
        let (mut info, _) = self.contract(state, contract)?;
        if info.admin != sender.to_bech32() {
            return Err(WasmError::Unauthorized(format!(
                "{sender} is not the admin of {contract}"
            )));
        }
        let checksum = self.checksum_of(state, code_id)?;
        info.code_id = code_id;
        state.put_contract_info(contract, &info);
        let vm = &self.env.vm;
        let response = self.call(state, contract, WasmError::MigrateFailed, |ctx| {
            vm.migrate(&checksum, ctx, msg)
        })?;
        let mut events = vec![event::migrate(contract, code_id)];
        let data = self.finish(state, contract, response, &mut events, depth)?;
        Ok(WasmOutcome {
            events,
            data,
            ..WasmOutcome::default()
        })
    }

    fn set_admin(
        &self,
        state: &mut StateDelta,
        sender: &Address,
        contract: &Address,
        admin: String,
    ) -> Result<WasmOutcome, WasmError> {
        let (mut info, _) = self.contract(state, contract)?;
        if info.admin != sender.to_bech32() {
            return Err(WasmError::Unauthorized(format!(
                "{sender} is not the admin of {contract}"
            )));
        }
        info.admin = admin.clone();
        state.put_contract_info(contract, &info);
        Ok(WasmOutcome {
            events: vec![event::update_admin(contract, &admin)],
            ..WasmOutcome::default()
        })
    }

    /// Emit the response's events, then dispatch its messages in order; returns the data
    /// (a reply's data replaces the contract's).
    fn finish(
        &self,
        state: &mut StateDelta,
        contract: &Address,
        response: Response<AiMsg>,
        events: &mut Vec<Event>,
        depth: u32,
    ) -> Result<Option<Vec<u8>>, WasmError> {
        events.extend(event::from_response(
            contract,
            &response.attributes,
            &response.events,
        ));
        let mut data = response.data.map(|d| d.to_vec());
        for sub in response.messages {
            if let Some(d) = self.submessage(state, contract, sub, events, depth + 1)? {
                data = Some(d);
            }
        }
        Ok(data)
    }

    /// One submessage in its own fork, with its reply.
    ///
    /// Gas follows wasmd's `DispatchSubmessages`: without a `gas_limit` the submessage spends
    /// the transaction's gas, and running out fails the transaction whatever `reply_on` says;
    /// with one it runs on its own meter (see [`Keeper::dispatch_limited`]), and running out of
    /// that fails only the submessage, which a reply on error sees.
    fn submessage(
        &self,
        state: &mut StateDelta,
        contract: &Address,
        sub: SubMsg<AiMsg>,
        events: &mut Vec<Event>,
        depth: u32,
    ) -> Result<Option<Vec<u8>>, WasmError> {
        if depth > MAX_DEPTH {
            return Err(WasmError::CallDepth);
        }
        let mut fork = state.fork();
        let before = self.meter.used();
        let result = match sub.gas_limit {
            None => self.dispatch(&mut fork, contract, &sub.msg, depth),
            Some(limit) => self.dispatch_limited(&mut fork, contract, &sub.msg, depth, limit)?,
        };
        let gas_used = self.meter.used().saturating_sub(before);
        let reply_result = match result {
            Ok(out) => {
                state.apply(fork).map_err(|e| WasmError::State(e.into()))?;
                let sub_events = out.events.clone();
                events.extend(out.events);
                if !matches!(sub.reply_on, ReplyOn::Success | ReplyOn::Always) {
                    return Ok(None);
                }
                #[allow(deprecated)] // reason: `data` is still part of the struct in cosmwasm-std 3
                let ok = cosmwasm_std::SubMsgResponse {
                    events: sub_events.iter().map(to_cw_event).collect(),
                    data: out.data.clone().map(Binary::from),
                    msg_responses: Vec::new(),
                };
                cosmwasm_std::SubMsgResult::Ok(ok)
            }
            Err(e) => {
                drop(fork);
                // The transaction's own gas ran out: nothing may catch that (wasmd panics).
                if matches!(e, WasmError::OutOfGas(_))
                    || !matches!(sub.reply_on, ReplyOn::Error | ReplyOn::Always)
                {
                    return Err(e);
                }
                cosmwasm_std::SubMsgResult::Err(e.to_string())
            }
        };
        let (_, checksum) = self.contract(state, contract)?;
        let reply = cosmwasm_std::Reply {
            id: sub.id,
            payload: sub.payload,
            gas_used,
            result: reply_result,
        };
        let vm = &self.env.vm;
        let response = self.call(state, contract, WasmError::ExecuteFailed, |ctx| {
            vm.reply(&checksum, ctx, &reply)
        })?;
        events.push(event::reply(contract));
        self.finish(state, contract, response, events, depth)
    }

    /// wasmd's `dispatchMsgWithGasLimit`: the submessage runs on a meter of its own holding
    /// `limit` SDK gas, then the transaction pays what it spent — all of `limit` when it ran
    /// out, which becomes [`WasmError::SubMsgOutOfGas`]. The outer `Err` is the transaction
    /// itself running out while paying; the inner result is the submessage's.
    fn dispatch_limited(
        &self,
        state: &mut StateDelta,
        contract: &Address,
        msg: &CosmosMsg<AiMsg>,
        depth: u32,
        limit: u64,
    ) -> Result<Result<WasmOutcome, WasmError>, WasmError> {
        let meter = GasMeter::new(limit);
        let result = Keeper::new(self.env, &meter).dispatch(state, contract, msg, depth);
        self.charge(meter.used().min(limit), "submessage with a gas limit")?;
        Ok(match result {
            Err(WasmError::OutOfGas(_)) => Err(WasmError::SubMsgOutOfGas { limit }),
            other => other,
        })
    }

    /// A message a contract emitted, sent by the contract.
    fn dispatch(
        &self,
        state: &mut StateDelta,
        contract: &Address,
        msg: &CosmosMsg<AiMsg>,
        depth: u32,
    ) -> Result<WasmOutcome, WasmError> {
        let parse =
            |s: &str| Address::from_bech32(s).map_err(|e| WasmError::InvalidMsg(e.to_string()));
        let coins = |c: &[cosmwasm_std::Coin]| -> Result<Vec<Coin>, WasmError> {
            c.iter()
                .map(|c| {
                    let amount = c
                        .amount
                        .to_string()
                        .parse::<u128>()
                        .map_err(|e| WasmError::InvalidMsg(e.to_string()))?;
                    Ok(Coin::new(amount, c.denom.clone()))
                })
                .collect()
        };
        match msg {
            CosmosMsg::Bank(cosmwasm_std::BankMsg::Send { to_address, amount }) => {
                let to = parse(to_address)?;
                let events = self.send_funds(state, contract, &to, &coins(amount)?)?;
                Ok(WasmOutcome { events, ..WasmOutcome::default() })
            }
            CosmosMsg::Wasm(cosmwasm_std::WasmMsg::Execute { contract_addr, msg, funds }) => {
                self.execute(state, contract, &parse(contract_addr)?, msg, &coins(funds)?, depth)
            }
            CosmosMsg::Wasm(cosmwasm_std::WasmMsg::Instantiate { admin, code_id, msg, funds, label }) => {
                let admin = admin.as_deref().map(parse).transpose()?;
                self.instantiate(state, contract, admin.as_ref(), *code_id, label, msg, &coins(funds)?, None, depth)
            }
            CosmosMsg::Wasm(cosmwasm_std::WasmMsg::Instantiate2 { admin, code_id, label, msg, funds, salt }) => {
                let admin = admin.as_deref().map(parse).transpose()?;
                let salt = (salt.to_vec(), false);
                self.instantiate(state, contract, admin.as_ref(), *code_id, label, msg, &coins(funds)?, Some(&salt), depth)
            }
            CosmosMsg::Wasm(cosmwasm_std::WasmMsg::Migrate { contract_addr, new_code_id, msg }) => {
                self.migrate(state, contract, &parse(contract_addr)?, *new_code_id, msg, depth)
            }
            CosmosMsg::Wasm(cosmwasm_std::WasmMsg::UpdateAdmin { contract_addr, admin }) => {
                self.set_admin(state, contract, &parse(contract_addr)?, parse(admin)?.to_bech32())
            }
            CosmosMsg::Wasm(cosmwasm_std::WasmMsg::ClearAdmin { contract_addr }) => {
                self.set_admin(state, contract, &parse(contract_addr)?, String::new())
            }
            CosmosMsg::Custom(AiMsg::Infer { .. }) => Err(WasmError::UnsupportedMsg(
                "AiMsg::Infer (asynchronous inference) is not enabled on this chain yet; use AiQuery::Infer".into(),
            )),
            other => Err(WasmError::UnsupportedMsg(format!("{other:?}"))),
        }
    }
}

/// An event as a reply's `SubMsgResponse` carries it. Attributes are built as struct literals:
/// `Attribute::new` refuses (panics, in debug builds) the `_contract_address` key that wasmd
/// itself puts in every `wasm` event.
fn to_cw_event(e: &Event) -> cosmwasm_std::Event {
    let mut event = cosmwasm_std::Event::new(e.kind.clone());
    event.attributes = e
        .attributes
        .iter()
        .map(|a| cosmwasm_std::Attribute {
            key: a.key.clone(),
            value: a.value.clone(),
        })
        .collect();
    event
}
