//! Typed errors, one enum per concern.

use thiserror::Error;

use crate::keys::Address;

/// Bad key, address or signature bytes.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// An address must be 20 bytes.
    #[error("address must be 20 bytes, got {len}")]
    AddressLength {
        /// Length received.
        len: usize,
    },
    /// An ed25519 public key must be 32 bytes.
    #[error("ed25519 public key must be 32 bytes, got {len}")]
    PublicKeyLength {
        /// Length received.
        len: usize,
    },
    /// The 32 bytes are not a valid ed25519 point encoding.
    #[error("invalid ed25519 public key encoding")]
    InvalidPublicKey,
    /// An ed25519 signature must be 64 bytes.
    #[error("ed25519 signature must be 64 bytes, got {len}")]
    SignatureLength {
        /// Length received.
        len: usize,
    },
}

/// A validator set that CometBFT would not accept.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValidatorSetError {
    /// No validators.
    #[error("validator set is empty")]
    Empty,
    /// A validator with zero voting power.
    #[error("validator {address} has zero voting power")]
    ZeroPower {
        /// The validator.
        address: Address,
    },
    /// The same address twice.
    #[error("validator {address} appears twice")]
    Duplicate {
        /// The validator.
        address: Address,
    },
    /// Total voting power above `i64::MAX / 8`.
    #[error("total voting power exceeds CometBFT's maximum (i64::MAX / 8)")]
    TotalPowerTooLarge,
}

/// Height or round outside the range CometBFT encodes (`i64` / `i32`).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignBytesError {
    /// Height above `i64::MAX`.
    #[error("height {height} is out of CometBFT's range")]
    HeightOutOfRange {
        /// The height.
        height: u64,
    },
    /// Round above `i32::MAX`.
    #[error("round {round} is out of CometBFT's range")]
    RoundOutOfRange {
        /// The round.
        round: u32,
    },
}

/// Block parts that do not match their header.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PartSetError {
    /// Zero parts or more than `MAX_BLOCK_PARTS`.
    #[error("part count {total} is zero or above the limit")]
    TooManyParts {
        /// The count.
        total: usize,
    },
    /// Not as many parts as the header says.
    #[error("expected {expected} parts, got {got}")]
    WrongCount {
        /// From the header.
        expected: u32,
        /// Received.
        got: usize,
    },
    /// A part that is not 64 KiB (or, for the last, larger than 64 KiB).
    #[error("part {index} has the wrong size {len}")]
    WrongPartSize {
        /// Which part.
        index: usize,
        /// Its size.
        len: usize,
    },
    /// The parts' Merkle root differs from the header's.
    #[error("block parts do not match the part-set root")]
    RootMismatch,
}

/// A commit that cannot be built or does not verify.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommitError {
    /// A signature from outside the validator set.
    #[error("signer {address} is not in the validator set")]
    UnknownSigner {
        /// The signer.
        address: Address,
    },
    /// Two signatures from one validator.
    #[error("validator {address} signed twice")]
    DuplicateSigner {
        /// The signer.
        address: Address,
    },
    /// Height above `i64::MAX`.
    #[error("height {height} is out of CometBFT's range")]
    HeightOutOfRange {
        /// The height.
        height: u64,
    },
    /// Round above `i32::MAX`.
    #[error("round {round} is out of CometBFT's range")]
    RoundOutOfRange {
        /// The round.
        round: u32,
    },
    /// The commit is for another height.
    #[error("commit is for height {got}, expected {expected}")]
    WrongHeight {
        /// Expected height.
        expected: u64,
        /// Commit height.
        got: u64,
    },
    /// The commit is for another block.
    #[error("commit is for a different block id")]
    WrongBlock,
    /// Not one entry per validator.
    #[error("commit has {got} signatures, the validator set has {expected} validators")]
    WrongSignatureCount {
        /// Set size.
        expected: usize,
        /// Entries.
        got: usize,
    },
    /// An entry's address is not the validator at its index.
    #[error("commit signature {index} names a different validator")]
    AddressMismatch {
        /// The index.
        index: usize,
    },
    /// A signature that does not verify.
    #[error("bad precommit signature from {address}")]
    BadSignature {
        /// The signer.
        address: Address,
    },
    /// Not more than 2/3 of the voting power.
    #[error("commit has {signed} of {total} voting power, needs more than 2/3")]
    InsufficientPower {
        /// Power that signed.
        signed: u64,
        /// Total power.
        total: u64,
    },
    /// Sign bytes could not be built.
    #[error(transparent)]
    SignBytes(#[from] SignBytesError),
}

/// A block that cannot be built, decoded or accepted.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlockError {
    /// Height would exceed `i64::MAX`.
    #[error("block height overflows")]
    HeightOverflow,
    /// The proposer is not a validator of this height.
    #[error("proposer {proposer} is not in the validator set")]
    ProposerNotValidator {
        /// The proposer.
        proposer: Address,
    },
    /// The block is by someone other than this round's proposer.
    #[error("block proposed by {got}, expected {expected}")]
    WrongProposer {
        /// Expected proposer.
        expected: Address,
        /// Proposer in the header.
        got: Address,
    },
    /// Header time not after the previous block's.
    #[error("block time does not increase")]
    TimeNotIncreasing,
    /// A last commit at the first height.
    #[error("the first block must not carry a last commit")]
    UnexpectedLastCommit,
    /// No last commit after the first height.
    #[error("block is missing the last commit")]
    MissingLastCommit,
    /// The previous validator set is needed to check the last commit.
    #[error("previous validator set unknown")]
    MissingLastValidators,
    /// Evidence is not supported yet.
    #[error("blocks with evidence are not accepted yet")]
    UnexpectedEvidence,
    /// Encoded block above `block_max_bytes`.
    #[error("block is {size} bytes, the limit is {max}")]
    TooLarge {
        /// Size.
        size: usize,
        /// Limit.
        max: usize,
    },
    /// Protobuf decoding failed.
    #[error("cannot decode block: {reason}")]
    Decode {
        /// Decoder message.
        reason: String,
    },
    /// A header field differs from what this node computes.
    #[error("header field {field} does not match")]
    HeaderMismatch {
        /// The first differing field.
        field: &'static str,
    },
    /// Bad proposer address bytes.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The last commit does not verify.
    #[error("last commit: {0}")]
    LastCommit(#[from] CommitError),
    /// Parts could not be built.
    #[error(transparent)]
    Parts(#[from] PartSetError),
}

/// Chain parameters out of range.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamsError {
    /// `block_max_bytes` not in `1..=100 MiB`.
    #[error("block_max_bytes {value} must be between 1 and 104857600")]
    BlockMaxBytes {
        /// The value.
        value: i64,
    },
    /// `block_max_gas` neither -1 nor positive.
    #[error("block_max_gas {value} must be -1 (unlimited) or positive")]
    BlockMaxGas {
        /// The value.
        value: i64,
    },
}
