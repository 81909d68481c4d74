//! Token selection and the output digest.
//!
//! Deterministic by construction: greedy ties go to the lowest token id, every sort is by the total
//! order (logit descending, id ascending), float sums run front to back in that order, and the only
//! randomness is a ChaCha20 stream keyed by the request's 32-byte seed (docs/decisions/0152).

mod digest;
mod sampler;

pub use digest::OutputDigest;
pub use sampler::{Sampler, argmax, validate};
