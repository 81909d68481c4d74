//! A small deterministic application for consensus tests: each block carries one tx naming its
//! height, the app hash is a SHA-256 chain over the txs, and the vote extension names the height.

use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};
use tendermint::Block;
use tendermint::hash::AppHash;
use wicas_consensus::{BlockExecutor, FinalizeResult, PrepareRequest, TxOutcome};

/// What the app saw, shared with the test.
#[derive(Default, Debug)]
pub struct Journal {
    /// (height, app hash after it) per executed block.
    pub committed: Vec<(u64, Vec<u8>)>,
    /// (height, number of last-height extensions) per prepared block.
    pub extensions_seen: Vec<(u64, usize)>,
}

pub struct TestApp {
    height: u64,
    app_hash: Vec<u8>,
    pending: Option<(u64, Vec<u8>)>,
    moniker: String,
    pub journal: Arc<Mutex<Journal>>,
}

#[derive(Debug, thiserror::Error)]
pub enum TestAppError {
    #[error("extension too long")]
    ExtensionTooLong,
    #[error("block {got} executed after {have}")]
    OutOfOrder { have: u64, got: u64 },
}

impl TestApp {
    pub fn new(moniker: &str) -> Self {
        Self::resume(moniker, 0, vec![0; 32], Arc::default())
    }

    /// The app as it was durably committed at `height` (what a restarted process finds on disk).
    pub fn resume(
        moniker: &str,
        height: u64,
        app_hash: Vec<u8>,
        journal: Arc<Mutex<Journal>>,
    ) -> Self {
        Self {
            height,
            app_hash,
            pending: None,
            moniker: moniker.to_owned(),
            journal,
        }
    }
}

impl BlockExecutor for TestApp {
    type Error = TestAppError;

    fn prepare_txs(&mut self, request: &PrepareRequest) -> Vec<Vec<u8>> {
        self.journal
            .lock()
            .unwrap()
            .extensions_seen
            .push((request.height, request.last_extensions.len()));
        vec![format!("height {} by {}", request.height, self.moniker).into_bytes()]
    }

    fn finalize_block(&mut self, block: &Block) -> Result<FinalizeResult, TestAppError> {
        let height = block.header.height.value();
        if height != self.height + 1 {
            return Err(TestAppError::OutOfOrder {
                have: self.height,
                got: height,
            });
        }
        let mut h = Sha256::new();
        h.update(&self.app_hash);
        for tx in &block.data {
            h.update(tx);
        }
        let app_hash = h.finalize().to_vec();
        self.pending = Some((height, app_hash.clone()));
        Ok(FinalizeResult {
            app_hash: AppHash::try_from(app_hash).unwrap(),
            tx_outcomes: block
                .data
                .iter()
                .map(|tx| TxOutcome {
                    code: 0,
                    data: tx.clone(),
                    gas_wanted: 1,
                    gas_used: 1,
                })
                .collect(),
        })
    }

    fn commit(&mut self) -> Result<(), TestAppError> {
        if let Some((height, app_hash)) = self.pending.take() {
            self.height = height;
            self.app_hash = app_hash.clone();
            self.journal
                .lock()
                .unwrap()
                .committed
                .push((height, app_hash));
        }
        Ok(())
    }

    fn last_committed(&self) -> (u64, AppHash) {
        (
            self.height,
            AppHash::try_from(self.app_hash.clone()).unwrap(),
        )
    }

    fn extend_vote(&mut self, block: &Block) -> Vec<u8> {
        format!("ext {}", block.header.height).into_bytes()
    }

    fn verify_vote_extension(&self, _height: u64, extension: &[u8]) -> Result<(), TestAppError> {
        if extension.len() > 64 {
            return Err(TestAppError::ExtensionTooLong);
        }
        Ok(())
    }
}
