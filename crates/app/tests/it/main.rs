//! wicas-app integration tests: scenarios through the in-process test node.

mod node;

mod ai_inference;
mod ante_rejections;
mod bank_send_moves_funds;
mod cw20_base_runs_unchanged;
mod failed_execute_rolls_back;
mod finalized_is_not_committed;
mod state_survives_kill_and_reopen;
mod submessage_gas_limit_bounds_only_the_submessage;
