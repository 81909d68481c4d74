//! Running one transaction against a block's state: decode → ante (kept on success) → messages
//! in a branch (kept only if all succeed and the gas held).

use cosmos_sdk_proto::cosmos::base::abci::v1beta1::TxMsgData;
use prost::Message;

use std::cell::Cell;

use super::types::{BlockInfo, TxResult};
use crate::Event;
use crate::ai::{AiError, InferBlockState, ModelRegistry, ModelUnavailable};
use crate::auth::AuthRead;
use crate::error::TxError;
use crate::gas::{GasMeter, Metered};
use crate::msg::{Msg, MsgOutcome};
use crate::state::StateError;
use crate::tx::{AnteContext, decode_tx, run_ante};
use wicas_store::StateDelta;

/// How a transaction is being run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Mempool admission: ante only (messages are not executed, as in the SDK's CheckTx).
    Check,
    /// Block execution.
    Deliver,
    /// Gas estimation: no signature check, no minimum fee, gas limit = `max_tx_gas`.
    Simulate,
}

/// Everything outside the state that a transaction may see.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TxEnv<'a> {
    pub chain_id: &'a str,
    pub block: &'a BlockInfo,
    pub mode: Mode,
    /// Engines by model hash.
    #[allow(dead_code)] // reason: read by the wasm querier once the vm is merged
    pub models: &'a ModelRegistry,
    /// The block's inference budget and call counter.
    #[allow(dead_code)] // reason: read by the wasm querier once the vm is merged
    pub infer: &'a Cell<InferBlockState>,
}

/// The outcome of a transaction plus each message's response.
pub(crate) struct Executed {
    pub result: TxResult,
    pub msg_responses: Vec<cosmos_sdk_proto::Any>,
    /// This node could not load a registered model: the result above must not be committed.
    pub fault: Option<ModelUnavailable>,
}

pub(crate) fn execute_tx(state: &mut StateDelta, bytes: &[u8], env: TxEnv<'_>) -> Executed {
    let failed = |e: TxError, gas_wanted: u64, gas_used: u64, events: Vec<Event>| {
        let (codespace, code) = e.code();
        let fault = match &e {
            TxError::Ai(AiError::Unavailable(u)) => Some(u.clone()),
            _ => None,
        };
        Executed {
            fault,
            result: TxResult {
                code,
                codespace: codespace.to_owned(),
                log: e.to_string(),
                gas_wanted,
                gas_used,
                events,
                data: Vec::new(),
            },
            msg_responses: Vec::new(),
        }
    };
    let params = match state.auth_params() {
        Ok(p) => p,
        Err(e) => return failed(e.into(), 0, 0, Vec::new()),
    };
    let tx = match decode_tx(bytes, &params) {
        Ok(tx) => tx,
        Err(e) => return failed(e.into(), 0, 0, Vec::new()),
    };
    let limit = if env.mode == Mode::Simulate {
        params.max_tx_gas
    } else {
        tx.gas_limit
    };
    let meter = GasMeter::new(limit);
    let ctx = AnteContext {
        chain_id: env.chain_id,
        height: env.block.height,
        simulate: env.mode == Mode::Simulate,
    };

    // Ante in its own branch: nothing is written unless it all passes.
    let mut ante_state = state.fork();
    let ante_events = match run_ante(&mut ante_state, &tx, ctx, &meter) {
        Ok(ev) => ev,
        Err(e) => return failed(e.into(), tx.gas_limit, meter.used(), Vec::new()),
    };
    if let Err(e) = state.apply(ante_state) {
        return failed(
            StateError::from(e).into(),
            tx.gas_limit,
            meter.used(),
            Vec::new(),
        );
    }
    if env.mode == Mode::Check {
        return Executed {
            result: TxResult {
                gas_wanted: tx.gas_limit,
                gas_used: meter.used(),
                events: ante_events,
                ..TxResult::default()
            },
            msg_responses: Vec::new(),
            fault: None,
        };
    }

    // Messages in a second branch: all or nothing.
    let mut msg_state = state.fork();
    let mut events = ante_events.clone();
    let mut responses = Vec::with_capacity(tx.msgs.len());
    let run = (|| -> Result<(), TxError> {
        for msg in &tx.msgs {
            let mut metered = Metered::new(&mut msg_state, &meter);
            let out = execute_msg(&mut metered, msg, &env)?;
            meter.check()?;
            events.extend(out.events);
            responses.push(out.response);
        }
        Ok(())
    })();
    if let Err(e) = run {
        return failed(e, tx.gas_limit, meter.used(), ante_events);
    }
    if let Err(e) = state.apply(msg_state) {
        return failed(
            StateError::from(e).into(),
            tx.gas_limit,
            meter.used(),
            ante_events,
        );
    }
    #[allow(deprecated)]
    // reason: `data` must be set to build the struct; SDK v0.50 leaves it empty too
    let data = TxMsgData {
        data: Vec::new(),
        msg_responses: responses.clone(),
    }
    .encode_to_vec();
    Executed {
        result: TxResult {
            gas_wanted: tx.gas_limit,
            gas_used: meter.used(),
            events,
            data,
            ..TxResult::default()
        },
        msg_responses: responses,
        fault: None,
    }
}

fn execute_msg(
    state: &mut Metered<'_, StateDelta>,
    msg: &Msg,
    _env: &TxEnv<'_>,
) -> Result<MsgOutcome, TxError> {
    match msg {
        Msg::BankSend(m) => Ok(m.execute(state)?),
        Msg::RegisterModel(m) => Ok(m.execute(state)?),
    }
}
