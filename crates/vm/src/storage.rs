//! Contract storage: cosmwasm-vm's `Storage` over the chain state, one key prefix per contract.

use std::cell::RefCell;
use std::rc::Rc;

use cosmwasm_std::{Order as CwOrder, Record};
use cosmwasm_vm::{BackendError, BackendResult, GasInfo, Storage};
use wicas_store::{Order, StateRead, StateWrite, StoreError, prefix_end};
use wicas_types::gas::sdk_to_vm;

use crate::GasCosts;

/// A key and its value.
type KvPair = (Vec<u8>, Vec<u8>);

/// First bytes of every contract-state key.
const NAMESPACE: &[u8] = b"wasm/state/";

/// Most iterators one call may open (each is a small cursor; the bound stops a contract from
/// growing host memory without limit between gas charges).
const MAX_ITERATORS: usize = 4096;

/// The prefix under which the contract with canonical address `contract` keeps its state:
/// `"wasm/state/" ‖ len(contract) as u8 ‖ contract`. The length byte makes prefixes of
/// different contracts disjoint even when one address is a prefix of another.
pub fn contract_state_prefix(contract: &[u8]) -> Vec<u8> {
    let mut prefix = Vec::with_capacity(NAMESPACE.len() + 1 + contract.len());
    prefix.extend_from_slice(NAMESPACE);
    // Canonical addresses are at most 255 bytes (enforced by `WicasApi`).
    prefix.push(u8::try_from(contract.len()).unwrap_or(u8::MAX));
    prefix.extend_from_slice(contract);
    prefix
}

/// The chain-state key of `key` in `contract`'s storage (what a wasm raw query reads).
pub fn contract_state_key(contract: &[u8], key: &[u8]) -> Vec<u8> {
    let mut full = contract_state_prefix(contract);
    full.extend_from_slice(key);
    full
}

/// The state a call sees. `ReadWrite` for instantiate/execute/migrate/reply/sudo, `ReadOnly` for
/// queries (cosmwasm-vm refuses writes in queries before they reach the host; a read-only handle
/// makes that a second, independent guarantee).
///
/// The handle is shared (`Rc`): the app keeps its own clone to read the writes back, and its
/// [`crate::ChainQuerier`] can hold one to answer nested queries. Each storage operation borrows
/// the state only for its own duration, so nested calls never overlap a borrow.
#[derive(Clone)]
pub enum StateAccess {
    /// Reads and writes.
    ReadWrite(Rc<RefCell<dyn StateWrite>>),
    /// Reads only.
    ReadOnly(Rc<dyn StateRead>),
}

impl std::fmt::Debug for StateAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StateAccess::ReadWrite(_) => "StateAccess::ReadWrite",
            StateAccess::ReadOnly(_) => "StateAccess::ReadOnly",
        })
    }
}

impl StateAccess {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, BackendError> {
        match self {
            StateAccess::ReadWrite(state) => state
                .try_borrow()
                .map_err(|_| busy())?
                .get_raw(key)
                .map_err(store_err),
            StateAccess::ReadOnly(state) => state.get_raw(key).map_err(store_err),
        }
    }

    fn first(
        &self,
        start: &[u8],
        end: &[u8],
        order: Order,
    ) -> Result<Option<KvPair>, BackendError> {
        match self {
            StateAccess::ReadWrite(state) => {
                let state = state.try_borrow().map_err(|_| busy())?;
                let first = state.range_raw(Some(start), Some(end), order).next();
                first.transpose().map_err(store_err)
            }
            StateAccess::ReadOnly(state) => state
                .range_raw(Some(start), Some(end), order)
                .next()
                .transpose()
                .map_err(store_err),
        }
    }

    fn write(&self) -> Result<std::cell::RefMut<'_, dyn StateWrite + 'static>, BackendError> {
        match self {
            StateAccess::ReadWrite(state) => state.try_borrow_mut().map_err(|_| busy()),
            StateAccess::ReadOnly(_) => Err(BackendError::unknown("write to read-only state")),
        }
    }
}

/// A borrow conflict on the shared state: a host bug (an app holding a borrow across a call),
/// reported rather than panicking.
fn busy() -> BackendError {
    BackendError::unknown("state is borrowed elsewhere during a contract call")
}

/// One open iterator: a cursor over `[start, end)` of full (prefixed) keys that moves past each
/// key it returns. It re-reads the state at each step, so it sees the call's own writes.
#[derive(Debug)]
struct Cursor {
    start: Vec<u8>,
    end: Vec<u8>,
    order: Order,
    done: bool,
}

/// The `Storage` cosmwasm-vm calls for one contract during one call.
#[derive(Debug)]
pub(crate) struct ContractStorage {
    state: StateAccess,
    prefix: Vec<u8>,
    costs: GasCosts,
    /// Iterator id `n` is `iterators[n - 1]`: ids are 1, 2, 3… in creation order (deterministic).
    iterators: Vec<Cursor>,
}

