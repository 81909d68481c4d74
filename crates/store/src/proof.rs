//! ICS-23 proof specs and a verifier for the proofs [`crate::Snapshot::get_with_proof`] returns.
//!
//! Both levels are Jellyfish Merkle trees over SHA-256 (`jmt::ics23_spec`): keys and values are
//! pre-hashed, so the spec sets `prehash_key_before_comparison`.

use ics23::HostFunctionsManager;

use crate::config::SubstoreConfig;

/// The specs to verify `[substore proof, root proof]` with, in that order.
pub fn proof_specs() -> [ics23::ProofSpec; 2] {
    [jmt::ics23_spec(), jmt::ics23_spec()]
}

/// Check proofs from [`crate::Snapshot::get_with_proof`] for `key` against `app_hash`:
/// `value = Some(v)` checks that `key` holds `v`, `None` that `key` is absent. The key is split
/// into (substore name, subkey) with `config`, exactly as the store routes it.
pub fn verify_proofs(
    config: &SubstoreConfig,
    app_hash: &[u8; 32],
    key: &[u8],
    value: Option<&[u8]>,
    proofs: &[ics23::CommitmentProof],
) -> bool {
    let [sub_proof, root_proof] = proofs else {
        return false;
    };
    let [sub_spec, root_spec] = proof_specs();
    let route = config.route(key);
    let name = config.name(route.substore).as_bytes();
    // The substore root is what the substore proof computes; the root proof must bind it.
    let sub_root = match substore_root(sub_proof) {
        Some(r) => r,
        None => return false,
    };
    let sub_ok = match value {
        Some(v) => ics23::verify_membership::<HostFunctionsManager>(
            sub_proof,
            &sub_spec,
            &sub_root,
            route.subkey,
            v,
        ),
        None => ics23::verify_non_membership::<HostFunctionsManager>(
            sub_proof,
            &sub_spec,
            &sub_root,
            route.subkey,
        ),
    };
    sub_ok
        && ics23::verify_membership::<HostFunctionsManager>(
            root_proof,
            &root_spec,
            &app_hash.to_vec(),
            name,
            &sub_root,
        )
}

/// The root an existence or non-existence proof commits to.
fn substore_root(proof: &ics23::CommitmentProof) -> Option<Vec<u8>> {
    use ics23::commitment_proof::Proof;
    let exist = match proof.proof.as_ref()? {
        Proof::Exist(e) => e,
        Proof::Nonexist(n) => n.left.as_ref().or(n.right.as_ref())?,
        _ => return None,
    };
    ics23::calculate_existence_root::<HostFunctionsManager>(exist).ok()
}
