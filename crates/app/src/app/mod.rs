//! The application: block lifecycle, mempool checks and queries over a [`CommitStore`].
//!
//! Pure core: every method takes its inputs (block header fields, transaction bytes, query
//! paths) and returns results; the node does networking, disk and clocks. Calls must follow
//! `init_chain` once, then per height `begin_block` → `deliver_tx`* → `end_block` → `commit`.

mod error;
mod exec;
mod genesis;
mod store;
mod types;

use cosmos_sdk_proto::cosmos::base::abci::v1beta1::{GasInfo, Result as AbciResult};
use cosmos_sdk_proto::cosmos::tx::v1beta1::{SimulateRequest, SimulateResponse};
use prost::Message;
use std::cell::Cell;
use std::sync::Arc;

use crate::ai::{AiRead, InferBlockState, ModelRegistry, ModelUnavailable, parse_model_id};

pub use error::AppError;
pub use exec::Mode;
pub use genesis::Genesis;
pub use store::CommitStore;
pub use types::{AppInfo, BlockInfo, CommitResult, EndBlockResult, TxResult};

use crate::delta::{ChangeSet, Delta};
use crate::query::{QueryError, QueryResult, decode_request, route_state_query};
use exec::{TxEnv, execute_tx};

/// Node-side settings that are not consensus state.
#[derive(Debug, Clone, Default)]
pub struct AppConfig {
    /// Engines by model hash (the node builds it with its [`crate::ai::ModelLoader`]).
    pub models: Arc<ModelRegistry>,
}

struct OpenBlock {
    info: BlockInfo,
    changes: ChangeSet,
    infer: Cell<InferBlockState>,
}

/// The state machine.
pub struct App<S: CommitStore> {
    store: S,
    config: AppConfig,
    chain_id: Option<String>,
    block: Option<OpenBlock>,
    /// Writes of transactions admitted by `check_tx` since the last commit.
    check: ChangeSet,
}

impl<S: CommitStore> std::fmt::Debug for App<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("chain_id", &self.chain_id)
            .field("height", &self.store.latest_version())
            .finish()
    }
}

impl<S: CommitStore> App<S> {
    /// Open the app over `store` (fresh or holding a chain).
    pub fn open(store: S, config: AppConfig) -> Result<Self, AppError> {
        let chain_id = match store.latest_version() {
            None => None,
            Some(_) => {
                let view = store.latest()?;
                let raw = view.get_raw(genesis::CHAIN_ID_KEY)?;
                Some(
                    String::from_utf8(raw.unwrap_or_default())
                        .map_err(|e| AppError::Genesis(e.to_string()))?,
                )
            }
        };
        Ok(Self {
            store,
            config,
            chain_id,
            block: None,
            check: ChangeSet::new(),
        })
    }

    /// Where the app stands (for the consensus handshake).
    pub fn info(&self) -> AppInfo {
        AppInfo {
            chain_id: self.chain_id.clone(),
            last_height: self.store.latest_version().unwrap_or(0),
            last_app_hash: self.store.root_hash(),
        }
    }

    /// The store (for the node: proofs, snapshots).
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The engines by model hash.
    pub fn models(&self) -> &ModelRegistry {
        &self.config.models
    }

