//! Typed reads and writes of `ai` state.

use wicas_store::{Order, StateRead, StateWrite, prefix_end};

use super::{AiParams, ModelRecord, state_key};
use crate::state::{StateError, get_json, put_json};

/// Reading `ai` state.
pub trait AiRead: StateRead {
    /// The module's parameters (defaults before genesis wrote any).
    fn ai_params(&self) -> Result<AiParams, StateError> {
        Ok(get_json(self, state_key::params())?.unwrap_or_default())
    }

    /// The registered model with this hash.
    fn model(&self, sha256: &[u8; 32]) -> Result<Option<ModelRecord>, StateError> {
        get_json(self, &state_key::model(sha256))
    }

    /// Every registered model, by hash.
    fn models(&self) -> Result<Vec<ModelRecord>, StateError> {
        let prefix = state_key::models();
        let end = prefix_end(prefix);
        let mut out = Vec::new();
        for item in self.range_raw(Some(prefix), end.as_deref(), Order::Ascending) {
            let (k, v) = item?;
            out.push(serde_json::from_slice(&v).map_err(|e| StateError::corrupt(&k, e))?);
        }
        Ok(out)
    }
}

impl<T: StateRead + ?Sized> AiRead for T {}

/// Writing `ai` state.
pub trait AiWrite: StateWrite {
    /// Store the parameters.
    fn put_ai_params(&mut self, params: &AiParams) {
        put_json(self, state_key::params().to_vec(), params);
    }

    /// Store a model record under its hash.
    fn put_model(&mut self, sha256: &[u8; 32], record: &ModelRecord) {
        put_json(self, state_key::model(sha256), record);
    }
}

impl<T: StateWrite + ?Sized> AiWrite for T {}
