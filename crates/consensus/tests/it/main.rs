//! Integration tests of wicas-consensus (one binary; scenarios named as sentences).

mod a_lagging_validator_catches_up_by_sync;
mod a_proposal_streams_and_reassembles_in_any_order;
mod a_restarted_validator_resumes_without_reapplying;
mod blocks_from_peers_are_checked_field_by_field;
mod chain;
mod every_message_survives_the_codec;
mod light_client_accepts_our_commits;
mod malachite_certificates_are_cometbft_commits;
mod test_app;
mod validators_decide_blocks_in_process;
