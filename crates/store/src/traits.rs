//! Read/write access to state, shared by every chain module (penumbra's `StateRead`/`StateWrite`
//! pattern: modules add typed extension traits on top of these raw byte methods).

use crate::StoreError;

/// Iteration order over a key range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Ascending byte order of keys.
    Ascending,
    /// Descending byte order of keys.
    Descending,
}

/// An iterator of key/value pairs in key order; an item is an error only if the database failed.
pub type KvIter<'a> = Box<dyn Iterator<Item = Result<(Vec<u8>, Vec<u8>), StoreError>> + 'a>;

/// Reading state. Implementations must be deterministic: the same state gives the same answers
/// and the same iteration order on every machine.
pub trait StateRead {
    /// The value at `key`, if any.
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;
    /// Pairs with `start <= key < end` (either bound may be open), in `order`.
    fn range_raw(&self, start: Option<&[u8]>, end: Option<&[u8]>, order: Order) -> KvIter<'_>;
}

/// Writing state.
pub trait StateWrite: StateRead {
    /// Set `key` to `value`.
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>);
    /// Remove `key` (a no-op if absent).
    fn delete(&mut self, key: &[u8]);
}

/// The end bound that makes `range_raw(Some(prefix), prefix_end(prefix), …)` cover exactly the keys
/// starting with `prefix`; `None` when no such bound exists (the prefix is all 0xff or empty).
pub fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::prefix_end;

    #[test]
    fn prefix_end_carries_over_0xff() {
        assert_eq!(prefix_end(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_end(&[1, 0xff]), Some(vec![2]));
        assert_eq!(prefix_end(&[0xff, 0xff]), None);
        assert_eq!(prefix_end(b""), None);
    }
}
