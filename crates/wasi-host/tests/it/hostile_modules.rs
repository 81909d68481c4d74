//! Hand-assembled modules that trap or ask for more memory than the cap: the run ends in a typed
//! error (never a host crash or an unbounded allocation), and the cap is what decides.

use wicas_wasi_host::{HostError, RunLimits, WasiProgram};

const HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/// Type section with one `[] -> []` function type, function section declaring one function of
/// it, export section exporting function 0 as `_start`.
const TYPE_FUNC_EXPORT: [u8; 22] = [
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: (func)
    0x03, 0x02, 0x01, 0x00, // function section: func 0 has type 0
    0x07, 0x0a, 0x01, 0x06, b'_', b's', b't', b'a', b'r', b't', 0x00, 0x00, // export "_start"
];

/// A command with a memory of `min_pages` and a `_start` whose body is `code`.
fn module(min_pages: u8, code: &[u8]) -> Vec<u8> {
    assert!(
        min_pages < 0x80 && code.len() < 0x7e,
        "single-byte LEB128 sizes"
    );
    let mut m = HEADER.to_vec();
    m.extend_from_slice(&TYPE_FUNC_EXPORT[..10]);
    m.extend_from_slice(&[0x05, 0x03, 0x01, 0x00, min_pages]); // memory section: min only
    m.extend_from_slice(&TYPE_FUNC_EXPORT[10..]);
    let body_len = code.len() as u8 + 1; // + the empty locals vector
    m.extend_from_slice(&[0x0a, body_len + 2, 0x01, body_len, 0x00]);
    m.extend_from_slice(code);
    m
}

/// `_start`: `if (memory.grow 16) == -1 { unreachable }`.
const GROW_16_PAGES_OR_TRAP: &[u8] = &[
    0x41, 0x10, // i32.const 16
    0x40, 0x00, // memory.grow 0
    0x41, 0x7f, // i32.const -1
    0x46, // i32.eq
    0x04, 0x40, 0x00, 0x0b, // if unreachable end
    0x0b, // end
];

fn limits(max_memory_bytes: usize) -> RunLimits {
    RunLimits {
        max_memory_bytes,
        ..RunLimits::default()
    }
}

#[test]
fn unreachable_is_a_typed_trap() {
    let program = WasiProgram::from_bytes("trap.wasm", &module(1, &[0x00, 0x0b])).unwrap();
    let err = program.run(&[], &[], RunLimits::default()).unwrap_err();
    assert!(matches!(err, HostError::Trap(_)), "{err}");
}

#[test]
fn growing_memory_past_the_cap_fails_and_below_it_succeeds() {
    let program = WasiProgram::from_bytes("grow.wasm", &module(1, GROW_16_PAGES_OR_TRAP)).unwrap();
    // 1 + 16 pages = 1.0625 MiB: over a 1 MiB cap the grow returns -1 and the guest traps...
    let err = program.run(&[], &[], limits(1 << 20)).unwrap_err();
    assert!(matches!(err, HostError::Trap(_)), "{err}");
    // ...under a 2 MiB cap the same module runs to completion.
    let out = program.run(&[], &[], limits(2 << 20)).unwrap();
    assert_eq!(out.exit_code, 0);
}

#[test]
fn an_initial_memory_over_the_cap_cannot_be_instantiated() {
    // 32 pages = 2 MiB declared, 1 MiB allowed.
    let program = WasiProgram::from_bytes("big.wasm", &module(32, &[0x0b])).unwrap();
    let err = program.run(&[], &[], limits(1 << 20)).unwrap_err();
    assert!(matches!(err, HostError::Instantiate(_)), "{err}");
    let out = program.run(&[], &[], limits(2 << 20)).unwrap();
    assert_eq!(out.exit_code, 0);
}
