//! The host over the real persistent store (`wicas_store::Storage` + `SharedDelta`): writes land
//! in the block's delta, a dropped fork rolls a failed call back, and a committed state survives
//! reopening the database.

use anyhow::{Result, anyhow};
use serde_json::json;
use wicas_store::{SharedDelta, Storage};
use wicas_types::gas::sdk_to_vm;
use wicas_vm::{CallContext, CallError, StateAccess, VmConfig, WasmVm};

use crate::support::{CALL_GAS_SDK, RecordingQuerier, addr, artifact, env_for, info};

fn ctx(contract: &cosmwasm_std::Addr, state: StateAccess) -> CallContext {
    CallContext {
        env: env_for(contract, 1),
        gas_limit: sdk_to_vm(CALL_GAS_SDK),
        state,
        querier: RecordingQuerier::new(0),
    }
}

#[test]
fn cw20_state_survives_commit_and_reopen_and_a_failed_call_is_rolled_back_by_its_fork() -> Result<()>
{
    let dir = tempfile::tempdir()?;
    let vm = WasmVm::new(VmConfig::new(dir.path().join("wasm")))?;
    let code = vm.store_code(&artifact("cw20_base")?)?;
    let (token, alice, bob) = (addr(0x20, 32), addr(0xa1, 20), addr(0xb0, 20));
    let db = dir.path().join("state.redb");

    let store = Storage::open(&db)?;
    let block = SharedDelta::new(store.new_delta()?);
    let init = json!({"name": "Wicas Token", "symbol": "WCT", "decimals": 6,
        "initial_balances": [{"address": alice.as_str(), "amount": "50"}]});
    let msg = serde_json::to_vec(&init)?;
    vm.instantiate(
        &code,
        ctx(&token, StateAccess::read_write(block.clone())),
        &info(&alice, &[]),
        &msg,
    )
    .result?;

    // A transfer that fails runs on a fork of the block; dropping the fork discards it.
    let fork = block.fork();
    let overdraft =
        serde_json::to_vec(&json!({"transfer": {"recipient": bob.as_str(), "amount": "51"}}))?;
    let failed = vm.execute(
        &code,
        ctx(&token, StateAccess::read_write(fork.clone())),
        &info(&alice, &[]),
        &overdraft,
    );
    assert!(
        matches!(failed.result, Err(CallError::Contract { .. })),
        "{:?}",
        failed.result
    );
    drop(fork);

    // A transfer that succeeds on a fork is applied to the block.
    let fork = block.fork();
    let transfer =
        serde_json::to_vec(&json!({"transfer": {"recipient": bob.as_str(), "amount": "20"}}))?;
    vm.execute(
        &code,
        ctx(&token, StateAccess::read_write(fork.clone())),
        &info(&alice, &[]),
        &transfer,
    )
    .result?;
    block.apply(fork)?;

    let root = store.commit(block.into_inner().map_err(|e| anyhow!("{e}"))?)?;
    drop(store);

    let reopened = Storage::open(&db)?;
    assert_eq!(reopened.root_hash(), root);
    let snapshot = reopened.latest_snapshot()?;
    let balance = |who: &cosmwasm_std::Addr| -> Result<serde_json::Value> {
        let query = serde_json::to_vec(&json!({"balance": {"address": who.as_str()}}))?;
        let outcome = vm.query(
            &code,
            ctx(&token, StateAccess::read_only(snapshot.clone())),
            &query,
        );
        let bytes = outcome.result.map_err(|e| anyhow!("{e}"))?;
        Ok(serde_json::from_slice::<serde_json::Value>(&bytes)?["balance"].clone())
    };
    assert_eq!(balance(&alice)?, json!("30"));
    assert_eq!(balance(&bob)?, json!("20"));
    Ok(())
}
