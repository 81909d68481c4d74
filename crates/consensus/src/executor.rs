//! [`BlockExecutor`]: the narrow interface consensus needs from the application.
//!
//! The node wires the real state machine (`crates/app`) to this trait. Consensus calls it from
//! one task, in height order; it never calls two methods at once.
//!
//! # Contract
//! - **Determinism.** `finalize_block` must return the same [`FinalizeResult`] on every validator
//!   for the same sequence of blocks: no clocks, no randomness, no unordered iteration. The
//!   `app_hash` it returns goes into the *next* block's header (CometBFT's deferred app hash),
//!   and `tx_outcomes` into the next header's `last_results_hash`.
//! - **Execute, then commit.** `finalize_block` executes a block without making it durable;
//!   `commit` makes it durable, after which [`BlockExecutor::last_committed`] reports the block's
//!   height (CometBFT's FinalizeBlock/Commit). Consensus stores the decided block first, then
//!   calls `commit`, so after a crash the app is at the stored height or one below it, and the
//!   host re-executes that one block: a block is never applied twice or lost.
//! - **Proposer freedom is not validity.** `prepare_txs` is the proposer's choice;
//!   `verify_vote_extension` checks format and size only (rejecting on content would let 1/3 of
//!   the validators halt the chain, DESIGN.md §6).

use tendermint::Block;
use tendermint::hash::AppHash;

use crate::keys::{Address, Signature};

/// The deterministic part of one tx's result (CometBFT `ExecTxResult` minus log, info, events,
/// codespace): exactly what `last_results_hash` commits to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TxOutcome {
    /// 0 for success, an app error code otherwise.
    pub code: u32,
    /// Result data returned to the client.
    pub data: Vec<u8>,
    /// Gas limit the tx asked for.
    pub gas_wanted: i64,
    /// Gas the tx used.
    pub gas_used: i64,
}

/// What executing a decided block produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinalizeResult {
    /// State root after the block.
    pub app_hash: AppHash,
    /// One outcome per tx, in block order.
    pub tx_outcomes: Vec<TxOutcome>,
}

/// One validator's signed vote extension from the previous height's commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommittedExtension {
    /// The validator that signed it.
    pub validator: Address,
    /// The validator's voting power at that height.
    pub voting_power: u64,
    /// The extension bytes.
    pub extension: Vec<u8>,
    /// Its signature over CometBFT's `CanonicalVoteExtension`.
    pub signature: Signature,
}

/// What the proposer asks the app for when building a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrepareRequest {
    /// Height of the block being built.
    pub height: u64,
    /// Byte budget for all txs together.
    pub max_tx_bytes: usize,
    /// Gas budget for all txs together; -1 for unlimited.
    pub max_gas: i64,
    /// The vote extensions of the previous height's commit (empty at the first height), which
    /// the app may turn into a tx of this block (DESIGN.md §2: inference results).
    pub last_extensions: Vec<CommittedExtension>,
}

/// The application as consensus sees it.
pub trait BlockExecutor: Send + 'static {
    /// The app's error type.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Txs for a new block, in order, within the request's byte and gas budgets.
    fn prepare_txs(&mut self, request: &PrepareRequest) -> Vec<Vec<u8>>;

    /// Executes a decided block; its state is not durable until [`BlockExecutor::commit`].
    fn finalize_block(&mut self, block: &Block) -> Result<FinalizeResult, Self::Error>;

    /// Makes the last finalized block's state durable.
    fn commit(&mut self) -> Result<(), Self::Error>;

    /// The last committed height (0 before the first block) and the state root after it.
    fn last_committed(&self) -> (u64, AppHash);

    /// This validator's vote extension for the block it is about to precommit.
    fn extend_vote(&mut self, block: &Block) -> Vec<u8>;

    /// Format and size check of another validator's extension (never its content).
    fn verify_vote_extension(&self, height: u64, extension: &[u8]) -> Result<(), Self::Error>;
}
