//! Write overlays over a snapshot, with cheap nested forks for transaction and submessage
//! rollback (cnidarium's `StateDelta` idea, with owned `Arc` layers so every delta is `'static`).

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use crate::merge::{Source, merge};
use crate::storage::ChangeSet;
use crate::{KvIter, Order, Snapshot, StateRead, StateWrite, StoreError};

type Layer = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// A write overlay on a [`Snapshot`]: reads see the overlay's own writes first, then the
/// snapshot; [`crate::Storage::commit`] writes the overlay as the next version.
///
/// Forking: [`StateDelta::fork`] returns a child that sees everything the parent wrote so far
/// and whose writes reach the parent only through [`StateDelta::apply`]; dropping the child
/// discards them. A fork costs O(1) (the parent's pending writes are frozen into a shared,
/// immutable layer); applying costs O(child's writes). The parent may be read while a child is
/// alive; if it writes meanwhile, an applied child's writes win on conflict (the child is taken
/// to run after the parent's writes).
///
/// Every delta owns its data (`Arc`s), so it is `'static` and `Send`: a contract host can own
/// one by value (cosmwasm-vm's `Backend` stores its storage by value), or share one through
/// [`crate::SharedDelta`].
#[derive(Debug)]
pub struct StateDelta {
    base: Snapshot,
    /// Frozen layers, oldest first; shared with forks taken from this delta or its ancestors.
    frozen: Vec<Arc<Layer>>,
    /// This delta's own writes since its last fork (highest priority).
    writes: Layer,
}

impl StateDelta {
    /// An empty overlay on `base`.
    pub fn new(base: Snapshot) -> Self {
        Self {
            base,
            frozen: Vec::new(),
            writes: Layer::new(),
        }
    }

    /// The snapshot under this overlay.
    pub fn base(&self) -> &Snapshot {
        &self.base
    }

    /// A child overlay on this one (see the type's docs).
    pub fn fork(&mut self) -> StateDelta {
        self.compact();
        if !self.writes.is_empty() {
            let layer = std::mem::take(&mut self.writes);
            self.frozen.push(Arc::new(layer));
        }
        StateDelta {
            base: self.base.clone(),
            frozen: self.frozen.clone(),
            writes: Layer::new(),
        }
    }

    /// Apply the writes of `child`, which must have been forked from this delta (or from a fork
    /// of it): same snapshot, and the frozen layers they share are the same ones.
    /// [`StoreError::NotAFork`] otherwise, and nothing changes.
    pub fn apply(&mut self, child: StateDelta) -> Result<(), StoreError> {
        let StateDelta {
            base,
            frozen,
            writes,
        } = child;
        let is_fork = base.store_id() == self.base.store_id()
            && base.version() == self.base.version()
            && self
                .frozen
                .iter()
                .zip(&frozen)
                .all(|(a, b)| Arc::ptr_eq(a, b));
        if !is_fork {
            return Err(StoreError::NotAFork);
        }
        let extra: Vec<Arc<Layer>> = frozen.into_iter().skip(self.frozen.len()).collect();
        for layer in extra {
            let layer = Arc::try_unwrap(layer).unwrap_or_else(|shared| (*shared).clone());
            self.writes.extend(layer);
        }
        self.writes.extend(writes);
        self.compact();
        Ok(())
    }

    /// Fold frozen layers that no fork shares any more back into the pending writes, so reads
    /// do not slow down after many forks.
    fn compact(&mut self) {
        while let Some(top) = self.frozen.pop() {
            match Arc::try_unwrap(top) {
                Ok(mut layer) => {
                    layer.extend(std::mem::take(&mut self.writes));
                    self.writes = layer;
                }
                Err(shared) => {
                    self.frozen.push(shared);
                    break;
                }
            }
        }
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.frozen.iter().all(|l| l.is_empty())
    }

    /// All writes, flattened: key → value, or `None` for a deletion.
    pub fn changes(&self) -> ChangeSet {
        let mut out = ChangeSet::new();
        for layer in &self.frozen {
            out.extend(layer.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        out.extend(self.writes.iter().map(|(k, v)| (k.clone(), v.clone())));
        out
    }

    /// The base snapshot and the flattened writes (what a commit writes).
    pub(crate) fn into_changes(mut self) -> (Snapshot, ChangeSet) {
        self.compact();
        let changes = if self.frozen.is_empty() {
            std::mem::take(&mut self.writes)
        } else {
            self.changes()
        };
        (self.base, changes)
    }

    /// The overlay's entry for `key`: `Some(None)` is a deletion, `None` means "ask the base".
    fn overlay_get(&self, key: &[u8]) -> Option<&Option<Vec<u8>>> {
        self.writes
            .get(key)
            .or_else(|| self.frozen.iter().rev().find_map(|l| l.get(key)))
    }
}

fn layer_source<'a>(
    layer: &'a Layer,
    start: Option<&[u8]>,
    end: Option<&[u8]>,
    order: Order,
) -> Source<'a> {
    let lo = start.map_or(Bound::Unbounded, |s| Bound::Included(s.to_vec()));
    let hi = end.map_or(Bound::Unbounded, |e| Bound::Excluded(e.to_vec()));
    let range = layer
        .range::<Vec<u8>, _>((lo, hi))
        .map(|(k, v)| Ok((k.clone(), v.clone())));
    match order {
        Order::Ascending => Box::new(range),
        Order::Descending => Box::new(range.rev()),
    }
}

impl StateRead for StateDelta {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        match self.overlay_get(key) {
            Some(v) => Ok(v.clone()),
            None => self.base.get_raw(key),
        }
    }

    fn range_raw(&self, start: Option<&[u8]>, end: Option<&[u8]>, order: Order) -> KvIter<'_> {
        if let (Some(s), Some(e)) = (start, end)
            && s >= e
        {
            return Box::new(std::iter::empty());
        }
        let mut sources: Vec<Source<'_>> = Vec::with_capacity(self.frozen.len() + 2);
        sources.push(layer_source(&self.writes, start, end, order));
        for layer in self.frozen.iter().rev() {
            sources.push(layer_source(layer, start, end, order));
        }
        let base = self
            .base
            .range_raw(start, end, order)
            .map(|r| r.map(|(k, v)| (k, Some(v))));
        sources.push(Box::new(base));
        merge(sources, order)
    }
}

impl StateWrite for StateDelta {
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.writes.insert(key, Some(value));
    }

    fn delete(&mut self, key: &[u8]) {
        self.writes.insert(key.to_vec(), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned_and_shareable<T: Send + Sync + 'static>() {}

    #[test]
    fn deltas_and_snapshots_are_static_send_and_sync() {
        owned_and_shareable::<Snapshot>();
        owned_and_shareable::<StateDelta>();
        owned_and_shareable::<crate::SharedDelta>();
        owned_and_shareable::<crate::Storage>();
    }
}
