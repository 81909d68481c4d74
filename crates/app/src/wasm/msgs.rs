//! The wasm messages of a transaction: protobuf → checked values (stateless checks only).

use std::io::Read;

use cosmos_sdk_proto::cosmwasm::wasm::v1 as pb;

use super::WasmError;
use crate::Address;
use crate::coin::{Coin, coins_from_proto};

/// Largest wasm accepted after inflating (wasmd `MaxWasmSize`: 800 KiB).
pub const MAX_WASM_BYTES: usize = 800 * 1024;
/// Longest label (wasmd `MaxLabelSize`).
pub const MAX_LABEL_BYTES: usize = 128;
/// Salt length bounds for `MsgInstantiateContract2` (wasmd / cosmwasm-std).
pub const MAX_SALT_BYTES: usize = 64;

/// Type URLs, as CosmJS packs them.
pub mod type_url {
    /// `MsgStoreCode`.
    pub const STORE_CODE: &str = "/cosmwasm.wasm.v1.MsgStoreCode";
    /// `MsgInstantiateContract`.
    pub const INSTANTIATE: &str = "/cosmwasm.wasm.v1.MsgInstantiateContract";
    /// `MsgInstantiateContract2`.
    pub const INSTANTIATE2: &str = "/cosmwasm.wasm.v1.MsgInstantiateContract2";
    /// `MsgExecuteContract`.
    pub const EXECUTE: &str = "/cosmwasm.wasm.v1.MsgExecuteContract";
    /// `MsgMigrateContract`.
    pub const MIGRATE: &str = "/cosmwasm.wasm.v1.MsgMigrateContract";
    /// `MsgUpdateAdmin`.
    pub const UPDATE_ADMIN: &str = "/cosmwasm.wasm.v1.MsgUpdateAdmin";
    /// `MsgClearAdmin`.
    pub const CLEAR_ADMIN: &str = "/cosmwasm.wasm.v1.MsgClearAdmin";
}

/// A checked wasm message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WasmMsg {
    /// Upload code (already inflated if it was gzipped).
    StoreCode {
        /// Uploader.
        sender: Address,
        /// The wasm.
        wasm: Vec<u8>,
    },
    /// Instantiate a code; `salt` set for the predictable-address variant.
    Instantiate {
        /// Instantiator.
        sender: Address,
        /// Admin, if any.
        admin: Option<Address>,
        /// Code.
        code_id: u64,
        /// Label.
        label: String,
        /// JSON message.
        msg: Vec<u8>,
        /// Funds sent along.
        funds: Vec<Coin>,
        /// `(salt, fix_msg)` for `MsgInstantiateContract2`.
        salt: Option<(Vec<u8>, bool)>,
    },
    /// Execute a contract.
    Execute {
        /// Caller.
        sender: Address,
        /// Contract.
        contract: Address,
        /// JSON message.
        msg: Vec<u8>,
        /// Funds sent along.
        funds: Vec<Coin>,
    },
    /// Migrate a contract to another code (admin only).
    Migrate {
        /// Must be the admin.
        sender: Address,
        /// Contract.
        contract: Address,
        /// New code.
        code_id: u64,
        /// JSON message.
        msg: Vec<u8>,
    },
    /// Set a new admin (admin only).
    UpdateAdmin {
        /// Must be the admin.
        sender: Address,
        /// Contract.
        contract: Address,
        /// New admin.
        new_admin: Address,
    },
    /// Remove the admin (admin only).
    ClearAdmin {
        /// Must be the admin.
        sender: Address,
        /// Contract.
        contract: Address,
    },
}

fn addr(s: &str, field: &str) -> Result<Address, WasmError> {
    Address::from_bech32(s).map_err(|e| WasmError::InvalidMsg(format!("{field}: {e}")))
}

fn json(msg: &[u8]) -> Result<Vec<u8>, WasmError> {
    match serde_json::from_slice::<serde_json::Value>(msg) {
        Ok(serde_json::Value::Object(_)) => Ok(msg.to_vec()),
        _ => Err(WasmError::InvalidMsg("msg must be a JSON object".into())),
    }
}

fn funds(list: &[cosmos_sdk_proto::cosmos::base::v1beta1::Coin]) -> Result<Vec<Coin>, WasmError> {
    coins_from_proto(list).map_err(|e| WasmError::InvalidMsg(format!("funds: {e}")))
}

fn label(l: &str) -> Result<String, WasmError> {
    if l.trim().is_empty() || l.len() > MAX_LABEL_BYTES {
        return Err(WasmError::InvalidMsg(format!(
            "label must be 1..={MAX_LABEL_BYTES} bytes and not blank"
        )));
    }
    Ok(l.to_owned())
}

