//! No code: this crate only exists so that `contracts/Cargo.lock` pins the contracts we take
//! unchanged from crates.io (cw20-base 2.0.0). `scripts/build-contracts` builds each of them as
//! its own cdylib; nothing here is linked into any artifact.
#![no_std]
