//! The host's refusals: modules the deterministic config must not accept, and runs that exceed
//! their bounds or get bad input end in typed errors or a failing exit status, never a hang.

use wicas_wasi_host::{HostError, RunLimits, WasiProgram};

use crate::probe::{self, Variant};

/// `(module (memory 1 1 shared))` — a wasm threads feature, refused by the config.
const SHARED_MEMORY_MODULE: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    0x05, 0x04, 0x01, 0x03, 0x01, 0x01, // memory section: 1 memory, shared, min 1, max 1
];

#[test]
fn a_module_with_shared_memory_is_refused() {
    let err = WasiProgram::from_bytes("shared.wasm", SHARED_MEMORY_MODULE).unwrap_err();
    assert!(matches!(err, HostError::Compile { .. }), "{err}");
}

#[test]
fn bytes_that_are_not_wasm_are_refused() {
    for bytes in [
        &b""[..],
        b"\0asm",
        b"GGUF\x03\0\0\0",
        &SHARED_MEMORY_MODULE[..9],
    ] {
        let err = WasiProgram::from_bytes("junk.wasm", bytes).unwrap_err();
        assert!(matches!(err, HostError::Compile { .. }), "{err}");
    }
}

#[test]
fn a_missing_module_file_is_a_read_error() {
    let err = WasiProgram::from_file("/nonexistent/probe.wasm").unwrap_err();
    assert!(matches!(err, HostError::ReadModule { .. }), "{err}");
}

#[test]
fn a_run_out_of_fuel_stops_with_a_typed_error() {
    let limits = RunLimits {
        fuel: 100,
        ..RunLimits::default()
    };
    let err = probe::program(Variant::Portable)
        .run(&["--model", "/none", "--tokens", "1"], &[], limits)
        .unwrap_err();
    assert!(matches!(err, HostError::OutOfFuel { fuel: 100 }), "{err}");
}

#[test]
fn a_missing_preopen_directory_is_refused() {
    let preopen = wicas_wasi_host::Preopen {
        host: "/nonexistent/models".into(),
        guest: "/models".into(),
    };
    let err = probe::program(Variant::Portable)
        .run(&["--tokens", "1"], &[preopen], RunLimits::default())
        .unwrap_err();
    assert!(matches!(err, HostError::Preopen { .. }), "{err}");
}

#[test]
fn the_guest_sees_no_host_files_outside_its_preopens() {
    // No preopens: the model path cannot be opened, the probe reports it and exits 1.
    let out = probe::program(Variant::Portable)
        .run(
            &["--model", "/etc/hostname", "--tokens", "1"],
            &[],
            RunLimits::default(),
        )
        .expect("the probe runs");
    assert_eq!(out.exit_code, 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/etc/hostname"), "{stderr}");
}

#[test]
fn bad_arguments_and_a_corrupt_model_fail_with_the_probes_reason() {
    let dir = std::env::temp_dir().join(format!("wicas-wasi-host-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let corrupt = dir.join("corrupt.gguf");
    std::fs::write(&corrupt, b"GGUF\x03\0\0\0truncated").unwrap();
    let usage = probe::run_raw(Variant::Portable, &corrupt, &["--max-tokens", "x"]);
    assert_eq!(usage.exit_code, 2, "usage error");
    let broken = probe::run_raw(Variant::Portable, &corrupt, &["--tokens", "1"]);
    assert_eq!(broken.exit_code, 1, "corrupt model");
    assert!(String::from_utf8_lossy(&broken.stderr).contains("corrupt.gguf"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_run_is_repeatable_down_to_its_fuel() {
    // Same module, arguments and (absent) files: same exit status, output and fuel, run after run.
    let run = || {
        probe::program(Variant::Simd128)
            .run(
                &["--model", "/models/none.gguf", "--tokens", "1"],
                &[],
                RunLimits::default(),
            )
            .expect("the probe runs")
    };
    let first = run();
    assert!(first.fuel_used > 0);
    assert_eq!(first, run());
}
