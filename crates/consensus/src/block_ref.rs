//! [`BlockRef`]: what consensus votes on — a CometBFT block id plus the header time.

use core::fmt;

use tendermint::Time;
use tendermint::block::Id as BlockId;

/// A reference to a proposed block: its CometBFT block id (header hash + part-set header) and
/// its header time.
///
/// The time is here so that a precommit's CometBFT sign bytes (which include a timestamp) can be
/// rebuilt from the vote alone: every precommit for a block carries the block's header time as
/// its timestamp. That makes votes deterministic (malachite replays its WAL and compares) and
/// lets a commit certificate be turned into a CometBFT `Commit` without storing per-vote times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlockRef {
    /// CometBFT block id: header hash and part-set header.
    pub block_id: BlockId,
    /// The block header's `time`.
    pub time: Time,
}

impl fmt::Display for BlockRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.block_id.hash,
            self.block_id.part_set_header.total,
            self.time.unix_timestamp_nanos()
        )
    }
}
