//! Snapshots are frozen views: later commits never change them, and old versions stay readable.

use std::collections::BTreeMap;

use wicas_store::{Order, StateRead, StateWrite, prefix_end};

use crate::helpers::{Rng, apply_model, block_writes, commit_blocks, dump, temp_store};

#[test]
fn an_old_snapshot_is_unchanged_by_later_commits() {
    let (_d, store) = temp_store();
    commit_blocks(&store, 1, 3);
    let held = store.latest_snapshot().unwrap();
    let before = dump(&held);
    let root3 = store.root_hash();
    commit_blocks(&store, 4, 10);
    assert_eq!(held.version(), 3);
    assert_eq!(dump(&held), before);
    assert_eq!(held.root_hash().unwrap(), root3);
    // A snapshot opened later at version 3 reads the history table and agrees.
    let reopened = store.snapshot(3).unwrap();
    assert_eq!(dump(&reopened), before);
    assert_eq!(reopened.root_hash().unwrap(), root3);
}

#[test]
fn every_version_reads_back_like_the_reference_model() {
    let (_d, store) = temp_store();
    commit_blocks(&store, 1, 25);
    let mut model = BTreeMap::new();
    let mut rng = Rng::new(99);
    for v in 1..=25 {
        apply_model(&mut model, &block_writes(v));
        let snap = store.snapshot(v).unwrap();
        assert_eq!(snap.version(), v);
        let want: Vec<_> = model.clone().into_iter().collect();
        assert_eq!(dump(&snap), want, "version {v}");
        // Random ranges, both orders, and point reads.
        for _ in 0..10 {
            let a = format!("bank/k{:04}", rng.below(300)).into_bytes();
            let end = prefix_end(b"bank/");
            let got: Vec<_> = snap
                .range_raw(Some(&a), end.as_deref(), Order::Descending)
                .collect::<Result<_, _>>()
                .unwrap();
            let mut want: Vec<_> = model
                .range(a.clone()..end.clone().unwrap())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            want.reverse();
            assert_eq!(
                got,
                want,
                "version {v} from {:?}",
                String::from_utf8_lossy(&a)
            );
            assert_eq!(snap.get_raw(&a).unwrap(), model.get(&a).cloned());
        }
    }
}

#[test]
fn a_delta_reads_its_own_writes_over_the_snapshot() {
    let (_d, store) = temp_store();
    commit_blocks(&store, 1, 2);
    let snap = store.latest_snapshot().unwrap();
    let mut delta = store.new_delta().unwrap();
    let some_key = dump(&snap)[0].0.clone();
    delta.delete(&some_key);
    delta.put_raw(b"ai/new".to_vec(), b"n".to_vec());
    assert_eq!(delta.get_raw(&some_key).unwrap(), None);
    assert!(snap.get_raw(&some_key).unwrap().is_some());
    assert_eq!(delta.get_raw(b"ai/new").unwrap(), Some(b"n".to_vec()));
    assert_eq!(snap.get_raw(b"ai/new").unwrap(), None);
}
