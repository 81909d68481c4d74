//! `/cosmos.auth.v1beta1.Query/*`.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::auth::v1beta1::{QueryAccountRequest, QueryAccountResponse};
use prost::Message;
use wicas_store::StateRead;

use super::{AuthRead, BASE_ACCOUNT_TYPE_URL};
use crate::query::{QueryError, decode_request, parse_address};

/// `Query/Account`: the `BaseAccount` in an `Any`, or NotFound (CosmJS reads the log's
/// `rpc error: code = NotFound` as "no account yet").
pub fn account(s: &dyn StateRead, data: &[u8]) -> Result<Vec<u8>, QueryError> {
    let req: QueryAccountRequest = decode_request(data)?;
    let addr = parse_address(&req.address)?;
    let acc = s
        .account(&addr)?
        .ok_or_else(|| QueryError::NotFound(format!("account {} not found", req.address)))?;
    let any = Any {
        type_url: BASE_ACCOUNT_TYPE_URL.to_owned(),
        value: acc.to_base_account().encode_to_vec(),
    };
    Ok(QueryAccountResponse { account: Some(any) }.encode_to_vec())
}
