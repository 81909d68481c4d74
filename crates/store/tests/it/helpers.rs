//! Shared test helpers: temp stores, a seeded PRNG, a deterministic block workload.

use std::collections::BTreeMap;

use wicas_store::{Order, StateRead, StateWrite, Storage};

/// A store in a fresh temp dir (the dir lives as long as the returned guard).
pub fn temp_store() -> (tempfile::TempDir, Storage) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Storage::open(dir.path().join("state.redb")).expect("open");
    (dir, store)
}

/// xorshift64*: a tiny seeded PRNG so failures replay exactly.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// The writes of block `v` in the deterministic workload: keys spread over every substore and
/// the default one, some deletions.
pub fn block_writes(v: u64) -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
    const PREFIXES: [&str; 5] = ["auth", "bank", "wasm", "ai", "other"];
    let mut out = Vec::new();
    for i in 0..40u64 {
        let slot = (v * 7 + i * 13) % 300;
        let prefix = PREFIXES[(slot % 5) as usize];
        let key = format!("{prefix}/k{slot:04}").into_bytes();
        let value = if (v + i).is_multiple_of(9) {
            None
        } else {
            Some(format!("v{v}-i{i}").into_bytes())
        };
        out.push((key, value));
    }
    out
}

/// Apply writes to any state.
pub fn apply_writes(state: &mut impl StateWrite, writes: &[(Vec<u8>, Option<Vec<u8>>)]) {
    for (k, v) in writes {
        match v {
            Some(v) => state.put_raw(k.clone(), v.clone()),
            None => state.delete(k),
        }
    }
}

/// Apply writes to a reference map.
pub fn apply_model(model: &mut BTreeMap<Vec<u8>, Vec<u8>>, writes: &[(Vec<u8>, Option<Vec<u8>>)]) {
    for (k, v) in writes {
        match v {
            Some(v) => model.insert(k.clone(), v.clone()),
            None => model.remove(k),
        };
    }
}

/// Everything in a state, ascending.
pub fn dump(state: &impl StateRead) -> Vec<(Vec<u8>, Vec<u8>)> {
    state
        .range_raw(None, None, Order::Ascending)
        .collect::<Result<_, _>>()
        .expect("range")
}

/// Commit blocks `from..=to` of the workload.
pub fn commit_blocks(store: &Storage, from: u64, to: u64) -> [u8; 32] {
    let mut root = store.root_hash();
    for v in from..=to {
        let mut delta = store.new_delta().expect("delta");
        apply_writes(&mut delta, &block_writes(v));
        root = store.commit(delta).expect("commit");
    }
    root
}
