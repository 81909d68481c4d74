//! The CometBFT hashes a header commits to, each computed as CometBFT v0.38 computes it.
//!
//! All Merkle roots are RFC 6962 trees (`crypto/merkle.HashFromByteSlices`, implemented by
//! `tendermint::merkle::simple_hash_from_byte_vectors`); an empty list hashes to SHA-256("").

use prost::Message;
use sha2::{Digest, Sha256};
use tendermint::Hash;
use tendermint::crypto::default::Sha256 as MerkleSha256;
use tendermint::merkle::simple_hash_from_byte_vectors;
use tendermint_proto::v0_38::abci::ExecTxResult as RawExecTxResult;
use tendermint_proto::v0_38::types::{CommitSig as RawCommitSig, HashedParams};

use crate::executor::TxOutcome;

/// Merkle root of raw byte strings (leaves are hashed with the 0x00 prefix inside).
pub fn merkle_root(leaves: &[impl AsRef<[u8]>]) -> [u8; 32] {
    simple_hash_from_byte_vectors::<MerkleSha256>(leaves)
}

/// `Header.data_hash`: Merkle root of SHA-256 of each tx (CometBFT `types.Txs.Hash`).
pub fn data_hash(txs: &[Vec<u8>]) -> Hash {
    let leaves: Vec<[u8; 32]> = txs.iter().map(|tx| Sha256::digest(tx).into()).collect();
    Hash::Sha256(merkle_root(&leaves))
}

/// `Header.last_results_hash`: Merkle root of the deterministic part of each tx result
/// (`code, data, gas_wanted, gas_used` of `ExecTxResult`, CometBFT `types.ABCIResults.Hash`).
pub fn results_hash(results: &[TxOutcome]) -> Hash {
    let leaves: Vec<Vec<u8>> = results
        .iter()
        .map(|r| {
            RawExecTxResult {
                code: r.code,
                data: r.data.clone().into(),
                gas_wanted: r.gas_wanted,
                gas_used: r.gas_used,
                ..Default::default()
            }
            .encode_to_vec()
        })
        .collect();
    Hash::Sha256(merkle_root(&leaves))
}

/// `Header.consensus_hash`: SHA-256 of `HashedParams{block_max_bytes, block_max_gas}`
/// (CometBFT `types.ConsensusParams.Hash`).
pub fn consensus_hash(block_max_bytes: i64, block_max_gas: i64) -> Hash {
    let bytes = HashedParams {
        block_max_bytes,
        block_max_gas,
    }
    .encode_to_vec();
    Hash::Sha256(Sha256::digest(bytes).into())
}

/// `Header.last_commit_hash`: Merkle root of each `CommitSig`'s protobuf encoding
/// (CometBFT `types.Commit.Hash`).
pub fn commit_hash(commit: &tendermint::block::Commit) -> Hash {
    let leaves: Vec<Vec<u8>> = commit
        .signatures
        .iter()
        .map(|sig| RawCommitSig::from(sig.clone()).encode_to_vec())
        .collect();
    Hash::Sha256(merkle_root(&leaves))
}

/// `Header.evidence_hash` of an empty evidence list (wicas does not yet carry evidence).
pub fn empty_evidence_hash() -> Hash {
    Hash::Sha256(merkle_root(&[] as &[Vec<u8>]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 of the empty string, which CometBFT uses for every empty Merkle list.
    const EMPTY: &str = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";

    #[test]
    fn empty_lists_hash_like_cometbft() {
        assert_eq!(data_hash(&[]).to_string(), EMPTY);
        assert_eq!(results_hash(&[]).to_string(), EMPTY);
        assert_eq!(empty_evidence_hash().to_string(), EMPTY);
    }

    #[test]
    fn consensus_hash_covers_both_limits() {
        assert_ne!(consensus_hash(1, 2), consensus_hash(1, 3));
        assert_ne!(consensus_hash(1, 2), consensus_hash(2, 2));
    }
}
