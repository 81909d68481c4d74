//! Bad files and misuse give typed errors and change nothing.

use wicas_store::{StateWrite, Storage, StoreError, SubstoreConfig};

use crate::helpers::{commit_blocks, temp_store};

#[test]
fn a_garbage_file_is_refused_with_an_open_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    std::fs::write(&path, vec![0x5a; 8192]).unwrap();
    let err = Storage::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
    assert!(err.to_string().contains("state.redb"), "{err}");
}

#[test]
fn a_truncated_file_is_refused_or_reopens_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    {
        let store = Storage::open(&path).unwrap();
        commit_blocks(&store, 1, 5);
    }
    let len = std::fs::metadata(&path).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.set_len(len / 3).unwrap();
    drop(f);
    // Either a clear error, or (if redb recovers) a consistent older state: never a panic or a
    // silently wrong root.
    match Storage::open(&path) {
        Err(e) => assert!(
            matches!(
                e,
                StoreError::Open { .. } | StoreError::Corrupt { .. } | StoreError::Database(_)
            ),
            "{e}"
        ),
        Ok(store) => {
            let (_d, fresh) = temp_store();
            let v = store.latest_version();
            assert_eq!(store.root_hash(), commit_blocks(&fresh, 1, v));
        }
    }
}

#[test]
fn a_missing_file_is_an_error_for_open_existing() {
    let dir = tempfile::tempdir().unwrap();
    let err =
        Storage::open_existing(dir.path().join("nope.redb"), SubstoreConfig::chain()).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
    let err = Storage::open(dir.path().join("no/such/dir/state.redb")).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
}

#[test]
fn reopening_with_another_substore_layout_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    drop(Storage::open(&path).unwrap());
    let other = SubstoreConfig::new(&["bank", "ibc"]).unwrap();
    let err = Storage::open_with(&path, other).unwrap_err();
    assert!(matches!(err, StoreError::SubstoreMismatch { .. }), "{err}");
    // The file is still usable with its own layout.
    assert_eq!(Storage::open(&path).unwrap().latest_version(), 0);
}

#[test]
fn a_stale_or_foreign_delta_is_refused_and_nothing_is_written() {
    let (_d, store) = temp_store();
    let mut stale = store.new_delta().unwrap();
    stale.put_raw(b"bank/x".to_vec(), b"1".to_vec());
    commit_blocks(&store, 1, 1);
    let root = store.root_hash();
    let err = store.commit(stale).unwrap_err();
    assert!(
        matches!(err, StoreError::StaleDelta { base: 0, latest: 1 }),
        "{err}"
    );

    let (_d2, other) = temp_store();
    let foreign = other.new_delta().unwrap();
    let err = store.commit(foreign).unwrap_err();
    assert!(matches!(err, StoreError::ForeignDelta), "{err}");
    assert_eq!((store.latest_version(), store.root_hash()), (1, root));
}

#[test]
fn a_future_version_is_unavailable() {
    let (_d, store) = temp_store();
    let err = store.snapshot(1).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::VersionUnavailable {
                requested: 1,
                latest: 0
            }
        ),
        "{err}"
    );
}

#[test]
fn a_redb_file_of_another_program_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.redb");
    {
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new("theirs");
            txn.open_table(def).unwrap().insert("k", 1).unwrap();
        }
        txn.commit().unwrap();
    }
    let err = Storage::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
    assert!(
        err.to_string().contains("not a wicas state database"),
        "{err}"
    );
    // Their data is intact and none of our tables were added.
    use redb::{ReadableDatabase, TableHandle};
    let db = redb::Database::create(&path).unwrap();
    let txn = db.begin_read().unwrap();
    let names: Vec<String> = txn
        .list_tables()
        .unwrap()
        .map(|t| t.name().to_owned())
        .collect();
    assert_eq!(names, ["theirs"]);
    let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new("theirs");
    assert_eq!(
        txn.open_table(def)
            .unwrap()
            .get("k")
            .unwrap()
            .unwrap()
            .value(),
        1
    );
}

#[test]
fn a_file_held_by_another_store_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let _first = Storage::open(&path).unwrap();
    let err = Storage::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
}

#[test]
fn an_empty_value_is_stored_but_has_no_proof() {
    let (_d, store) = temp_store();
    let mut d = store.new_delta().unwrap();
    d.put_raw(b"bank/empty".to_vec(), Vec::new());
    d.put_raw(b"bank/full".to_vec(), b"x".to_vec());
    store.commit(d).unwrap();
    let snap = store.latest_snapshot().unwrap();
    use wicas_store::StateRead;
    assert_eq!(snap.get_raw(b"bank/empty").unwrap(), Some(Vec::new()));
    let err = snap.get_with_proof(b"bank/empty").unwrap_err();
    assert!(matches!(err, StoreError::ProofUnavailable { .. }), "{err}");
}
