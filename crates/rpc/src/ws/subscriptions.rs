//! One connection's subscriptions and the limits CometBFT puts on them, with its error texts
//! (rpc/core/events.go, libs/pubsub): "max_subscription_clients N reached",
//! "max_subscriptions_per_client N reached", "maximum query length exceeded", "failed to parse
//! query: …", "already subscribed", "subscription not found".

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::broadcast;

use super::bus::Batch;
use crate::events::Published;
use crate::jsonrpc::RpcError;
use crate::query::{self, Condition};

/// Longest subscription query (CometBFT's `maxQueryLength`).
pub const MAX_SUBSCRIBE_QUERY_BYTES: usize = 512;

/// A subscription: the id of the `subscribe` request (every event is sent under it, as CometBFT
/// does) and its query.
#[derive(Debug)]
pub struct Subscription {
    /// The JSON-RPC id of the `subscribe` call.
    pub id: Value,
    /// The query as the client wrote it (`unsubscribe` names it the same way).
    pub query: String,
    conditions: Vec<Condition>,
}

impl Subscription {
    /// Whether `event` matches the query.
    pub fn wants(&self, event: &Published) -> bool {
        event.matches(&self.conditions)
    }
}

/// A connection's subscriptions; it listens to the bus only while it has one.
#[derive(Debug)]
pub struct Subscriptions {
    list: Vec<Subscription>,
    bus: broadcast::Sender<Arc<Batch>>,
    listening: Option<broadcast::Receiver<Arc<Batch>>>,
    max_clients: usize,
    max_per_client: usize,
}

impl Subscriptions {
    /// None yet.
    pub fn new(
        bus: broadcast::Sender<Arc<Batch>>,
        max_clients: usize,
        max_per_client: usize,
    ) -> Self {
        Self {
            list: Vec::new(),
            bus,
            listening: None,
            max_clients,
            max_per_client,
        }
    }

    /// The subscriptions, oldest first.
    pub fn list(&self) -> &[Subscription] {
        &self.list
    }

    /// Add `query` under the request id `id`.
    pub fn subscribe(&mut self, id: Value, query: &str) -> Result<(), RpcError> {
        if self.listening.is_none() && self.bus.receiver_count() >= self.max_clients {
            return Err(RpcError::internal(format!(
                "max_subscription_clients {} reached",
                self.max_clients
            )));
        }
        if self.list.len() >= self.max_per_client {
            return Err(RpcError::internal(format!(
                "max_subscriptions_per_client {} reached",
                self.max_per_client
            )));
        }
        if query.len() > MAX_SUBSCRIBE_QUERY_BYTES {
            return Err(RpcError::internal("maximum query length exceeded"));
        }
        let conditions = parse(query)?;
        if self.list.iter().any(|s| s.query == query) {
            return Err(RpcError::internal("already subscribed"));
        }
        self.list.push(Subscription {
            id,
            query: query.to_owned(),
            conditions,
        });
        if self.listening.is_none() {
            self.listening = Some(self.bus.subscribe());
        }
        Ok(())
    }

    /// Remove the subscription to `query`.
    pub fn unsubscribe(&mut self, query: &str) -> Result<(), RpcError> {
        parse(query)?;
        let before = self.list.len();
        self.list.retain(|s| s.query != query);
        if self.list.len() == before {
            return Err(RpcError::internal("subscription not found"));
        }
        self.stop_listening_if_idle();
        Ok(())
    }

    /// Remove every subscription.
    pub fn unsubscribe_all(&mut self) -> Result<(), RpcError> {
        if self.list.is_empty() {
            return Err(RpcError::internal("subscription not found"));
        }
        self.list.clear();
        self.stop_listening_if_idle();
        Ok(())
    }

    /// Drop every subscription (the bus cancelled them); returns their ids.
    pub fn cancel_all(&mut self) -> Vec<Value> {
        let ids = self.list.drain(..).map(|s| s.id).collect();
        self.listening = None;
        ids
    }

    fn stop_listening_if_idle(&mut self) {
        if self.list.is_empty() {
            self.listening = None;
        }
    }

    /// The next block's events; pending forever while there is no subscription.
    pub async fn next(&mut self) -> Result<Arc<Batch>, broadcast::error::RecvError> {
        match &mut self.listening {
            Some(rx) => rx.recv().await,
            None => std::future::pending().await,
        }
    }
}

fn parse(query: &str) -> Result<Vec<Condition>, RpcError> {
    query::parse(query)
        .map_err(|e| RpcError::internal(format!("failed to parse query: {}", e.data)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn limits_duplicates_and_unknown_queries_are_refused_with_cometbft_texts() {
        let (bus, _keep) = broadcast::channel(4);
        let mut s = Subscriptions::new(bus.clone(), 2, 2);
        s.subscribe(json!(1), "tm.event='NewBlock'").unwrap();
        assert_eq!(
            bus.receiver_count(),
            2,
            "listening once it has a subscription"
        );
        let e = s.subscribe(json!(2), "tm.event='NewBlock'").unwrap_err();
        assert_eq!(e.data, "already subscribed");
        let e = s.subscribe(json!(2), "tm.event='Tx' OR x").unwrap_err();
        assert!(e.data.starts_with("failed to parse query: "), "{}", e.data);
        s.subscribe(json!(3), "tm.event='Tx'").unwrap();
        let e = s.subscribe(json!(4), "tx.height>1").unwrap_err();
        assert_eq!(e.data, "max_subscriptions_per_client 2 reached");
        let long = format!("a.b='{}'", "x".repeat(MAX_SUBSCRIBE_QUERY_BYTES));
        let mut other = Subscriptions::new(bus.clone(), 3, 2);
        assert_eq!(
            other.subscribe(json!(1), &long).unwrap_err().data,
            "maximum query length exceeded"
        );
        let mut third = Subscriptions::new(bus.clone(), 1, 2);
        assert_eq!(
            third.subscribe(json!(1), "a.b=1").unwrap_err().data,
            "max_subscription_clients 1 reached"
        );

        assert_eq!(
            s.unsubscribe("a.b=1").unwrap_err().data,
            "subscription not found"
        );
        s.unsubscribe("tm.event='Tx'").unwrap();
        s.unsubscribe_all().unwrap();
        assert_eq!(bus.receiver_count(), 1, "no subscription, no bus receiver");
        assert_eq!(
            s.unsubscribe_all().unwrap_err().data,
            "subscription not found"
        );
    }
}
