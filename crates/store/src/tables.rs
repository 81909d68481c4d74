//! The database layout (redb tables) and the Jellyfish Merkle tree's reader over it.
//!
//! | table | key | value |
//! |---|---|---|
//! | `meta` | name | `latest_version` (u64 BE), `substores` (layout fingerprint) |
//! | `jmt_nodes` | tree id (1 byte) ++ borsh(`NodeKey`) | borsh(`Node`) |
//! | `jmt_preimages` | tree id ++ SHA-256(tree key) | tree key |
//! | `substore_roots` | (substore name, version) | root hash, written when it changes |
//! | `kv_history` | (full key, version) | value, or `None` for a deletion |
//! | `kv_latest` | full key | value at the latest version (the fast path for reads) |
//!
//! Tree id 0 is the root tree; tree id `i + 1` is substore `i` of [`SubstoreConfig::names`].

use jmt::storage::{HasPreimage, LeafNode, Node, NodeKey, TreeReader};
use jmt::{KeyHash, OwnedValue, Version};
use redb::{ReadOnlyTable, ReadTransaction, TableDefinition};

use crate::StoreError;
use crate::config::SubstoreConfig;

pub(crate) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
pub(crate) const NODES: TableDefinition<&[u8], &[u8]> = TableDefinition::new("jmt_nodes");
pub(crate) const PREIMAGES: TableDefinition<&[u8], &[u8]> = TableDefinition::new("jmt_preimages");
pub(crate) const ROOTS: TableDefinition<(&[u8], u64), &[u8]> =
    TableDefinition::new("substore_roots");
pub(crate) const HISTORY: TableDefinition<(&[u8], u64), Option<&[u8]>> =
    TableDefinition::new("kv_history");
pub(crate) const LATEST: TableDefinition<&[u8], &[u8]> = TableDefinition::new("kv_latest");

pub(crate) const META_LATEST_VERSION: &str = "latest_version";
pub(crate) const META_SUBSTORES: &str = "substores";

/// Tree id of the root tree.
pub(crate) const ROOT_TREE: u8 = 0;

/// Tree id of substore `index`.
pub(crate) fn substore_tree(index: usize) -> u8 {
    // The config caps substores at 253, so this never saturates.
    u8::try_from(index + 1).unwrap_or(u8::MAX)
}

pub(crate) fn node_key_bytes(tree: u8, key: &NodeKey) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![tree];
    borsh::to_writer(&mut out, key).map_err(|e| StoreError::Corrupt {
        what: "node key",
        detail: e.to_string(),
    })?;
    Ok(out)
}

pub(crate) fn preimage_key(tree: u8, hash: &KeyHash) -> [u8; 33] {
    let mut out = [0u8; 33];
    out[0] = tree;
    out[1..].copy_from_slice(&hash.0);
    out
}

pub(crate) fn decode_version(bytes: &[u8]) -> Result<u64, StoreError> {
    let arr: [u8; 8] = bytes.try_into().map_err(|_| StoreError::Corrupt {
        what: "latest version",
        detail: format!("{} bytes, expected 8", bytes.len()),
    })?;
    Ok(u64::from_be_bytes(arr))
}

