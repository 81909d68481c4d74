//! The application: block lifecycle, mempool checks and queries over the node's [`Storage`].
//!
//! Pure core: every method takes its inputs (block header fields, transaction bytes, query
//! paths) and returns results; the node does networking, clocks and process lifetime. Calls
//! follow `init_chain` once, then per height `begin_block` → `deliver_tx`* → `end_block` →
//! `commit`.
//!
//! Heights and store versions: the store's version 0 is its empty creation state, version 1 the
//! genesis state (height 0), and block `h` commits version `h + 1`.

mod error;
mod exec;
mod genesis;
mod query;
mod types;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use wicas_vm::{VmConfig, WasmVm};

use wicas_store::{PreparedVersion, StateDelta, StateRead, Storage};

use crate::ai::{AiRead, InferBlockState, ModelRegistry, ModelUnavailable, parse_model_id};
use crate::query::QueryResult;
use crate::wasm::WasmEnv;
use exec::{TxEnv, execute_tx};

pub use error::AppError;
pub use exec::Mode;
pub use genesis::Genesis;
pub use types::{AppInfo, BlockInfo, CommitResult, EndBlockResult, TxResult};

/// Node-side settings that are not consensus state.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Engines by model hash (the node builds it with its [`crate::ai::ModelLoader`]).
    pub models: Arc<ModelRegistry>,
    /// The contract host (its module cache lives in the node's home).
    pub vm: Arc<WasmVm>,
}

impl AppConfig {
    /// A config whose contract module cache is in `vm_cache_dir`, with no engines loaded.
    pub fn new(vm_cache_dir: impl Into<std::path::PathBuf>) -> Result<Self, wicas_vm::VmInitError> {
        let vm = WasmVm::new(VmConfig::new(vm_cache_dir))?;
        Ok(Self {
            models: Arc::new(ModelRegistry::default()),
            vm: Arc::new(vm),
        })
    }
}

struct OpenBlock {
    info: BlockInfo,
    delta: StateDelta,
    /// The block's inference budget so far. A plain value (not shared) so that `App` stays `Send`:
    /// each transaction gets its own cell and the result is copied back.
    infer: InferBlockState,
}

/// The state machine.
pub struct App {
    storage: Storage,
    config: AppConfig,
    chain_id: Option<String>,
    block: Option<OpenBlock>,
    /// A block `finalize` executed whose state is computed but not yet written (`commit`).
    finalized: Option<(u64, PreparedVersion)>,
    /// Transactions admitted by `check_tx` since the last commit, over the last commit.
    check: Option<StateDelta>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("chain_id", &self.chain_id)
            .field("last_height", &self.info().last_height)
            .field("block_open", &self.block.is_some())
            .field("finalized", &self.finalized.as_ref().map(|f| f.0))
            .finish()
    }
}

pub(crate) fn wasm_env(
    config: &AppConfig,
    block: BlockInfo,
    infer: Rc<Cell<InferBlockState>>,
) -> Rc<WasmEnv> {
    Rc::new(WasmEnv {
        vm: Arc::clone(&config.vm),
        models: Arc::clone(&config.models),
        infer,
        block,
        fault: RefCell::new(None),
    })
}

/// Store version holding the state after `height` (genesis is height 0).
fn version_of(height: u64) -> u64 {
    height + 1
}

impl App {
    /// Open the app over `storage` (fresh, or holding a chain: it resumes at the last commit).
    pub fn open(storage: Storage, config: AppConfig) -> Result<Self, AppError> {
        let chain_id = if storage.latest_version() == 0 {
            None
        } else {
            let raw = storage.latest_snapshot()?.get_raw(genesis::CHAIN_ID_KEY)?;
            let raw = raw.ok_or_else(|| AppError::Genesis("the store holds no chain id".into()))?;
            Some(String::from_utf8(raw).map_err(|e| AppError::Genesis(e.to_string()))?)
        };
        Ok(Self {
            storage,
            config,
            chain_id,
            block: None,
            finalized: None,
            check: None,
        })
    }

    /// Where the app stands (ABCI `Info`, for the consensus handshake).
    pub fn info(&self) -> AppInfo {
        let version = self.storage.latest_version();
        AppInfo {
            chain_id: self.chain_id.clone(),
            last_height: version.saturating_sub(1),
            last_app_hash: self.storage.root_hash(),
        }
    }

    /// The store (for the node: proofs, snapshots).
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// Take the store back (shutting the app down).
    pub fn into_storage(self) -> Storage {
        self.storage
    }

    /// The engines by model hash.
    pub fn models(&self) -> &ModelRegistry {
        &self.config.models
    }

