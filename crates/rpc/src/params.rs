//! Method parameters from either request form CometBFT accepts:
//! - JSON-RPC POST: `params` is an object by name, an array by position, or absent;
//!   integers may be numbers or decimal strings (CosmJS sends `"height": "5"`);
//!   `[]byte` arguments are base64 and `HexBytes` ones hex, as Go's JSON encodes them.
//! - GET URI (`/abci_query?path="/x"&data=0x0a`): strings must be quoted, bytes are `0x…` hex
//!   or a quoted string taken as raw bytes, integers and booleans are bare or quoted.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::Value;

use crate::jsonrpc::RpcError;

/// Parameters by name.
#[derive(Debug)]
pub enum Params {
    /// From a JSON-RPC body.
    Json(serde_json::Map<String, Value>),
    /// From a URI query string (percent-decoded, quotes kept).
    Uri(BTreeMap<String, String>),
}

impl Params {
    /// JSON `params`: an object, an array matched to `names` by position, or `null`.
    pub fn from_json(params: Value, names: &[&str]) -> Result<Self, RpcError> {
        match params {
            Value::Null => Ok(Self::Json(serde_json::Map::new())),
            Value::Object(map) => Ok(Self::Json(map)),
            Value::Array(items) => {
                if items.len() > names.len() {
                    return Err(RpcError::invalid_params(format!(
                        "expected at most {} positional params ({}), got {}",
                        names.len(),
                        names.join(", "),
                        items.len()
                    )));
                }
                Ok(Self::Json(
                    names.iter().map(|n| (*n).to_owned()).zip(items).collect(),
                ))
            }
            other => Err(RpcError::invalid_params(format!(
                "params must be an object or an array, got {other}"
            ))),
        }
    }

    fn json(&self, name: &str) -> Option<&Value> {
        match self {
            Self::Json(m) => m.get(name).filter(|v| !v.is_null()),
            Self::Uri(_) => None,
        }
    }

    fn uri(&self, name: &str) -> Option<&str> {
        match self {
            Self::Uri(m) => m.get(name).map(String::as_str).filter(|v| !v.is_empty()),
            Self::Json(_) => None,
        }
    }

    /// An optional string.
    pub fn opt_str(&self, name: &str) -> Result<Option<String>, RpcError> {
        if let Some(v) = self.json(name) {
            return match v {
                Value::String(s) => Ok(Some(s.clone())),
                other => Err(bad(name, "a string", other)),
            };
        }
        match self.uri(name) {
            None => Ok(None),
            Some(raw) => unquote(raw).map(Some).ok_or_else(|| {
                RpcError::invalid_params(format!(
                    "{name}: a string parameter must be quoted, e.g. {name}=\"…\" (got {raw})"
                ))
            }),
        }
    }

    /// A required string.
    pub fn str(&self, name: &str) -> Result<String, RpcError> {
        self.opt_str(name)?.ok_or_else(|| missing(name))
    }

    /// An optional non-negative integer.
    pub fn opt_u64(&self, name: &str) -> Result<Option<u64>, RpcError> {
        let text = if let Some(v) = self.json(name) {
            match v {
                Value::Number(n) => {
                    return n
                        .as_u64()
                        .map(Some)
                        .ok_or_else(|| bad(name, "a non-negative integer", v));
                }
                Value::String(s) => s.clone(),
                other => return Err(bad(name, "an integer", other)),
            }
        } else if let Some(raw) = self.uri(name) {
            unquote(raw).unwrap_or_else(|| raw.to_owned())
        } else {
            return Ok(None);
        };
        text.parse::<u64>().map(Some).map_err(|_| {
            RpcError::invalid_params(format!("{name}: {text:?} is not a non-negative integer"))
        })
    }

