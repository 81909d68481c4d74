//! JSON-RPC over a websocket at `/websocket`, as CometBFT 0.38 serves it: every method of the
//! HTTP form, plus `subscribe`, `unsubscribe` and `unsubscribe_all`. An event is sent as a
//! response to the `subscribe` request that asked for it (same `id`):
//! `{"jsonrpc":"2.0","id":<id>,"result":{"query":…,"data":{"type":"tendermint/event/…",
//! "value":{…}},"events":{"tm.event":[…],…}}}`.
//!
//! Bounds (each in [`crate::RpcConfig`]): open websocket connections, connections holding a
//! subscription, subscriptions per connection, and one bounded outgoing queue per connection.
//! A connection whose queue cannot take an event (it does not read fast enough) has all its
//! subscriptions cancelled with CometBFT's `-32000` "subscription was canceled (reason: client
//! is not pulling messages fast enough)"; one whose socket does not accept a write within
//! `ws_write_timeout` is closed. A notification (a request without `id`) is ignored, as
//! CometBFT does; a frame that is not a JSON-RPC request gets the HTTP form's error.

pub mod bus;
mod subscriptions;

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::{Semaphore, broadcast, mpsc, watch};

pub use subscriptions::MAX_SUBSCRIBE_QUERY_BYTES;

use crate::jsonrpc::{self, RpcError};
use crate::methods::Ctx;
use crate::params::Params;
use bus::Batch;
use subscriptions::Subscriptions;

/// Requests of one connection waiting for (or in) execution; more are refused until one ends.
pub const MAX_PENDING_REQUESTS: usize = 16;

/// What every websocket connection shares.
#[derive(Debug)]
pub struct WsShared {
    /// The event bus.
    pub bus: broadcast::Sender<Arc<Batch>>,
    /// One permit per open connection.
    pub connections: Arc<Semaphore>,
    /// Set when the server shuts down: every connection closes.
    pub closing: watch::Sender<bool>,
}

impl WsShared {
    /// A bus with no subscriber and room for `max_connections` connections.
    pub fn new(max_connections: usize) -> Self {
        Self {
            bus: broadcast::channel(bus::BUS_BLOCKS).0,
            connections: Arc::new(Semaphore::new(max_connections)),
            closing: watch::channel(false).0,
        }
    }
}

/// `GET /websocket`: upgrade, unless every connection slot is taken (HTTP 503).
pub async fn upgrade(State(ctx): State<Ctx>, ws: WebSocketUpgrade) -> Response {
    let Ok(permit) = Arc::clone(&ctx.ws.connections).try_acquire_owned() else {
        let e = RpcError::internal(format!(
            "too many websocket connections (max {})",
            ctx.config.max_ws_connections
        ));
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            jsonrpc::response(&Value::Null, Err(e)).to_string(),
        )
            .into_response();
    };
    ws.max_message_size(ctx.config.max_body_bytes)
        .on_upgrade(move |socket| async move {
            run(ctx, socket).await;
            drop(permit);
        })
}

fn text(id: &Value, outcome: Result<Value, RpcError>) -> String {
    jsonrpc::response(id, outcome).to_string()
}

async fn run(ctx: Ctx, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let (out, mut queue) = mpsc::channel::<String>(ctx.config.ws_client_buffer.max(1));
    let write_timeout = ctx.config.ws_write_timeout;
    let writer = tokio::spawn(async move {
        while let Some(t) = queue.recv().await {
            let sent =
                tokio::time::timeout(write_timeout, sink.send(Message::Text(t.into()))).await;
            if !matches!(sent, Ok(Ok(()))) {
                return;
            }
        }
        let _ = tokio::time::timeout(write_timeout, sink.close()).await;
    });
    let (requests, pending) = mpsc::channel::<Value>(MAX_PENDING_REQUESTS);
    let worker = tokio::spawn(serve_requests(ctx.clone(), pending, out.clone()));
    let mut subs = Subscriptions::new(
        ctx.ws.bus.clone(),
        ctx.config.max_subscription_clients,
        ctx.config.max_subscriptions_per_client,
    );
    let mut closing = ctx.ws.closing.subscribe();
    loop {
        tokio::select! {
            frame = stream.next() => {
                let bytes = match frame {
                    Some(Ok(Message::Text(t))) => t.as_str().as_bytes().to_vec(),
                    Some(Ok(Message::Binary(b))) => b.to_vec(),
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                };
                on_frame(&bytes, &mut subs, &requests, &out);
            }
            batch = subs.next() => match batch {
                Ok(batch) => deliver(&batch, &mut subs, &out),
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    cancel(&mut subs, &out, "client is not pulling messages fast enough");
                }
                Err(broadcast::error::RecvError::Closed) => {
                    cancel(&mut subs, &out, "the node is shutting down");
                }
            },
            _ = out.closed() => break,
            _ = closing.changed() => break,
        }
    }
    worker.abort();
    drop((out, requests));
    let _ = writer.await;
}

