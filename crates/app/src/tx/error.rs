//! Why a transaction was refused before its messages ran. Codes follow the Cosmos SDK's
//! `types/errors` (codespace `sdk`) so clients show familiar errors.

use crate::AddressError;
use crate::bank::BankError;
use crate::coin::CoinError;
use crate::gas::OutOfGas;
use crate::state::StateError;

/// A refused transaction. Whatever the variant, the state is unchanged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnteError {
    /// Larger than the `max_tx_bytes` parameter (code 21).
    #[error("tx too large: {size} bytes, max {max}")]
    TooLarge {
        /// Size of the transaction.
        size: usize,
        /// The limit.
        max: u64,
    },
    /// The bytes are not a valid `TxRaw`, `TxBody`, `AuthInfo` or message (code 2).
    #[error("tx parse error: {what}: {reason}")]
    Decode {
        /// Which part failed.
        what: &'static str,
        /// The decoder's complaint.
        reason: String,
    },
    /// A message type this chain does not know (code 2, as the SDK's interface registry says).
    #[error("unable to resolve type URL {0}: tx parse error")]
    UnknownMessage(String),
    /// A structurally invalid transaction (code 18).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// Extension options are not accepted (code 31).
    #[error("unknown extension options")]
    ExtensionOptions,
    /// Memo longer than the parameter (code 12).
    #[error("maximum number of characters is {max} but received {len} characters: memo too large")]
    MemoTooLarge {
        /// Characters in the memo.
        len: usize,
        /// The limit.
        max: u64,
    },
    /// The block is past the transaction's timeout height (code 30).
    #[error("block height {height} is past the tx timeout height {timeout}")]
    TimeoutHeight {
        /// Current block height.
        height: u64,
        /// The tx's timeout.
        timeout: u64,
    },
    /// Wrong number of signatures or signer infos (code 4).
    #[error("wrong number of signers; expected {expected}, got {got}")]
    SignerCount {
        /// Signers the messages require.
        expected: usize,
        /// Signatures or signer infos present.
        got: usize,
    },
    /// More signatures than `tx_sig_limit` (code 14).
    #[error("signatures: {got}, limit: {limit}: too many signatures")]
    TooManySignatures {
        /// Signatures present.
        got: usize,
        /// The limit.
        limit: u64,
    },
    /// A sign mode other than `SIGN_MODE_DIRECT`, a fee granter, or another feature not
    /// supported (code 37).
    #[error("not supported: {0}")]
    NotSupported(String),
    /// A public key of the wrong type or length, missing, or not matching the signer (code 8).
    #[error("invalid pubkey: {0}")]
    InvalidPubKey(String),
    /// An invalid address in a message or the fee payer (code 7).
    #[error("invalid address: {0}")]
    InvalidAddress(#[from] AddressError),
    /// The signer has no account (code 9).
    #[error("account {0} does not exist: unknown address")]
    UnknownAddress(String),
    /// The sequence in the signer info is not the account's (code 32). Replays land here.
    #[error(
        "account sequence mismatch, expected {expected}, got {got}: incorrect account sequence"
    )]
    WrongSequence {
        /// The account's sequence.
        expected: u64,
        /// The one signed.
        got: u64,
    },
    /// Gas limit zero or above `max_tx_gas` (code 41).
    #[error("invalid gas limit {limit}: must be in 1..={max}")]
    InvalidGasLimit {
        /// Asked for.
        limit: u64,
        /// The maximum.
        max: u64,
    },
    /// Fee below `gas_limit × min_gas_price`, or in another denom (code 13).
    #[error("insufficient fee; got: {got} required: {required}: insufficient fee")]
    InsufficientFee {
        /// The fee offered.
        got: String,
        /// The least fee accepted.
        required: String,
    },
    /// Coins in a message invalid (code 10).
    #[error("invalid coins: {0}")]
    InvalidCoins(String),
    /// Fee coins invalid (code 10).
    #[error("invalid fee: {0}")]
    InvalidFee(#[from] CoinError),
    /// The payer cannot pay the fee (code 5).
    #[error("{0}")]
    FeePayment(#[from] BankError),
    /// The signature does not verify (code 4). A wrong chain id, account number or sequence in
    /// the signed document also lands here: they are only in what was signed.
    #[error(
        "signature verification failed; please verify account number ({account_number}), sequence ({sequence}) and chain-id ({chain_id}): unauthorized"
    )]
    BadSignature {
        /// The account number checked.
        account_number: u64,
        /// The sequence checked.
        sequence: u64,
        /// This chain's id.
        chain_id: String,
    },
    /// The ante handler ran out of gas (code 11).
    #[error(transparent)]
    OutOfGas(#[from] OutOfGas),
    /// State could not be read (code 1: a node fault).
    #[error(transparent)]
    State(#[from] StateError),
}

impl AnteError {
    /// ABCI code in the `sdk` codespace.
    pub fn code(&self) -> u32 {
        match self {
            Self::TooLarge { .. } => 21,
            Self::Decode { .. } | Self::UnknownMessage(_) => 2,
            Self::InvalidRequest(_) => 18,
            Self::ExtensionOptions => 31,
            Self::MemoTooLarge { .. } => 12,
            Self::TimeoutHeight { .. } => 30,
            Self::SignerCount { .. } | Self::BadSignature { .. } => 4,
            Self::TooManySignatures { .. } => 14,
            Self::NotSupported(_) => 37,
            Self::InvalidPubKey(_) => 8,
            Self::InvalidAddress(_) => 7,
            Self::UnknownAddress(_) => 9,
            Self::WrongSequence { .. } => 32,
            Self::InvalidGasLimit { .. } => 41,
            Self::InsufficientFee { .. } => 13,
            Self::InvalidFee(_) | Self::InvalidCoins(_) => 10,
            Self::FeePayment(e) => e.code(),
            Self::OutOfGas(_) => 11,
            Self::State(_) => 1,
        }
    }

    pub(crate) fn decode(what: &'static str, reason: impl std::fmt::Display) -> Self {
        Self::Decode {
            what,
            reason: reason.to_string(),
        }
    }
}
