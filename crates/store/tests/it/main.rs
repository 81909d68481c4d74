//! Integration tests of wicas-store: persistence, roots, snapshots, deltas, proofs.

mod bad_input;
mod delta_model;
mod helpers;
mod persistence;
mod prepared_versions;
mod proofs;
mod roots;
mod snapshots;
