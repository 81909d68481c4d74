//! The persistent store: open, commit, snapshots.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use jmt::{KeyHash, RootHash, Sha256Jmt};
use redb::{Database, ReadableDatabase, ReadableTable};
use sha2::Sha256;

use crate::config::SubstoreConfig;
use crate::snapshot::Snapshot;
use crate::tables::{
    self, HISTORY, LATEST, META, META_LATEST_VERSION, META_SUBSTORES, NODES, PREIMAGES, ROOT_TREE,
    ROOTS, ReadTables, TreeView,
};
use crate::{StateDelta, StoreError};

/// Distinguishes stores opened in one process, so a delta cannot be committed to another store.
static NEXT_STORE_ID: AtomicU64 = AtomicU64::new(1);

/// The set of changes one commit writes: full key → new value, or `None` to delete.
pub type ChangeSet = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// A versioned Merkle key-value store in one redb file.
///
/// Version `v` is the state after block `v` was executed; version 0 is the empty state written
/// when the file is created. The app hash a block header at height `h + 1` carries is
/// `root_hash()` after committing version `h` (CometBFT's deferred app hash).
///
/// Every version is kept (no pruning yet), so any `snapshot(v)` for `v <= latest_version()`
/// works. One process at a time may open the file (redb locks it). Snapshots keep their redb
/// read transaction, so hold them briefly: a live snapshot pins the pages of its version (the
/// file grows) and keeps the file open even after the `Storage` is dropped.
#[derive(Debug)]
pub struct Storage {
    db: Arc<Database>,
    config: Arc<SubstoreConfig>,
    path: PathBuf,
    id: u64,
    /// Serialises commits and holds the latest (version, root) for cheap reads.
    head: Mutex<Head>,
}

#[derive(Debug, Clone, Copy)]
struct Head {
    version: u64,
    root: [u8; 32],
}

