//! Gas accounting is sane: deterministic, monotone in work, bounded by the limit, and a bad
//! contract address or a call below the instance cost is refused before any work.

use anyhow::Result;
use cosmwasm_std::coin;
use serde_json::json;
use wicas_types::gas::{VM_GAS_PER_SDK_GAS, sdk_to_vm};
use wicas_vm::{CallContext, CallError, GasCosts, StateAccess};

use crate::support::{Host, addr, artifact, env_for, info};

#[test]
fn the_same_call_costs_the_same_gas_and_more_work_costs_more() -> Result<()> {
    let mut gas = Vec::new();
    for _ in 0..2 {
        let host = Host::new()?;
        let code = host.vm.store_code(&artifact("nameservice_ai")?)?;
        let contract = addr(0xc1, 32);
        let model = format!("sha256:{}", "11".repeat(32));
        let init = json!({"purchase_price": null, "transfer_price": null, "model": model, "max_tokens": 8});
        let init_gas = host.instantiate(&code, &contract, &addr(1, 20), &init).gas;
        let register = host.execute(
            &code,
            &contract,
            &addr(2, 20),
            &[coin(1, "uwicas")],
            &json!({"register": {"name": "bob"}}),
        );
        register
            .result
            .as_ref()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let describe = host.execute(
            &code,
            &contract,
            &addr(2, 20),
            &[],
            &json!({"describe": {"name": "bob"}}),
        );
        describe
            .result
            .as_ref()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        gas.push((init_gas.used, register.gas.used, describe.gas.used));
    }
    assert_eq!(gas[0], gas[1], "gas is deterministic");
    let (init, register, describe) = gas[0];
    let instance = sdk_to_vm(GasCosts::default().instance);
    assert!(init > instance && register > instance);
    // describe pays the test querier's 5000 SDK gas for the inference on top of its own work.
    assert!(
        describe > register + sdk_to_vm(5_000),
        "describe {describe} vs register {register}"
    );
    // A register writes one key: it costs at least the SDK write cost.
    assert!(register - instance >= 2_000 * VM_GAS_PER_SDK_GAS);
    Ok(())
}

#[test]
fn a_call_below_the_instance_cost_is_out_of_gas_before_running() -> Result<()> {
    let host = Host::new()?;
    let code = host.vm.store_code(&artifact("ai_oracle")?)?;
    let contract = addr(0x0a, 32);
    let ctx = host.ctx(&contract, GasCosts::default().instance - 1);
    let limit = ctx.gas_limit;
    let outcome = host
        .vm
        .instantiate(&code, ctx, &info(&addr(1, 20), &[]), b"{}");
    assert_eq!(outcome.result, Err(CallError::OutOfGas { limit }));
    assert!(host.state.borrow().is_empty(), "nothing written");
    Ok(())
}

#[test]
fn an_invalid_contract_address_is_refused() -> Result<()> {
    let host = Host::new()?;
    let code = host.vm.store_code(&artifact("ai_oracle")?)?;
    let ctx = CallContext {
        env: env_for(&cosmwasm_std::Addr::unchecked("cosmos1notours"), 1),
        gas_limit: sdk_to_vm(1_000_000),
        state: StateAccess::ReadWrite(host.state.clone()),
        querier: host.querier.clone(),
    };
    let outcome = host
        .vm
        .instantiate(&code, ctx, &info(&addr(1, 20), &[]), b"{}");
    assert!(
        matches!(
            outcome.result,
            Err(CallError::InvalidContractAddress { .. })
        ),
        "{:?}",
        outcome.result
    );
    Ok(())
}

#[test]
fn two_contracts_never_see_each_others_keys() -> Result<()> {
    let host = Host::new()?;
    let code = host.vm.store_code(&artifact("ai_oracle")?)?;
    let model = format!("sha256:{}", "22".repeat(32));
    let (first, second) = (addr(0x01, 32), addr(0x02, 32));
    for (contract, max_tokens) in [(&first, 5), (&second, 9)] {
        host.instantiate(
            &code,
            contract,
            &addr(1, 20),
            &json!({"model": model, "max_tokens": max_tokens}),
        )
        .result?;
    }
    assert_eq!(
        host.query(&code, &first, &json!({"config": {}}))?["max_tokens"],
        json!(5)
    );
    assert_eq!(
        host.query(&code, &second, &json!({"config": {}}))?["max_tokens"],
        json!(9)
    );
    Ok(())
}
