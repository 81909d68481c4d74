//! The async edge: receive malachite's app messages, answer them with [`Host`], publish our
//! proposal parts. Nothing consensus-critical happens here.

use malachitebft_app_channel::app::engine::host::Next;
use malachitebft_app_channel::{AppMsg, Channels, NetworkMsg};

use super::error::HostError;
use super::state::Host;
use super::store::DecidedStore;
use crate::context::{ProposalPart, WicasContext};
use crate::executor::BlockExecutor;
use malachitebft_app_channel::app::streaming::StreamMessage;

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

/// Serves consensus until its channel closes. Returns an error when the node must stop (the
/// executor or the store failed, or consensus asked for something inconsistent).
///
/// A dropped reply (consensus no longer waiting) is not an error.
pub async fn run_host<E: BlockExecutor, S: DecidedStore>(
    mut host: Host<E, S>,
    mut channels: Channels<WicasContext>,
) -> Result<(), HostError> {
    while let Some(msg) = channels.consensus.recv().await {
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
                publish(&channels, messages).await?;
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
                publish(&channels, messages).await?;
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
