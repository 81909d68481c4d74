//! `wicasd testnet`: N ready-made validator homes sharing one genesis, on distinct 127.0.0.1
//! ports, each peered with all the others.
//!
//! ```text
//! OUTPUT/node0 … OUTPUT/node{N-1}   one home each (see `Home`), moniker `nodeI`
//!   p2p  /ip4/127.0.0.1/tcp/{base_port + 10·I}
//!   rpc  127.0.0.1:{base_port + 10·I + 1}
//! ```
//! Every validator has voting power 10 and a funded account `validator` in its own keyring;
//! `accounts` more funded accounts (`user0`, `user1`, …) go into node0's keyring, for clients and
//! benchmarks. node0's `validator` account is the `ai` module authority.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, ensure};
use wicas_app::{Coin, Genesis, NATIVE_DENOM};
use wicas_consensus::PrivateKey;

use crate::home::{
    GENESIS_ACCOUNT, GENESIS_BALANCE, GenesisFile, GenesisValidator, Home, KeyFile, NodeFile,
    new_account_key, random32,
};

/// Most validators `testnet` writes (ports and all-to-all peering grow with N).
pub const MAX_TESTNET_VALIDATORS: usize = 32;
/// Most extra accounts.
pub const MAX_TESTNET_ACCOUNTS: usize = 10_000;

/// What `wicasd testnet` writes.
#[derive(Debug, Clone)]
pub struct TestnetPlan {
    /// Number of validators (1..=[`MAX_TESTNET_VALIDATORS`]).
    pub validators: usize,
    /// Extra funded accounts in node0's keyring.
    pub accounts: usize,
    /// The chain id.
    pub chain_id: String,
    /// Directory that receives `node0` … (must not hold them yet).
    pub output: PathBuf,
    /// First port: node I uses `base_port + 10·I` (p2p) and `+1` (RPC).
    pub base_port: u16,
    /// Genesis time, seconds since the Unix epoch.
    pub genesis_time_unix: i64,
}

/// One written home.
#[derive(Debug, Clone)]
pub struct TestnetNode {
    /// The home directory.
    pub home: PathBuf,
    /// Its p2p multiaddr.
    pub p2p: String,
    /// Its RPC `HOST:PORT`.
    pub rpc: String,
}

impl TestnetPlan {
    /// Check the plan before anything is written.
    pub fn validate(&self) -> Result<()> {
        ensure!(
            (1..=MAX_TESTNET_VALIDATORS).contains(&self.validators),
            "--validators {}: between 1 and {MAX_TESTNET_VALIDATORS}",
            self.validators
        );
        ensure!(
            self.accounts <= MAX_TESTNET_ACCOUNTS,
            "--accounts {}: at most {MAX_TESTNET_ACCOUNTS}",
            self.accounts
        );
        let last = u32::from(self.base_port) + 10 * (self.validators as u32 - 1) + 1;
        ensure!(
            self.base_port >= 1024 && last <= u32::from(u16::MAX),
            "--base-port {}: the ports {}..={last} must lie in 1024..=65535",
            self.base_port,
            self.base_port
        );
        for i in 0..self.validators {
            let dir = node_dir(&self.output, i);
            ensure!(
                !dir.exists(),
                "{} exists: choose an empty --output",
                dir.display()
            );
        }
        Ok(())
    }

    fn p2p(&self, i: usize) -> String {
        format!("/ip4/127.0.0.1/tcp/{}", self.port(i))
    }

    fn port(&self, i: usize) -> u32 {
        u32::from(self.base_port) + 10 * i as u32
    }
}

fn node_dir(output: &Path, i: usize) -> PathBuf {
    output.join(format!("node{i}"))
}

fn fund(genesis: &mut Genesis, key: &KeyFile) {
    genesis.bank.balances.push(wicas_app::bank::GenesisBalance {
        address: key.address.clone(),
        coins: vec![Coin::new(GENESIS_BALANCE, NATIVE_DENOM)],
    });
}

