//! Keys of the `bank` module.

use crate::Address;

/// Prefix of every balance of `addr`: `bank/bal/<len><address bytes>` (the length byte keeps a
/// short address from being a prefix of a longer one, as in the SDK's `AddressKey`).
pub fn balances_of(addr: &Address) -> Vec<u8> {
    let bytes = addr.as_bytes();
    let mut k = b"bank/bal/".to_vec();
    // Addresses are at most 255 bytes (`MAX_ADDRESS_LEN`), so the length fits a byte.
    k.push(u8::try_from(bytes.len()).unwrap_or(u8::MAX));
    k.extend_from_slice(bytes);
    k
}

/// `bank/bal/<len><address><denom>` → big-endian u128.
pub fn balance(addr: &Address, denom: &str) -> Vec<u8> {
    let mut k = balances_of(addr);
    k.extend_from_slice(denom.as_bytes());
    k
}

/// `bank/supply/<denom>` → big-endian u128.
pub fn supply(denom: &str) -> Vec<u8> {
    [b"bank/supply/".as_slice(), denom.as_bytes()].concat()
}
