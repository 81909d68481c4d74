//! ICS-23 proofs verify for present and absent keys, at old and new versions, and fail when the
//! value, key or root is tampered with.

use wicas_store::ics23::{self, HostFunctionsManager, commitment_proof::Proof};
use wicas_store::{Snapshot, StateWrite, Storage, StoreError, proof_specs, verify_proofs};

use crate::helpers::temp_store;

fn existence_root(p: &ics23::CommitmentProof) -> Vec<u8> {
    let exist = match p.proof.as_ref().unwrap() {
        Proof::Exist(e) => e,
        Proof::Nonexist(n) => n.left.as_ref().or(n.right.as_ref()).unwrap(),
        other => panic!("unexpected proof {other:?}"),
    };
    ics23::calculate_existence_root::<HostFunctionsManager>(exist).unwrap()
}

/// Check both levels by hand with the ics23 crate, as an IBC light client would.
fn verify_by_hand(snap: &Snapshot, substore: &[u8], subkey: &[u8], value: Option<&[u8]>) -> bool {
    let full = [substore, b"/", subkey].concat();
    let (got, proofs) = snap.get_with_proof(&full).unwrap();
    assert_eq!(got.as_deref(), value);
    let [sub_spec, root_spec] = proof_specs();
    let sub_root = existence_root(&proofs[0]);
    let sub_ok = match value {
        Some(v) => ics23::verify_membership::<HostFunctionsManager>(
            &proofs[0], &sub_spec, &sub_root, subkey, v,
        ),
        None => ics23::verify_non_membership::<HostFunctionsManager>(
            &proofs[0], &sub_spec, &sub_root, subkey,
        ),
    };
    let app_hash = snap.root_hash().unwrap().to_vec();
    sub_ok
        && ics23::verify_membership::<HostFunctionsManager>(
            &proofs[1], &root_spec, &app_hash, substore, &sub_root,
        )
}

fn fill(store: &Storage) {
    let mut d = store.new_delta().unwrap();
    for i in 0..50 {
        d.put_raw(
            format!("bank/acct{i:03}").into_bytes(),
            format!("{i}").into_bytes(),
        );
        d.put_raw(format!("plain{i:03}").into_bytes(), b"p".to_vec());
    }
    store.commit(d).unwrap();
}

#[test]
fn present_and_absent_keys_are_proven_at_old_and_new_versions() {
    let (_d, store) = temp_store();
    fill(&store);
    let mut d = store.new_delta().unwrap();
    d.put_raw(b"bank/acct007".to_vec(), b"changed".to_vec());
    d.delete(b"bank/acct010");
    store.commit(d).unwrap();

    let old = store.snapshot(1).unwrap();
    let new = store.latest_snapshot().unwrap();
    assert!(verify_by_hand(&old, b"bank", b"acct007", Some(b"7")));
    assert!(verify_by_hand(&new, b"bank", b"acct007", Some(b"changed")));
    assert!(verify_by_hand(&old, b"bank", b"acct010", Some(b"10")));
    assert!(verify_by_hand(&new, b"bank", b"acct010", None));
    assert!(verify_by_hand(&new, b"bank", b"zzz-not-there", None));

    let config = store.config().clone();
    for (snap, key, value) in [
        (&old, &b"plain005"[..], Some(&b"p"[..])),
        (&new, b"plain999", None),
        (&new, b"bank/acct007", Some(b"changed")),
    ] {
        let (got, proofs) = snap.get_with_proof(key).unwrap();
        assert_eq!(got.as_deref(), value);
        assert!(verify_proofs(
            &config,
            &snap.root_hash().unwrap(),
            key,
            value,
            &proofs
        ));
    }
}

#[test]
fn a_tampered_value_key_or_root_fails_verification() {
    let (_d, store) = temp_store();
    fill(&store);
    let snap = store.latest_snapshot().unwrap();
    let config = store.config().clone();
    let root = snap.root_hash().unwrap();
    let key = b"bank/acct020";
    let (value, proofs) = snap.get_with_proof(key).unwrap();
    let value = value.unwrap();
    assert!(verify_proofs(&config, &root, key, Some(&value), &proofs));
    assert!(!verify_proofs(&config, &root, key, Some(b"21"), &proofs));
    assert!(!verify_proofs(
        &config,
        &root,
        b"bank/acct021",
        Some(&value),
        &proofs
    ));
    assert!(!verify_proofs(&config, &root, key, None, &proofs));
    let mut bad_root = root;
    bad_root[0] ^= 1;
    assert!(!verify_proofs(
        &config,
        &bad_root,
        key,
        Some(&value),
        &proofs
    ));
    // An older root does not verify the new state either.
    let mut d = store.new_delta().unwrap();
    d.put_raw(b"bank/acct020".to_vec(), b"x".to_vec());
    store.commit(d).unwrap();
    let new_root = store.root_hash();
    assert!(!verify_proofs(
        &config,
        &new_root,
        key,
        Some(&value),
        &proofs
    ));
    // Only the substore level, by hand: a tampered substore root fails too.
    let [sub_spec, _] = proof_specs();
    let mut sub_root = existence_root(&proofs[0]);
    sub_root[5] ^= 0x80;
    assert!(!ics23::verify_membership::<HostFunctionsManager>(
        &proofs[0], &sub_spec, &sub_root, b"acct020", &value,
    ));
    // Absence proofs don't prove a present key absent.
    let (_, absent) = snap.get_with_proof(b"bank/acct0205").unwrap();
    assert!(verify_proofs(
        &config,
        &root,
        b"bank/acct0205",
        None,
        &absent
    ));
    assert!(!verify_proofs(&config, &root, key, None, &absent));
}

#[test]
fn unprovable_keys_get_a_typed_error() {
    let (_d, store) = temp_store();
    fill(&store);
    let snap = store.latest_snapshot().unwrap();
    // "wasm" holds nothing: ICS-23 has no neighbour to prove absence with.
    let err = snap.get_with_proof(b"wasm/x").unwrap_err();
    assert!(matches!(err, StoreError::ProofUnavailable { .. }), "{err}");
    let err = snap.get_with_proof(b"bank/").unwrap_err();
    assert!(matches!(err, StoreError::ProofUnavailable { .. }), "{err}");
}