impl ContractStorage {
    pub(crate) fn new(state: StateAccess, contract: &[u8], costs: GasCosts) -> Self {
        Self {
            state,
            prefix: contract_state_prefix(contract),
            costs,
            iterators: Vec::new(),
        }
    }

    fn full_key(&self, key: &[u8]) -> Vec<u8> {
        let mut full = self.prefix.clone();
        full.extend_from_slice(key);
        full
    }

    fn read_gas(&self, bytes: usize) -> GasInfo {
        GasInfo::with_cost(sdk_to_vm(
            self.costs
                .read_flat
                .saturating_add(per_byte(self.costs.read_per_byte, bytes)),
        ))
    }
}

fn per_byte(price: u64, bytes: usize) -> u64 {
    price.saturating_mul(u64::try_from(bytes).unwrap_or(u64::MAX))
}

fn store_err(error: StoreError) -> BackendError {
    BackendError::unknown(format!("state: {error}"))
}

impl Storage for ContractStorage {
    fn get(&self, key: &[u8]) -> BackendResult<Option<Vec<u8>>> {
        match self.state.get(&self.full_key(key)) {
            Ok(value) => {
                let bytes = key.len() + value.as_ref().map_or(0, Vec::len);
                (Ok(value), self.read_gas(bytes))
            }
            Err(e) => (Err(e), self.read_gas(key.len())),
        }
    }

    fn scan(
        &mut self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: CwOrder,
    ) -> BackendResult<u32> {
        let gas = GasInfo::with_cost(sdk_to_vm(self.costs.iter_next_flat));
        if self.iterators.len() >= MAX_ITERATORS {
            return (
                Err(BackendError::user_err(format!(
                    "more than {MAX_ITERATORS} iterators in one call"
                ))),
                gas,
            );
        }
        let start = self.full_key(start.unwrap_or_default());
        // The namespace starts with b'w', so a prefix end always exists.
        let end = match end {
            Some(end) => self.full_key(end),
            None => prefix_end(&self.prefix).unwrap_or_default(),
        };
        let order = match order {
            CwOrder::Ascending => Order::Ascending,
            CwOrder::Descending => Order::Descending,
        };
        let done = start >= end;
        self.iterators.push(Cursor {
            start,
            end,
            order,
            done,
        });
        // len() <= MAX_ITERATORS, so the id fits.
        let id = u32::try_from(self.iterators.len()).unwrap_or(u32::MAX);
        (Ok(id), gas)
    }

    fn next(&mut self, iterator_id: u32) -> BackendResult<Option<Record>> {
        let flat = GasInfo::with_cost(sdk_to_vm(self.costs.iter_next_flat));
        let index = usize::try_from(iterator_id)
            .unwrap_or(usize::MAX)
            .wrapping_sub(1);
        let Some(cursor) = self.iterators.get_mut(index) else {
            return (
                Err(BackendError::iterator_does_not_exist(iterator_id)),
                GasInfo::free(),
            );
        };
        if cursor.done {
            return (Ok(None), flat);
        }
        let found = self.state.first(&cursor.start, &cursor.end, cursor.order);
        let (key, value) = match found {
            Ok(Some(pair)) => pair,
            Ok(None) => {
                cursor.done = true;
                return (Ok(None), flat);
            }
            Err(e) => return (Err(e), flat),
        };
        match cursor.order {
            // Next ascending start: the smallest key greater than `key`.
            Order::Ascending => {
                cursor.start = key.clone();
                cursor.start.push(0);
            }
            Order::Descending => cursor.end = key.clone(),
        }
        let bytes = key.len() + value.len();
        let gas = GasInfo::with_cost(sdk_to_vm(
            self.costs
                .iter_next_flat
                .saturating_add(per_byte(self.costs.read_per_byte, bytes)),
        ));
        let Some(short_key) = key.get(self.prefix.len()..) else {
            return (
                Err(BackendError::unknown(
                    "state returned a key outside the contract's prefix",
                )),
                gas,
            );
        };
        (Ok(Some((short_key.to_vec(), value))), gas)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) -> BackendResult<()> {
        let gas = GasInfo::with_cost(sdk_to_vm(
            self.costs
                .write_flat
                .saturating_add(per_byte(self.costs.write_per_byte, key.len() + value.len())),
        ));
        let full = self.full_key(key);
        match self.state.write() {
            Ok(mut state) => {
                state.put_raw(full, value.to_vec());
                (Ok(()), gas)
            }
            Err(e) => (Err(e), gas),
        }
    }

    fn remove(&mut self, key: &[u8]) -> BackendResult<()> {
        let gas = GasInfo::with_cost(sdk_to_vm(self.costs.delete_flat));
        let full = self.full_key(key);
        match self.state.write() {
            Ok(mut state) => {
                state.delete(&full);
                (Ok(()), gas)
            }
            Err(e) => (Err(e), gas),
        }
    }
}
