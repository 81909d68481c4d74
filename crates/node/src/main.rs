//! `wicasd`: the wicas node binary. For now it runs the deterministic engine locally:
//! `wicasd infer` (generate or evaluate) and `wicasd bench` (llama-bench style throughput).

mod bench;
mod cli;
mod infer;
mod load;

use clap::Parser;

fn main() -> anyhow::Result<()> {
    match cli::Cli::parse().command {
        cli::Command::Infer(args) => infer::run(args.validate()?),
        cli::Command::Bench(args) => bench::run(args.validate()?),
    }
}
