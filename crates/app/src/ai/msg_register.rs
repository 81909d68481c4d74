//! `MsgRegisterModel` (authority only): stateless check → stateful check → execute.

use wicas_store::StateWrite;

use super::model::{ModelRecord, parse_model_id};
use super::{AiError, AiRead, AiWrite, event};
use crate::Address;
use crate::msg::MsgOutcome;

/// Type URL of `MsgRegisterModel`.
pub const MSG_REGISTER_MODEL_TYPE_URL: &str = "/wicas.ai.v1.MsgRegisterModel";
const RESPONSE_TYPE_URL: &str = "/wicas.ai.v1.MsgRegisterModelResponse";

/// `wicas.ai.v1.MsgRegisterModel` on the wire.
#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgRegisterModelProto {
    /// Bech32 of the signer, must be the module's authority.
    #[prost(string, tag = "1")]
    pub authority: String,
    /// `sha256:<hex>` or bare hex of the GGUF file.
    #[prost(string, tag = "2")]
    pub sha256: String,
    /// Human-readable name.
    #[prost(string, tag = "3")]
    pub name: String,
    /// GGUF architecture.
    #[prost(string, tag = "4")]
    pub architecture: String,
    /// Gas per prompt token.
    #[prost(uint64, tag = "5")]
    pub prefill_price: u64,
    /// Gas per generated token.
    #[prost(uint64, tag = "6")]
    pub decode_price: u64,
}

/// A checked `MsgRegisterModel`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgRegisterModel {
    /// The signer.
    pub authority: Address,
    /// The file's hash.
    pub sha256: [u8; 32],
    /// The record to store.
    pub record: ModelRecord,
}

/// Longest name or architecture accepted.
const MAX_LABEL_LEN: usize = 128;

impl MsgRegisterModel {
    /// Stateless check.
    pub fn check(m: &MsgRegisterModelProto) -> Result<Self, AiError> {
        let invalid = |s: &str| AiError::InvalidRegistration(s.to_owned());
        let authority = Address::from_bech32(&m.authority).map_err(|e| invalid(&e.to_string()))?;
        let sha256 =
            parse_model_id(&m.sha256).ok_or_else(|| AiError::BadModelId(m.sha256.clone()))?;
        if m.name.is_empty() || m.name.len() > MAX_LABEL_LEN {
            return Err(invalid("name must be 1..=128 bytes"));
        }
        if m.architecture.is_empty() || m.architecture.len() > MAX_LABEL_LEN {
            return Err(invalid("architecture must be 1..=128 bytes"));
        }
        if m.prefill_price == 0 || m.decode_price == 0 {
            return Err(invalid("prices must be positive"));
        }
        let record = ModelRecord {
            sha256: hex::encode(sha256),
            name: m.name.clone(),
            architecture: m.architecture.clone(),
            prefill_price: m.prefill_price,
            decode_price: m.decode_price,
        };
        Ok(Self {
            authority,
            sha256,
            record,
        })
    }

    /// Stateful check (authority, not yet registered) and execution.
    pub fn execute(&self, s: &mut (impl StateWrite + ?Sized)) -> Result<MsgOutcome, AiError> {
        let params = s.ai_params()?;
        if params.authority.is_empty() || params.authority != self.authority.to_bech32() {
            return Err(AiError::Unauthorized {
                signer: self.authority.to_bech32(),
                authority: params.authority,
            });
        }
        if s.model(&self.sha256)?.is_some() {
            return Err(AiError::AlreadyRegistered(super::model::model_id(
                &self.sha256,
            )));
        }
        s.put_model(&self.sha256, &self.record);
        Ok(MsgOutcome::new(
            RESPONSE_TYPE_URL,
            Vec::new(),
            vec![event::model_registered(&self.record)],
        ))
    }
}
