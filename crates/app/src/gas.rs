//! Gas: one meter per transaction, in the same units as wasm execution (DESIGN.md section 8).
//!
//! Costs for store access follow the Cosmos SDK's `KVGasConfig` so that gas estimates from
//! existing clients stay in the right range. The meter uses interior mutability so that a metered
//! view of the state can charge it through `&self` reads.

use std::cell::Cell;

use wicas_store::{KvIter, Order, StateRead, StateWrite, StoreError};

/// Gas charged per store access (Cosmos SDK `store/types/gas.go` `KVGasConfig`).
pub mod cost {
    /// A read, before its bytes.
    pub const READ_FLAT: u64 = 1000;
    /// Per byte of key and value read.
    pub const READ_PER_BYTE: u64 = 3;
    /// A write, before its bytes.
    pub const WRITE_FLAT: u64 = 2000;
    /// Per byte of key and value written.
    pub const WRITE_PER_BYTE: u64 = 30;
    /// A delete.
    pub const DELETE: u64 = 1000;
    /// Each step of an iterator.
    pub const ITER_NEXT_FLAT: u64 = 30;
    /// Per byte of the transaction (Cosmos SDK auth param `tx_size_cost_per_byte`).
    pub const TX_SIZE_PER_BYTE: u64 = 10;
    /// Verifying one secp256k1 signature (auth param `sig_verify_cost_secp256k1`).
    pub const SECP256K1_VERIFY: u64 = 1000;
}

/// The gas limit was exceeded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("out of gas in location: {location}; gasWanted: {limit}, gasUsed: {used}")]
pub struct OutOfGas {
    /// What was being paid for.
    pub location: &'static str,
    /// The limit.
    pub limit: u64,
    /// Gas used including the charge that failed.
    pub used: u64,
}

/// Counts gas against a limit. Once exceeded it stays exceeded.
#[derive(Debug)]
pub struct GasMeter {
    limit: u64,
    used: Cell<u64>,
    /// The first charge that went over the limit, kept so a state access that cannot return an
    /// error still fails the transaction afterwards.
    exceeded_at: Cell<Option<&'static str>>,
}

impl GasMeter {
    /// A meter with `limit`.
    pub fn new(limit: u64) -> Self {
        Self {
            limit,
            used: Cell::new(0),
            exceeded_at: Cell::new(None),
        }
    }

    /// The limit.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Gas used so far (may exceed the limit after a failed charge).
    pub fn used(&self) -> u64 {
        self.used.get()
    }

    /// Gas left before the limit.
    pub fn remaining(&self) -> u64 {
        self.limit.saturating_sub(self.used.get())
    }

    /// Charge `amount`; fails when the total passes the limit.
    pub fn consume(&self, amount: u64, location: &'static str) -> Result<(), OutOfGas> {
        let used = self.used.get().saturating_add(amount);
        self.used.set(used);
        if used > self.limit {
            if self.exceeded_at.get().is_none() {
                self.exceeded_at.set(Some(location));
            }
            return Err(OutOfGas {
                location,
                limit: self.limit,
                used,
            });
        }
        Ok(())
    }

    /// The error if any charge so far went over the limit.
    pub fn check(&self) -> Result<(), OutOfGas> {
        match self.exceeded_at.get() {
            Some(location) => Err(OutOfGas {
                location,
                limit: self.limit,
                used: self.used.get(),
            }),
            None => Ok(()),
        }
    }
}

/// A view of a state that charges every access to a [`GasMeter`]. Accesses themselves never fail
/// for gas (the state traits cannot say so); callers check [`GasMeter::check`] after each step.
#[derive(Debug)]
pub struct Metered<'a, S: ?Sized> {
    inner: &'a mut S,
    meter: &'a GasMeter,
}

impl<'a, S: ?Sized> Metered<'a, S> {
    /// Wrap `inner`, charging `meter`.
    pub fn new(inner: &'a mut S, meter: &'a GasMeter) -> Self {
        Self { inner, meter }
    }

    /// The meter charged.
    pub fn meter(&self) -> &'a GasMeter {
        self.meter
    }
}

fn bytes_cost(len: usize, per_byte: u64) -> u64 {
    u64::try_from(len)
        .unwrap_or(u64::MAX)
        .saturating_mul(per_byte)
}

impl<S: StateRead + ?Sized> StateRead for Metered<'_, S> {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let value = self.inner.get_raw(key)?;
        let len = key.len() + value.as_ref().map_or(0, Vec::len);
        let _ = self.meter.consume(
            cost::READ_FLAT.saturating_add(bytes_cost(len, cost::READ_PER_BYTE)),
            "ReadFlat",
        );
        Ok(value)
    }

    fn range_raw(&self, start: Option<&[u8]>, end: Option<&[u8]>, order: Order) -> KvIter<'_> {
        let meter = self.meter;
        Box::new(
            self.inner
                .range_raw(start, end, order)
                .inspect(move |item| {
                    if let Ok((k, v)) = item {
                        let c = cost::ITER_NEXT_FLAT
                            .saturating_add(bytes_cost(k.len() + v.len(), cost::READ_PER_BYTE));
                        let _ = meter.consume(c, "IterNextFlat");
                    }
                }),
        )
    }
}

impl<S: StateWrite + ?Sized> StateWrite for Metered<'_, S> {
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) {
        let c = cost::WRITE_FLAT
            .saturating_add(bytes_cost(key.len() + value.len(), cost::WRITE_PER_BYTE));
        let _ = self.meter.consume(c, "WriteFlat");
        self.inner.put_raw(key, value);
    }

    fn delete(&mut self, key: &[u8]) {
        let _ = self.meter.consume(cost::DELETE, "Delete");
        self.inner.delete(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wicas_store::MemState;

    #[test]
    fn a_meter_stays_exceeded_once_over_the_limit() {
        let m = GasMeter::new(10);
        m.consume(10, "a").unwrap();
        assert!(m.check().is_ok());
        let e = m.consume(1, "b").unwrap_err();
        assert_eq!((e.limit, e.used, e.location), (10, 11, "b"));
        assert_eq!(m.check().unwrap_err().location, "b");
        assert_eq!(m.remaining(), 0);
    }

    #[test]
    fn metered_state_charges_reads_and_writes() {
        let m = GasMeter::new(u64::MAX);
        let mut state = MemState::new();
        let mut s = Metered::new(&mut state, &m);
        s.put_raw(b"k".to_vec(), b"vv".to_vec());
        assert_eq!(m.used(), cost::WRITE_FLAT + 3 * cost::WRITE_PER_BYTE);
        s.get_raw(b"k").unwrap();
        assert_eq!(m.used(), cost::WRITE_FLAT + 90 + cost::READ_FLAT + 9);
    }
}
