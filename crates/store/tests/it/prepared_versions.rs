//! `prepare` computes a version's app hash without writing it; `write` makes it durable.

use wicas_store::{StateWrite, Storage, StoreError};

use crate::helpers::temp_store;

fn delta_with(store: &Storage, key: &[u8], value: &[u8]) -> wicas_store::StateDelta {
    let mut d = store.new_delta().unwrap();
    d.put_raw(key.to_vec(), value.to_vec());
    d
}

#[test]
fn a_prepared_version_has_the_committed_root_and_is_not_durable_until_written() {
    let (dir, store) = temp_store();
    let (_d2, twin) = temp_store();
    let expected = twin.commit(delta_with(&twin, b"bank/a", b"1")).unwrap();

    let prepared = store.prepare(delta_with(&store, b"bank/a", b"1")).unwrap();
    assert_eq!(
        prepared.root_hash(),
        expected,
        "prepare gives commit's root"
    );
    assert_eq!(prepared.version(), 1);
    assert_eq!(store.latest_version(), 0, "nothing written yet");
    drop(store);
    // Reopened (as after a crash) the prepared version does not exist.
    let store = Storage::open(dir.path().join("state.redb")).unwrap();
    assert_eq!(store.latest_version(), 0);

    let prepared = store.prepare(delta_with(&store, b"bank/a", b"1")).unwrap();
    assert_eq!(store.write(prepared).unwrap(), expected);
    drop(store);
    let store = Storage::open(dir.path().join("state.redb")).unwrap();
    assert_eq!(store.latest_version(), 1);
    assert_eq!(store.root_hash(), expected);
}

#[test]
fn a_stale_or_foreign_prepared_version_is_refused() {
    let (_dir, store) = temp_store();
    // Two versions prepared on the same base: the second write would skip a version.
    let first = store.prepare(delta_with(&store, b"bank/a", b"1")).unwrap();
    let second = store.prepare(delta_with(&store, b"bank/a", b"2")).unwrap();
    store.write(first).unwrap();
    assert!(matches!(
        store.write(second),
        Err(StoreError::StaleDelta { base: 0, latest: 1 })
    ));
    let (_other_dir, other) = temp_store();
    let foreign = other.prepare(delta_with(&other, b"bank/a", b"1")).unwrap();
    assert!(matches!(
        store.write(foreign),
        Err(StoreError::ForeignDelta)
    ));
    assert_eq!(store.latest_version(), 1);
}