/// One frame from the client.
fn on_frame(
    bytes: &[u8],
    subs: &mut Subscriptions,
    requests: &mpsc::Sender<Value>,
    out: &mpsc::Sender<String>,
) {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            let e = RpcError::parse(format!("error unmarshaling request: {e}"));
            let _ = out.try_send(text(&Value::Null, Err(e)));
            return;
        }
    };
    let method = value.get("method").and_then(Value::as_str);
    if !matches!(
        method,
        Some("subscribe" | "unsubscribe" | "unsubscribe_all")
    ) {
        if let Err(mpsc::error::TrySendError::Full(v)) = requests.try_send(value) {
            let id = v.get("id").cloned().unwrap_or(Value::Null);
            let e = RpcError::internal(format!(
                "too many requests in flight on this connection (max {MAX_PENDING_REQUESTS})"
            ));
            let _ = out.try_send(text(&id, Err(e)));
        }
        return;
    }
    let call = match jsonrpc::parse_call(value) {
        Ok(c) => c,
        Err((id, e)) => {
            let _ = out.try_send(text(&id, Err(e)));
            return;
        }
    };
    // A notification is not answered, and CometBFT does not run it either.
    let Some(id) = call.id else { return };
    let outcome = match call.method.as_str() {
        "unsubscribe_all" => subs.unsubscribe_all(),
        method => Params::from_json(call.params, &["query"])
            .and_then(|p| p.str("query"))
            .and_then(|query| match method {
                "subscribe" => subs.subscribe(id.clone(), &query),
                _ => subs.unsubscribe(&query),
            }),
    };
    let _ = out.try_send(text(
        &id,
        outcome.map(|()| Value::Object(Default::default())),
    ));
}

/// Every other method, in order, through the HTTP form's code path.
async fn serve_requests(ctx: Ctx, mut pending: mpsc::Receiver<Value>, out: mpsc::Sender<String>) {
    while let Some(request) = pending.recv().await {
        let is_notification = request.get("id").is_none() && request.is_object();
        if is_notification {
            continue;
        }
        if let Some(answer) = crate::server::one(&ctx, request).await
            && out.send(answer.to_string()).await.is_err()
        {
            return;
        }
    }
}

/// Queue a block's events for the subscriptions that want them, keeping one slot per
/// subscription free for a cancellation notice; when the queue is that full, the client is
/// slow and every subscription is cancelled.
fn deliver(batch: &Batch, subs: &mut Subscriptions, out: &mpsc::Sender<String>) {
    let mut slow = false;
    'events: for event in &batch.events {
        for s in subs.list().iter().filter(|s| s.wants(event)) {
            if out.capacity() <= subs.list().len() {
                slow = true;
                break 'events;
            }
            let query = Value::from(s.query.as_str());
            let _ = out.try_send(format!(
                r#"{{"jsonrpc":"2.0","id":{},"result":{{"query":{query},"data":{},"events":{}}}}}"#,
                s.id, event.data, event.events_json
            ));
        }
    }
    if slow {
        cancel(subs, out, "client is not pulling messages fast enough");
    }
}

fn cancel(subs: &mut Subscriptions, out: &mpsc::Sender<String>, reason: &str) {
    for id in subs.cancel_all() {
        let e = RpcError::server(format!("subscription was canceled (reason: {reason})"));
        let _ = out.try_send(text(&id, Err(e)));
    }
}
