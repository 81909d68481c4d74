//! What the `wasm` module stores about codes and contracts.

/// A stored code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodeInfo {
    /// Lower-case hex SHA-256 of the (unzipped) wasm.
    pub checksum: String,
    /// Bech32 of the uploader.
    pub creator: String,
}

/// An instantiated contract.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContractInfo {
    /// Its code.
    pub code_id: u64,
    /// Bech32 of the instantiator.
    pub creator: String,
    /// Bech32 of the admin (may migrate), empty for none.
    pub admin: String,
    /// Human-readable label.
    pub label: String,
    /// Height of instantiation.
    pub created_height: u64,
}