impl Storage {
    /// Open (or create) the store at `path` with the chain's substores
    /// ([`SubstoreConfig::chain`]).
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, SubstoreConfig::chain())
    }

    /// Open an existing store; a missing file is an error instead of a new empty store.
    pub fn open_existing(
        path: impl AsRef<Path>,
        config: SubstoreConfig,
    ) -> Result<Self, StoreError> {
        let path = path.as_ref();
        if !path.is_file() {
            return Err(StoreError::Open {
                path: path.to_owned(),
                detail: "no such database file".into(),
            });
        }
        Self::open_with(path, config)
    }

    /// Open (or create) the store at `path` with the given substore layout. A file created
    /// with another layout is refused ([`StoreError::SubstoreMismatch`]).
    pub fn open_with(path: impl AsRef<Path>, config: SubstoreConfig) -> Result<Self, StoreError> {
        let path = path.as_ref().to_owned();
        let open_err = |detail: String| StoreError::Open {
            path: path.clone(),
            detail,
        };
        let db = Database::create(&path).map_err(|e| open_err(e.to_string()))?;
        let mut storage = Self {
            db: Arc::new(db),
            config: Arc::new(config),
            path,
            id: NEXT_STORE_ID.fetch_add(1, Ordering::Relaxed),
            head: Mutex::new(Head {
                version: 0,
                root: [0; 32],
            }),
        };
        storage.initialise()?;
        Ok(storage)
    }

    /// Create the tables and version 0 in a fresh file, or check the layout of an existing one;
    /// then load the head.
    fn initialise(&mut self) -> Result<(), StoreError> {
        let stored = {
            let txn = self.db.begin_write().map_err(StoreError::db)?;
            let tables = txn.list_tables().map_err(StoreError::db)?.count();
            let stored = {
                let meta = txn.open_table(META).map_err(StoreError::db)?;
                let substores = meta.get(META_SUBSTORES).map_err(StoreError::db)?;
                substores.map(|v| String::from_utf8_lossy(v.value()).into_owned())
            };
            // Nothing else was written: aborting keeps an existing file untouched.
            txn.abort().map_err(StoreError::db)?;
            if stored.is_none() && tables > 0 {
                // A redb file of some other program: never write our tables into it.
                return Err(StoreError::Open {
                    path: self.path.clone(),
                    detail: format!("not a wicas state database ({tables} foreign tables)"),
                });
            }
            stored
        };
        let requested = self.config.fingerprint();
        match stored {
            Some(stored) if stored != requested => {
                return Err(StoreError::SubstoreMismatch { stored, requested });
            }
            Some(_) => {}
            None => {
                self.write_version(0, &ChangeSet::new())?;
            }
        }
        let read = self.db.begin_read().map_err(StoreError::db)?;
        let t = ReadTables::open(&read)?;
        let root = root_at(&t, &self.config, t.latest_version)?;
        let head = Head {
            version: t.latest_version,
            root,
        };
        *self.head.get_mut().unwrap_or_else(PoisonError::into_inner) = head;
        Ok(())
    }

    /// The path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The substore layout.
    pub fn config(&self) -> &SubstoreConfig {
        &self.config
    }

    /// The latest committed version (0: nothing committed after creation).
    pub fn latest_version(&self) -> u64 {
        self.head().version
    }

    /// The app hash: the root tree's root at the latest version. For the empty state (version
    /// 0) it is the root of a tree mapping every substore name to the empty-tree hash.
    pub fn root_hash(&self) -> [u8; 32] {
        self.head().root
    }

    fn head(&self) -> Head {
        *self.head.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A read-only view of the latest version.
    pub fn latest_snapshot(&self) -> Result<Snapshot, StoreError> {
        let read = self.db.begin_read().map_err(StoreError::db)?;
        let tables = ReadTables::open(&read)?;
        let version = tables.latest_version;
        Ok(Snapshot::new(tables, version, self.config.clone(), self.id))
    }

    /// A read-only view of `version` (any committed version: nothing is pruned).
    pub fn snapshot(&self, version: u64) -> Result<Snapshot, StoreError> {
        let read = self.db.begin_read().map_err(StoreError::db)?;
        let tables = ReadTables::open(&read)?;
        if version > tables.latest_version {
            return Err(StoreError::VersionUnavailable {
                requested: version,
                latest: tables.latest_version,
            });
        }
        Ok(Snapshot::new(tables, version, self.config.clone(), self.id))
    }

    /// A fresh write overlay on the latest version.
    pub fn new_delta(&self) -> Result<StateDelta, StoreError> {
        Ok(StateDelta::new(self.latest_snapshot()?))
    }

    /// Write `delta`'s changes as the next version, atomically, and return the new app hash.
    /// The delta must be built on the latest version of this store.
    pub fn commit(&self, delta: StateDelta) -> Result<[u8; 32], StoreError> {
        let prepared = self.prepare(delta)?;
        self.write(prepared)
    }

    /// Compute the next version from `delta` (its app hash and every tree node) without
    /// writing anything: a process killed now reopens at the latest version as if the delta
    /// never existed. [`Storage::write`] makes it durable; dropping it discards it. Consensus
    /// uses the split to learn a block's app hash before the block is stored (CometBFT's
    /// FinalizeBlock, then Commit).
    pub fn prepare(&self, delta: StateDelta) -> Result<PreparedVersion, StoreError> {
        let (base, changes) = delta.into_changes();
        if base.store_id() != self.id {
            return Err(StoreError::ForeignDelta);
        }
        let head = self.head.lock().unwrap_or_else(PoisonError::into_inner);
        if base.version() != head.version {
            return Err(StoreError::StaleDelta {
                base: base.version(),
                latest: head.version,
            });
        }
        drop(base);
        let version = head.version + 1;
        // Held while computing so that no write lands between the read and the new version.
        let prepared = self.compute_version(version, changes)?;
        drop(head);
        Ok(prepared)
    }

    /// Write a prepared version atomically (one redb transaction) and return its app hash.
    /// Refused if another version was written since it was prepared.
    pub fn write(&self, prepared: PreparedVersion) -> Result<[u8; 32], StoreError> {
        if prepared.store_id != self.id {
            return Err(StoreError::ForeignDelta);
        }
        let mut head = self.head.lock().unwrap_or_else(PoisonError::into_inner);
        if prepared.version != head.version + 1 {
            return Err(StoreError::StaleDelta {
                base: prepared.version - 1,
                latest: head.version,
            });
        }
        let txn = self.db.begin_write().map_err(StoreError::db)?;
        prepared.batch().write(&txn)?;
        txn.commit().map_err(StoreError::db)?;
        *head = Head {
            version: prepared.version,
            root: prepared.root,
        };
        Ok(prepared.root)
    }

    /// Compute and write `version` at once (creating version 0).
    fn write_version(&self, version: u64, changes: &ChangeSet) -> Result<[u8; 32], StoreError> {
        let prepared = self.compute_version(version, changes.clone())?;
        let txn = self.db.begin_write().map_err(StoreError::db)?;
        prepared.batch().write(&txn)?;
        txn.commit().map_err(StoreError::db)?;
        Ok(prepared.root)
    }

    /// Compute every tree's update for `changes` at `version` over the latest written version.
    fn compute_version(
        &self,
        version: u64,
        changes: ChangeSet,
    ) -> Result<PreparedVersion, StoreError> {
        let config = &*self.config;
        let read = self.db.begin_read().map_err(StoreError::db)?;
        let before = if version == 0 {
            None
        } else {
            Some(ReadTables::open(&read)?)
        };

        // Route each change to its substore's value set.
        let mut sets: Vec<Vec<(KeyHash, Option<Vec<u8>>)>> = vec![Vec::new(); config.len()];
        let mut preimages: Vec<([u8; 33], Vec<u8>)> = Vec::new();
        for (key, value) in &changes {
            let route = config.route(key);
            let hash = KeyHash::with::<Sha256>(route.subkey);
            if value.is_some() {
                let tree = tables::substore_tree(route.substore);
                preimages.push((tables::preimage_key(tree, &hash), route.subkey.to_vec()));
            }
            if let Some(set) = sets.get_mut(route.substore) {
                set.push((hash, value.clone()));
            }
        }

        let mut node_batches = Vec::with_capacity(config.len() + 1);
        let mut changed_roots: Vec<(String, [u8; 32])> = Vec::new();
        for (index, set) in sets.into_iter().enumerate() {
            let tree = tables::substore_tree(index);
            let name = config.name(index);
            let (root, batch) = match &before {
                Some(t) => {
                    let view = TreeView {
                        tables: t,
                        config,
                        tree,
                    };
                    Sha256Jmt::new(&view).put_value_set(set, version)
                }
                None => Sha256Jmt::new(&EmptyReader).put_value_set(set, version),
            }
            .map_err(|e| StoreError::merkle("substore update", format!("{e:#}")))?;
            let previous = match &before {
                Some(t) => Some(t.substore_root(name, version - 1)?),
                None => None,
            };
            if previous != Some(root.0) {
                changed_roots.push((name.to_owned(), root.0));
            }
            node_batches.push((tree, batch.node_batch));
        }

        // The root tree over the substore roots that changed.
        let root_set: Vec<(KeyHash, Option<Vec<u8>>)> = changed_roots
            .iter()
            .map(|(name, root)| {
                (
                    KeyHash::with::<Sha256>(name.as_bytes()),
                    Some(root.to_vec()),
                )
            })
            .collect();
        if version == 0 {
            for (name, _) in &changed_roots {
                let hash = KeyHash::with::<Sha256>(name.as_bytes());
                preimages.push((
                    tables::preimage_key(ROOT_TREE, &hash),
                    name.as_bytes().to_vec(),
                ));
            }
        }
        let (app_root, root_batch): (RootHash, _) = match &before {
            Some(t) => {
                let view = TreeView {
                    tables: t,
                    config,
                    tree: ROOT_TREE,
                };
                Sha256Jmt::new(&view).put_value_set(root_set, version)
            }
            None => Sha256Jmt::new(&EmptyReader).put_value_set(root_set, version),
        }
        .map_err(|e| StoreError::merkle("root update", format!("{e:#}")))?;
        node_batches.push((ROOT_TREE, root_batch.node_batch));
        drop(before);
        drop(read);

        Ok(PreparedVersion {
            store_id: self.id,
            version,
            root: app_root.0,
            nodes: node_batches,
            preimages,
            changed_roots,
            changes,
            substores: (version == 0).then(|| config.fingerprint()),
        })
    }
}

