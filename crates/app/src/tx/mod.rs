//! Transactions: Cosmos SDK `TxRaw` with SIGN_MODE_DIRECT secp256k1 signatures, and the ante
//! handler that admits them.

mod ante;
mod decode;
mod error;
mod sign;

pub use ante::{AnteContext, fee_collector, module_address, run_ante};
pub use decode::{DecodedTx, Signer, decode_tx};
pub use error::AnteError;
pub use sign::{SignatureError, sign_bytes, verify_secp256k1};
