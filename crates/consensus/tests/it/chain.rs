//! A small in-test chain: 4 ed25519 validators building CometBFT blocks with our functions.

use sha2::{Digest, Sha256};
use tendermint::Time;
use tendermint::block::Commit;
use tendermint::hash::AppHash;
use wicas_consensus::{
    BlockContents, BlockRef, ChainParams, ChainTip, PrivateKey, SealedBlock, TxOutcome, Validator,
    ValidatorSet, VoteKind, build_block, commit_from_signatures, results_hash, vote_sign_bytes,
};

pub struct TestChain {
    pub params: ChainParams,
    pub keys: Vec<PrivateKey>,
    pub validators: ValidatorSet,
    pub tip: ChainTip,
    /// Sealed blocks by height - 1, with the commit that decided each (all 4 signers).
    pub blocks: Vec<(SealedBlock, Commit)>,
}

pub fn genesis_time() -> Time {
    Time::from_unix_timestamp(1_764_000_000, 0).unwrap()
}

impl TestChain {
    pub fn new() -> Self {
        let keys: Vec<PrivateKey> = (1..=4u8).map(|i| PrivateKey::from_seed([i; 32])).collect();
        let validators =
            ValidatorSet::new(keys.iter().map(|k| Validator::new(k.public_key(), 10))).unwrap();
        let params = ChainParams {
            chain_id: "wicas-test-1".parse().unwrap(),
            block_max_bytes: 4 << 20,
            block_max_gas: -1,
            app_version: 1,
        };
        let tip = ChainTip {
            height: 0,
            block_id: None,
            time: genesis_time(),
            app_hash: AppHash::try_from(vec![0u8; 32]).unwrap(),
            last_results_hash: results_hash(&[]),
            last_validators: None,
        };
        Self {
            params,
            keys,
            validators,
            tip,
            blocks: Vec::new(),
        }
    }

    /// Key of the validator at CometBFT index `index`.
    pub fn key_at(&self, index: usize) -> &PrivateKey {
        let address = self.validators.get(index).unwrap().address();
        self.keys
            .iter()
            .find(|k| wicas_consensus::Address::from_public_key(&k.public_key()) == *address)
            .unwrap()
    }

    /// The precommit signatures of the validators at `indices` for `block` at `height`.
    pub fn commit(&self, height: u64, block: &BlockRef, indices: &[usize]) -> Commit {
        let sigs = indices.iter().map(|&i| {
            let key = self.key_at(i);
            let address = *self.validators.get(i).unwrap().address();
            let bytes = vote_sign_bytes(
                &self.params.chain_id,
                VoteKind::Precommit,
                height,
                0,
                Some(block),
                &address,
            )
            .unwrap();
            (address, key.sign(&bytes))
        });
        commit_from_signatures(height, 0, block, &self.validators, sigs).unwrap()
    }

    /// Builds, "executes" (a hash chain standing in for the app) and commits the next block.
    pub fn extend(&mut self, txs: Vec<Vec<u8>>) -> SealedBlock {
        let height = self.tip.height + 1;
        let proposer = *self
            .validators
            .get((height as usize) % self.validators.len())
            .unwrap()
            .address();
        let block = build_block(
            &self.params,
            &self.tip,
            &self.validators,
            &self.validators,
            BlockContents {
                time: genesis_time()
                    .checked_add(core::time::Duration::from_secs(height))
                    .unwrap(),
                proposer,
                txs: txs.clone(),
                last_commit: self.blocks.last().map(|(_, c)| c.clone()),
            },
        )
        .unwrap();
        let sealed = SealedBlock::seal(block).unwrap();
        let commit = self.commit(height, &sealed.block_ref, &[0, 1, 2, 3]);

        let mut h = Sha256::new();
        h.update(self.tip.app_hash.as_bytes());
        for tx in &txs {
            h.update(tx);
        }
        let outcomes: Vec<TxOutcome> = txs
            .iter()
            .map(|tx| TxOutcome {
                code: 0,
                data: tx.clone(),
                gas_wanted: 100,
                gas_used: 50,
            })
            .collect();
        self.tip = ChainTip {
            height,
            block_id: Some(sealed.block_ref.block_id),
            time: sealed.block.header.time,
            app_hash: AppHash::try_from(h.finalize().to_vec()).unwrap(),
            last_results_hash: results_hash(&outcomes),
            last_validators: Some(self.validators.clone()),
        };
        self.blocks.push((sealed.clone(), commit));
        sealed
    }
}