/// Write the homes of `plan` (all checks happen before the first write).
pub fn write_testnet(plan: &TestnetPlan) -> Result<Vec<TestnetNode>> {
    plan.validate()?;
    let keys = (0..plan.validators)
        .map(|_| Ok(PrivateKey::from_seed(random32()?)))
        .collect::<Result<Vec<_>>>()?;
    let operators = (0..plan.validators)
        .map(|_| new_account_key(GENESIS_ACCOUNT))
        .collect::<Result<Vec<_>>>()?;
    let users = (0..plan.accounts)
        .map(|j| new_account_key(&format!("user{j}")))
        .collect::<Result<Vec<_>>>()?;
    let mut app_state = Genesis {
        chain_id: plan.chain_id.clone(),
        ..Genesis::default()
    };
    app_state.ai.params.authority = operators[0].address.clone();
    for key in operators.iter().chain(&users) {
        fund(&mut app_state, key);
    }
    let genesis = GenesisFile {
        genesis_time_unix: plan.genesis_time_unix,
        block_max_bytes: 4 << 20,
        block_max_gas: -1,
        validators: keys
            .iter()
            .map(|k| GenesisValidator {
                pub_key: hex::encode(k.public_key().to_bytes()),
                power: 10,
            })
            .collect(),
        app_state,
    };
    genesis.chain_params()?.validate()?;
    genesis.validator_set()?;
    genesis
        .app_state
        .apply(&mut wicas_store::MemState::new())
        .context("app genesis")?;

    let mut out = Vec::with_capacity(plan.validators);
    for (i, key) in keys.iter().enumerate() {
        let home = Home::new(node_dir(&plan.output, i));
        let node = NodeFile {
            moniker: format!("node{i}"),
            listen_addr: plan.p2p(i),
            persistent_peers: (0..plan.validators)
                .filter(|j| *j != i)
                .map(|j| plan.p2p(j))
                .collect(),
            rpc_laddr: format!("127.0.0.1:{}", plan.port(i) + 1),
        };
        let mut account_keys = vec![operators[i].clone()];
        if i == 0 {
            account_keys.extend(users.iter().cloned());
        }
        home.write_parts(&genesis, key, &node, &account_keys)?;
        out.push(TestnetNode {
            home: home.root().to_owned(),
            p2p: node.listen_addr,
            rpc: node.rpc_laddr,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(dir: &Path, validators: usize) -> TestnetPlan {
        TestnetPlan {
            validators,
            accounts: 2,
            chain_id: "wicas-net-1".into(),
            output: dir.to_owned(),
            base_port: 36656,
            genesis_time_unix: 1_764_000_000,
        }
    }

    #[test]
    fn four_homes_share_one_genesis_with_every_validator_and_distinct_ports() {
        let dir = tempfile::tempdir().unwrap();
        let nodes = write_testnet(&plan(dir.path(), 4)).unwrap();
        assert_eq!(nodes.len(), 4);
        let homes: Vec<Home> = nodes.iter().map(|n| Home::new(&n.home)).collect();
        let g0 = homes[0].genesis().unwrap();
        assert_eq!(g0.validator_set().unwrap().len(), 4);
        // 4 operators + 2 users funded.
        assert_eq!(g0.app_state.bank.balances.len(), 6);
        let mut ports = std::collections::BTreeSet::new();
        for (i, home) in homes.iter().enumerate() {
            let g = home.genesis().unwrap();
            assert_eq!(
                serde_json::to_value(&g).unwrap(),
                serde_json::to_value(&g0).unwrap()
            );
            let pk = hex::encode(home.validator_key().unwrap().public_key().to_bytes());
            assert_eq!(
                g.validators[i].pub_key, pk,
                "node{i} holds validator {i}'s key"
            );
            let f = home.node_file().unwrap();
            assert_eq!(f.persistent_peers.len(), 3);
            assert!(!f.persistent_peers.contains(&f.listen_addr));
            assert!(ports.insert(f.listen_addr.clone()));
            assert!(ports.insert(f.rpc_laddr.clone()));
            home.key(GENESIS_ACCOUNT).unwrap();
        }
        homes[0].key("user1").unwrap();
        assert!(
            homes[1].key("user1").is_err(),
            "users live in node0's keyring"
        );
    }

    #[test]
    fn bad_plans_are_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [
            TestnetPlan {
                validators: 0,
                ..plan(dir.path(), 1)
            },
            TestnetPlan {
                validators: 33,
                ..plan(dir.path(), 1)
            },
            TestnetPlan {
                base_port: 65530,
                ..plan(dir.path(), 4)
            },
            TestnetPlan {
                base_port: 80,
                ..plan(dir.path(), 4)
            },
            TestnetPlan {
                chain_id: "bad chain!".into(),
                ..plan(dir.path(), 2)
            },
        ] {
            assert!(write_testnet(&bad).is_err(), "{bad:?}");
            assert!(!dir.path().join("node0").exists(), "{bad:?} wrote a home");
        }
        write_testnet(&plan(dir.path(), 2)).unwrap();
        let err = write_testnet(&plan(dir.path(), 2)).unwrap_err();
        assert!(err.to_string().contains("exists"), "{err}");
    }
}
