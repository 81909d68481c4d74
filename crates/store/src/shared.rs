//! A cloneable handle to one [`StateDelta`], for hosts whose parts all need the same state.
//!
//! cosmwasm-vm's `Backend` owns its `Storage` and its `Querier` separately, but a contract's
//! queries must see the writes it made so far; both hold a clone of one `SharedDelta`.
//!
//! How the contract host implements `cosmwasm_vm::Storage` over it (documented here so every
//! host does it alike): `get`/`set`/`remove` map to `get_raw`/`put_raw`/`delete` on the
//! contract's key prefix. `scan(start, end, order)` pushes a cursor `{start, end, order, last:
//! None}` to a `Vec` and returns its index as the iterator id (ids therefore count 0, 1, 2, … in
//! call order: deterministic). `next(id)` asks `range_raw` for one pair past the cursor —
//! ascending: `range_raw(Some(after(last)), end)` where `after(k) = k ++ [0]`; descending:
//! `range_raw(start, Some(last))` — and moves the cursor to the returned key. Each `next` costs
//! one O(log n) seek and the iterator sees writes made after `scan`, like a live cursor.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::{KvIter, Order, StateDelta, StateRead, StateWrite, StoreError};

/// A shared, lockable [`StateDelta`]; clones are handles to the same delta.
#[derive(Debug, Clone)]
pub struct SharedDelta(Arc<Mutex<StateDelta>>);

impl SharedDelta {
    /// Share `delta`.
    pub fn new(delta: StateDelta) -> Self {
        Self(Arc::new(Mutex::new(delta)))
    }

    /// Lock the delta. A poisoned lock (a panic while it was held) is recovered: every
    /// operation leaves the delta whole.
    pub fn lock(&self) -> MutexGuard<'_, StateDelta> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new shared child forked from this delta ([`StateDelta::fork`]).
    pub fn fork(&self) -> SharedDelta {
        SharedDelta::new(self.lock().fork())
    }

    /// Apply a child made by [`Self::fork`]; every other handle to the child must be dropped
    /// first ([`StoreError::DeltaInUse`] otherwise, and the child is returned untouched inside
    /// no state: the caller still holds its other handles).
    pub fn apply(&self, child: SharedDelta) -> Result<(), StoreError> {
        let child = child.into_inner()?;
        self.lock().apply(child)
    }

    /// The delta itself, if this is the only handle.
    pub fn into_inner(self) -> Result<StateDelta, StoreError> {
        match Arc::try_unwrap(self.0) {
            Ok(m) => Ok(m.into_inner().unwrap_or_else(PoisonError::into_inner)),
            Err(shared) => Err(StoreError::DeltaInUse {
                handles: Arc::strong_count(&shared) - 1,
            }),
        }
    }
}

impl StateRead for SharedDelta {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.lock().get_raw(key)
    }

    /// A live cursor: each step locks the delta and seeks past the previous key, so no lock is
    /// held between steps and writes made meanwhile are seen.
    fn range_raw(&self, start: Option<&[u8]>, end: Option<&[u8]>, order: Order) -> KvIter<'_> {
        Box::new(Cursor {
            delta: self,
            start: start.map(<[u8]>::to_vec),
            end: end.map(<[u8]>::to_vec),
            order,
            done: false,
        })
    }
}

impl StateWrite for SharedDelta {
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.lock().put_raw(key, value);
    }

    fn delete(&mut self, key: &[u8]) {
        self.lock().delete(key);
    }
}

/// The smallest key greater than `key`.
fn after(key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(key.len() + 1);
    k.extend_from_slice(key);
    k.push(0);
    k
}

struct Cursor<'a> {
    delta: &'a SharedDelta,
    start: Option<Vec<u8>>,
    end: Option<Vec<u8>>,
    order: Order,
    done: bool,
}

impl Iterator for Cursor<'_> {
    type Item = Result<(Vec<u8>, Vec<u8>), StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = {
            let delta = self.delta.lock();
            let mut it = delta.range_raw(self.start.as_deref(), self.end.as_deref(), self.order);
            it.next()
        };
        match &item {
            Some(Ok((k, _))) => match self.order {
                Order::Ascending => self.start = Some(after(k)),
                Order::Descending => self.end = Some(k.clone()),
            },
            _ => self.done = true,
        }
        item
    }
}
