//! Hostile wasm, hand-written in WAT: each is refused or stopped with a clear typed error.

use anyhow::Result;
use serde_json::json;
use wicas_vm::{CallError, StoreCodeError};

use crate::support::{Host, addr, info};

/// The exports every CosmWasm contract must have, with a bump allocator that hands out valid
/// regions, followed by `body` (more functions / exports).
fn contract_wat(memory_pages: u32, body: &str) -> Vec<u8> {
    let text = format!(
        r#"(module
  (memory (export "memory") {memory_pages})
  (global $next (mut i32) (i32.const 1024))
  (func (export "interface_version_8"))
  (func (export "allocate") (param $size i32) (result i32)
    (local $region i32)
    (local.set $region (global.get $next))
    (i32.store (local.get $region) (i32.add (local.get $region) (i32.const 12)))
    (i32.store offset=4 (local.get $region) (local.get $size))
    (i32.store offset=8 (local.get $region) (i32.const 0))
    (global.set $next (i32.add (i32.add (local.get $region) (i32.const 12)) (local.get $size)))
    (local.get $region))
  (func (export "deallocate") (param i32))
  {body}
)"#
    );
    wat::parse_str(text).expect("test wat parses")
}

#[test]
fn wasm_without_exports_is_invalid() -> Result<()> {
    let host = Host::new()?;
    let err = host
        .vm
        .store_code(&wat::parse_str("(module)")?)
        .unwrap_err();
    assert!(matches!(err, StoreCodeError::Invalid { .. }), "{err:?}");
    let garbage = host.vm.store_code(b"\0asm not really").unwrap_err();
    assert!(
        matches!(garbage, StoreCodeError::Invalid { .. }),
        "{garbage:?}"
    );
    Ok(())
}

#[test]
fn simd_instructions_are_refused_and_scalar_floats_are_accepted() -> Result<()> {
    let host = Host::new()?;
    let simd = contract_wat(
        1,
        r#"(func (export "instantiate") (param i32 i32 i32) (result i32)
        (drop (i32x4.splat (i32.const 1))) (i32.const 0))"#,
    );
    let err = host.vm.store_code(&simd).unwrap_err();
    assert!(
        matches!(
            err,
            StoreCodeError::Invalid { .. } | StoreCodeError::Compile { .. }
        ),
        "{err:?}"
    );
    // Scalar floats are allowed since CosmWasm 1.5: cosmwasm-vm canonicalises NaNs, so they are
    // deterministic (DESIGN.md section 5).
    let floats = contract_wat(
        1,
        r#"(func (export "instantiate") (param i32 i32 i32) (result i32)
        (drop (f32.div (f32.const 0) (f32.const 0))) (i32.const 0))"#,
    );
    host.vm.store_code(&floats)?;
    Ok(())
}

#[test]
fn initial_memory_over_the_limit_is_refused() -> Result<()> {
    let host = Host::new()?;
    let huge = contract_wat(
        65_536,
        r#"(func (export "instantiate") (param i32 i32 i32) (result i32) (i32.const 0))"#,
    );
    let err = host.vm.store_code(&huge).unwrap_err();
    assert!(
        matches!(err, StoreCodeError::Invalid { ref reason } if reason.contains("memory")),
        "{err:?}"
    );
    Ok(())
}

#[test]
fn growing_memory_past_the_instance_limit_fails_inside_the_contract() -> Result<()> {
    let host = Host::new()?;
    // 1000 pages = 62.5 MiB > the 32 MiB instance limit: memory.grow returns -1, the contract traps.
    let grower = contract_wat(
        1,
        r#"(func (export "instantiate") (param i32 i32 i32) (result i32)
        (if (i32.eq (memory.grow (i32.const 1000)) (i32.const -1)) (then unreachable))
        (i32.const 0))"#,
    );
    let code = host.vm.store_code(&grower)?;
    let contract = addr(0x66, 32);
    let outcome = host.vm.instantiate(
        &code,
        host.ctx(&contract, 1_000_000),
        &info(&addr(1, 20), &[]),
        b"{}",
    );
    assert!(
        matches!(outcome.result, Err(CallError::Trap { .. })),
        "{:?}",
        outcome.result
    );
    Ok(())
}

#[test]
fn an_infinite_loop_runs_out_of_gas_and_uses_all_of_it() -> Result<()> {
    let host = Host::new()?;
    let looper = contract_wat(
        1,
        r#"(func (export "instantiate") (param i32 i32 i32) (result i32)
        (loop $forever (br $forever)) (i32.const 0))"#,
    );
    let code = host.vm.store_code(&looper)?;
    let contract = addr(0x77, 32);
    // Instance cost (60 000 SDK gas) plus 10 SDK gas of execution: about 12 million wasm operations.
    let ctx = host.ctx(&contract, 60_010);
    let limit = ctx.gas_limit;
    let outcome = host
        .vm
        .instantiate(&code, ctx, &info(&addr(1, 20), &[]), b"{}");
    assert_eq!(outcome.result, Err(CallError::OutOfGas { limit }));
    assert_eq!(outcome.gas.used, limit);
    Ok(())
}

#[test]
fn a_contract_requiring_an_unknown_capability_is_refused_by_name() -> Result<()> {
    let host = Host::new()?;
    let wasm = contract_wat(
        1,
        r#"(func (export "requires_teleportation"))
        (func (export "instantiate") (param i32 i32 i32) (result i32) (i32.const 0))"#,
    );
    let err = host.vm.store_code(&wasm).unwrap_err();
    assert!(
        matches!(err, StoreCodeError::MissingCapabilities { ref reason } if reason.contains("teleportation")),
        "{err:?}"
    );
    // The capabilities wicas does offer are accepted, `wicas` among them.
    let ok = contract_wat(
        1,
        r#"(func (export "requires_wicas")) (func (export "requires_iterator"))
        (func (export "instantiate") (param i32 i32 i32) (result i32) (i32.const 0))"#,
    );
    host.vm.store_code(&ok)?;
    Ok(())
}

#[test]
fn oversized_code_and_unknown_checksums_are_typed_errors() -> Result<()> {
    let host = Host::new()?;
    let too_big = vec![0u8; host.vm.config().max_wasm_bytes + 1];
    assert!(matches!(
        host.vm.store_code(&too_big),
        Err(StoreCodeError::TooLarge { .. })
    ));
    let unknown = cosmwasm_std::Checksum::generate(b"never stored");
    let contract = addr(0x88, 32);
    let outcome = host.vm.execute(
        &unknown,
        host.ctx(&contract, 1_000_000),
        &info(&addr(1, 20), &[]),
        br#"{}"#,
    );
    assert!(
        matches!(outcome.result, Err(CallError::CodeNotFound { .. })),
        "{:?}",
        outcome.result
    );
    let _ = json!(null);
    Ok(())
}
