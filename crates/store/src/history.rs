//! Ordered scans over the value tables: the latest-state table, and the history table read at
//! an older version.

use crate::{Order, StoreError};

/// One item of a range over `kv_latest`.
pub(crate) type LatestItem<'a> = Result<
    (
        redb::AccessGuard<'a, &'static [u8]>,
        redb::AccessGuard<'a, &'static [u8]>,
    ),
    redb::StorageError,
>;

/// One history entry: (key, version, value or `None` for a deletion).
type Entry = (Vec<u8>, u64, Option<Vec<u8>>);

pub(crate) type HistoryRange = redb::Range<'static, (&'static [u8], u64), Option<&'static [u8]>>;

/// Walks the history table and yields, per key, its value at `version` (skipping keys absent
/// or deleted then). Entries are (key, version) ordered; a key's group is contiguous.
pub(crate) struct HistoryIter {
    range: HistoryRange,
    order: Order,
    version: u64,
    /// An entry read ahead (the first of the next key's group).
    pending: Option<Entry>,
    failed: bool,
}

impl HistoryIter {
    pub(crate) fn new(range: HistoryRange, order: Order, version: u64) -> Self {
        Self {
            range,
            order,
            version,
            pending: None,
            failed: false,
        }
    }

    fn pull(&mut self) -> Option<Result<Entry, StoreError>> {
        if let Some(p) = self.pending.take() {
            return Some(Ok(p));
        }
        let item = match self.order {
            Order::Ascending => self.range.next()?,
            Order::Descending => self.range.next_back()?,
        };
        Some(
            item.map(|(k, v)| {
                let (key, ver) = k.value();
                (key.to_vec(), ver, v.value().map(<[u8]>::to_vec))
            })
            .map_err(StoreError::db),
        )
    }
}

impl Iterator for HistoryIter {
    type Item = Result<(Vec<u8>, Vec<u8>), StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.failed {
            let (key, ver, value) = match self.pull()? {
                Ok(e) => e,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            };
            // The value of `key` at `self.version`: the entry with the greatest version <= it.
            let mut best = (ver <= self.version).then_some(value);
            loop {
                match self.pull() {
                    None => break,
                    Some(Err(e)) => {
                        self.failed = true;
                        return Some(Err(e));
                    }
                    Some(Ok((k2, v2, val2))) => {
                        if k2 != key {
                            self.pending = Some((k2, v2, val2));
                            break;
                        }
                        let newer = match self.order {
                            Order::Ascending => v2 <= self.version,
                            Order::Descending => v2 <= self.version && best.is_none(),
                        };
                        if newer {
                            best = Some(val2);
                        }
                    }
                }
            }
            if let Some(Some(v)) = best {
                return Some(Ok((key, v)));
            }
        }
        None
    }
}
