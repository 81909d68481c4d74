//! The genesis file: chain id and each module's initial state.

use wicas_store::StateWrite;

use super::AppError;
use crate::ai::AiGenesis;
use crate::auth::AuthGenesis;
use crate::bank::BankGenesis;

/// Key holding the chain id.
pub(crate) const CHAIN_ID_KEY: &[u8] = b"app/chain_id";

/// The genesis document (the `app_state` sections are flattened into one object).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    /// The chain id every signature commits to.
    pub chain_id: String,
    /// `auth` section.
    #[serde(default)]
    pub auth: AuthGenesis,
    /// `bank` section.
    #[serde(default)]
    pub bank: BankGenesis,
    /// `ai` section.
    #[serde(default)]
    pub ai: AiGenesis,
}

impl Genesis {
    /// Parse from JSON.
    pub fn from_json(bytes: &[u8]) -> Result<Self, AppError> {
        serde_json::from_slice(bytes).map_err(|e| AppError::Genesis(e.to_string()))
    }

    /// Check the chain id and every section, then write the initial state.
    pub fn apply(&self, s: &mut (impl StateWrite + ?Sized)) -> Result<(), AppError> {
        let id_ok = !self.chain_id.is_empty()
            && self.chain_id.len() <= 50
            && self
                .chain_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
        if !id_ok {
            return Err(AppError::Genesis(format!(
                "invalid chain id {:?}",
                self.chain_id
            )));
        }
        self.auth
            .params
            .validate()
            .map_err(|e| AppError::Genesis(e.to_string()))?;
        let accounts = self
            .auth
            .validate()
            .map_err(|e| AppError::Genesis(e.to_string()))?;
        s.put_raw(CHAIN_ID_KEY.to_vec(), self.chain_id.as_bytes().to_vec());
        self.auth.apply(s, &accounts)?;
        self.bank
            .apply(s)
            .map_err(|e| AppError::Genesis(format!("bank: {e}")))?;
        self.ai
            .apply(s)
            .map_err(|e| AppError::Genesis(format!("ai: {e}")))?;
        Ok(())
    }
}
