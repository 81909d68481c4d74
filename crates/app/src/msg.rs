//! The messages this chain executes, decoded from a transaction's `Any`s.

use cosmos_sdk_proto::Any;
use prost::Message;

use crate::ai::{MSG_REGISTER_MODEL_TYPE_URL, MsgRegisterModel, MsgRegisterModelProto};
use crate::bank::{MSG_SEND_TYPE_URL, MsgSend};
use crate::tx::AnteError;
use crate::{Address, Event};

/// A message that passed its stateless check.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Msg {
    /// `/cosmos.bank.v1beta1.MsgSend`.
    BankSend(MsgSend),
    /// `/wicas.ai.v1.MsgRegisterModel`.
    RegisterModel(MsgRegisterModel),
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
            other => Err(AnteError::UnknownMessage(other.to_owned())),
        }
    }

    /// The address that must sign this message.
    pub fn signer(&self) -> &Address {
        match self {
            Self::BankSend(m) => &m.from,
            Self::RegisterModel(m) => &m.authority,
        }
    }

    /// The message's type URL.
    pub fn type_url(&self) -> &'static str {
        match self {
            Self::BankSend(_) => MSG_SEND_TYPE_URL,
            Self::RegisterModel(_) => MSG_REGISTER_MODEL_TYPE_URL,
        }
    }
}

fn decode<T: Message + Default>(any: &Any) -> Result<T, AnteError> {
    T::decode(any.value.as_slice()).map_err(|e| AnteError::Decode {
        what: "message",
        reason: format!("{}: {e}", any.type_url),
    })
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
