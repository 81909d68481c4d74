//! Inputs and outputs of block execution.

use crate::Event;

/// The block being executed, as consensus decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockInfo {
    /// Height, starting at 1.
    pub height: u64,
    /// Block time from the header, nanoseconds since the Unix epoch (never a local clock).
    pub time_unix_nanos: u64,
    /// The chain id in the header (must equal the genesis chain id).
    pub chain_id: String,
    /// The block's hash (seeds inference: DESIGN.md section 4).
    pub block_hash: [u8; 32],
    /// The proposer's validator address.
    pub proposer: Vec<u8>,
}

/// The result of one transaction (CometBFT `ExecTxResult`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TxResult {
    /// 0 = success; else the code in `codespace`.
    pub code: u32,
    /// `sdk`, `wasm`, `ai`, or empty on success.
    pub codespace: String,
    /// Error text on failure, empty on success.
    pub log: String,
    /// The gas limit asked for.
    pub gas_wanted: u64,
    /// Gas used.
    pub gas_used: u64,
    /// Events (on failure only those of the ante handler, which took the fee).
    pub events: Vec<Event>,
    /// `TxMsgData` protobuf with each message's response.
    pub data: Vec<u8>,
}

impl TxResult {
    /// Whether the transaction succeeded.
    pub fn is_ok(&self) -> bool {
        self.code == 0
    }
}

/// What `end_block` returns.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndBlockResult {
    /// Events of the block's end (none yet: the asynchronous inference path will add some).
    pub events: Vec<Event>,
}

/// What `commit` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitResult {
    /// The height committed.
    pub height: u64,
    /// The state root after it (CometBFT puts it in the next header).
    pub app_hash: [u8; 32],
}

/// What the app knows of itself (ABCI `Info`, for the handshake after a restart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppInfo {
    /// The chain id from genesis, `None` before genesis.
    pub chain_id: Option<String>,
    /// Last committed height (0 = genesis only or nothing).
    pub last_height: u64,
    /// App hash after that height.
    pub last_app_hash: [u8; 32],
}
