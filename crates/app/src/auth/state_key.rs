//! Keys of the `auth` module.

use crate::Address;

/// `auth/acc/<address bytes>` → `BaseAccount` protobuf.
pub fn account(addr: &Address) -> Vec<u8> {
    [b"auth/acc/".as_slice(), addr.as_bytes()].concat()
}

/// `auth/next_account_number` → big-endian u64.
pub fn next_account_number() -> &'static [u8] {
    b"auth/next_account_number"
}

/// `auth/params` → JSON [`super::AuthParams`].
pub fn params() -> &'static [u8] {
    b"auth/params"
}
