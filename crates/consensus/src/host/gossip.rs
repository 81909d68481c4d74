//! Mempool gossip over malachite's proposal-part channel (decision 0900).
//!
//! The node hands the host every tx its clients submitted and the mempool admitted
//! ([`TxGossip::outbound`]); the host publishes them in batches of its own (a one-message stream
//! holding a [`TxBatch`]), which gossipsub delivers to every connected validator. Batches from
//! peers go to [`TxGossip::inbound`]; the node checks each tx like a client's and does not
//! gossip it again (gossipsub already relays through the mesh). Both channels are bounded: when
//! the node is slow to take batches in, new ones are dropped (a tx missed by gossip still reaches
//! the chain through the node it was sent to).

use bytes::Bytes;
use malachitebft_app_channel::app::streaming::{StreamContent, StreamId, StreamMessage};
use tokio::sync::mpsc;

use crate::context::{ProposalPart, TxBatch};
use crate::keys::Address;

/// Most txs in one gossiped batch (the decoder refuses more).
pub const MAX_GOSSIP_BATCH_TXS: usize = 4096;
/// Most bytes of txs in one batch; well under malachite's 4 MiB gossipsub message limit.
pub const MAX_GOSSIP_BATCH_BYTES: usize = 1 << 20;

/// The node's ends of mempool gossip.
#[derive(Debug)]
pub struct TxGossip {
    /// Txs to publish (admitted from this node's clients).
    pub outbound: mpsc::Receiver<Vec<u8>>,
    /// Batches received from peers.
    pub inbound: mpsc::Sender<Vec<Vec<u8>>>,
}

/// Drains `first` and whatever else is waiting in `outbound` into one batch (bounded by
/// [`MAX_GOSSIP_BATCH_TXS`] and [`MAX_GOSSIP_BATCH_BYTES`]).
pub(super) fn drain_batch(first: Vec<u8>, outbound: &mut mpsc::Receiver<Vec<u8>>) -> TxBatch {
    let mut bytes = first.len();
    let mut txs = vec![Bytes::from(first)];
    while txs.len() < MAX_GOSSIP_BATCH_TXS && bytes < MAX_GOSSIP_BATCH_BYTES {
        match outbound.try_recv() {
            Ok(tx) => {
                bytes += tx.len();
                txs.push(Bytes::from(tx));
            }
            Err(_) => break,
        }
    }
    TxBatch { txs }
}

/// The stream message carrying `batch`: stream id `"tx" ‖ address ‖ counter` (unique per
/// publisher, so gossipsub never mistakes two batches for one), sequence 0.
pub(super) fn batch_message(
    address: &Address,
    counter: u64,
    batch: TxBatch,
) -> StreamMessage<ProposalPart> {
    let mut id = Vec::with_capacity(2 + 20 + 8);
    id.extend_from_slice(b"tx");
    id.extend_from_slice(address.as_bytes());
    id.extend_from_slice(&counter.to_be_bytes());
    StreamMessage::new(
        StreamId::new(Bytes::from(id)),
        0,
        StreamContent::Data(ProposalPart::Txs(batch)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_takes_what_is_waiting_up_to_its_bounds() {
        let (tx, mut rx) = mpsc::channel(10_000);
        for i in 0..5000u32 {
            tx.try_send(i.to_be_bytes().to_vec()).unwrap();
        }
        let first = rx.try_recv().unwrap();
        let batch = drain_batch(first, &mut rx);
        assert_eq!(batch.txs.len(), MAX_GOSSIP_BATCH_TXS);
        let next = drain_batch(rx.try_recv().unwrap(), &mut rx);
        assert_eq!(next.txs.len(), 5000 - MAX_GOSSIP_BATCH_TXS);
        let big = vec![0u8; MAX_GOSSIP_BATCH_BYTES];
        tx.try_send(vec![1]).unwrap();
        assert_eq!(drain_batch(big, &mut rx).txs.len(), 1, "a full batch stops");
    }
}
