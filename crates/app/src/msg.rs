//! The messages this chain executes, decoded from a transaction's `Any`s.

use cosmos_sdk_proto::Any;
use prost::Message;

use crate::ai::{MSG_REGISTER_MODEL_TYPE_URL, MsgRegisterModel, MsgRegisterModelProto};
use crate::bank::{MSG_SEND_TYPE_URL, MsgSend};
use crate::tx::AnteError;
use crate::wasm::{WasmMsg, type_url as wasm_url};
use crate::{Address, Event};
use cosmos_sdk_proto::cosmwasm::wasm::v1 as wasm_pb;

/// A message that passed its stateless check.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Msg {
    /// `/cosmos.bank.v1beta1.MsgSend`.
    BankSend(MsgSend),
    /// `/wicas.ai.v1.MsgRegisterModel`.
    RegisterModel(MsgRegisterModel),
    /// One of the `/cosmwasm.wasm.v1.Msg*` messages.
    Wasm(WasmMsg),
}

impl Msg {
    /// Decode and check one message (stateless).
    pub fn from_any(any: &Any) -> Result<Self, AnteError> {
        match any.type_url.as_str() {
            MSG_SEND_TYPE_URL => {
                let m = decode::<cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend>(any)?;
                Ok(Self::BankSend(MsgSend::check(&m).map_err(bank_check)?))
            }
            MSG_REGISTER_MODEL_TYPE_URL => {
                let m = decode::<MsgRegisterModelProto>(any)?;
                let m = MsgRegisterModel::check(&m)
                    .map_err(|e| AnteError::InvalidRequest(e.to_string()))?;
                Ok(Self::RegisterModel(m))
            }
            wasm_url::STORE_CODE => {
                wasm(WasmMsg::store_code(&decode::<wasm_pb::MsgStoreCode>(any)?))
            }
            wasm_url::INSTANTIATE => wasm(WasmMsg::instantiate(&decode::<
                wasm_pb::MsgInstantiateContract,
            >(any)?)),
            wasm_url::INSTANTIATE2 => wasm(WasmMsg::instantiate2(&decode::<
                wasm_pb::MsgInstantiateContract2,
            >(any)?)),
            wasm_url::EXECUTE => wasm(WasmMsg::execute(&decode::<wasm_pb::MsgExecuteContract>(
                any,
            )?)),
            wasm_url::MIGRATE => wasm(WasmMsg::migrate(&decode::<wasm_pb::MsgMigrateContract>(
                any,
            )?)),
            wasm_url::UPDATE_ADMIN => wasm(WasmMsg::update_admin(&decode::<
                wasm_pb::MsgUpdateAdmin,
            >(any)?)),
            wasm_url::CLEAR_ADMIN => wasm(WasmMsg::clear_admin(&decode::<wasm_pb::MsgClearAdmin>(
                any,
            )?)),
            other => Err(AnteError::UnknownMessage(other.to_owned())),
        }
    }

    /// The address that must sign this message.
    pub fn signer(&self) -> &Address {
        match self {
            Self::BankSend(m) => &m.from,
            Self::RegisterModel(m) => &m.authority,
            Self::Wasm(m) => m.sender(),
        }
    }

    /// The message's type URL.
    pub fn type_url(&self) -> &'static str {
        match self {
            Self::BankSend(_) => MSG_SEND_TYPE_URL,
            Self::RegisterModel(_) => MSG_REGISTER_MODEL_TYPE_URL,
            Self::Wasm(m) => match m {
                WasmMsg::StoreCode { .. } => wasm_url::STORE_CODE,
                WasmMsg::Instantiate { salt: None, .. } => wasm_url::INSTANTIATE,
                WasmMsg::Instantiate { salt: Some(_), .. } => wasm_url::INSTANTIATE2,
                WasmMsg::Execute { .. } => wasm_url::EXECUTE,
                WasmMsg::Migrate { .. } => wasm_url::MIGRATE,
                WasmMsg::UpdateAdmin { .. } => wasm_url::UPDATE_ADMIN,
                WasmMsg::ClearAdmin { .. } => wasm_url::CLEAR_ADMIN,
            },
        }
    }
}

fn decode<T: Message + Default>(any: &Any) -> Result<T, AnteError> {
    T::decode(any.value.as_slice()).map_err(|e| AnteError::Decode {
        what: "message",
        reason: format!("{}: {e}", any.type_url),
    })
}

fn wasm(m: Result<WasmMsg, crate::wasm::WasmError>) -> Result<Msg, AnteError> {
    m.map(Msg::Wasm)
        .map_err(|e| AnteError::InvalidRequest(e.to_string()))
}

fn bank_check(e: crate::bank::BankError) -> AnteError {
    match e {
        crate::bank::BankError::InvalidAddress(a) => AnteError::InvalidAddress(a),
        crate::bank::BankError::InvalidCoins(c) => AnteError::InvalidCoins(c.to_string()),
        other => AnteError::InvalidRequest(other.to_string()),
    }
}

/// What a successful message produced: its response (packed in an `Any`, collected into the
/// tx's `TxMsgData`) and its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgOutcome {
    /// The `Msg…Response`, packed.
    pub response: Any,
    /// Events, in emission order.
    pub events: Vec<Event>,
}

impl MsgOutcome {
    /// An outcome with response `type_url`/`value`.
    pub fn new(type_url: &str, value: Vec<u8>, events: Vec<Event>) -> Self {
        Self {
            response: Any {
                type_url: type_url.to_owned(),
                value,
            },
            events,
        }
    }
}
