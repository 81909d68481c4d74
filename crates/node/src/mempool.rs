//! The in-process mempool: admitted transactions in arrival order, bounded in count and bytes.
//!
//! Admission itself (decoding, signature, sequence, fee) is the app's `check_tx`, run by
//! [`crate::NodeHandle::submit`]; this type only keeps what was admitted, refuses what does not
//! fit ("mempool full"), hands the proposer a prefix within the block's budgets, and forgets the
//! transactions a committed block included.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// A transaction's hash: SHA-256 of its bytes (CometBFT's tx hash).
pub type TxHash = [u8; 32];

/// The hash of `tx`.
pub fn tx_hash(tx: &[u8]) -> TxHash {
    Sha256::digest(tx).into()
}

/// Limits of the mempool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MempoolConfig {
    /// Most transactions held at once.
    pub max_txs: usize,
    /// Most bytes (sum of transaction sizes) held at once.
    pub max_bytes: usize,
    /// Largest single transaction accepted.
    pub max_tx_bytes: usize,
}

impl Default for MempoolConfig {
    /// CometBFT's defaults: 5000 txs, 1 GiB, 1 MiB per tx.
    fn default() -> Self {
        Self {
            max_txs: 5000,
            max_bytes: 1 << 30,
            max_tx_bytes: 1 << 20,
        }
    }
}

/// Why a transaction was not added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MempoolError {
    /// The pool holds its maximum count or bytes.
    #[error(
        "mempool full: {txs} txs and {bytes} bytes held (limits {max_txs} txs, {max_bytes} bytes)"
    )]
    Full {
        /// Transactions held.
        txs: usize,
        /// Bytes held.
        bytes: usize,
        /// Count limit.
        max_txs: usize,
        /// Byte limit.
        max_bytes: usize,
    },
    /// The transaction alone exceeds the per-transaction limit.
    #[error("tx too large: {size} bytes (max {max})")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The same bytes are already in the pool.
    #[error("tx already in mempool: {}", hex::encode(.0))]
    Duplicate(TxHash),
    /// The transaction is empty.
    #[error("empty tx")]
    Empty,
}

#[derive(Debug, Clone)]
struct Entry {
    hash: TxHash,
    tx: Vec<u8>,
    gas_wanted: u64,
}

/// Admitted transactions in arrival order.
#[derive(Debug, Clone, Default)]
pub struct Mempool {
    config: MempoolConfig,
    /// By arrival number.
    entries: BTreeMap<u64, Entry>,
    /// Arrival number by hash.
    by_hash: BTreeMap<TxHash, u64>,
    next: u64,
    bytes: usize,
}

impl Mempool {
    /// An empty pool with `config`'s limits.
    pub fn new(config: MempoolConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// Transactions held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Whether `tx` is held.
    pub fn contains(&self, hash: &TxHash) -> bool {
        self.by_hash.contains_key(hash)
    }

    /// Whether `tx` could be added (size, duplicate, room); the caller checks this before
    /// running the app's `check_tx`, so a refused tx leaves the app's check state untouched.
    pub fn can_add(&self, tx: &[u8]) -> Result<TxHash, MempoolError> {
        if tx.is_empty() {
            return Err(MempoolError::Empty);
        }
        if tx.len() > self.config.max_tx_bytes {
            return Err(MempoolError::TooLarge {
                size: tx.len(),
                max: self.config.max_tx_bytes,
            });
        }
        let hash = tx_hash(tx);
        if self.contains(&hash) {
            return Err(MempoolError::Duplicate(hash));
        }
        if self.entries.len() >= self.config.max_txs
            || self.bytes.saturating_add(tx.len()) > self.config.max_bytes
        {
            return Err(MempoolError::Full {
                txs: self.entries.len(),
                bytes: self.bytes,
                max_txs: self.config.max_txs,
                max_bytes: self.config.max_bytes,
            });
        }
        Ok(hash)
    }

    /// Add an admitted transaction asking for `gas_wanted`.
    pub fn add(&mut self, tx: Vec<u8>, gas_wanted: u64) -> Result<TxHash, MempoolError> {
        let hash = self.can_add(&tx)?;
        self.bytes += tx.len();
        self.by_hash.insert(hash, self.next);
        self.entries.insert(
            self.next,
            Entry {
                hash,
                tx,
                gas_wanted,
            },
        );
        self.next += 1;
        Ok(hash)
    }

    /// The longest prefix (in arrival order) whose bytes fit `max_bytes` and whose gas fits
    /// `max_gas` (-1 = unlimited). `overhead` bytes are counted per tx (its framing in a block).
    pub fn reap(&self, max_bytes: usize, max_gas: i64, overhead: usize) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut bytes = 0usize;
        let mut gas = 0u64;
        for e in self.entries.values() {
            let b = bytes.saturating_add(e.tx.len() + overhead);
            let g = gas.saturating_add(e.gas_wanted);
            if b > max_bytes || (max_gas >= 0 && g > max_gas.unsigned_abs()) {
                break;
            }
            bytes = b;
            gas = g;
            out.push(e.tx.clone());
        }
        out
    }

