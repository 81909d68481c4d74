//! Runs one `wasm32-wasip1` command under the deterministic host — the same configuration and
//! environment as every consensus run (no preopens, default [`RunLimits`]) — and forwards its
//! stdout, stderr and exit status. Used by `scripts/compare-libm --wasm` to hash libm's bits as
//! the guest sees them.
//!
//! ```text
//! cargo run -p wicas-wasi-host --example run_wasi -- PROGRAM.wasm [ARGS...]
//! ```

use std::io::Write;

use anyhow::{Context, Result, bail};
use wicas_wasi_host::{RunLimits, WasiProgram};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [module, guest_args @ ..] = args.as_slice() else {
        bail!("usage: run_wasi PROGRAM.wasm [ARGS...]");
    };
    let program = WasiProgram::from_file(module)?;
    let guest_args: Vec<&str> = guest_args.iter().map(String::as_str).collect();
    let out = program.run(&guest_args, &[], RunLimits::default())?;
    std::io::stdout()
        .write_all(&out.stdout)
        .context("write stdout")?;
    std::io::stderr()
        .write_all(&out.stderr)
        .context("write stderr")?;
    std::process::exit(out.exit_code);
}
