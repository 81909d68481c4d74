//! The HTTP server (axum over hyper): JSON-RPC 2.0 POST at `/` (single and batch), the GET URI
//! form at `/<method>?arg=…`, and `GET /metrics`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::backend::Backend;
use crate::jsonrpc::{self, RpcError};
use crate::methods::{self, Ctx};
use crate::metrics;
use crate::params::Params;

/// Largest request body accepted. CometBFT's default is 1 000 000 bytes; ours is larger because
/// a contract upload (`MsgStoreCode`, up to the mempool's tx limit) travels base64-encoded in one
/// `broadcast_tx_sync` body (4/3 of the tx plus the envelope).
pub const DEFAULT_MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Most requests in one JSON-RPC batch.
pub const MAX_BATCH_REQUESTS: usize = 100;

/// The id CometBFT answers URI (GET) requests with.
const URI_ID: i64 = -1;

/// Server settings.
#[derive(Clone, Debug)]
pub struct RpcConfig {
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// How long `broadcast_tx_commit` waits for a block to include the tx (CometBFT's
    /// `timeout_broadcast_tx_commit`, default 10 s; ours is longer because a tx that runs
    /// inference may take seconds to execute).
    pub broadcast_commit_timeout: Duration,
    /// How often `broadcast_tx_commit` looks for the tx in the index.
    pub commit_poll_interval: Duration,
}

impl Default for RpcConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            broadcast_commit_timeout: Duration::from_secs(30),
            commit_poll_interval: Duration::from_millis(100),
        }
    }
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The listen address does not parse or cannot be bound.
    #[error("rpc listen address {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: String,
        /// What failed.
        source: std::io::Error,
    },
}

/// A running server; dropping it leaves the server running until [`RpcServer::shutdown`].
#[derive(Debug)]
pub struct RpcServer {
    /// The bound address (useful with port 0).
    pub local_addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RpcServer {
    /// Stop accepting connections and wait for the server task to end.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}

/// The router over `backend` (for embedding or in-process tests).
pub fn router(backend: Arc<dyn Backend>, config: RpcConfig) -> Router {
    let ctx = Ctx { backend, config };
    Router::new()
        .route("/", get(index).post(post_rpc))
        .route("/metrics", get(get_metrics))
        .route("/{method}", get(get_uri))
        .with_state(ctx)
}

/// Bind `addr` (e.g. `127.0.0.1:26657`; a `tcp://` prefix as in CometBFT's config is accepted)
/// and serve until [`RpcServer::shutdown`].
pub async fn serve(
    addr: &str,
    backend: Arc<dyn Backend>,
    config: RpcConfig,
) -> Result<RpcServer, ServeError> {
    let bare = addr.strip_prefix("tcp://").unwrap_or(addr);
    let listener = TcpListener::bind(bare)
        .await
        .map_err(|source| ServeError::Bind {
            addr: addr.to_owned(),
            source,
        })?;
    let local_addr = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: addr.to_owned(),
        source,
    })?;
    let app = router(backend, config);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    Ok(RpcServer {
        local_addr,
        stop: Some(stop),
        task,
    })
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn index() -> Response {
    let mut text = String::from("Available endpoints (JSON-RPC 2.0 POST at /, or GET):\n");
    for (name, params) in methods::METHODS {
        let args: Vec<String> = params.iter().map(|p| format!("{p}=_")).collect();
        text.push_str(&format!("//HOST/{name}?{}\n", args.join("&")));
    }
    text.push_str("//HOST/metrics (Prometheus)\n");
    (StatusCode::OK, text).into_response()
}

async fn get_metrics(State(ctx): State<Ctx>) -> Response {
    match ctx.blocking(|b| b.metrics()).await {
        Ok(m) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, metrics::CONTENT_TYPE)],
            metrics::render(&m),
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn get_uri(
    State(ctx): State<Ctx>,
    Path(method): Path<String>,
    Query(args): Query<Vec<(String, String)>>,
) -> Response {
    let id = Value::from(URI_ID);
    if methods::param_names(&method).is_none() {
        return json_response(
            StatusCode::NOT_FOUND,
            &jsonrpc::response(&id, Err(RpcError::method_not_found(&method))),
        );
    }
    let params = Params::Uri(args.into_iter().collect());
    match methods::call(&ctx, &method, &params).await {
        Ok(v) => json_response(StatusCode::OK, &jsonrpc::response(&id, Ok(v))),
        Err(e) => json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &jsonrpc::response(&id, Err(e)),
        ),
    }
}

async fn post_rpc(State(ctx): State<Ctx>, body: Body) -> Response {
    let bytes: Bytes = match axum::body::to_bytes(body, ctx.config.max_body_bytes).await {
        Ok(b) => b,
        Err(e) => {
            return json_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                &jsonrpc::response(
                    &Value::Null,
                    Err(RpcError::invalid_request(format!(
                        "error reading request body (limit {} bytes): {e}",
                        ctx.config.max_body_bytes
                    ))),
                ),
            );
        }
    };
    let parsed: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            return json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &jsonrpc::response(
                    &Value::Null,
                    Err(RpcError::parse(format!("error unmarshaling request: {e}"))),
                ),
            );
        }
    };
    match parsed {
        Value::Array(items) => {
            if items.is_empty() || items.len() > MAX_BATCH_REQUESTS {
                let e = RpcError::invalid_request(format!(
                    "a batch holds 1 to {MAX_BATCH_REQUESTS} requests, got {}",
                    items.len()
                ));
                return json_response(StatusCode::OK, &jsonrpc::response(&Value::Null, Err(e)));
            }
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                if let Some(r) = one(&ctx, item).await {
                    out.push(r);
                }
            }
            if out.is_empty() {
                return StatusCode::OK.into_response();
            }
            json_response(StatusCode::OK, &Value::Array(out))
        }
        single => match one(&ctx, single).await {
            Some(r) => json_response(StatusCode::OK, &r),
            None => StatusCode::OK.into_response(),
        },
    }
}

/// One request of a body; `None` for a notification (a request without `id`), which CometBFT
/// runs but does not answer.
async fn one(ctx: &Ctx, request: Value) -> Option<Value> {
    let call = match jsonrpc::parse_call(request) {
        Ok(c) => c,
        Err((id, e)) => return Some(jsonrpc::response(&id, Err(e))),
    };
    let outcome = match methods::param_names(&call.method) {
        None => Err(RpcError::method_not_found(&call.method)),
        Some(names) => match Params::from_json(call.params, names) {
            Ok(params) => methods::call(ctx, &call.method, &params).await,
            Err(e) => Err(e),
        },
    };
    call.id.map(|id| jsonrpc::response(&id, outcome))
}