    /// Drop the transactions a committed block included.
    pub fn remove_committed<'a>(&mut self, txs: impl IntoIterator<Item = &'a [u8]>) {
        for tx in txs {
            let hash = tx_hash(tx);
            if let Some(n) = self.by_hash.remove(&hash)
                && let Some(e) = self.entries.remove(&n)
            {
                self.bytes -= e.tx.len();
            }
        }
    }

    /// Keep only the transactions `keep` accepts, visited in arrival order (re-checking after a
    /// commit: a tx whose sequence or funds a block consumed is evicted). Returns the evicted.
    pub fn retain(&mut self, mut keep: impl FnMut(&[u8]) -> bool) -> Vec<TxHash> {
        let mut evicted = Vec::new();
        let numbers: Vec<u64> = self.entries.keys().copied().collect();
        for n in numbers {
            let Some(e) = self.entries.get(&n) else {
                continue;
            };
            if !keep(&e.tx) {
                let hash = e.hash;
                self.bytes -= e.tx.len();
                self.entries.remove(&n);
                self.by_hash.remove(&hash);
                evicted.push(hash);
            }
        }
        evicted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(max_txs: usize, max_bytes: usize) -> Mempool {
        Mempool::new(MempoolConfig {
            max_txs,
            max_bytes,
            max_tx_bytes: 100,
        })
    }

    #[test]
    fn a_full_pool_refuses_with_a_clear_error_and_keeps_what_it_has() {
        let mut m = pool(2, 1000);
        m.add(vec![1], 10).unwrap();
        m.add(vec![2], 10).unwrap();
        let err = m.add(vec![3], 10).unwrap_err();
        assert!(matches!(err, MempoolError::Full { txs: 2, .. }), "{err}");
        assert!(err.to_string().starts_with("mempool full"), "{err}");
        assert_eq!(m.len(), 2);
        let mut m = pool(10, 5);
        m.add(vec![1; 4], 1).unwrap();
        assert!(matches!(
            m.add(vec![2; 2], 1),
            Err(MempoolError::Full { .. })
        ));
        assert_eq!(m.bytes(), 4);
    }

    #[test]
    fn bad_txs_are_refused_empty_too_large_and_duplicate() {
        let mut m = pool(10, 1000);
        assert_eq!(m.add(vec![], 1), Err(MempoolError::Empty));
        assert!(matches!(
            m.add(vec![0; 101], 1),
            Err(MempoolError::TooLarge {
                size: 101,
                max: 100
            })
        ));
        let h = m.add(vec![7], 1).unwrap();
        assert_eq!(m.add(vec![7], 1), Err(MempoolError::Duplicate(h)));
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn reap_takes_the_arrival_order_prefix_within_bytes_and_gas() {
        let mut m = pool(10, 1000);
        for i in 0..5u8 {
            m.add(vec![i; 10], 100).unwrap();
        }
        assert_eq!(m.reap(1000, -1, 0).len(), 5);
        assert_eq!(m.reap(35, -1, 0).len(), 3);
        assert_eq!(m.reap(35, -1, 2).len(), 2);
        assert_eq!(m.reap(1000, 250, 0).len(), 2);
        assert_eq!(m.reap(1000, 250, 0)[1], vec![1; 10]);
    }

    #[test]
    fn committed_and_invalidated_txs_leave_the_pool() {
        let mut m = pool(10, 1000);
        for i in 0..4u8 {
            m.add(vec![i; 3], 1).unwrap();
        }
        m.remove_committed([[0u8; 3].as_slice(), [9u8; 3].as_slice()]);
        assert_eq!(m.len(), 3);
        assert_eq!(m.bytes(), 9);
        let evicted = m.retain(|tx| tx[0] != 2);
        assert_eq!(evicted, vec![tx_hash(&[2; 3])]);
        assert_eq!(m.reap(1000, -1, 0), vec![vec![1; 3], vec![3; 3]]);
        // A new tx after eviction still goes to the back.
        m.add(vec![2; 3], 1).unwrap();
        assert_eq!(m.reap(1000, -1, 0).last(), Some(&vec![2; 3]));
    }
}
