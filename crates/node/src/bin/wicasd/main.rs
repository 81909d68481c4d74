//! `wicasd`: the wicas node binary: `wicasd init` and `wicasd start` (a chain), and the engine
//! locally: `wicasd infer` (generate or evaluate) and `wicasd bench` (llama-bench style
//! throughput).

mod bench;
mod bench_chain;
mod chain;
mod cli;
mod common;
mod genesis;
mod infer;
mod keys;
mod load;
mod query;
mod testnet;
mod tx;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let result = match cli::Cli::parse().command {
        cli::Command::Infer(args) => args.validate().and_then(infer::run),
        cli::Command::Bench(args) => args.validate().and_then(bench::run),
        cli::Command::Init(args) => chain::init(&args),
        cli::Command::Start(args) => chain::start(&args),
        cli::Command::Keys(args) => keys::run(args),
        cli::Command::Genesis(args) => genesis::run(args),
        cli::Command::Tx(args) => tx::run(args),
        cli::Command::Query(args) => query::run(args),
        cli::Command::Status(args) => query::status(args),
        cli::Command::Testnet(args) => testnet::run(&args),
        cli::Command::BenchChain(args) => bench_chain::run(&args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` prints the cause chain on one line: "path: reason: cause".
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
