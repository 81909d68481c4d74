//! The JSON-RPC 2.0 envelope as CometBFT 0.38 writes it, and its errors.
//!
//! CometBFT's codes and messages: -32700 "Parse error", -32600 "Invalid Request", -32601
//! "Method not found", -32602 "Invalid params", -32603 "Internal error"; the detail goes in
//! `data` (a string). A method that fails answers HTTP 200 with an `error` object; a body that
//! cannot be read or parsed answers HTTP 500, as CometBFT's `WriteRPCResponseHTTPError` does.

use serde::Serialize;
use serde_json::Value;

/// A JSON-RPC error with CometBFT's code, message and detail.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} ({code}): {data}")]
pub struct RpcError {
    /// The JSON-RPC code.
    pub code: i32,
    /// CometBFT's fixed message for the code.
    pub message: &'static str,
    /// What went wrong.
    pub data: String,
}

impl RpcError {
    /// -32700: the body is not JSON.
    pub fn parse(data: impl Into<String>) -> Self {
        Self::new(-32700, "Parse error", data)
    }

    /// -32600: JSON, but not a JSON-RPC request.
    pub fn invalid_request(data: impl Into<String>) -> Self {
        Self::new(-32600, "Invalid Request", data)
    }

    /// -32601: no such method.
    pub fn method_not_found(method: &str) -> Self {
        Self::new(
            -32601,
            "Method not found",
            format!("method {method:?} is not served"),
        )
    }

    /// -32602: a parameter is missing or malformed.
    pub fn invalid_params(data: impl Into<String>) -> Self {
        Self::new(-32602, "Invalid params", data)
    }

    /// -32603: the method ran and failed (CometBFT reports "tx not found", "height too high",
    /// a full mempool this way).
    pub fn internal(data: impl Into<String>) -> Self {
        Self::new(-32603, "Internal error", data)
    }

    /// -32000: CometBFT's "Server error", which it sends for a subscription it cancels (slow
    /// client, node shutting down).
    pub fn server(data: impl Into<String>) -> Self {
        Self::new(-32000, "Server error", data)
    }

    fn new(code: i32, message: &'static str, data: impl Into<String>) -> Self {
        Self {
            code,
            message,
            data: data.into(),
        }
    }
}

impl From<crate::BackendError> for RpcError {
    fn from(e: crate::BackendError) -> Self {
        Self::internal(e.to_string())
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: i32,
    message: &'a str,
    data: &'a str,
}

/// One response: `{"jsonrpc":"2.0","id":…,"result":…}` or `{…,"error":{…}}`.
pub fn response(id: &Value, outcome: Result<Value, RpcError>) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("jsonrpc".into(), Value::from("2.0"));
    map.insert("id".into(), id.clone());
    match outcome {
        Ok(result) => {
            map.insert("result".into(), result);
        }
        Err(e) => {
            let body = ErrorBody {
                code: e.code,
                message: e.message,
                data: &e.data,
            };
            map.insert(
                "error".into(),
                serde_json::to_value(body).unwrap_or(Value::Null),
            );
        }
    }
    Value::Object(map)
}

/// A request parsed from the envelope: its id (`None` for a notification), method and params.
#[derive(Debug)]
pub struct Call {
    /// The request id; `None` when the request is a notification (no response is sent).
    pub id: Option<Value>,
    /// The method name.
    pub method: String,
    /// `params` (an object, an array, or absent = `null`).
    pub params: Value,
}

/// Check one request object's envelope. On error, returns the id to answer with.
pub fn parse_call(v: Value) -> Result<Call, (Value, RpcError)> {
    let Value::Object(mut map) = v else {
        return Err((
            Value::Null,
            RpcError::invalid_request("a request must be a JSON object"),
        ));
    };
    let id = map.remove("id");
    let answer_id = id.clone().unwrap_or(Value::Null);
    if let Some(id) = &id
        && !(id.is_number() || id.is_string() || id.is_null())
    {
        return Err((
            Value::Null,
            RpcError::invalid_request("id must be a number, a string or null"),
        ));
    }
    match map.remove("jsonrpc") {
        Some(Value::String(v)) if v == "2.0" => {}
        other => {
            return Err((
                answer_id,
                RpcError::invalid_request(format!("jsonrpc must be \"2.0\", got {other:?}")),
            ));
        }
    }
    let method = match map.remove("method") {
        Some(Value::String(m)) => m,
        _ => {
            return Err((
                answer_id,
                RpcError::invalid_request("method must be a string"),
            ));
        }
    };
    let params = map.remove("params").unwrap_or(Value::Null);
    Ok(Call { id, method, params })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_error_response_has_cometbft_fields() {
        let v = response(&json!(7), Err(RpcError::internal("tx (AB) not found")));
        assert_eq!(
            v,
            json!({"jsonrpc":"2.0","id":7,"error":{"code":-32603,"message":"Internal error","data":"tx (AB) not found"}})
        );
    }

    #[test]
    fn envelopes_without_version_or_method_are_invalid_requests() {
        let (id, e) = parse_call(json!({"id": 1, "method": "status"})).unwrap_err();
        assert_eq!((id, e.code), (json!(1), -32600));
        let (_, e) = parse_call(json!({"jsonrpc": "2.0", "id": 1, "method": 5})).unwrap_err();
        assert_eq!(e.code, -32600);
        let (_, e) = parse_call(json!([1])).unwrap_err();
        assert_eq!(e.code, -32600);
        let (_, e) = parse_call(json!({"jsonrpc":"2.0","id":{"a":1},"method":"x"})).unwrap_err();
        assert_eq!(e.code, -32600);
        let call = parse_call(json!({"jsonrpc":"2.0","method":"health"})).unwrap();
        assert!(call.id.is_none());
    }
}
