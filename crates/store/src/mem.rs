//! An in-memory state: a plain ordered map, for unit tests and tools.

use std::collections::BTreeMap;
use std::ops::Bound;

use crate::{KvIter, Order, StateRead, StateWrite, StoreError};

/// State held in a `BTreeMap`; no history, no proofs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemState {
    map: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl MemState {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no key is set.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

fn bounds(start: Option<&[u8]>, end: Option<&[u8]>) -> (Bound<Vec<u8>>, Bound<Vec<u8>>) {
    let lo = start.map_or(Bound::Unbounded, |s| Bound::Included(s.to_vec()));
    let hi = end.map_or(Bound::Unbounded, |e| Bound::Excluded(e.to_vec()));
    (lo, hi)
}

impl StateRead for MemState {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.map.get(key).cloned())
    }

    fn range_raw(&self, start: Option<&[u8]>, end: Option<&[u8]>, order: Order) -> KvIter<'_> {
        if let (Some(s), Some(e)) = (start, end)
            && s >= e
        {
            return Box::new(std::iter::empty());
        }
        let range = self.map.range(bounds(start, end));
        let pairs = range.map(|(k, v)| Ok((k.clone(), v.clone())));
        match order {
            Order::Ascending => Box::new(pairs),
            Order::Descending => Box::new(pairs.rev()),
        }
    }
}

impl StateWrite for MemState {
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.map.insert(key, value);
    }

    fn delete(&mut self, key: &[u8]) {
        self.map.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(it: KvIter<'_>) -> Vec<Vec<u8>> {
        it.map(|r| r.map(|(k, _)| k))
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn ranges_are_half_open_and_ordered() {
        let mut s = MemState::new();
        for k in [b"a", b"b", b"c", b"d"] {
            s.put_raw(k.to_vec(), k.to_vec());
        }
        assert_eq!(
            keys(s.range_raw(Some(b"b"), Some(b"d"), Order::Ascending)),
            vec![b"b".to_vec(), b"c".to_vec()]
        );
        assert_eq!(
            keys(s.range_raw(None, None, Order::Descending)).first(),
            Some(&b"d".to_vec())
        );
        assert!(keys(s.range_raw(Some(b"c"), Some(b"a"), Order::Ascending)).is_empty());
        s.delete(b"a");
        assert_eq!(s.get_raw(b"a").unwrap(), None);
    }
}
