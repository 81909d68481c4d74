//! `wicasd bench`: prefill (pp128, pp512) and decode (tg128) throughput, best and median of
//! several runs, printed like llama-bench. Prompts are fixed token ids, so runs are comparable.

use std::time::Instant;

use serde_json::json;
use wicas_infer::model::Logits;
use wicas_infer::{Engine, LlamaEngine};

use crate::cli::BenchPlan;
use crate::load::load;

/// One test: `pp N` feeds N tokens at once; `tg N` feeds one token N times.
#[derive(Debug, Clone, Copy)]
enum Test {
    Prefill(usize),
    Decode(usize),
}

impl Test {
    fn name(self) -> String {
        match self {
            Test::Prefill(n) => format!("pp{n}"),
            Test::Decode(n) => format!("tg{n}"),
        }
    }

    fn tokens(self) -> usize {
        match self {
            Test::Prefill(n) | Test::Decode(n) => n,
        }
    }
}

/// Seconds for one run of `test` from an empty context.
fn run_once(engine: &LlamaEngine, test: Test) -> anyhow::Result<f64> {
    let vocab = engine.model_info().vocab_size;
    let ids: Vec<u32> = (0..test.tokens() as u32)
        .map(|i| (i * 7919 + 13) % vocab)
        .collect();
    let mut session = engine.session(ids.len());
    let start = Instant::now();
    match test {
        Test::Prefill(_) => {
            session.feed(&ids, Logits::Last, 0)?;
        }
        Test::Decode(_) => {
            for (step, &t) in ids.iter().enumerate() {
                session.feed(&[t], Logits::Last, step)?;
            }
        }
    }
    Ok(start.elapsed().as_secs_f64())
}

/// Runs the benchmark.
pub fn run(plan: BenchPlan) -> anyhow::Result<()> {
    let engine = load(&plan.engine)?;
    let info = engine.model_info().clone();
    let size_mib = engine.model().file().len() as f64 / (1 << 20) as f64;
    let isa = engine.kernels().isa().name();
    let mut rows = Vec::new();
    for test in [Test::Prefill(128), Test::Prefill(512), Test::Decode(128)] {
        run_once(&engine, Test::Prefill(8))?; // warm-up
        let mut rates: Vec<f64> = (0..plan.repetitions)
            .map(|_| run_once(&engine, test).map(|s| test.tokens() as f64 / s))
            .collect::<anyhow::Result<_>>()?;
        rates.sort_by(f64::total_cmp);
        let best = rates[rates.len() - 1];
        let median = rates[rates.len() / 2];
        rows.push((test.name(), best, median));
    }
    if plan.json {
        let tests: Vec<_> = rows
            .iter()
            .map(|(t, best, median)| json!({"test": t, "best_tok_s": best, "median_tok_s": median}))
            .collect();
        println!(
            "{}",
            json!({
                "model": plan.engine.model.display().to_string(),
                "architecture": info.architecture,
                "size_mib": size_mib,
                "isa": isa,
                "threads": plan.engine.threads,
                "repetitions": plan.repetitions,
                "tests": tests,
            })
        );
    } else {
        println!("| model | size | isa | threads | test | best t/s | median t/s |");
        println!("| --- | ---: | --- | ---: | --- | ---: | ---: |");
        for (t, best, median) in rows {
            println!(
                "| {} {} | {size_mib:.1} MiB | {isa} | {} | {t} | {best:.2} | {median:.2} |",
                info.architecture, info.name, plan.engine.threads
            );
        }
    }
    Ok(())
}
