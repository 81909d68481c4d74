//! The event bus: one task watches the node's committed height and, for every new height,
//! builds that block's events once and broadcasts them to the subscribed connections.
//!
//! The node only announces heights (a `watch` channel); the events are read back through the
//! [`Backend`], so the bus can never publish a height the RPC would not serve, and a height it
//! missed while busy is read from the stores rather than lost.

use std::sync::Arc;

use tokio::sync::broadcast;
use tokio::task::JoinHandle;

use crate::backend::Backend;
use crate::events::{self, Published};

/// Blocks the bus holds for a connection that has not taken them yet; a connection further
/// behind is a slow client and its subscriptions are cancelled (`broadcast`'s `Lagged`).
pub const BUS_BLOCKS: usize = 16;

/// One committed block's events, shared by every connection.
#[derive(Debug)]
pub struct Batch {
    /// `NewBlock`, `NewBlockHeader`, then one `Tx` per tx.
    pub events: Vec<Published>,
}

/// Start the bus; it ends when the node drops its committed-height sender.
pub fn spawn(backend: Arc<dyn Backend>, sender: broadcast::Sender<Arc<Batch>>) -> JoinHandle<()> {
    let mut heights = backend.committed_heights();
    tokio::spawn(async move {
        let mut next = *heights.borrow_and_update() + 1;
        while heights.changed().await.is_ok() {
            let top = *heights.borrow_and_update();
            if sender.receiver_count() == 0 {
                // Nobody subscribed: nothing to build.
                next = top + 1;
                continue;
            }
            while next <= top {
                let (b, height) = (Arc::clone(&backend), next);
                let built =
                    tokio::task::spawn_blocking(move || events::for_height(b.as_ref(), height))
                        .await;
                // A height whose rows cannot be read (a store error) is skipped: its events
                // cannot be built, and the next heights must still flow.
                if let Ok(Ok(events)) = built {
                    let _ = sender.send(Arc::new(Batch { events }));
                }
                next += 1;
            }
        }
    })
}
