//! Integration tests of wicas-node. Most run the real binary (`CARGO_BIN_EXE_wicasd`): the CLI
//! end to end against `wicasd start` on free 127.0.0.1 ports in a temporary home, as a user
//! would; crash and restart of a validator; several validators as separate processes. The RPC
//! tests start a chain in-process (`wicas_node::start`) and talk to its RPC over HTTP and the
//! websocket.

mod a_committed_tx_is_served_consistently_and_survives_a_restart;
mod a_killed_validator_restarts_without_losing_or_reapplying_a_block;
mod a_tx_sent_to_one_validator_reaches_the_others_and_leaves_every_mempool;
mod cli_bank_send_and_errors;
mod cli_contract_lifecycle;
mod cli_keys_and_genesis;
mod four_validators_agree_and_a_killed_one_catches_up;
mod process;
mod rpc_support;
mod status_is_one_consistent_snapshot_from_genesis_on;
mod support;
mod websocket_subscribers_receive_new_blocks_and_their_txs;
#[allow(dead_code)] // reason: shared with crates/rpc's tests; these use a subset of it
#[path = "../../../rpc/tests/it/ws_client.rs"]
mod ws_client;
