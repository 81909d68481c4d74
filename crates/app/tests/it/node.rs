//! An in-process test node (Penumbra's mock consensus, in spirit): test keys sign real
//! transactions, blocks are built and committed in order, and every read goes through the ABCI
//! query paths a client would use.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::auth::v1beta1::{
    BaseAccount, QueryAccountRequest, QueryAccountResponse,
};
use cosmos_sdk_proto::cosmos::bank::v1beta1::{QueryBalanceRequest, QueryBalanceResponse};
use prost::Message;
use sha2::{Digest, Sha256};
use wicas_app::auth::AuthParams;
use wicas_app::{
    Address, App, AppConfig, BlockInfo, Coin, CommitResult, Genesis, QueryResult, TxResult,
};
use wicas_client::{AccountKey, msgs};
use wicas_store::Storage;

pub const CHAIN_ID: &str = "wicas-test-1";
pub const DENOM: &str = "uwicas";

/// A secp256k1 key derived from a name (deterministic, test only).
#[derive(Clone)]
pub struct TestKey {
    pub key: AccountKey,
    pub pubkey: Vec<u8>,
    pub address: Address,
}

impl TestKey {
    pub fn new(name: &str) -> Self {
        let seed: [u8; 32] = Sha256::digest(name.as_bytes()).into();
        let key = AccountKey::from_secret(&seed)
            .expect("a sha256 is a valid scalar with overwhelming probability");
        Self {
            pubkey: key.pubkey().to_vec(),
            address: key.address().clone(),
            key,
        }
    }

    pub fn bech32(&self) -> String {
        self.address.to_bech32()
    }
}

/// How to sign a transaction; `None` fields are looked up from the chain.
#[derive(Clone, Debug)]
pub struct TxOpts {
    pub gas_limit: u64,
    pub fee: Vec<Coin>,
    pub sequence: Option<u64>,
    pub account_number: Option<u64>,
    pub chain_id: String,
    pub memo: String,
}

impl Default for TxOpts {
    fn default() -> Self {
        let gas_limit = 200_000;
        Self {
            gas_limit,
            fee: vec![Coin::new(AuthParams::default().min_fee(gas_limit), DENOM)],
            sequence: None,
            account_number: None,
            chain_id: CHAIN_ID.to_owned(),
            memo: String::new(),
        }
    }
}

impl TxOpts {
    pub fn gas(gas_limit: u64) -> Self {
        Self {
            gas_limit,
            fee: vec![Coin::new(AuthParams::default().min_fee(gas_limit), DENOM)],
            ..Self::default()
        }
    }
}

pub struct TestNode {
    pub app: App,
    pub height: u64,
    pub time_unix_nanos: u64,
    /// The store's directory when the node made it (deleted with the node).
    _dir: Option<tempfile::TempDir>,
}

/// A genesis giving each key `amount` uwicas.
pub fn genesis_with(keys: &[&TestKey], amount: u128) -> Genesis {
    let balances = keys
        .iter()
        .map(|k| wicas_app::bank::GenesisBalance {
            address: k.bech32(),
            coins: vec![Coin::new(amount, DENOM)],
        })
        .collect();
    Genesis {
        chain_id: CHAIN_ID.to_owned(),
        bank: wicas_app::bank::BankGenesis { balances },
        ..Genesis::default()
    }
}

impl TestNode {
    /// A node on a fresh store in a temporary directory.
    pub fn new(genesis: &Genesis) -> Self {
        Self::with_config(genesis, None)
    }