    /// Registered models this node cannot load. The node checks this at start-up and before
    /// each block, and refuses to run rather than answer differently from other validators.
    pub fn unavailable_models(&self) -> Result<Vec<ModelUnavailable>, AppError> {
        let view = self.store.latest()?;
        let mut out = Vec::new();
        for record in view.models()? {
            let Some(hash) = parse_model_id(&record.sha256) else {
                continue;
            };
            if let Err(e) = self.config.models.get(&hash) {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Write the genesis state and commit it as version 0. Returns the app hash that block 1's
    /// header carries.
    pub fn init_chain(&mut self, genesis: &Genesis) -> Result<[u8; 32], AppError> {
        if let Some(v) = self.store.latest_version() {
            return Err(AppError::AlreadyInitialized(v));
        }
        let empty = wicas_store::MemState::new();
        let mut delta = Delta::new(&empty);
        genesis.apply(&mut delta)?;
        let hash = self.store.commit(0, delta.into_changes())?;
        self.chain_id = Some(genesis.chain_id.clone());
        Ok(hash)
    }

    /// Open block `info.height` (must be the last committed height + 1).
    pub fn begin_block(&mut self, info: BlockInfo) -> Result<(), AppError> {
        let chain_id = self.chain_id.as_deref().ok_or(AppError::NotInitialized)?;
        if self.block.is_some() {
            return Err(AppError::Lifecycle("begin_block while a block is open"));
        }
        if info.chain_id != chain_id {
            return Err(AppError::WrongChain {
                expected: chain_id.to_owned(),
                got: info.chain_id,
            });
        }
        let expected = self.store.latest_version().map_or(0, |v| v + 1);
        if info.height != expected {
            return Err(AppError::WrongHeight {
                expected,
                got: info.height,
            });
        }
        self.block = Some(OpenBlock {
            info,
            changes: ChangeSet::new(),
            infer: Cell::default(),
        });
        Ok(())
    }

    /// Execute one transaction of the open block. A bad transaction is a non-zero code, never an
    /// `Err`; `Err` means the call was out of order or the store failed.
    pub fn deliver_tx(&mut self, tx: &[u8]) -> Result<TxResult, AppError> {
        let chain_id = self.chain_id.as_deref().ok_or(AppError::NotInitialized)?;
        let block = self
            .block
            .as_mut()
            .ok_or(AppError::Lifecycle("deliver_tx with no open block"))?;
        let base = self.store.latest()?;
        let mut state = Delta::with_changes(&*base, std::mem::take(&mut block.changes));
        let env = TxEnv {
            chain_id,
            block: &block.info,
            mode: Mode::Deliver,
            models: &self.config.models,
            infer: &block.infer,
        };
        let out = execute_tx(&mut state, tx, env);
        block.changes = state.into_changes();
        if let Some(fault) = out.fault {
            // The block cannot be executed here: drop it so it can never be committed; the node
            // must stop (or load the model and re-run the block), not commit a divergent result.
            self.block = None;
            return Err(AppError::ModelUnavailable(fault));
        }
        Ok(out.result)
    }

    /// Close the open block.
    pub fn end_block(&mut self) -> Result<EndBlockResult, AppError> {
        if self.block.is_none() {
            return Err(AppError::Lifecycle("end_block with no open block"));
        }
        Ok(EndBlockResult::default())
    }

    /// Commit the open block; its writes become the next version. Resets the mempool's check
    /// state to the new committed state.
    pub fn commit(&mut self) -> Result<CommitResult, AppError> {
        let block = self
            .block
            .take()
            .ok_or(AppError::Lifecycle("commit with no open block"))?;
        let app_hash = self.store.commit(block.info.height, block.changes)?;
        self.check.clear();
        Ok(CommitResult {
            height: block.info.height,
            app_hash,
        })
    }

    /// Mempool admission: decode and ante checks against the check state (the last commit plus
    /// transactions admitted since), which they update (sequence, fee) so that a second
    /// transaction from the same account needs the next sequence.
    pub fn check_tx(&mut self, tx: &[u8]) -> Result<TxResult, AppError> {
        let chain_id = self.chain_id.as_deref().ok_or(AppError::NotInitialized)?;
        let base = self.store.latest()?;
        let mut state = Delta::with_changes(&*base, std::mem::take(&mut self.check));
        let info = self.next_block_info(chain_id);
        let infer = Cell::default();
        let env = TxEnv {
            chain_id,
            block: &info,
            mode: Mode::Check,
            models: &self.config.models,
            infer: &infer,
        };
        let out = execute_tx(&mut state, tx, env);
        self.check = state.into_changes();
        Ok(out.result)
    }

    fn next_block_info(&self, chain_id: &str) -> BlockInfo {
        BlockInfo {
            height: self.store.latest_version().map_or(1, |v| v + 1),
            time_unix_nanos: 0,
            chain_id: chain_id.to_owned(),
            block_hash: [0; 32],
            proposer: Vec::new(),
        }
    }

    /// Answer an ABCI query at `height` (0 = latest).
    pub fn query(&self, path: &str, data: &[u8], height: u64) -> QueryResult {
        let latest = self.store.latest_version().unwrap_or(0);
        let at = if height == 0 { latest } else { height };
        let answer = (|| -> Result<Vec<u8>, QueryError> {
            if at > latest {
                return Err(QueryError::Height(at));
            }
            let view = if at == latest {
                self.store.latest()?
            } else {
                self.store
                    .at_version(at)
                    .map_err(|_| QueryError::Height(at))?
            };
            match path {
                "/cosmos.tx.v1beta1.Service/Simulate" => self.simulate(&*view, data),
                _ => route_state_query(path, &*view, data),
            }
        })();
        match answer {
            Ok(value) => QueryResult {
                code: 0,
                codespace: String::new(),
                log: String::new(),
                value,
                height: at,
            },
            Err(e) => {
                let (codespace, code) = e.code();
                QueryResult {
                    code,
                    codespace: codespace.to_owned(),
                    log: e.to_string(),
                    value: Vec::new(),
                    height: at,
                }
            }
        }
    }

    /// `Service/Simulate`: run the transaction in a throwaway branch and report its gas.
    fn simulate(
        &self,
        view: &dyn wicas_store::StateRead,
        data: &[u8],
    ) -> Result<Vec<u8>, QueryError> {
        let chain_id = self.chain_id.as_deref().unwrap_or_default();
        let req: SimulateRequest = decode_request(data)?;
        if req.tx_bytes.is_empty() {
            return Err(QueryError::InvalidArgument(
                "empty tx_bytes (the deprecated `tx` field is not supported)".into(),
            ));
        }
        let mut state = Delta::new(view);
        let info = self.next_block_info(chain_id);
        let infer = Cell::default();
        let env = TxEnv {
            chain_id,
            block: &info,
            mode: Mode::Simulate,
            models: &self.config.models,
            infer: &infer,
        };
        let out = execute_tx(&mut state, &req.tx_bytes, env);
        if !out.result.is_ok() {
            return Err(QueryError::InvalidArgument(out.result.log));
        }
        let r = out.result;
        #[allow(deprecated)]
        let result = AbciResult {
            data: Vec::new(),
            log: String::new(),
            events: r.events.iter().map(crate::event::to_abci).collect(),
            msg_responses: out.msg_responses,
        };
        Ok(SimulateResponse {
            gas_info: Some(GasInfo {
                gas_wanted: r.gas_wanted,
                gas_used: r.gas_used,
            }),
            result: Some(result),
        }
        .encode_to_vec())
    }
}
