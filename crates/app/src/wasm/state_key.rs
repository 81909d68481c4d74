//! Keys of the `wasm` module (contract storage itself is `wicas_vm::contract_state_key`).

use crate::Address;

/// `wasm/code/<code id BE>` → JSON [`super::CodeInfo`].
pub fn code(code_id: u64) -> Vec<u8> {
    [b"wasm/code/".as_slice(), &code_id.to_be_bytes()].concat()
}

/// `wasm/bytes/<checksum>` → the wasm as stored (so a node can rebuild its module cache).
pub fn code_bytes(checksum: &[u8]) -> Vec<u8> {
    [b"wasm/bytes/".as_slice(), checksum].concat()
}

/// `wasm/contract/<address>` → JSON [`super::ContractInfo`].
pub fn contract(addr: &Address) -> Vec<u8> {
    [b"wasm/contract/".as_slice(), addr.as_bytes()].concat()
}

/// `wasm/next_code_id` → big-endian u64 (first code is 1, as in wasmd).
pub fn next_code_id() -> &'static [u8] {
    b"wasm/next_code_id"
}

/// `wasm/next_instance_id` → big-endian u64 (the classic address counter, first 1).
pub fn next_instance_id() -> &'static [u8] {
    b"wasm/next_instance_id"
}
