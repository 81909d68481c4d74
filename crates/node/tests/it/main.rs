//! Integration tests of wicas-node: real `wicasd` processes (crash and restart, several
//! validators).

mod a_killed_validator_restarts_without_losing_or_reapplying_a_block;
mod four_validators_agree_and_a_killed_one_catches_up;
mod process;
