//! A node over CometBFT 0.38 JSON-RPC (tendermint-rpc's `HttpClient`): status, ABCI queries
//! (account, simulate, bank, wasm), broadcast and wait-for-inclusion.

use std::time::Duration;

use cosmos_sdk_proto::cosmos::auth::v1beta1::{
    BaseAccount, QueryAccountRequest, QueryAccountResponse,
};
use cosmos_sdk_proto::cosmos::bank::v1beta1::{QueryAllBalancesRequest, QueryAllBalancesResponse};
use cosmos_sdk_proto::cosmos::tx::v1beta1::{SimulateRequest, SimulateResponse};
use cosmos_sdk_proto::cosmwasm::wasm::v1::{
    QueryRawContractStateRequest, QueryRawContractStateResponse, QuerySmartContractStateRequest,
    QuerySmartContractStateResponse,
};
use prost::Message;
use serde::Serialize;
use tendermint_rpc::client::CompatMode;
use tendermint_rpc::error::ErrorDetail;
use tendermint_rpc::query::Query;
use tendermint_rpc::{Client as _, HttpClient, Order};
use wicas_app::Coin;

use crate::error::ClientError;
use crate::key::AccountKey;
use crate::sign::{Fee, GasPrice, SignerData, sign_tx, tx_hash};

/// Where `wicasd` serves JSON-RPC by default (CometBFT's port).
pub const DEFAULT_NODE: &str = "http://127.0.0.1:26657";

/// How often inclusion is polled.
const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// A node's JSON-RPC endpoint.
#[derive(Debug, Clone)]
pub struct NodeClient {
    http: HttpClient,
    url: String,
}

/// What `status` says, reduced to what clients use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeStatus {
    /// The chain id (`node_info.network`).
    pub chain_id: String,
    /// The node's name.
    pub moniker: String,
    /// `node_info.version` (CometBFT version the node claims, `0.38.x`).
    pub version: String,
    /// Latest committed height.
    pub latest_block_height: u64,
    /// Its block hash, uppercase hex.
    pub latest_block_hash: String,
    /// The app hash after it, uppercase hex.
    pub latest_app_hash: String,
    /// Whether the node is still syncing.
    pub catching_up: bool,
}

/// An account's number and next sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Account number.
    pub account_number: u64,
    /// Next sequence.
    pub sequence: u64,
}

/// One event of a tx result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TxEvent {
    /// Event type.
    #[serde(rename = "type")]
    pub kind: String,
    /// `(key, value)` in order.
    pub attributes: Vec<(String, String)>,
}

/// A transaction's result once a block included it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TxOutcome {
    /// Uppercase hex hash.
    pub hash: String,
    /// The block that included it.
    pub height: u64,
    /// 0 = success.
    pub code: u32,
    /// Module of the error code.
    pub codespace: String,
    /// Error text on failure.
    pub log: String,
    /// Gas limit.
    pub gas_wanted: i64,
    /// Gas used.
    pub gas_used: i64,
    /// Events.
    pub events: Vec<TxEvent>,
}

impl TxOutcome {
    /// Whether the messages succeeded.
    pub fn is_ok(&self) -> bool {
        self.code == 0
    }

    /// The value of attribute `key` in the first event of type `kind` that has it.
    pub fn attr(&self, kind: &str, key: &str) -> Option<&str> {
        self.events
            .iter()
            .filter(|e| e.kind == kind)
            .find_map(|e| e.attributes.iter().find(|(k, _)| k == key))
            .map(|(_, v)| v.as_str())
    }

    /// The code id a `MsgStoreCode` got.
    pub fn code_id(&self) -> Option<u64> {
        self.attr("store_code", "code_id")?.parse().ok()
    }

    /// The address of the contract a `MsgInstantiateContract` made.
    pub fn contract_address(&self) -> Option<&str> {
        self.attr("instantiate", "_contract_address")
    }
}