    /// A node with `config` (engines) on a fresh store in a temporary directory.
    pub fn with_config(
        genesis: &Genesis,
        models: Option<std::sync::Arc<wicas_app::ai::ModelRegistry>>,
    ) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = AppConfig::new(dir.path().join("wasm")).expect("vm");
        if let Some(m) = models {
            config.models = m;
        }
        let storage = Storage::open(dir.path().join("state.redb")).expect("open store");
        let mut node = Self::with_storage(storage, genesis, config);
        node._dir = Some(dir);
        node
    }

    pub fn with_storage(storage: Storage, genesis: &Genesis, config: AppConfig) -> Self {
        let mut app = App::open(storage, config).expect("open");
        app.init_chain(genesis).expect("genesis");
        Self {
            app,
            height: 0,
            time_unix_nanos: 1_700_000_000_000_000_000,
            _dir: None,
        }
    }

    /// Resume over a store that already holds a chain.
    pub fn reopen(storage: Storage, vm_dir: &std::path::Path) -> Self {
        let app = App::open(storage, AppConfig::new(vm_dir).expect("vm")).expect("open");
        let height = app.info().last_height;
        Self {
            app,
            height,
            time_unix_nanos: 1_700_000_000_000_000_000 + height * 1_000_000_000,
            _dir: None,
        }
    }

    /// Build, execute and commit a block holding `txs`.
    pub fn block(&mut self, txs: &[Vec<u8>]) -> (Vec<TxResult>, CommitResult) {
        self.height += 1;
        self.time_unix_nanos += 1_000_000_000;
        let block_hash: [u8; 32] = Sha256::digest(self.height.to_be_bytes()).into();
        self.app
            .begin_block(BlockInfo {
                height: self.height,
                time_unix_nanos: self.time_unix_nanos,
                chain_id: CHAIN_ID.to_owned(),
                block_hash,
                proposer: vec![1; 20],
            })
            .expect("begin_block");
        let results = txs
            .iter()
            .map(|tx| self.app.deliver_tx(tx).expect("deliver_tx"))
            .collect();
        self.app.end_block().expect("end_block");
        let commit = self.app.commit().expect("commit");
        (results, commit)
    }

    /// One transaction in its own block.
    pub fn exec(&mut self, tx: Vec<u8>) -> TxResult {
        let (mut r, _) = self.block(&[tx]);
        r.remove(0)
    }

    pub fn query(&self, path: &str, req: impl Message) -> QueryResult {
        self.app.query(path, &req.encode_to_vec(), 0)
    }

    pub fn account(&self, addr: &Address) -> Option<BaseAccount> {
        let r = self.query(
            "/cosmos.auth.v1beta1.Query/Account",
            QueryAccountRequest {
                address: addr.to_bech32(),
            },
        );
        if r.code != 0 {
            assert!(
                r.log.contains("rpc error: code = NotFound"),
                "account query failed: {}",
                r.log
            );
            return None;
        }
        let resp = QueryAccountResponse::decode(r.value.as_slice()).expect("account response");
        Some(
            BaseAccount::decode(resp.account.expect("any").value.as_slice()).expect("base account"),
        )
    }

    pub fn balance(&self, addr: &Address, denom: &str) -> u128 {
        let r = self.query(
            "/cosmos.bank.v1beta1.Query/Balance",
            QueryBalanceRequest {
                address: addr.to_bech32(),
                denom: denom.to_owned(),
            },
        );
        assert_eq!(r.code, 0, "{}", r.log);
        let c = QueryBalanceResponse::decode(r.value.as_slice())
            .expect("balance")
            .balance
            .expect("coin");
        c.amount.parse().expect("amount")
    }

    /// Sign `msgs` as `key` (SIGN_MODE_DIRECT), looking up account number and sequence.
    pub fn sign(&self, key: &TestKey, msgs: Vec<Any>, opts: &TxOpts) -> Vec<u8> {
        let acc = self.account(&key.address);
        let account_number = opts
            .account_number
            .or(acc.as_ref().map(|a| a.account_number))
            .unwrap_or(0);
        let sequence = opts
            .sequence
            .or(acc.as_ref().map(|a| a.sequence))
            .unwrap_or(0);
        sign_tx(key, msgs, opts, account_number, sequence)
    }

    /// The state's root after the last commit.
    pub fn app_hash(&self) -> [u8; 32] {
        self.app.info().last_app_hash
    }
}