    /// An optional boolean (default false).
    pub fn flag(&self, name: &str) -> Result<bool, RpcError> {
        let text = if let Some(v) = self.json(name) {
            match v {
                Value::Bool(b) => return Ok(*b),
                Value::String(s) => s.clone(),
                other => return Err(bad(name, "a boolean", other)),
            }
        } else if let Some(raw) = self.uri(name) {
            unquote(raw).unwrap_or_else(|| raw.to_owned())
        } else {
            return Ok(false);
        };
        match text.as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(RpcError::invalid_params(format!(
                "{name}: {text:?} is not true or false"
            ))),
        }
    }

    /// Required bytes that JSON carries as base64 (Go `[]byte`: `tx`, `hash`).
    pub fn base64_bytes(&self, name: &str) -> Result<Vec<u8>, RpcError> {
        if let Some(v) = self.json(name) {
            let Value::String(s) = v else {
                return Err(bad(name, "a base64 string", v));
            };
            return base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|e| RpcError::invalid_params(format!("{name}: not base64: {e}")));
        }
        self.uri_bytes(name)?.ok_or_else(|| missing(name))
    }

    /// Optional bytes that JSON carries as hex (CometBFT `HexBytes`: abci_query's `data`).
    pub fn hex_bytes(&self, name: &str) -> Result<Vec<u8>, RpcError> {
        if let Some(v) = self.json(name) {
            let Value::String(s) = v else {
                return Err(bad(name, "a hex string", v));
            };
            let s = s.strip_prefix("0x").unwrap_or(s);
            return hex::decode(s)
                .map_err(|e| RpcError::invalid_params(format!("{name}: not hex: {e}")));
        }
        Ok(self.uri_bytes(name)?.unwrap_or_default())
    }

    fn uri_bytes(&self, name: &str) -> Result<Option<Vec<u8>>, RpcError> {
        let Some(raw) = self.uri(name) else {
            return Ok(None);
        };
        if let Some(h) = raw.strip_prefix("0x").or_else(|| raw.strip_prefix("0X")) {
            return hex::decode(h)
                .map(Some)
                .map_err(|e| RpcError::invalid_params(format!("{name}: not hex: {e}")));
        }
        unquote(raw).map(|s| Some(s.into_bytes())).ok_or_else(|| {
            RpcError::invalid_params(format!(
                "{name}: bytes must be 0x-prefixed hex or a quoted string (got {raw})"
            ))
        })
    }
}

fn unquote(raw: &str) -> Option<String> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    // A JSON string literal, so escapes such as \" work as in CometBFT.
    serde_json::from_str::<String>(&format!("\"{inner}\"")).ok()
}

fn missing(name: &str) -> RpcError {
    RpcError::invalid_params(format!("missing parameter {name:?}"))
}

fn bad(name: &str, want: &str, got: &Value) -> RpcError {
    RpcError::invalid_params(format!("{name}: expected {want}, got {got}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn uri(pairs: &[(&str, &str)]) -> Params {
        Params::Uri(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn json_params_by_name_and_position() {
        let p = Params::from_json(json!({"height": "5", "prove": true}), &[]).unwrap();
        assert_eq!(p.opt_u64("height").unwrap(), Some(5));
        assert!(p.flag("prove").unwrap());
        let p = Params::from_json(json!(["/p", "0a0b"]), &["path", "data"]).unwrap();
        assert_eq!(p.str("path").unwrap(), "/p");
        assert_eq!(p.hex_bytes("data").unwrap(), vec![10, 11]);
        assert_eq!(
            Params::from_json(json!([1, 2, 3]), &["a"])
                .unwrap_err()
                .code,
            -32602
        );
        assert_eq!(Params::from_json(json!(5), &[]).unwrap_err().code, -32602);
    }

    #[test]
    fn malformed_values_are_invalid_params() {
        let p = Params::from_json(
            json!({"height": "-1", "tx": "%%%", "data": "zz", "prove": 3}),
            &[],
        )
        .unwrap();
        assert_eq!(p.opt_u64("height").unwrap_err().code, -32602);
        assert_eq!(p.base64_bytes("tx").unwrap_err().code, -32602);
        assert_eq!(p.hex_bytes("data").unwrap_err().code, -32602);
        assert_eq!(p.flag("prove").unwrap_err().code, -32602);
        assert_eq!(p.str("query").unwrap_err().code, -32602);
    }

    #[test]
    fn uri_params_follow_cometbft_quoting() {
        let p = uri(&[
            ("path", "\"/a/b\""),
            ("data", "0x0a0b"),
            ("height", "7"),
            ("tx", "\"ab\""),
        ]);
        assert_eq!(p.str("path").unwrap(), "/a/b");
        assert_eq!(p.hex_bytes("data").unwrap(), vec![10, 11]);
        assert_eq!(p.opt_u64("height").unwrap(), Some(7));
        assert_eq!(p.base64_bytes("tx").unwrap(), b"ab".to_vec());
        let p = uri(&[("path", "/unquoted"), ("data", "0xzz")]);
        assert_eq!(p.str("path").unwrap_err().code, -32602);
        assert_eq!(p.hex_bytes("data").unwrap_err().code, -32602);
    }
}