/// A version whose app hash and tree nodes are computed but not written
/// ([`Storage::prepare`]); [`Storage::write`] makes it durable.
pub struct PreparedVersion {
    store_id: u64,
    version: u64,
    root: [u8; 32],
    nodes: Vec<(u8, jmt::storage::NodeBatch)>,
    preimages: Vec<([u8; 33], Vec<u8>)>,
    changed_roots: Vec<(String, [u8; 32])>,
    changes: ChangeSet,
    substores: Option<String>,
}

impl std::fmt::Debug for PreparedVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedVersion")
            .field("version", &self.version)
            .field("root", &hex_root(&self.root))
            .field("changes", &self.changes.len())
            .finish_non_exhaustive()
    }
}

fn hex_root(root: &[u8; 32]) -> String {
    root.iter().map(|b| format!("{b:02x}")).collect()
}

impl PreparedVersion {
    /// The version it will be written as.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Its app hash.
    pub fn root_hash(&self) -> [u8; 32] {
        self.root
    }

    fn batch(&self) -> Batch<'_> {
        Batch {
            version: self.version,
            nodes: &self.nodes,
            preimages: &self.preimages,
            changed_roots: &self.changed_roots,
            changes: &self.changes,
            substores: self.substores.clone(),
        }
    }
}

/// Everything one version writes, computed before the write transaction's inserts.
struct Batch<'a> {
    version: u64,
    nodes: &'a [(u8, jmt::storage::NodeBatch)],
    preimages: &'a [([u8; 33], Vec<u8>)],
    changed_roots: &'a [(String, [u8; 32])],
    changes: &'a ChangeSet,
    /// The layout fingerprint, written with version 0 only.
    substores: Option<String>,
}

