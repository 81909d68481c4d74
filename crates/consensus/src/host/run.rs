//! The async edge: receive malachite's app messages, answer them with [`Host`], publish our
//! proposal parts. Nothing consensus-critical happens here.

use malachitebft_app_channel::app::engine::host::Next;
use malachitebft_app_channel::{AppMsg, Channels, NetworkMsg};

use tokio::sync::mpsc;

use super::error::HostError;
use super::gossip::{TxGossip, batch_message, drain_batch};
use super::state::Host;
use super::store::DecidedStore;
use crate::context::{ProposalPart, WicasContext};
use crate::executor::BlockExecutor;
use malachitebft_app_channel::app::streaming::{StreamContent, StreamMessage};

async fn publish(
    channels: &Channels<WicasContext>,
    messages: Vec<StreamMessage<ProposalPart>>,
) -> Result<(), HostError> {
    for m in messages {
        channels
            .network
            .send(NetworkMsg::PublishProposalPart(m))
            .await
            .map_err(|_| HostError::ChannelClosed)?;
    }
    Ok(())
}

/// Serves consensus until its channel closes, and publishes mempool gossip. Returns an error
/// when the node must stop (the executor or the store failed, or consensus asked for something
/// inconsistent).
///
/// A dropped reply (consensus no longer waiting) is not an error.
pub async fn run_host<E: BlockExecutor, S: DecidedStore>(
    mut host: Host<E, S>,
    mut channels: Channels<WicasContext>,
    gossip: Option<TxGossip>,
) -> Result<(), HostError> {
    let (mut outbound, inbound) = match gossip {
        Some(g) => (Some(g.outbound), Some(g.inbound)),
        None => (None, None),
    };
    let mut published: u64 = 0;
    loop {
        let to_publish = async {
            match outbound.as_mut() {
                Some(rx) => rx.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            msg = channels.consensus.recv() => match msg {
                Some(msg) => handle(&mut host, &channels, msg, inbound.as_ref()).await?,
                None => return Ok(()),
            },
            Some(first) = to_publish => {
                let Some(rx) = outbound.as_mut() else { continue };
                let batch = drain_batch(first, rx);
                published += 1;
                let message = batch_message(&host.address(), published, batch);
                publish(&channels, vec![message]).await?;
            }
        }
    }
}

async fn handle<E: BlockExecutor, S: DecidedStore>(
    host: &mut Host<E, S>,
    channels: &Channels<WicasContext>,
    msg: AppMsg<WicasContext>,
    inbound: Option<&mpsc::Sender<Vec<Vec<u8>>>>,
) -> Result<(), HostError> {
    {
        match msg {
            AppMsg::ConsensusReady { reply } => {
                let _ = reply.send(host.consensus_ready());
            }
            AppMsg::StartedRound {
                height,
                round,
                role,
                reply_value,
                ..
            } => {
                let _ = reply_value.send(host.started_round(height, round, role)?);
            }
            AppMsg::GetValue {
                height,
                round,
                reply,
                ..
            } => {
                let (value, messages) = host.get_value(height, round)?;
                let _ = reply.send(value);
                publish(channels, messages).await?;
            }
            AppMsg::ExtendVote {
                value_id, reply, ..
            } => {
                let _ = reply.send(host.extend_vote(&value_id));
            }
            AppMsg::VerifyVoteExtensions {
                height,
                extensions,
                reply,
                ..
            } => {
                let _ = reply.send(host.verify_vote_extensions(height, extensions));
            }
            AppMsg::RestreamProposal {
                height,
                round,
                valid_round,
                address,
                value_id,
            } => {
                let messages = host.restream(height, round, valid_round, &address, &value_id)?;
                publish(channels, messages).await?;
            }
            AppMsg::GetHistoryMinHeight { reply } => {
                let _ = reply.send(host.history_min_height()?);
            }
            AppMsg::ReceivedProposalPart {
                from,
                published_by,
                part,
                reply,
            } => {
                // Mempool gossip rides this channel but is no proposal: to the mempool (dropped
                // when the node is behind on taking batches; the channel is bounded).
                if let StreamContent::Data(ProposalPart::Txs(batch)) = &part.content {
                    if let Some(inbound) = inbound {
                        let txs = batch.txs.iter().map(|t| t.to_vec()).collect();
                        let _ = inbound.try_send(txs);
                    }
                    let _ = reply.send(None);
                    return Ok(());
                }
                // Streams are keyed by their publisher: gossip may relay one stream's parts
                // through different peers. A bad stream is the peer's problem (answer "nothing");
                // a store failure is ours (stop).
                let publisher = published_by.unwrap_or(from);
                let value = match host.received_part(&publisher.to_bytes(), part) {
                    Ok(value) => value,
                    Err(HostError::Stream(_)) => None,
                    Err(e) => return Err(e),
                };
                let _ = reply.send(value);
            }
            AppMsg::Decided {
                certificate,
                extensions,
                reply,
            } => {
                host.decided(&certificate, &extensions)?;
                let _ = reply.send(());
            }
            AppMsg::Finalized {
                certificate,
                extensions,
                reply,
                ..
            } => {
                let (height, params) = host.finalized(&certificate, &extensions)?;
                let _ = reply.send(Next::Start(height, params));
            }
            AppMsg::GetDecidedValues { range, reply } => {
                let _ = reply.send(host.decided_values(*range.start(), *range.end())?);
            }
            AppMsg::ProcessSyncedValue {
                height,
                round,
                proposer,
                value_bytes,
                reply,
            } => {
                let _ = reply.send(host.process_synced_value(height, round, proposer, value_bytes));
            }
        }
    }
    Ok(())
}
