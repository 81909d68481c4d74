//! `/cosmos.bank.v1beta1.Query/*`: Balance, AllBalances, SupplyOf.

use cosmos_sdk_proto::cosmos::bank::v1beta1 as pb;
use prost::Message;
use wicas_store::StateRead;

use super::BankRead;
use crate::coin::Coin;
use crate::query::{QueryError, decode_request, parse_address};

/// `Query/Balance`.
pub fn balance(s: &dyn StateRead, data: &[u8]) -> Result<Vec<u8>, QueryError> {
    let req: pb::QueryBalanceRequest = decode_request(data)?;
    let addr = parse_address(&req.address)?;
    crate::coin::validate_denom(&req.denom)
        .map_err(|e| QueryError::InvalidArgument(e.to_string()))?;
    let amount = s.balance(&addr, &req.denom)?;
    let coin = Coin::new(amount, req.denom).to_proto();
    Ok(pb::QueryBalanceResponse {
        balance: Some(coin),
    }
    .encode_to_vec())
}

/// `Query/AllBalances` (one page holding everything: an account holds few denoms).
pub fn all_balances(s: &dyn StateRead, data: &[u8]) -> Result<Vec<u8>, QueryError> {
    let req: pb::QueryAllBalancesRequest = decode_request(data)?;
    let addr = parse_address(&req.address)?;
    let balances = s.all_balances(&addr)?.iter().map(Coin::to_proto).collect();
    Ok(pb::QueryAllBalancesResponse {
        balances,
        pagination: None,
    }
    .encode_to_vec())
}

/// `Query/SupplyOf`.
pub fn supply_of(s: &dyn StateRead, data: &[u8]) -> Result<Vec<u8>, QueryError> {
    let req: pb::QuerySupplyOfRequest = decode_request(data)?;
    let amount = s.supply(&req.denom)?;
    Ok(pb::QuerySupplyOfResponse {
        amount: Some(Coin::new(amount, req.denom).to_proto()),
    }
    .encode_to_vec())
}
