//! Errors of the client: key handling, and talking to a node.

/// A key or mnemonic that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The phrase is not a valid BIP-39 English mnemonic (word, length or checksum).
    #[error("invalid mnemonic: {0}")]
    Mnemonic(String),
    /// HD derivation failed (practically never: a derived scalar out of range).
    #[error("HD derivation of {path}: {reason}")]
    Derivation {
        /// The path.
        path: String,
        /// What bip32 said.
        reason: String,
    },
    /// The secret is not 32 bytes of hex in the curve's range.
    #[error("invalid secp256k1 secret key: {0}")]
    Secret(String),
    /// The OS had no randomness to give.
    #[error("OS randomness: {0}")]
    Randomness(String),
}

/// Talking to a node went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The node could not be reached or answered something that is not JSON-RPC.
    #[error("node {node} unreachable: {reason}")]
    Unreachable {
        /// The node's URL.
        node: String,
        /// The transport error.
        reason: String,
    },
    /// The node answered with a JSON-RPC error.
    #[error("node {node} answered {method} with an error: {reason}")]
    Rpc {
        /// The node's URL.
        node: String,
        /// The RPC method.
        method: &'static str,
        /// The error.
        reason: String,
    },
    /// `abci_query` returned a non-zero code.
    #[error("query {path} failed (codespace {codespace:?}, code {code}): {log}")]
    Query {
        /// The ABCI path.
        path: String,
        /// Module codespace.
        codespace: String,
        /// Error code.
        code: u32,
        /// The app's message.
        log: String,
    },
    /// The node's answer did not decode.
    #[error("cannot decode {what}: {reason}")]
    Decode {
        /// What was being decoded.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// `check_tx` refused the transaction: it was not added to the mempool.
    #[error("tx {hash} rejected by check_tx (codespace {codespace:?}, code {code}): {log}")]
    CheckTx {
        /// Uppercase hex SHA-256 of the TxRaw.
        hash: String,
        /// Module codespace.
        codespace: String,
        /// Error code.
        code: u32,
        /// The app's message.
        log: String,
    },
    /// The transaction was admitted but no block included it in time.
    #[error("tx {hash} was not included within {waited_ms} ms")]
    Timeout {
        /// Uppercase hex hash.
        hash: String,
        /// How long we waited.
        waited_ms: u64,
    },
    /// Simulation (`--gas auto`) refused the transaction.
    #[error("simulation failed: {0}")]
    Simulate(String),
    /// A bad argument (address, JSON, URL).
    #[error("{0}")]
    Invalid(String),
}
