//! Branching state: a write set over a read-only base.
//!
//! A block's writes, a transaction's writes and a message's writes are each a [`Delta`] over the
//! layer below. A branch that fails is simply dropped; one that succeeds hands its [`ChangeSet`] to
//! its parent with [`Delta::apply`]. Reads see the branch's own writes first (a tombstone hides the
//! base), and range scans merge both layers in key order, so iteration stays deterministic.

use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Bound;

use wicas_store::{KvIter, Order, StateRead, StateWrite, StoreError};

/// Writes in key order: `Some(value)` sets a key, `None` deletes it.
pub type ChangeSet = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// A write set over a borrowed base state.
pub struct Delta<'a> {
    base: &'a dyn StateRead,
    writes: ChangeSet,
}

impl std::fmt::Debug for Delta<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delta")
            .field("writes", &self.writes.len())
            .finish()
    }
}

impl<'a> Delta<'a> {
    /// A branch over `base` with no writes yet.
    pub fn new(base: &'a dyn StateRead) -> Self {
        Self::with_changes(base, ChangeSet::new())
    }

    /// A branch over `base` that already holds `writes` (resuming a block between transactions).
    pub fn with_changes(base: &'a dyn StateRead, writes: ChangeSet) -> Self {
        Self { base, writes }
    }

    /// The writes made in this branch.
    pub fn into_changes(self) -> ChangeSet {
        self.writes
    }

    /// Merge a child branch's writes into this one (the child succeeded).
    pub fn apply(&mut self, changes: ChangeSet) {
        self.writes.extend(changes);
    }

    /// Number of keys written (set or deleted) in this branch.
    pub fn len(&self) -> usize {
        self.writes.len()
    }

    /// Whether this branch has written nothing.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
}

impl StateRead for Delta<'_> {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        match self.writes.get(key) {
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
        let lo = start.map_or(Bound::Unbounded, |s| Bound::Included(s.to_vec()));
        let hi = end.map_or(Bound::Unbounded, |e| Bound::Excluded(e.to_vec()));
        let mine = self
            .writes
            .range((lo, hi))
            .map(|(k, v)| (k.clone(), v.clone()));
        let mine: Overlay<'_> = match order {
            Order::Ascending => Box::new(mine),
            Order::Descending => Box::new(mine.rev()),
        };
        Box::new(Merge {
            base: self.base.range_raw(start, end, order).peekable(),
            mine: mine.peekable(),
            order,
        })
    }
}

impl StateWrite for Delta<'_> {
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.writes.insert(key, Some(value));
    }

    fn delete(&mut self, key: &[u8]) {
        self.writes.insert(key.to_vec(), None);
    }
}

type Overlay<'a> = Box<dyn Iterator<Item = (Vec<u8>, Option<Vec<u8>>)> + 'a>;

/// Merges the base's pairs with the branch's writes; on equal keys the branch wins.
struct Merge<'a> {
    base: Peekable<KvIter<'a>>,
    mine: Peekable<Overlay<'a>>,
    order: Order,
}

impl Iterator for Merge<'_> {
    type Item = Result<(Vec<u8>, Vec<u8>), StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            // Which side holds the next key in iteration order? (`true` = the branch's write.)
            let take_mine = match (self.base.peek(), self.mine.peek()) {
                (None, None) => return None,
                (Some(Err(_)), _) => return self.base.next(),
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(Ok((bk, _))), Some((mk, _))) => {
                    if bk == mk {
                        self.base.next(); // shadowed by the write
                        true
                    } else {
                        match self.order {
                            Order::Ascending => mk < bk,
                            Order::Descending => mk > bk,
                        }
                    }
                }
            };
            if !take_mine {
                return self.base.next();
            }
            match self.mine.next() {
                Some((k, Some(v))) => return Some(Ok((k, v))),
                Some((_, None)) => continue, // tombstone
                None => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wicas_store::MemState;

    fn collect(it: KvIter<'_>) -> Vec<(Vec<u8>, Vec<u8>)> {
        it.collect::<Result<_, _>>().unwrap()
    }

    #[test]
    fn writes_shadow_and_tombstones_hide_the_base_in_both_orders() {
        let mut base = MemState::new();
        for k in [b"a", b"b", b"c", b"e"] {
            base.put_raw(k.to_vec(), b"base".to_vec());
        }
        let mut d = Delta::new(&base);
        d.put_raw(b"b".to_vec(), b"new".to_vec());
        d.delete(b"c");
        d.put_raw(b"d".to_vec(), b"new".to_vec());
        let asc = collect(d.range_raw(None, None, Order::Ascending));
        let keys: Vec<_> = asc.iter().map(|(k, _)| k.clone()).collect();
        assert_eq!(
            keys,
            vec![b"a".to_vec(), b"b".to_vec(), b"d".to_vec(), b"e".to_vec()]
        );
        assert_eq!(asc[1].1, b"new".to_vec());
        let desc = collect(d.range_raw(Some(b"b"), Some(b"e"), Order::Descending));
        let keys: Vec<_> = desc.iter().map(|(k, _)| k.clone()).collect();
        assert_eq!(keys, vec![b"d".to_vec(), b"b".to_vec()]);
        assert_eq!(d.get_raw(b"c").unwrap(), None);
        assert_eq!(d.get_raw(b"a").unwrap(), Some(b"base".to_vec()));
    }

    #[test]
    fn a_dropped_child_leaves_the_parent_unchanged() {
        let base = MemState::new();
        let mut parent = Delta::new(&base);
        parent.put_raw(b"k".to_vec(), b"1".to_vec());
        let child_changes = {
            let mut child = Delta::new(&parent);
            child.put_raw(b"k".to_vec(), b"2".to_vec());
            child.into_changes()
        };
        assert_eq!(parent.get_raw(b"k").unwrap(), Some(b"1".to_vec()));
        parent.apply(child_changes);
        assert_eq!(parent.get_raw(b"k").unwrap(), Some(b"2".to_vec()));
    }
}
