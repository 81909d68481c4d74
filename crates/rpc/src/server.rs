//! The HTTP server (axum over hyper): JSON-RPC 2.0 POST at `/` (single and batch), the GET URI
//! form at `/<method>?arg=…`, JSON-RPC over a websocket at `/websocket` (see [`crate::ws`]),
//! and `GET /metrics`.

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
use crate::ws::WsShared;

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
    /// Most open websocket connections (more are refused with HTTP 503).
    pub max_ws_connections: usize,
    /// Most connections holding a subscription (CometBFT's `max_subscription_clients`).
    pub max_subscription_clients: usize,
    /// Most subscriptions of one connection (CometBFT's `max_subscriptions_per_client`).
    pub max_subscriptions_per_client: usize,
    /// Messages queued for one websocket connection (events and answers); an event that does
    /// not fit cancels the connection's subscriptions (CometBFT's `subscription_buffer_size`).
    pub ws_client_buffer: usize,
    /// How long one websocket write may wait for the client before the connection is closed
    /// (CometBFT's `writeWait`).
    pub ws_write_timeout: Duration,
}

impl Default for RpcConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            broadcast_commit_timeout: Duration::from_secs(30),
            commit_poll_interval: Duration::from_millis(100),
            // CometBFT's defaults: 100 subscription clients, 5 subscriptions each, a buffer of
            // 200 messages, a 10 s write deadline; connections are capped at the subscription
            // clients plus as many again for clients that only call methods.
            max_ws_connections: 200,
            max_subscription_clients: 100,
            max_subscriptions_per_client: 5,
            ws_client_buffer: 200,
            ws_write_timeout: Duration::from_secs(10),
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
    ws: Arc<WsShared>,
    bus: JoinHandle<()>,
}

impl RpcServer {
    /// Stop accepting connections and wait for the server task to end.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Websocket connections outlive HTTP's graceful shutdown: tell them to close.
        self.ws.closing.send_replace(true);
        self.bus.abort();
        match self.task.await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}

/// The router over `backend` (for embedding or in-process tests). Must be called inside a tokio
/// runtime: it starts the websocket event bus, which runs until the node drops its
/// committed-height sender.
pub fn router(backend: Arc<dyn Backend>, config: RpcConfig) -> Router {
    build(backend, config).0
}

fn build(backend: Arc<dyn Backend>, config: RpcConfig) -> (Router, Arc<WsShared>, JoinHandle<()>) {
    let ws = Arc::new(WsShared::new(config.max_ws_connections));
    let bus = crate::ws::bus::spawn(Arc::clone(&backend), ws.bus.clone());
    let ctx = Ctx {
        backend,
        config,
        ws: Arc::clone(&ws),
    };
    let router = Router::new()
        .route("/", get(index).post(post_rpc))
        .route("/metrics", get(get_metrics))
        .route("/websocket", get(crate::ws::upgrade))
        .route("/{method}", get(get_uri))
        .with_state(ctx);
    (router, ws, bus)
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
    let (app, ws, bus) = build(backend, config);
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
        ws,
        bus,
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
pub(crate) async fn one(ctx: &Ctx, request: Value) -> Option<Value> {
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
