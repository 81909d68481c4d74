//! A bare websocket JSON-RPC client (tokio-tungstenite) that keeps every message it reads, so a
//! test can wait for the one it wants whatever order answers and events arrive in.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub struct Ws {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Messages read but not yet taken.
    pub seen: Vec<Value>,
}

impl Ws {
    pub async fn connect(addr: SocketAddr) -> Result<Self, tokio_tungstenite::tungstenite::Error> {
        let (socket, _) =
            tokio_tungstenite::connect_async(format!("ws://{addr}/websocket")).await?;
        Ok(Self {
            socket,
            seen: Vec::new(),
        })
    }

    pub async fn send_raw(&mut self, m: Message) {
        self.socket.send(m).await.unwrap();
    }

    pub async fn call(&mut self, id: Value, method: &str, params: Value) {
        let request = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(Message::Text(request.to_string().into()))
            .await;
    }

    /// The next message, `None` once the server closed the connection (or after `wait`).
    pub async fn read(&mut self, wait: Duration) -> Option<Value> {
        loop {
            match tokio::time::timeout(wait, self.socket.next()).await {
                Err(_) | Ok(None | Some(Err(_))) => return None,
                Ok(Some(Ok(Message::Text(t)))) => {
                    return Some(serde_json::from_str(t.as_str()).unwrap());
                }
                Ok(Some(Ok(Message::Close(_)))) => return None,
                Ok(Some(Ok(_))) => {}
            }
        }
    }

    /// Whether the server ends the connection within `wait` (messages before that are kept).
    pub async fn closed(&mut self, wait: Duration) -> bool {
        let until = tokio::time::Instant::now() + wait;
        loop {
            let left = until.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.socket.next()).await {
                Err(_) => return false,
                Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return true,
                Ok(Some(Ok(Message::Text(t)))) => {
                    self.seen.push(serde_json::from_str(t.as_str()).unwrap());
                }
                Ok(Some(Ok(_))) => {}
            }
        }
    }

    /// The first message (kept or read within 20 s) that `want` accepts; panics otherwise.
    pub async fn take(&mut self, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&want) {
            return self.seen.remove(i);
        }
        let until = tokio::time::Instant::now() + Duration::from_secs(20);
        while tokio::time::Instant::now() < until {
            match self.read(Duration::from_secs(1)).await {
                Some(m) if want(&m) => return m,
                Some(m) => self.seen.push(m),
                None => {}
            }
        }
        panic!("no {what} within 20 s; kept: {:?}", self.seen);
    }

    /// The answer to request `id`.
    pub async fn answer(&mut self, id: Value) -> Value {
        let what = format!("answer to {id}");
        // Events carry their subscription's id too; an answer has no `result.query`.
        self.take(&what, |m| {
            m["id"] == id && m["result"].get("query").is_none()
        })
        .await
    }

    /// The next event of subscription `id` whose `tm.event` is `kind`.
    pub async fn event(&mut self, id: Value, kind: &str) -> Value {
        let what = format!("{kind} event for {id}");
        self.take(&what, |m| {
            m["id"] == id && m["result"]["events"]["tm.event"][0] == kind
        })
        .await
    }
}
