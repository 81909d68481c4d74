//! wicas-vm integration tests: real contracts (built by `scripts/build-contracts`) and hand-written
//! hostile wasm, run through the real cosmwasm-vm host over `MemState`.

mod ai_oracle;
mod cw20;
mod gas;
mod hostile;
mod nameservice;
mod support;
