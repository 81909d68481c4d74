//! The RPC server over an in-memory backend: every answer parsed by tendermint-rpc's own client
//! (CometBFT 0.38 dialect), websocket subscriptions and their events, and the error cases a
//! client can provoke.

mod a_tendermint_rpc_client_reads_every_answer;
mod bad_requests_get_cometbft_errors;
mod fake;
mod http;
mod websocket_subscribers_get_cometbft_events;
mod ws_client;