impl NodeClient {
    /// A client for the node at `url` (e.g. [`DEFAULT_NODE`]); nothing is sent yet.
    pub fn new(url: &str) -> Result<Self, ClientError> {
        let parsed = url
            .parse()
            .map_err(|e| ClientError::Invalid(format!("invalid node URL {url:?}: {e}")))?;
        let http = HttpClient::builder(parsed)
            .compat_mode(CompatMode::V0_38)
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| ClientError::Invalid(format!("invalid node URL {url:?}: {e}")))?;
        Ok(Self {
            http,
            url: url.to_owned(),
        })
    }

    /// The node's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn rpc_error(&self, method: &'static str, e: &tendermint_rpc::Error) -> ClientError {
        match e.detail() {
            ErrorDetail::Response(_)
            | ErrorDetail::Server(_)
            | ErrorDetail::MethodNotFound(_)
            | ErrorDetail::Parse(_)
            | ErrorDetail::Serde(_)
            | ErrorDetail::InvalidParams(_) => ClientError::Rpc {
                node: self.url.clone(),
                method,
                reason: e.detail().to_string(),
            },
            _ => ClientError::Unreachable {
                node: self.url.clone(),
                reason: e.detail().to_string(),
            },
        }
    }

    /// `status`.
    pub async fn status(&self) -> Result<NodeStatus, ClientError> {
        let s = self
            .http
            .status()
            .await
            .map_err(|e| self.rpc_error("status", &e))?;
        Ok(NodeStatus {
            chain_id: s.node_info.network.to_string(),
            moniker: s.node_info.moniker.to_string(),
            version: s.node_info.version.to_string(),
            latest_block_height: s.sync_info.latest_block_height.value(),
            latest_block_hash: s.sync_info.latest_block_hash.to_string(),
            latest_app_hash: hex::encode_upper(s.sync_info.latest_app_hash.as_bytes()),
            catching_up: s.sync_info.catching_up,
        })
    }

    /// `abci_query` at the latest height; a non-zero code is [`ClientError::Query`].
    pub async fn abci_query(&self, path: &str, data: Vec<u8>) -> Result<Vec<u8>, ClientError> {
        let r = self
            .http
            .abci_query(Some(path.to_owned()), data, None, false)
            .await
            .map_err(|e| self.rpc_error("abci_query", &e))?;
        if r.code.is_err() {
            return Err(ClientError::Query {
                path: path.to_owned(),
                codespace: r.codespace,
                code: r.code.value(),
                log: r.log,
            });
        }
        Ok(r.value)
    }

    /// The account at `address`, `None` if the chain has never seen it.
    pub async fn account(&self, address: &str) -> Result<Option<Account>, ClientError> {
        let req = QueryAccountRequest {
            address: address.to_owned(),
        };
        let path = "/cosmos.auth.v1beta1.Query/Account";
        let value = match self.abci_query(path, req.encode_to_vec()).await {
            Ok(v) => v,
            Err(ClientError::Query { log, .. }) if log.contains("code = NotFound") => {
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        let any = QueryAccountResponse::decode(value.as_slice())
            .map_err(|e| decode("QueryAccountResponse", &e))?
            .account
            .ok_or_else(|| decode_msg("QueryAccountResponse", "no account"))?;
        let acc =
            BaseAccount::decode(any.value.as_slice()).map_err(|e| decode("BaseAccount", &e))?;
        Ok(Some(Account {
            account_number: acc.account_number,
            sequence: acc.sequence,
        }))
    }

    /// The chain id, account number and sequence to sign with as `address`.
    pub async fn signer_data(&self, address: &str) -> Result<SignerData, ClientError> {
        let chain_id = self.status().await?.chain_id;
        let acc = self.account(address).await?;
        Ok(SignerData {
            chain_id,
            account_number: acc.map_or(0, |a| a.account_number),
            sequence: acc.map_or(0, |a| a.sequence),
        })
    }

    /// Gas a signed transaction would use now (`Service/Simulate`).
    pub async fn simulate(&self, tx: Vec<u8>) -> Result<u64, ClientError> {
        let req = SimulateRequest {
            tx_bytes: tx,
            ..SimulateRequest::default()
        };
        let value = match self
            .abci_query("/cosmos.tx.v1beta1.Service/Simulate", req.encode_to_vec())
            .await
        {
            Ok(v) => v,
            Err(ClientError::Query { log, .. }) => return Err(ClientError::Simulate(log)),
            Err(e) => return Err(e),
        };
        let r = SimulateResponse::decode(value.as_slice())
            .map_err(|e| decode("SimulateResponse", &e))?;
        Ok(r.gas_info.map_or(0, |g| g.gas_used))
    }

    /// `broadcast_tx_sync`: the hash once `check_tx` admitted the tx, or
    /// [`ClientError::CheckTx`] with its code and log.
    pub async fn broadcast(&self, tx: Vec<u8>) -> Result<String, ClientError> {
        let hash = tx_hash(&tx);
        let r = self
            .http
            .broadcast_tx_sync(tx)
            .await
            .map_err(|e| self.rpc_error("broadcast_tx_sync", &e))?;
        if r.code.is_err() {
            return Err(ClientError::CheckTx {
                hash,
                codespace: r.codespace,
                code: r.code.value(),
                log: r.log,
            });
        }
        Ok(hash)
    }

    /// The result of tx `hash` if a block included it (`tx_search "tx.hash='…'"`, as CosmJS
    /// polls).
    pub async fn find_tx(&self, hash: &str) -> Result<Option<TxOutcome>, ClientError> {
        let hash = hash.to_ascii_uppercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ClientError::Invalid(format!(
                "invalid tx hash {hash:?}: expected 64 hex digits"
            )));
        }
        let r = self
            .http
            .tx_search(
                Query::eq("tx.hash", hash.clone()),
                false,
                1,
                1,
                Order::Ascending,
            )
            .await
            .map_err(|e| self.rpc_error("tx_search", &e))?;
        Ok(r.txs.into_iter().next().map(|t| outcome(hash, &t)))
    }

    /// Poll until a block includes tx `hash`, for at most `timeout`.
    pub async fn wait_tx(&self, hash: &str, timeout: Duration) -> Result<TxOutcome, ClientError> {
        let start = tokio::time::Instant::now();
        loop {
            if let Some(t) = self.find_tx(hash).await? {
                return Ok(t);
            }
            if start.elapsed() >= timeout {
                return Err(ClientError::Timeout {
                    hash: hash.to_owned(),
                    waited_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
                });
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// Broadcast and wait for inclusion.
    pub async fn broadcast_and_wait(
        &self,
        tx: Vec<u8>,
        timeout: Duration,
    ) -> Result<TxOutcome, ClientError> {
        let hash = self.broadcast(tx).await?;
        self.wait_tx(&hash, timeout).await
    }

    /// Sign `msgs` as `key` (account number and sequence looked up, chain id from `status`
    /// unless given), choose gas and fee as `opts` says, broadcast and wait for inclusion.
    pub async fn sign_and_send(
        &self,
        key: &AccountKey,
        msgs: Vec<cosmos_sdk_proto::Any>,
        opts: &SendOptions,
    ) -> Result<TxOutcome, ClientError> {
        let mut signer = self.signer_data(&key.bech32()).await?;
        if let Some(id) = &opts.chain_id {
            signer.chain_id.clone_from(id);
        }
        let gas_limit = match opts.gas {
            GasSetting::Fixed(limit) => limit,
            GasSetting::Auto {
                adjustment_permille,
            } => {
                let probe = Fee {
                    gas_limit: 0,
                    amount: Vec::new(),
                };
                let used = self
                    .simulate(sign_tx(key, msgs.clone(), &opts.memo, &probe, &signer))
                    .await?;
                let limit = u128::from(used) * u128::from(adjustment_permille) / 1000;
                u64::try_from(limit).unwrap_or(u64::MAX)
            }
        };
        let fee = match &opts.fee {
            FeeSetting::Price(price) => Fee::at_price(gas_limit, price),
            FeeSetting::Coins(amount) => Fee {
                gas_limit,
                amount: amount.clone(),
            },
        };
        let tx = sign_tx(key, msgs, &opts.memo, &fee, &signer);
        self.broadcast_and_wait(tx, opts.timeout).await
    }

    /// A contract's smart query answer (JSON).
    pub async fn smart(
        &self,
        contract: &str,
        msg: &serde_json::Value,
    ) -> Result<serde_json::Value, ClientError> {
        let req = QuerySmartContractStateRequest {
            address: contract.to_owned(),
            query_data: msg.to_string().into_bytes(),
        };
        let value = self
            .abci_query(
                "/cosmwasm.wasm.v1.Query/SmartContractState",
                req.encode_to_vec(),
            )
            .await?;
        let data = QuerySmartContractStateResponse::decode(value.as_slice())
            .map_err(|e| decode("QuerySmartContractStateResponse", &e))?
            .data;
        serde_json::from_slice(&data).map_err(|e| decode_msg("smart query answer", &e.to_string()))
    }

    /// The raw value under `key` in a contract's storage (empty when unset, as wasmd answers).
    pub async fn raw(&self, contract: &str, key: &[u8]) -> Result<Vec<u8>, ClientError> {
        let req = QueryRawContractStateRequest {
            address: contract.to_owned(),
            query_data: key.to_vec(),
        };
        let value = self
            .abci_query(
                "/cosmwasm.wasm.v1.Query/RawContractState",
                req.encode_to_vec(),
            )
            .await?;
        Ok(QueryRawContractStateResponse::decode(value.as_slice())
            .map_err(|e| decode("QueryRawContractStateResponse", &e))?
            .data)
    }

    /// Every balance of `address`.
    pub async fn balances(&self, address: &str) -> Result<Vec<Coin>, ClientError> {
        let req = QueryAllBalancesRequest {
            address: address.to_owned(),
            ..QueryAllBalancesRequest::default()
        };
        let value = self
            .abci_query(
                "/cosmos.bank.v1beta1.Query/AllBalances",
                req.encode_to_vec(),
            )
            .await?;
        let r = QueryAllBalancesResponse::decode(value.as_slice())
            .map_err(|e| decode("QueryAllBalancesResponse", &e))?;
        r.balances
            .iter()
            .map(|c| Coin::from_proto(c).map_err(|e| decode_msg("balance", &e.to_string())))
            .collect()
    }
}

/// How the gas limit of a transaction is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GasSetting {
    /// This limit (wasmd's `--gas 200000`).
    Fixed(u64),
    /// Simulate, then limit = used × `adjustment_permille` / 1000 (`--gas auto`).
    Auto {
        /// E.g. 1300 for wasmd's `--gas-adjustment 1.3`.
        adjustment_permille: u64,
    },
}

/// How the fee is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeeSetting {
    /// Gas limit × this price, rounded up (`--gas-prices`).
    Price(GasPrice),
    /// Exactly these coins (`--fees`).
    Coins(Vec<Coin>),
}

