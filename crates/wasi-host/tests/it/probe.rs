//! Builds `wicas-infer-wasi-probe` for `wasm32-wasip1` (portable and simd128), runs it under
//! [`WasiProgram`] and parses what it prints.
//!
//! The build is `cargo build --release --locked --target wasm32-wasip1` into
//! `<target dir>/wasi-probe/<variant>`: its own target directory, so the nested cargo never waits
//! on the lock of the `cargo test` that runs us, and the two RUSTFLAGS variants never evict each
//! other. After the first run it is a no-op check of a second or so.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use wicas_wasi_host::{Preopen, RunLimits, RunOutput, WasiProgram};

/// How the probe is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Plain `wasm32-wasip1`: the engine can only take its scalar kernels.
    Portable,
    /// `-C target-feature=+simd128`: `--kernels auto` takes the simd128 kernels.
    Simd128,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Portable => "portable",
            Variant::Simd128 => "simd128",
        }
    }

    fn rustflags(self) -> &'static str {
        match self {
            Variant::Portable => "",
            Variant::Simd128 => "-Ctarget-feature=+simd128",
        }
    }
}

/// What the probe printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeOutput {
    pub isa: String,
    pub prompt_tokens: Vec<u32>,
    pub tokens: Vec<u32>,
    pub stop: String,
    pub digest: String,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The target directory of this test run: `$CARGO_TARGET_DIR`, else three levels above the test
/// binary (`<target>/debug/deps/it-…`).
fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().expect("test binary path");
    exe.ancestors()
        .nth(3)
        .expect("test binary lives in <target>/<profile>/deps")
        .to_path_buf()
}

/// Fails the test with the fix when the wasm target is missing (never skips).
fn require_wasm_target() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {rustc}: {e}"));
    let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let lib = sysroot.join("lib/rustlib/wasm32-wasip1/lib");
    assert!(
        lib.is_dir(),
        "the wasm32-wasip1 target is not installed ({} is missing): run \
         `rustup target add wasm32-wasip1` (scripts/check installs it)",
        lib.display()
    );
}

fn build(variant: Variant) -> PathBuf {
    require_wasm_target();
    let dir = target_dir().join("wasi-probe").join(variant.name());
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(workspace_root())
        .args([
            "build",
            "-p",
            "wicas-infer-wasi-probe",
            "--release",
            "--locked",
            "-j",
            "2",
        ])
        .args(["--target", "wasm32-wasip1", "--target-dir"])
        .arg(&dir)
        .env_remove("RUSTFLAGS")
        .env("CARGO_ENCODED_RUSTFLAGS", variant.rustflags())
        .status()
        .expect("run cargo to build the wasm probe");
    assert!(
        status.success(),
        "building wicas-infer-wasi-probe for wasm32-wasip1 ({}) failed: {status}",
        variant.name()
    );
    dir.join("wasm32-wasip1/release/wicas-infer-wasi-probe.wasm")
}

/// The probe compiled under the deterministic config, built on first use.
pub fn program(variant: Variant) -> &'static WasiProgram {
    static PORTABLE: OnceLock<WasiProgram> = OnceLock::new();
    static SIMD128: OnceLock<WasiProgram> = OnceLock::new();
    let cell = match variant {
        Variant::Portable => &PORTABLE,
        Variant::Simd128 => &SIMD128,
    };
    cell.get_or_init(|| WasiProgram::from_file(build(variant)).expect("compile the probe"))
}

/// Runs the probe on `model` (a file on the host; its directory is preopened as `/models`).
pub fn run_raw(variant: Variant, model: &Path, args: &[&str]) -> RunOutput {
    let dir = model.parent().expect("model has a directory");
    let name = model
        .file_name()
        .expect("model file name")
        .to_string_lossy();
    let guest_model = format!("/models/{name}");
    let mut full = vec!["--model", guest_model.as_str()];
    full.extend_from_slice(args);
    let preopen = Preopen {
        host: dir.to_path_buf(),
        guest: "/models".into(),
    };
    program(variant)
        .run(&full, &[preopen], RunLimits::default())
        .expect("the probe runs to completion")
}

/// Runs the probe and parses its report; a non-zero exit fails with the probe's stderr.
pub fn run(variant: Variant, model: &Path, args: &[&str]) -> ProbeOutput {
    let out = run_raw(variant, model, args);
    assert_eq!(
        out.exit_code,
        0,
        "probe ({}) failed: {}",
        variant.name(),
        String::from_utf8_lossy(&out.stderr)
    );
    parse(&String::from_utf8_lossy(&out.stdout))
}

fn parse(text: &str) -> ProbeOutput {
    let field = |key: &str| -> String {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("probe output lacks {key:?}:\n{text}"))
            .to_owned()
    };
    let ids = |key: &str| -> Vec<u32> {
        let v = field(key);
        if v.is_empty() {
            return Vec::new();
        }
        v.split(',').map(|t| t.parse().expect("token id")).collect()
    };
    ProbeOutput {
        isa: field("isa"),
        prompt_tokens: ids("prompt_tokens"),
        tokens: ids("tokens"),
        stop: field("stop"),
        digest: field("digest"),
    }
}