    /// Registered models this node cannot load. The node checks this at start-up and refuses to
    /// run rather than answer differently from other validators.
    pub fn unavailable_models(&self) -> Result<Vec<ModelUnavailable>, AppError> {
        let view = self.storage.latest_snapshot()?;
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

    /// Write and commit the genesis state. Returns the app hash block 1's header carries.
    pub fn init_chain(&mut self, genesis: &Genesis) -> Result<[u8; 32], AppError> {
        if self.chain_id.is_some() || self.storage.latest_version() != 0 {
            return Err(AppError::AlreadyInitialized(self.storage.latest_version()));
        }
        let mut delta = self.storage.new_delta()?;
        genesis.apply(&mut delta)?;
        let hash = self.storage.commit(delta)?;
        self.chain_id = Some(genesis.chain_id.clone());
        Ok(hash)
    }

    /// Open block `info.height` (the last committed height + 1).
    pub fn begin_block(&mut self, info: BlockInfo) -> Result<(), AppError> {
        let chain_id = self.chain_id.as_deref().ok_or(AppError::NotInitialized)?;
        if self.block.is_some() {
            return Err(AppError::Lifecycle("begin_block while a block is open"));
        }
        if self.finalized.is_some() {
            return Err(AppError::Lifecycle(
                "begin_block while a finalized block awaits commit",
            ));
        }
        if info.chain_id != chain_id {
            return Err(AppError::WrongChain {
                expected: chain_id.to_owned(),
                got: info.chain_id,
            });
        }
        let expected = self.info().last_height + 1;
        if info.height != expected {
            return Err(AppError::WrongHeight {
                expected,
                got: info.height,
            });
        }
        let delta = self.storage.new_delta()?;
        self.block = Some(OpenBlock {
            info,
            delta,
            infer: InferBlockState::default(),
        });
        Ok(())
    }

    /// Execute one transaction of the open block. A bad transaction is a non-zero code, never an
    /// `Err`; `Err` means the call was out of order, the store failed, or this node lacks a
    /// registered model (then the block is dropped: the node must stop, not diverge).
    pub fn deliver_tx(&mut self, tx: &[u8]) -> Result<TxResult, AppError> {
        let chain_id = self.chain_id.as_deref().ok_or(AppError::NotInitialized)?;
        let block = self
            .block
            .as_mut()
            .ok_or(AppError::Lifecycle("deliver_tx with no open block"))?;
        let infer = Rc::new(Cell::new(block.infer));
        let wasm = wasm_env(&self.config, block.info.clone(), Rc::clone(&infer));
        let env = TxEnv {
            chain_id,
            block: &block.info,
            mode: Mode::Deliver,
            wasm: &wasm,
        };
        let out = execute_tx(&mut block.delta, tx, env);
        block.infer = infer.get();
        if let Some(fault) = out.fault {
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

    /// Close the open block and compute its app hash without writing anything (CometBFT's
    /// FinalizeBlock): a process killed before [`App::commit`] reopens at the previous height
    /// as if the block had not been executed.
    pub fn finalize(&mut self) -> Result<CommitResult, AppError> {
        let block = self
            .block
            .take()
            .ok_or(AppError::Lifecycle("finalize with no open block"))?;
        let prepared = self.storage.prepare(block.delta)?;
        let result = CommitResult {
            height: block.info.height,
            app_hash: prepared.root_hash(),
        };
        self.finalized = Some((block.info.height, prepared));
        Ok(result)
    }

    /// Make the finalized block durable (or, with a block still open, finalize and write it at
    /// once) and return the new app hash. Resets the mempool's check state to the new
    /// committed state.
    pub fn commit(&mut self) -> Result<CommitResult, AppError> {
        if self.finalized.is_none() && self.block.is_some() {
            self.finalize()?;
        }
        let (height, prepared) = self.finalized.take().ok_or(AppError::Lifecycle(
            "commit with no finalized or open block",
        ))?;
        let app_hash = self.storage.write(prepared)?;
        self.check = None;
        Ok(CommitResult { height, app_hash })
    }

    /// Mempool admission: decoding and the ante checks against the check state (the last commit
    /// plus transactions admitted since), which they update (sequence, fee), so a second
    /// transaction from one account needs the next sequence.
    pub fn check_tx(&mut self, tx: &[u8]) -> Result<TxResult, AppError> {
        let chain_id = self.chain_id.clone().ok_or(AppError::NotInitialized)?;
        let mut state = match self.check.take() {
            Some(s) => s,
            None => self.storage.new_delta()?,
        };
        let info = self.next_block_info(&chain_id);
        let wasm = wasm_env(&self.config, info.clone(), Rc::default());
        let env = TxEnv {
            chain_id: &chain_id,
            block: &info,
            mode: Mode::Check,
            wasm: &wasm,
        };
        let out = execute_tx(&mut state, tx, env);
        self.check = Some(state);
        Ok(out.result)
    }

    fn next_block_info(&self, chain_id: &str) -> BlockInfo {
        BlockInfo {
            height: self.info().last_height + 1,
            time_unix_nanos: 0,
            chain_id: chain_id.to_owned(),
            block_hash: [0; 32],
            proposer: Vec::new(),
        }
    }

    /// Answer an ABCI query at `height` (0 = the latest).
    pub fn query(&self, path: &str, data: &[u8], height: u64) -> QueryResult {
        query::answer(self, path, data, height)
    }
}

#[cfg(test)]
mod send_tests {
    /// Consensus runs the app on its own task (`BlockExecutor: Send + 'static`): the app must stay
    /// `Send` between calls, so no `Rc` may outlive a transaction.
    #[test]
    fn the_app_can_move_to_the_consensus_thread() {
        fn assert_send<T: Send + 'static>() {}
        assert_send::<super::App>();
    }
}
