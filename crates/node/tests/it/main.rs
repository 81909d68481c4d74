//! wicasd's CLI end to end: each test runs the real binary (`CARGO_BIN_EXE_wicasd`), and the
//! chain tests start `wicasd start` on free 127.0.0.1 ports in a temporary home and talk to it
//! only through the CLI, as a user would.

mod cli_bank_send_and_errors;
mod cli_contract_lifecycle;
mod cli_keys_and_genesis;
mod support;
