//! [`RedbDecidedStore`]: decided blocks and certificates on disk (redb, pure Rust, crash-safe
//! commits), one row per height.

use std::path::Path;
use std::sync::Arc;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

use super::store::{DecidedBlock, DecidedStore};
use crate::codec::{CodecError, decided_in, decided_out};

/// height → protobuf `StoredDecided`.
const DECIDED: TableDefinition<u64, &[u8]> = TableDefinition::new("decided");

/// (height, header hash) → pending proposal record.
const PENDING: TableDefinition<(u64, [u8; 32]), &[u8]> = TableDefinition::new("pending");

/// Errors of the on-disk store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedbStoreError {
    /// The database failed.
    #[error("redb: {0}")]
    Redb(#[from] redb::Error),
    /// A stored row does not decode (corruption or a newer format).
    #[error("stored block: {0}")]
    Codec(#[from] CodecError),
    /// A put below the latest height (heights only grow; the latest may be replaced).
    #[error("height {height} is below the latest stored height {latest}")]
    OutOfOrder {
        /// Put height.
        height: u64,
        /// Latest stored.
        latest: u64,
    },
}

fn db_err(e: impl Into<redb::Error>) -> RedbStoreError {
    RedbStoreError::Redb(e.into())
}

/// Decided blocks in a redb file.
pub struct RedbDecidedStore {
    db: Arc<Database>,
}

/// Read-only access to a [`RedbDecidedStore`] while the consensus host owns it (the RPC reads
/// blocks and certificates through it). redb gives every read transaction a consistent
/// snapshot, so a reader never sees a half-written row. Cheap to clone.
#[derive(Clone)]
pub struct DecidedReader {
    db: Arc<Database>,
}

impl core::fmt::Debug for DecidedReader {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DecidedReader").finish_non_exhaustive()
    }
}

impl DecidedReader {
    /// The decided block at `height`.
    pub fn get(&self, height: u64) -> Result<Option<DecidedBlock>, RedbStoreError> {
        read_row(&self.db, height)
    }

    /// Lowest stored height, `None` when empty.
    pub fn min_height(&self) -> Result<Option<u64>, RedbStoreError> {
        edge(&self.db, false)
    }

    /// Highest decided height, `None` when empty.
    pub fn max_height(&self) -> Result<Option<u64>, RedbStoreError> {
        edge(&self.db, true)
    }
}

fn edge(db: &Database, last: bool) -> Result<Option<u64>, RedbStoreError> {
    let tx = db.begin_read().map_err(db_err)?;
    let table = tx.open_table(DECIDED).map_err(db_err)?;
    let row = if last { table.last() } else { table.first() }.map_err(db_err)?;
    Ok(row.map(|(k, _)| k.value()))
}

fn read_row(db: &Database, height: u64) -> Result<Option<DecidedBlock>, RedbStoreError> {
    let tx = db.begin_read().map_err(db_err)?;
    let table = tx.open_table(DECIDED).map_err(db_err)?;
    match table.get(height).map_err(db_err)? {
        Some(v) => Ok(Some(decided_in(v.value())?)),
        None => Ok(None),
    }
}

impl core::fmt::Debug for RedbDecidedStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RedbDecidedStore").finish_non_exhaustive()
    }
}

impl RedbDecidedStore {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, RedbStoreError> {
        let db = Database::create(path).map_err(db_err)?;
        let tx = db.begin_write().map_err(db_err)?;
        tx.open_table(DECIDED).map_err(db_err)?;
        tx.open_table(PENDING).map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(Self { db: Arc::new(db) })
    }

    /// A reader that stays valid while the host owns (and writes) this store.
    pub fn reader(&self) -> DecidedReader {
        DecidedReader {
            db: Arc::clone(&self.db),
        }
    }

    fn edge(&self, last: bool) -> Result<Option<u64>, RedbStoreError> {
        edge(&self.db, last)
    }
}

impl DecidedStore for RedbDecidedStore {
    type Error = RedbStoreError;

    fn put(&mut self, height: u64, block: DecidedBlock) -> Result<(), RedbStoreError> {
        if let Some(latest) = self.edge(true)?
            && height < latest
        {
            return Err(RedbStoreError::OutOfOrder { height, latest });
        }
        let bytes = decided_out(&block);
        let tx = self.db.begin_write().map_err(db_err)?;
        {
            let mut table = tx.open_table(DECIDED).map_err(db_err)?;
            table.insert(height, bytes.as_slice()).map_err(db_err)?;
        }
        tx.commit().map_err(db_err)?;
        Ok(())
    }

