//! The guest's view of time and chance: fixed, so that a program cannot observe the host.

use std::time::Duration;

use wasmtime_wasi::{HostMonotonicClock, HostWallClock};

/// A wall clock stopped at the Unix epoch.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ZeroWallClock;

impl HostWallClock for ZeroWallClock {
    fn resolution(&self) -> Duration {
        Duration::from_nanos(1)
    }

    fn now(&self) -> Duration {
        Duration::ZERO
    }
}

/// A monotonic clock that never moves.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ZeroMonotonicClock;

impl HostMonotonicClock for ZeroMonotonicClock {
    fn resolution(&self) -> u64 {
        1
    }

    fn now(&self) -> u64 {
        0
    }
}

/// The bytes every "random" request cycles through (secure and insecure alike). A program that
/// needs real randomness must get a seed from consensus data as an argument instead.
pub(crate) const FIXED_RANDOM: [u8; 8] = *b"wicas\x00\x00\x01";

/// The seed `wasi:random/insecure-seed` returns.
pub(crate) const FIXED_RANDOM_SEED: u128 = 0x7769_6361_735f_7365_6564_0000_0000_0001;
