//! wicas-app integration tests: scenarios through the in-process test node.

mod node;

mod ante_rejections;
mod bank_send_moves_funds;
mod state_survives_kill_and_reopen;