    fn get(&self, height: u64) -> Result<Option<DecidedBlock>, RedbStoreError> {
        read_row(&self.db, height)
    }

    fn min_height(&self) -> Result<Option<u64>, RedbStoreError> {
        self.edge(false)
    }

    fn max_height(&self) -> Result<Option<u64>, RedbStoreError> {
        self.edge(true)
    }

    fn put_pending(
        &mut self,
        height: u64,
        id: [u8; 32],
        record: Vec<u8>,
    ) -> Result<(), RedbStoreError> {
        let tx = self.db.begin_write().map_err(db_err)?;
        {
            let mut table = tx.open_table(PENDING).map_err(db_err)?;
            table
                .insert((height, id), record.as_slice())
                .map_err(db_err)?;
        }
        tx.commit().map_err(db_err)?;
        Ok(())
    }

    fn pending_from(&self, height: u64) -> Result<Vec<Vec<u8>>, RedbStoreError> {
        let tx = self.db.begin_read().map_err(db_err)?;
        let table = tx.open_table(PENDING).map_err(db_err)?;
        let mut out = Vec::new();
        for row in table.range((height, [0u8; 32])..).map_err(db_err)? {
            let (_, v) = row.map_err(db_err)?;
            out.push(v.value().to_vec());
        }
        Ok(out)
    }

    fn prune_pending(&mut self, height: u64) -> Result<(), RedbStoreError> {
        let tx = self.db.begin_write().map_err(db_err)?;
        {
            let mut table = tx.open_table(PENDING).map_err(db_err)?;
            table
                .retain_in(..=(height, [0xffu8; 32]), |_, _| false)
                .map_err(db_err)?;
        }
        tx.commit().map_err(db_err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use malachitebft_app_channel::app::types::core::{
        ExtendedCommitCertificate, ExtendedCommitSignature, Round,
    };
    use tendermint::Hash;

    use super::*;
    use crate::block_ref::BlockRef;
    use crate::context::Height;
    use crate::keys::{Address, PrivateKey};

    fn decided(height: u64, tag: u8) -> DecidedBlock {
        let key = PrivateKey::from_seed([tag; 32]);
        let block_ref = BlockRef {
            block_id: tendermint::block::Id {
                hash: Hash::Sha256([tag; 32]),
                part_set_header: tendermint::block::parts::Header::new(1, Hash::Sha256([tag; 32]))
                    .unwrap(),
            },
            time: tendermint::Time::from_unix_timestamp(1_700_000_000, 0).unwrap(),
        };
        DecidedBlock {
            block_bytes: vec![tag; 10],
            certificate: ExtendedCommitCertificate {
                height: Height::new(height),
                round: Round::new(0),
                value_id: block_ref,
                commit_signatures: vec![ExtendedCommitSignature::new(
                    Address::from_public_key(&key.public_key()),
                    key.sign(b"x"),
                    None,
                )],
            },
            results_hash: Hash::Sha256([tag; 32]),
        }
    }

    #[test]
    fn rows_survive_reopening_and_heights_only_grow() {
        let dir = std::env::temp_dir().join(format!("wicas-redb-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.redb");
        {
            let mut s = RedbDecidedStore::open(&path).unwrap();
            assert_eq!(s.max_height().unwrap(), None);
            s.put(1, decided(1, 1)).unwrap();
            s.put(2, decided(2, 2)).unwrap();
            // The latest height may be replaced (a fuller certificate at Finalized).
            s.put(2, decided(2, 3)).unwrap();
            assert!(matches!(
                s.put(1, decided(1, 4)),
                Err(RedbStoreError::OutOfOrder {
                    height: 1,
                    latest: 2
                })
            ));
            s.put_pending(3, [1; 32], b"a".to_vec()).unwrap();
            s.put_pending(4, [2; 32], b"b".to_vec()).unwrap();
            s.prune_pending(3).unwrap();
        }
        let s = RedbDecidedStore::open(&path).unwrap();
        assert_eq!(
            (s.min_height().unwrap(), s.max_height().unwrap()),
            (Some(1), Some(2))
        );
        let reader = s.reader();
        assert_eq!(
            (reader.min_height().unwrap(), reader.max_height().unwrap()),
            (Some(1), Some(2))
        );
        assert_eq!(reader.get(2).unwrap(), Some(decided(2, 3)));
        assert_eq!(s.get(2).unwrap(), Some(decided(2, 3)));
        assert_eq!(s.get(3).unwrap(), None);
        assert_eq!(s.pending_from(0).unwrap(), vec![b"b".to_vec()]);
    }
}