impl Batch<'_> {
    /// Insert every record into `txn` (the caller commits it).
    fn write(&self, txn: &redb::WriteTransaction) -> Result<(), StoreError> {
        let mut nodes = txn.open_table(NODES).map_err(StoreError::db)?;
        for (tree, batch) in self.nodes {
            for (key, node) in batch.nodes() {
                let k = tables::node_key_bytes(*tree, key)?;
                let v = borsh::to_vec(node).map_err(|e| StoreError::Corrupt {
                    what: "node",
                    detail: e.to_string(),
                })?;
                nodes
                    .insert(k.as_slice(), v.as_slice())
                    .map_err(StoreError::db)?;
            }
        }
        let mut pre = txn.open_table(PREIMAGES).map_err(StoreError::db)?;
        for (k, v) in self.preimages {
            pre.insert(k.as_slice(), v.as_slice())
                .map_err(StoreError::db)?;
        }
        let mut roots = txn.open_table(ROOTS).map_err(StoreError::db)?;
        for (name, root) in self.changed_roots {
            roots
                .insert((name.as_bytes(), self.version), root.as_slice())
                .map_err(StoreError::db)?;
        }
        let mut history = txn.open_table(HISTORY).map_err(StoreError::db)?;
        let mut latest = txn.open_table(LATEST).map_err(StoreError::db)?;
        for (key, value) in self.changes {
            history
                .insert((key.as_slice(), self.version), value.as_deref())
                .map_err(StoreError::db)?;
            match value {
                Some(v) => latest.insert(key.as_slice(), v.as_slice()).map(drop),
                None => latest.remove(key.as_slice()).map(drop),
            }
            .map_err(StoreError::db)?;
        }
        let mut meta = txn.open_table(META).map_err(StoreError::db)?;
        meta.insert(META_LATEST_VERSION, self.version.to_be_bytes().as_slice())
            .map_err(StoreError::db)?;
        if let Some(fingerprint) = &self.substores {
            meta.insert(META_SUBSTORES, fingerprint.as_bytes())
                .map_err(StoreError::db)?;
        }
        Ok(())
    }
}

/// The app hash at `version`.
pub(crate) fn root_at(
    tables: &ReadTables,
    config: &SubstoreConfig,
    version: u64,
) -> Result<[u8; 32], StoreError> {
    let view = TreeView {
        tables,
        config,
        tree: ROOT_TREE,
    };
    Sha256Jmt::new(&view)
        .get_root_hash(version)
        .map(|r| r.0)
        .map_err(|e| StoreError::merkle("root hash", format!("{e:#}")))
}

/// The reader for version 0: no tree exists yet.
struct EmptyReader;

impl jmt::storage::TreeReader for EmptyReader {
    fn get_node_option(
        &self,
        _: &jmt::storage::NodeKey,
    ) -> anyhow::Result<Option<jmt::storage::Node>> {
        Ok(None)
    }

    fn get_value_option(
        &self,
        _: jmt::Version,
        _: KeyHash,
    ) -> anyhow::Result<Option<jmt::OwnedValue>> {
        Ok(None)
    }

    fn get_rightmost_leaf(
        &self,
    ) -> anyhow::Result<Option<(jmt::storage::NodeKey, jmt::storage::LeafNode)>> {
        Ok(None)
    }
}
