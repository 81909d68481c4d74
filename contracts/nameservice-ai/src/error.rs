use cosmwasm_std::StdError;

/// Every way an execute can fail.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    /// A storage, serialisation or query failure (including a refused inference).
    #[error("{0}")]
    Std(#[from] StdError),
    /// The name does not follow the rules (3..=64 chars of `a-z`, `0-9`, `-`).
    #[error("invalid name {name:?}: use 3 to 64 characters of a-z, 0-9 and '-'")]
    InvalidName { name: String },
    /// Someone already owns the name.
    #[error("name {name:?} is already taken")]
    NameTaken { name: String },
    /// Nobody owns the name.
    #[error("name {name:?} is not registered")]
    NameNotFound { name: String },
    /// Only the owner may do this.
    #[error("only the owner of {name:?} may transfer it")]
    Unauthorized { name: String },
    /// Not enough of the price's denom was sent.
    #[error("insufficient funds: send at least {required}")]
    InsufficientFunds { required: cosmwasm_std::Coin },
    /// A price in another denom than the chain's native one.
    #[error("prices must be in {expected}, got {got}")]
    WrongDenom { expected: String, got: String },
}