fn code_id(id: u64) -> Result<u64, WasmError> {
    if id == 0 {
        Err(WasmError::InvalidMsg("code id 0".into()))
    } else {
        Ok(id)
    }
}

fn admin(a: &str) -> Result<Option<Address>, WasmError> {
    if a.is_empty() {
        Ok(None)
    } else {
        addr(a, "admin").map(Some)
    }
}

/// Inflate gzip (`1f 8b` magic) up to [`MAX_WASM_BYTES`]; other input is returned as is.
pub fn maybe_gunzip(bytes: &[u8]) -> Result<Vec<u8>, WasmError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::new();
    let limit = u64::try_from(MAX_WASM_BYTES).unwrap_or(u64::MAX) + 1;
    flate2::read::GzDecoder::new(bytes)
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|e| WasmError::Gzip(e.to_string()))?;
    if out.len() > MAX_WASM_BYTES {
        return Err(WasmError::Gzip(format!(
            "inflates past {MAX_WASM_BYTES} bytes"
        )));
    }
    Ok(out)
}

impl WasmMsg {
    /// The signer.
    pub fn sender(&self) -> &Address {
        match self {
            Self::StoreCode { sender, .. }
            | Self::Instantiate { sender, .. }
            | Self::Execute { sender, .. }
            | Self::Migrate { sender, .. }
            | Self::UpdateAdmin { sender, .. }
            | Self::ClearAdmin { sender, .. } => sender,
        }
    }

    /// `MsgStoreCode`.
    pub fn store_code(m: &pb::MsgStoreCode) -> Result<Self, WasmError> {
        let wasm = maybe_gunzip(&m.wasm_byte_code)?;
        if wasm.is_empty() || wasm.len() > MAX_WASM_BYTES {
            return Err(WasmError::InvalidMsg(format!(
                "wasm must be 1..={MAX_WASM_BYTES} bytes"
            )));
        }
        Ok(Self::StoreCode {
            sender: addr(&m.sender, "sender")?,
            wasm,
        })
    }

    /// `MsgInstantiateContract`.
    pub fn instantiate(m: &pb::MsgInstantiateContract) -> Result<Self, WasmError> {
        Ok(Self::Instantiate {
            sender: addr(&m.sender, "sender")?,
            admin: admin(&m.admin)?,
            code_id: code_id(m.code_id)?,
            label: label(&m.label)?,
            msg: json(&m.msg)?,
            funds: funds(&m.funds)?,
            salt: None,
        })
    }

    /// `MsgInstantiateContract2`.
    pub fn instantiate2(m: &pb::MsgInstantiateContract2) -> Result<Self, WasmError> {
        if m.salt.is_empty() || m.salt.len() > MAX_SALT_BYTES {
            return Err(WasmError::InvalidMsg(format!(
                "salt must be 1..={MAX_SALT_BYTES} bytes"
            )));
        }
        Ok(Self::Instantiate {
            sender: addr(&m.sender, "sender")?,
            admin: admin(&m.admin)?,
            code_id: code_id(m.code_id)?,
            label: label(&m.label)?,
            msg: json(&m.msg)?,
            funds: funds(&m.funds)?,
            salt: Some((m.salt.clone(), m.fix_msg)),
        })
    }

    /// `MsgExecuteContract`.
    pub fn execute(m: &pb::MsgExecuteContract) -> Result<Self, WasmError> {
        Ok(Self::Execute {
            sender: addr(&m.sender, "sender")?,
            contract: addr(&m.contract, "contract")?,
            msg: json(&m.msg)?,
            funds: funds(&m.funds)?,
        })
    }

    /// `MsgMigrateContract`.
    pub fn migrate(m: &pb::MsgMigrateContract) -> Result<Self, WasmError> {
        Ok(Self::Migrate {
            sender: addr(&m.sender, "sender")?,
            contract: addr(&m.contract, "contract")?,
            code_id: code_id(m.code_id)?,
            msg: json(&m.msg)?,
        })
    }

    /// `MsgUpdateAdmin`.
    pub fn update_admin(m: &pb::MsgUpdateAdmin) -> Result<Self, WasmError> {
        Ok(Self::UpdateAdmin {
            sender: addr(&m.sender, "sender")?,
            contract: addr(&m.contract, "contract")?,
            new_admin: addr(&m.new_admin, "new_admin")?,
        })
    }

    /// `MsgClearAdmin`.
    pub fn clear_admin(m: &pb::MsgClearAdmin) -> Result<Self, WasmError> {
        Ok(Self::ClearAdmin {
            sender: addr(&m.sender, "sender")?,
            contract: addr(&m.contract, "contract")?,
        })
    }
}
