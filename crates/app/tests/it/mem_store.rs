//! A test-only `CommitStore`: every version is a full copy of the map and the root is SHA-256
//! over all pairs. Slow for big states, exact for small ones; the real store replaces it where a
//! test is about persistence.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use wicas_app::{ChangeSet, CommitStore};
use wicas_store::{MemState, StateRead, StateWrite, StoreError};

#[derive(Debug, Default)]
pub struct MemCommitStore {
    versions: BTreeMap<u64, (MemState, [u8; 32])>,
}

impl MemCommitStore {
    pub fn new() -> Self {
        Self::default()
    }
}

fn root(state: &MemState) -> [u8; 32] {
    let mut h = Sha256::new();
    for item in state.range_raw(None, None, wicas_store::Order::Ascending) {
        let (k, v) = item.expect("mem state");
        h.update((k.len() as u64).to_be_bytes());
        h.update(&k);
        h.update((v.len() as u64).to_be_bytes());
        h.update(&v);
    }
    h.finalize().into()
}

impl CommitStore for MemCommitStore {
    fn latest_version(&self) -> Option<u64> {
        self.versions.keys().next_back().copied()
    }

    fn root_hash(&self) -> [u8; 32] {
        self.versions
            .values()
            .next_back()
            .map_or([0; 32], |(_, r)| *r)
    }

    fn latest(&self) -> Result<Box<dyn StateRead + '_>, StoreError> {
        match self.versions.values().next_back() {
            Some((s, _)) => Ok(Box::new(s.clone())),
            None => Ok(Box::new(MemState::new())),
        }
    }

    fn at_version(&self, version: u64) -> Result<Box<dyn StateRead + '_>, StoreError> {
        let latest = self.latest_version().unwrap_or(0);
        match self.versions.get(&version) {
            Some((s, _)) => Ok(Box::new(s.clone())),
            None => Err(StoreError::VersionUnavailable {
                requested: version,
                latest,
            }),
        }
    }

    fn commit(&mut self, version: u64, changes: ChangeSet) -> Result<[u8; 32], StoreError> {
        let mut s = self
            .versions
            .values()
            .next_back()
            .map(|(s, _)| s.clone())
            .unwrap_or_default();
        for (k, v) in changes {
            match v {
                Some(v) => s.put_raw(k, v),
                None => s.delete(&k),
            }
        }
        let r = root(&s);
        self.versions.insert(version, (s, r));
        Ok(r)
    }
}
