//! Loading a model with a progress indication: the file is memory-mapped (instant), then its
//! pages are read once so that the first request does not stall on disk; a progress line on
//! stderr shows how far that has got when stderr is a terminal.

use std::io::{IsTerminal, Write};

use anyhow::Context;
use wicas_infer::gguf::GgufFile;
use wicas_infer::{EngineOptions, LlamaEngine};

use crate::cli::EnginePlan;

/// Opens, checks and warms the model.
pub fn load(plan: &EnginePlan) -> anyhow::Result<LlamaEngine> {
    let file = GgufFile::open(&plan.model)?;
    let tty = std::io::stderr().is_terminal();
    let mut last_pct = u64::MAX;
    file.prefault(|done, total| {
        let pct = done * 100 / total.max(1);
        if tty && pct != last_pct {
            last_pct = pct;
            eprint!(
                "\rloading {}: {pct:3}% ({} / {} MiB)",
                plan.model.display(),
                done >> 20,
                total >> 20
            );
            let _ = std::io::stderr().flush();
        }
    });
    if tty {
        eprintln!();
    }
    let options = EngineOptions {
        threads: plan.threads,
        kernels: plan.kernels,
        max_context: None,
    };
    LlamaEngine::from_file(file, options)
        .with_context(|| format!("cannot run model {}", plan.model.display()))
}
