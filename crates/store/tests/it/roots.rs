//! The app hash depends only on the state, never on how it was reached.

use wicas_store::{StateWrite, Storage, SubstoreConfig};

use crate::helpers::{Rng, commit_blocks, temp_store};

fn pairs(n: u64) -> Vec<(Vec<u8>, Vec<u8>)> {
    let prefixes = ["auth", "bank", "wasm", "ai", "zzz"];
    (0..n)
        .map(|i| {
            let p = prefixes[(i % 5) as usize];
            (
                format!("{p}/key{i}").into_bytes(),
                format!("value{i}").into_bytes(),
            )
        })
        .collect()
}

#[test]
fn the_same_writes_in_any_order_give_the_same_root() {
    let (_a, a) = temp_store();
    let (_b, b) = temp_store();
    let kv = pairs(200);
    let mut da = a.new_delta().unwrap();
    for (k, v) in &kv {
        da.put_raw(k.clone(), v.clone());
    }
    // b: shuffled, with a detour (a key written twice and one deleted again), through forks.
    let mut shuffled = kv.clone();
    let mut rng = Rng::new(7);
    for i in (1..shuffled.len()).rev() {
        shuffled.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut db = b.new_delta().unwrap();
    db.put_raw(b"bank/tmp".to_vec(), b"gone".to_vec());
    let mut child = db.fork();
    for (k, v) in &shuffled {
        child.put_raw(k.clone(), b"first".to_vec());
        child.put_raw(k.clone(), v.clone());
    }
    child.delete(b"bank/tmp");
    db.apply(child).unwrap();
    assert_eq!(a.commit(da).unwrap(), b.commit(db).unwrap());
}

#[test]
fn two_stores_agree_block_by_block_and_across_different_histories() {
    let (_a, a) = temp_store();
    let (_b, b) = temp_store();
    for v in 1..=20 {
        assert_eq!(
            commit_blocks(&a, v, v),
            commit_blocks(&b, v, v),
            "version {v}"
        );
    }
    // c reaches a's final state in one block; roots are history-independent.
    let (_c, c) = temp_store();
    let mut d = c.new_delta().unwrap();
    for (k, v) in crate::helpers::dump(&a.latest_snapshot().unwrap()) {
        d.put_raw(k, v);
    }
    assert_eq!(c.commit(d).unwrap(), a.root_hash());
}

#[test]
fn empty_state_has_a_fixed_root_and_empty_commits_keep_it() {
    let (_a, a) = temp_store();
    let (_b, b) = temp_store();
    let empty = a.root_hash();
    assert_eq!(empty, b.root_hash());
    assert_eq!(a.latest_version(), 0);
    assert_eq!(a.commit(a.new_delta().unwrap()).unwrap(), empty);
    assert_eq!(a.latest_version(), 1);
    // Another layout has another empty root (the root tree lists the substores).
    let dir = tempfile::tempdir().unwrap();
    let other =
        Storage::open_with(dir.path().join("s"), SubstoreConfig::new(&["x"]).unwrap()).unwrap();
    assert_ne!(other.root_hash(), empty);
}

#[test]
fn a_changed_value_changes_the_root() {
    let (_a, a) = temp_store();
    let r1 = commit_blocks(&a, 1, 1);
    let mut d = a.new_delta().unwrap();
    d.put_raw(b"wasm/contract".to_vec(), b"x".to_vec());
    let r2 = a.commit(d).unwrap();
    assert_ne!(r1, r2);
    let mut d = a.new_delta().unwrap();
    d.delete(b"wasm/contract");
    assert_eq!(a.commit(d).unwrap(), r1);
}