/// A signed TxRaw (through `wicas-client`, the signer every client of the node uses).
pub fn sign_tx(
    key: &TestKey,
    msgs: Vec<Any>,
    opts: &TxOpts,
    account_number: u64,
    sequence: u64,
) -> Vec<u8> {
    let fee = wicas_client::Fee {
        gas_limit: opts.gas_limit,
        amount: opts.fee.clone(),
    };
    let signer = wicas_client::SignerData {
        chain_id: opts.chain_id.clone(),
        account_number,
        sequence,
    };
    wicas_client::sign_tx(&key.key, msgs, &opts.memo, &fee, &signer)
}

pub fn msg_send(from: &TestKey, to: &Address, amount: u128) -> Any {
    msgs::bank_send(&from.bech32(), &to.to_bech32(), &[Coin::new(amount, DENOM)])
}

/// A built contract from `contracts/artifacts` (or `$WICAS_CONTRACTS_DIR`).
pub fn contract_wasm(name: &str) -> Vec<u8> {
    let dir = std::env::var("WICAS_CONTRACTS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../contracts/artifacts")
        });
    let path = dir.join(format!("{name}.wasm"));
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/build-contracts", path.display()))
}

pub fn msg_store_code(from: &TestKey, wasm: Vec<u8>) -> Any {
    msgs::store_code(&from.bech32(), wasm)
}

pub fn msg_instantiate(
    from: &TestKey,
    code_id: u64,
    msg: serde_json::Value,
    admin: Option<&TestKey>,
) -> Any {
    let admin = admin.map(TestKey::bech32).unwrap_or_default();
    msgs::instantiate(&from.bech32(), &admin, code_id, "test", &msg, &[])
}

pub fn msg_execute(from: &TestKey, contract: &str, msg: serde_json::Value, funds: u128) -> Any {
    let funds = if funds == 0 {
        vec![]
    } else {
        vec![Coin::new(funds, DENOM)]
    };
    msgs::execute(&from.bech32(), contract, &msg, &funds)
}

/// The value of attribute `key` of the first event of type `kind`.
pub fn attr(r: &TxResult, kind: &str, key: &str) -> Option<String> {
    r.events
        .iter()
        .filter(|e| e.kind == kind)
        .find_map(|e| e.get(key).map(str::to_owned))
}

impl TestNode {
    /// Store `wasm` as `key`; returns the code id.
    pub fn store(&mut self, key: &TestKey, wasm: Vec<u8>) -> u64 {
        let tx = self.sign(
            key,
            vec![msg_store_code(key, wasm)],
            &TxOpts::gas(50_000_000),
        );
        let r = self.exec(tx);
        assert!(r.is_ok(), "store code: {}", r.log);
        attr(&r, "store_code", "code_id")
            .expect("code_id")
            .parse()
            .expect("number")
    }

    /// Instantiate; returns the contract's address.
    pub fn instantiate(&mut self, key: &TestKey, code_id: u64, msg: serde_json::Value) -> String {
        let tx = self.sign(
            key,
            vec![msg_instantiate(key, code_id, msg, Some(key))],
            &TxOpts::gas(5_000_000),
        );
        let r = self.exec(tx);
        assert!(r.is_ok(), "instantiate: {}", r.log);
        attr(&r, "instantiate", "_contract_address").expect("address")
    }

    /// A smart query through the ABCI path.
    pub fn smart(
        &self,
        contract: &str,
        msg: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        use cosmos_sdk_proto::cosmwasm::wasm::v1::{
            QuerySmartContractStateRequest, QuerySmartContractStateResponse,
        };
        let r = self.query(
            "/cosmwasm.wasm.v1.Query/SmartContractState",
            QuerySmartContractStateRequest {
                address: contract.into(),
                query_data: msg.to_string().into_bytes(),
            },
        );
        if r.code != 0 {
            return Err(r.log);
        }
        let data = QuerySmartContractStateResponse::decode(r.value.as_slice())
            .expect("response")
            .data;
        Ok(serde_json::from_slice(&data).expect("json"))
    }
}
