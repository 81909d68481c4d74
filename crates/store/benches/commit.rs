//! Commit throughput: N blocks × W writes, each block one delta and one durable commit.
//!
//! `cargo bench -p wicas-store --bench commit` (env `BLOCKS`, `WRITES` override 1000 × 100).
//! Reports writes/s and commit latency percentiles; the keys are spread over every substore,
//! a fifth of the writes overwrite earlier keys.

use std::time::Instant;

use wicas_store::{StateWrite, Storage};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    let blocks = env_u64("BLOCKS", 1000);
    let writes = env_u64("WRITES", 100);
    let dir = tempfile::tempdir()?;
    let store = Storage::open(dir.path().join("bench.redb"))?;
    let prefixes = ["auth", "bank", "wasm", "ai", "misc"];
    let mut latencies_us = Vec::with_capacity(blocks as usize);
    let start = Instant::now();
    for b in 0..blocks {
        let mut delta = store.new_delta()?;
        for i in 0..writes {
            // 4 of 5 writes make a new key, 1 of 5 rewrites an old one.
            let n = if i % 5 == 0 {
                (b * 31 + i) % (b * writes + 1)
            } else {
                b * writes + i
            };
            let key = format!("{}/key/{n:010}", prefixes[(n % 5) as usize]);
            delta.put_raw(key.into_bytes(), format!("value-{b}-{i}").into_bytes());
        }
        let t = Instant::now();
        store.commit(delta)?;
        latencies_us.push(t.elapsed().as_micros() as u64);
    }
    let total = start.elapsed().as_secs_f64();
    latencies_us.sort_unstable();
    let pct = |p: f64| latencies_us[((latencies_us.len() - 1) as f64 * p) as usize];
    let size = std::fs::metadata(dir.path().join("bench.redb"))?.len();
    println!(
        "commit bench: {blocks} blocks x {writes} writes in {total:.2} s = {:.0} writes/s, {:.1} blocks/s",
        (blocks * writes) as f64 / total,
        blocks as f64 / total
    );
    println!(
        "commit latency: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms; file {:.1} MiB",
        pct(0.5) as f64 / 1e3,
        pct(0.9) as f64 / 1e3,
        pct(0.99) as f64 / 1e3,
        pct(1.0) as f64 / 1e3,
        size as f64 / (1 << 20) as f64
    );

    // Reads at the latest version after the run: point reads and a prefix scan.
    let snap = store.latest_snapshot()?;
    let t = Instant::now();
    let mut found = 0u64;
    for n in (0..blocks * writes).step_by(97) {
        let key = format!("{}/key/{n:010}", prefixes[(n % 5) as usize]);
        found += u64::from(wicas_store::StateRead::get_raw(&snap, key.as_bytes())?.is_some());
    }
    let reads = (blocks * writes).div_ceil(97);
    println!(
        "point reads: {reads} in {:.1} ms ({found} found), {:.1} us/read",
        t.elapsed().as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e6 / reads as f64
    );

    // Proofs (substore + root level) for present keys at the latest version.
    let t = Instant::now();
    let mut proofs = 0u32;
    for n in (0..blocks * writes).step_by(1009) {
        let key = format!("{}/key/{n:010}", prefixes[(n % 5) as usize]);
        let (_, p) = snap.get_with_proof(key.as_bytes())?;
        proofs += u32::try_from(p.len())?;
    }
    let asked = (blocks * writes).div_ceil(1009);
    println!(
        "proofs: {asked} keys ({proofs} proofs) in {:.1} ms, {:.0} us/key",
        t.elapsed().as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e6 / asked as f64
    );

    // A prefix scan at an old version (history table) against the same scan at the head.
    let old = store.snapshot(blocks / 2)?;
    for (label, s) in [("head", &snap), ("old", &old)] {
        let t = Instant::now();
        let end = wicas_store::prefix_end(b"bank/");
        let n = wicas_store::StateRead::range_raw(
            s,
            Some(b"bank/"),
            end.as_deref(),
            wicas_store::Order::Ascending,
        )
        .take(10_000)
        .count();
        println!(
            "scan at {label} (version {}): {n} pairs in {:.1} ms",
            s.version(),
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    Ok(())
}
