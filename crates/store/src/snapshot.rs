//! Read-only views of one committed version.

use std::ops::Bound;
use std::sync::Arc;

use jmt::Sha256Jmt;

use crate::config::SubstoreConfig;
use crate::history::{HistoryIter, LatestItem};
use crate::storage::root_at;
use crate::tables::{self, ROOT_TREE, ReadTables, TreeView};
use crate::{KvIter, Order, StateRead, StoreError};

/// A read-only view of one committed version. Cheap to clone (an `Arc`), `'static`, `Send` and
/// `Sync`; it keeps its redb read transaction alive, so later commits never change what it sees.
#[derive(Debug, Clone)]
pub struct Snapshot(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    tables: ReadTables,
    version: u64,
    config: Arc<SubstoreConfig>,
    store_id: u64,
}

type Proofs = Vec<ics23::CommitmentProof>;

impl Snapshot {
    pub(crate) fn new(
        tables: ReadTables,
        version: u64,
        config: Arc<SubstoreConfig>,
        store_id: u64,
    ) -> Self {
        Self(Arc::new(Inner {
            tables,
            version,
            config,
            store_id,
        }))
    }

    /// The version this snapshot shows.
    pub fn version(&self) -> u64 {
        self.0.version
    }

    pub(crate) fn store_id(&self) -> u64 {
        self.0.store_id
    }

    /// The substore layout of the store this snapshot came from.
    pub fn config(&self) -> &SubstoreConfig {
        &self.0.config
    }

    /// Whether `version` was the store's latest when this snapshot was taken (reads then use the
    /// latest-state table instead of the history).
    fn is_latest(&self) -> bool {
        self.0.version == self.0.tables.latest_version
    }

    /// The app hash of this version.
    pub fn root_hash(&self) -> Result<[u8; 32], StoreError> {
        root_at(&self.0.tables, &self.0.config, self.0.version)
    }

    /// The value at `key` with ICS-23 proofs, one per level: `[substore proof, root proof]`.
    ///
    /// The substore proof proves `subkey` → value (existence) or absence (non-existence) against
    /// the substore's root; the root proof proves substore name → substore root against the app
    /// hash. `key = "<prefix>/<subkey>"` for a configured prefix, else the substore is
    /// [`crate::DEFAULT_SUBSTORE`] and the subkey is the whole key (see [`crate::verify_proofs`]).
    ///
    /// ICS-23 cannot prove an empty subkey, an empty value, nor absence from an empty substore
    /// ([`StoreError::ProofUnavailable`]).
    pub fn get_with_proof(&self, key: &[u8]) -> Result<(Option<Vec<u8>>, Proofs), StoreError> {
        let config = &*self.0.config;
        let route = config.route(key);
        let unavailable = |reason| StoreError::ProofUnavailable {
            key: String::from_utf8_lossy(key).into_owned(),
            reason,
        };
        if route.subkey.is_empty() {
            return Err(unavailable("ICS-23 cannot prove an empty key"));
        }
        let version = self.0.version;
        let view = TreeView {
            tables: &self.0.tables,
            config,
            tree: tables::substore_tree(route.substore),
        };
        let sub = Sha256Jmt::new(&view);
        let leaves = sub
            .get_leaf_count(version)
            .map_err(|e| StoreError::merkle("substore leaf count", format!("{e:#}")))?;
        if leaves == 0 {
            return Err(unavailable(
                "the substore is empty at this version: ICS-23 has no neighbour to prove absence",
            ));
        }
        let (value, sub_proof) = sub
            .get_with_ics23_proof(route.subkey.to_vec(), version)
            .map_err(|e| StoreError::merkle("substore proof", format!("{e:#}")))?;
        let root_view = TreeView {
            tree: ROOT_TREE,
            ..view
        };
        let name = config.name(route.substore).as_bytes().to_vec();
        let (sub_root, root_proof) = Sha256Jmt::new(&root_view)
            .get_with_ics23_proof(name, version)
            .map_err(|e| StoreError::merkle("root proof", format!("{e:#}")))?;
        if value.as_deref().is_some_and(<[u8]>::is_empty) {
            return Err(unavailable("ICS-23 cannot prove an empty value"));
        }
        if sub_root.is_none() {
            return Err(StoreError::Corrupt {
                what: "root tree",
                detail: format!("no entry for substore {}", config.name(route.substore)),
            });
        }
        Ok((value, vec![sub_proof, root_proof]))
    }
}

fn range_is_empty(start: Option<&[u8]>, end: Option<&[u8]>) -> bool {
    matches!((start, end), (Some(s), Some(e)) if s >= e)
}

impl StateRead for Snapshot {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let t = &self.0.tables;
        if self.is_latest() {
            let v = t.latest.get(key).map_err(StoreError::db)?;
            return Ok(v.map(|v| v.value().to_vec()));
        }
        t.history_get(key, self.0.version)
    }

    fn range_raw(&self, start: Option<&[u8]>, end: Option<&[u8]>, order: Order) -> KvIter<'_> {
        if range_is_empty(start, end) {
            return Box::new(std::iter::empty());
        }
        let t = &self.0.tables;
        if self.is_latest() {
            let lo = start.map_or(Bound::Unbounded, Bound::Included);
            let hi = end.map_or(Bound::Unbounded, Bound::Excluded);
            let range = match t.latest.range::<&[u8]>((lo, hi)) {
                Ok(r) => r,
                Err(e) => return Box::new(std::iter::once(Err(StoreError::db(e)))),
            };
            let owned = |item: LatestItem<'_>| {
                item.map(|(k, v)| (k.value().to_vec(), v.value().to_vec()))
                    .map_err(StoreError::db)
            };
            return match order {
                Order::Ascending => Box::new(range.map(owned)),
                Order::Descending => Box::new(range.rev().map(owned)),
            };
        }
        let lo = start.map_or(Bound::Unbounded, |s| Bound::Included((s, 0u64)));
        let hi = end.map_or(Bound::Unbounded, |e| Bound::Excluded((e, 0u64)));
        match t.history.range::<(&[u8], u64)>((lo, hi)) {
            Ok(range) => Box::new(HistoryIter::new(range, order, self.0.version)),
            Err(e) => Box::new(std::iter::once(Err(StoreError::db(e)))),
        }
    }
}