/// All tables of one read transaction; each table keeps the transaction's snapshot alive, so
/// this is an owned, `'static` view of one committed state of the database.
#[derive(Debug)]
pub(crate) struct ReadTables {
    pub(crate) nodes: ReadOnlyTable<&'static [u8], &'static [u8]>,
    pub(crate) preimages: ReadOnlyTable<&'static [u8], &'static [u8]>,
    pub(crate) roots: ReadOnlyTable<(&'static [u8], u64), &'static [u8]>,
    pub(crate) history: ReadOnlyTable<(&'static [u8], u64), Option<&'static [u8]>>,
    pub(crate) latest: ReadOnlyTable<&'static [u8], &'static [u8]>,
    /// The latest committed version at the moment the transaction began.
    pub(crate) latest_version: u64,
}

impl ReadTables {
    pub(crate) fn open(txn: &ReadTransaction) -> Result<Self, StoreError> {
        let meta = txn.open_table(META).map_err(StoreError::db)?;
        let latest_version = match meta.get(META_LATEST_VERSION).map_err(StoreError::db)? {
            Some(v) => decode_version(v.value())?,
            None => {
                return Err(StoreError::Corrupt {
                    what: "meta",
                    detail: "no latest version recorded".into(),
                });
            }
        };
        Ok(Self {
            nodes: txn.open_table(NODES).map_err(StoreError::db)?,
            preimages: txn.open_table(PREIMAGES).map_err(StoreError::db)?,
            roots: txn.open_table(ROOTS).map_err(StoreError::db)?,
            history: txn.open_table(HISTORY).map_err(StoreError::db)?,
            latest: txn.open_table(LATEST).map_err(StoreError::db)?,
            latest_version,
        })
    }

    /// The value of `key` at `version` from the history table (`None`: absent or deleted).
    pub(crate) fn history_get(
        &self,
        key: &[u8],
        version: u64,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let mut range = self
            .history
            .range((key, 0u64)..=(key, version))
            .map_err(StoreError::db)?;
        match range.next_back() {
            Some(entry) => {
                let (_, v) = entry.map_err(StoreError::db)?;
                Ok(v.value().map(<[u8]>::to_vec))
            }
            None => Ok(None),
        }
    }

    /// The root hash of substore `name` at `version` (the last one written at or before it).
    pub(crate) fn substore_root(&self, name: &str, version: u64) -> Result<[u8; 32], StoreError> {
        let name = name.as_bytes();
        let mut range = self
            .roots
            .range((name, 0u64)..=(name, version))
            .map_err(StoreError::db)?;
        let entry = range.next_back().ok_or_else(|| StoreError::Corrupt {
            what: "substore root",
            detail: format!("no root for {} at {version}", String::from_utf8_lossy(name)),
        })?;
        let (_, v) = entry.map_err(StoreError::db)?;
        v.value().try_into().map_err(|_| StoreError::Corrupt {
            what: "substore root",
            detail: "not 32 bytes".into(),
        })
    }
}

/// One Merkle tree (the root tree or a substore) as the `jmt` crate reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TreeView<'a> {
    pub(crate) tables: &'a ReadTables,
    pub(crate) config: &'a SubstoreConfig,
    pub(crate) tree: u8,
}

impl TreeReader for TreeView<'_> {
    fn get_node_option(&self, node_key: &NodeKey) -> anyhow::Result<Option<Node>> {
        let key = node_key_bytes(self.tree, node_key)?;
        match self.tables.nodes.get(key.as_slice())? {
            Some(bytes) => Ok(Some(borsh::from_slice(bytes.value())?)),
            None => Ok(None),
        }
    }

    fn get_value_option(
        &self,
        max_version: Version,
        key_hash: KeyHash,
    ) -> anyhow::Result<Option<OwnedValue>> {
        let Some(tree_key) = self.preimage(key_hash)? else {
            return Ok(None);
        };
        if self.tree == ROOT_TREE {
            let name = String::from_utf8(tree_key)?;
            return Ok(Some(
                self.tables.substore_root(&name, max_version)?.to_vec(),
            ));
        }
        let full = self
            .config
            .full_key(usize::from(self.tree) - 1, tree_key.as_slice());
        Ok(self.tables.history_get(&full, max_version)?)
    }

    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        anyhow::bail!(
            "get_rightmost_leaf is only used by jmt's state restore, which wicas does not use"
        )
    }
}

impl HasPreimage for TreeView<'_> {
    fn preimage(&self, key_hash: KeyHash) -> anyhow::Result<Option<Vec<u8>>> {
        let key = preimage_key(self.tree, &key_hash);
        Ok(self
            .tables
            .preimages
            .get(key.as_slice())?
            .map(|v| v.value().to_vec()))
    }
}
