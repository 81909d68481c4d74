//! Block parts, as CometBFT's `types.PartSet`: the encoded block cut into 64 KiB parts, committed
//! to by the Merkle root of the parts' bytes. The `(total, root)` pair is the block id's
//! part-set header, so a light client sees the same block id CometBFT would produce.

use tendermint::Hash;
use tendermint::block::parts::Header as PartSetHeader;

use crate::error::PartSetError;
use crate::hashes::merkle_root;

/// Size of every part but the last (CometBFT `types.BlockPartSizeBytes`).
pub const BLOCK_PART_SIZE_BYTES: usize = 65_536;

/// Most parts a block may have: bounds what a peer can make us buffer before the root check.
/// 1 600 parts of 64 KiB is CometBFT's 100 MiB `MaxBlockSizeBytes`.
pub const MAX_BLOCK_PARTS: u32 = 1_600;

/// A block's bytes split into parts, with the part-set header that commits to them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartSet {
    header: PartSetHeader,
    parts: Vec<Vec<u8>>,
}

impl PartSet {
    /// Cuts `bytes` into parts. Fails only when the block would need more than
    /// [`MAX_BLOCK_PARTS`] parts.
    pub fn from_block_bytes(bytes: &[u8]) -> Result<Self, PartSetError> {
        let parts: Vec<Vec<u8>> = if bytes.is_empty() {
            vec![Vec::new()]
        } else {
            bytes
                .chunks(BLOCK_PART_SIZE_BYTES)
                .map(<[u8]>::to_vec)
                .collect()
        };
        let total = u32::try_from(parts.len())
            .ok()
            .filter(|t| *t <= MAX_BLOCK_PARTS)
            .ok_or(PartSetError::TooManyParts { total: parts.len() })?;
        let header = PartSetHeader::new(total, Hash::Sha256(merkle_root(&parts)))
            .map_err(|_| PartSetError::TooManyParts { total: parts.len() })?;
        Ok(Self { header, parts })
    }

    /// The `(total, root)` header.
    pub fn header(&self) -> PartSetHeader {
        self.header
    }

    /// The parts in order.
    pub fn parts(&self) -> &[Vec<u8>] {
        &self.parts
    }

    /// Reassembles parts received from a peer, checking them against the header the proposer
    /// signed: the count must match, every part but the last must be exactly
    /// [`BLOCK_PART_SIZE_BYTES`], and the Merkle root must equal `header.hash`.
    pub fn assemble(header: PartSetHeader, parts: Vec<Vec<u8>>) -> Result<Vec<u8>, PartSetError> {
        if header.total == 0 || header.total > MAX_BLOCK_PARTS {
            return Err(PartSetError::TooManyParts {
                total: header.total as usize,
            });
        }
        if parts.len() != header.total as usize {
            return Err(PartSetError::WrongCount {
                expected: header.total,
                got: parts.len(),
            });
        }
        let last = parts.len() - 1;
        for (index, part) in parts.iter().enumerate() {
            let ok = if index < last {
                part.len() == BLOCK_PART_SIZE_BYTES
            } else {
                part.len() <= BLOCK_PART_SIZE_BYTES
            };
            if !ok {
                return Err(PartSetError::WrongPartSize {
                    index,
                    len: part.len(),
                });
            }
        }
        if Hash::Sha256(merkle_root(&parts)) != header.hash {
            return Err(PartSetError::RootMismatch);
        }
        Ok(parts.concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_round_trip_and_tampering_is_caught() {
        let bytes: Vec<u8> = (0..(BLOCK_PART_SIZE_BYTES * 2 + 10))
            .map(|i| (i % 251) as u8)
            .collect();
        let set = PartSet::from_block_bytes(&bytes).unwrap();
        assert_eq!(set.header().total, 3);
        assert_eq!(set.parts()[2].len(), 10);
        let back = PartSet::assemble(set.header(), set.parts().to_vec()).unwrap();
        assert_eq!(back, bytes);

        let mut bad = set.parts().to_vec();
        bad[1][0] ^= 1;
        assert_eq!(
            PartSet::assemble(set.header(), bad),
            Err(PartSetError::RootMismatch)
        );
        let short = set.parts()[..2].to_vec();
        assert!(matches!(
            PartSet::assemble(set.header(), short),
            Err(PartSetError::WrongCount {
                expected: 3,
                got: 2
            })
        ));
    }
}
