//! `ai` genesis: parameters (the authority) and models registered from the start.

use wicas_store::StateWrite;

use super::model::parse_model_id;
use super::{AiError, AiParams, AiWrite, ModelRecord};

/// The `ai` section of the genesis file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AiGenesis {
    /// Parameters.
    pub params: AiParams,
    /// Models registered at genesis.
    pub models: Vec<ModelRecord>,
}

impl AiGenesis {
    /// Check and write.
    pub fn apply(&self, s: &mut (impl StateWrite + ?Sized)) -> Result<(), AiError> {
        self.params.validate()?;
        s.put_ai_params(&self.params);
        for m in &self.models {
            let hash =
                parse_model_id(&m.sha256).ok_or_else(|| AiError::BadModelId(m.sha256.clone()))?;
            if m.prefill_price == 0 || m.decode_price == 0 {
                return Err(AiError::InvalidRegistration(format!(
                    "model {}: prices must be positive",
                    m.sha256
                )));
            }
            s.put_model(
                &hash,
                &ModelRecord {
                    sha256: hex::encode(hash),
                    ..m.clone()
                },
            );
        }
        Ok(())
    }
}