/// Everything [`NodeClient::sign_and_send`] needs besides the key and messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendOptions {
    /// Gas limit.
    pub gas: GasSetting,
    /// Fee.
    pub fee: FeeSetting,
    /// Memo.
    pub memo: String,
    /// Sign for this chain id instead of the node's (`--chain-id`).
    pub chain_id: Option<String>,
    /// How long to wait for inclusion.
    pub timeout: Duration,
}

fn decode(what: &'static str, e: &prost::DecodeError) -> ClientError {
    decode_msg(what, &e.to_string())
}

fn decode_msg(what: &'static str, reason: &str) -> ClientError {
    ClientError::Decode {
        what,
        reason: reason.to_owned(),
    }
}

fn outcome(hash: String, t: &tendermint_rpc::endpoint::tx::Response) -> TxOutcome {
    let r = &t.tx_result;
    TxOutcome {
        hash,
        height: t.height.value(),
        code: r.code.value(),
        codespace: r.codespace.clone(),
        log: r.log.clone(),
        gas_wanted: r.gas_wanted,
        gas_used: r.gas_used,
        events: r
            .events
            .iter()
            .map(|e| TxEvent {
                kind: e.kind.clone(),
                attributes: e
                    .attributes
                    .iter()
                    .map(|a| {
                        (
                            a.key_str().unwrap_or_default().to_owned(),
                            a.value_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect(),
            })
            .collect(),
    }
}
