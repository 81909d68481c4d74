//! `GET /metrics`: the node's counters in Prometheus's text exposition format (version 0.0.4).

use std::fmt::Write as _;

use crate::backend::MetricsSnapshot;

/// The content type Prometheus expects for this format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

fn family(out: &mut String, name: &str, kind: &str, help: &str, samples: &[(&str, String)]) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
    for (suffix, value) in samples {
        let _ = writeln!(out, "{name}{suffix} {value}");
    }
}

/// Render a snapshot.
pub fn render(m: &MetricsSnapshot) -> String {
    let mut out = String::new();
    family(
        &mut out,
        "wicas_height",
        "gauge",
        "Latest committed block height.",
        &[("", m.height.to_string())],
    );
    family(
        &mut out,
        "wicas_txs_committed_total",
        "counter",
        "Transactions committed in blocks since the node started (successful or failed).",
        &[("", m.txs_committed.to_string())],
    );
    family(
        &mut out,
        "wicas_txs_failed_total",
        "counter",
        "Committed transactions whose result code was not 0, since the node started.",
        &[("", m.txs_failed.to_string())],
    );
    family(
        &mut out,
        "wicas_inference_seconds",
        "summary",
        "Wall-clock time of the inference calls this node's engines answered since it started.",
        &[
            ("_sum", format!("{:.6}", m.inference_seconds_total)),
            ("_count", m.inference_calls.to_string()),
        ],
    );
    family(
        &mut out,
        "wicas_inference_tokens_total",
        "counter",
        "Tokens the engines generated since the node started.",
        &[("", m.inference_tokens.to_string())],
    );
    family(
        &mut out,
        "wicas_mempool_size",
        "gauge",
        "Transactions waiting in the mempool.",
        &[("", m.mempool_size.to_string())],
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_line_is_name_space_number() {
        let text = render(&MetricsSnapshot {
            height: 7,
            txs_committed: 3,
            txs_failed: 1,
            inference_calls: 2,
            inference_seconds_total: 1.5,
            inference_tokens: 40,
            mempool_size: 0,
        });
        assert!(text.contains("wicas_height 7\n"));
        assert!(text.contains("wicas_inference_seconds_sum 1.500000\n"));
        assert!(text.contains("wicas_inference_seconds_count 2\n"));
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (name, value) = line.split_once(' ').unwrap();
            assert!(name.starts_with("wicas_"), "{line}");
            assert!(value.parse::<f64>().is_ok(), "{line}");
        }
    }
}
