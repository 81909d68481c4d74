//! Typed reads and writes of `wasm` state.

use wicas_store::{StateRead, StateWrite};

use super::{CodeInfo, ContractInfo, state_key};
use crate::Address;
use crate::state::{StateError, get_json, get_u64, put_json};

/// Reading `wasm` state.
pub trait WasmRead: StateRead {
    /// A stored code.
    fn code_info(&self, code_id: u64) -> Result<Option<CodeInfo>, StateError> {
        get_json(self, &state_key::code(code_id))
    }

    /// The stored bytes of a code.
    fn code_bytes(&self, checksum: &[u8]) -> Result<Option<Vec<u8>>, StateError> {
        Ok(self.get_raw(&state_key::code_bytes(checksum))?)
    }

    /// A contract.
    fn contract_info(&self, addr: &Address) -> Result<Option<ContractInfo>, StateError> {
        get_json(self, &state_key::contract(addr))
    }
}

impl<T: StateRead + ?Sized> WasmRead for T {}

/// Writing `wasm` state.
pub trait WasmWrite: StateWrite {
    /// Take the next value of a counter starting at 1.
    fn next_id(&mut self, key: &'static [u8]) -> Result<u64, StateError> {
        let id = get_u64(self, key)?.unwrap_or(1);
        self.put_raw(key.to_vec(), (id + 1).to_be_bytes().to_vec());
        Ok(id)
    }

    /// Store a code record.
    fn put_code_info(&mut self, code_id: u64, info: &CodeInfo) {
        put_json(self, state_key::code(code_id), info);
    }

    /// Store a contract record.
    fn put_contract_info(&mut self, addr: &Address, info: &ContractInfo) {
        put_json(self, state_key::contract(addr), info);
    }
}

impl<T: StateWrite + ?Sized> WasmWrite for T {}
