//! cw20-base 2.0.0 from crates.io, unchanged, through the host.

use anyhow::Result;
use serde_json::json;
use wicas_vm::CallError;

use crate::support::{Host, addr, artifact};

#[test]
fn cw20_base_runs_unchanged() -> Result<()> {
    let host = Host::new()?;
    let code = host.vm.store_code(&artifact("cw20_base")?)?;
    let token = addr(0x20, 32);
    let (alice, bob, carol) = (addr(0xa1, 20), addr(0xb0, 20), addr(0xc0, 20));
    let init = json!({
        "name": "Wicas Token", "symbol": "WCT", "decimals": 6,
        "initial_balances": [{"address": alice.as_str(), "amount": "1000"}],
        "mint": null, "marketing": null
    });
    host.instantiate(&code, &token, &alice, &init).result?;

    let balance = |who: &cosmwasm_std::Addr| -> Result<String> {
        let answer = host.query(
            &code,
            &token,
            &json!({"balance": {"address": who.as_str()}}),
        )?;
        Ok(answer["balance"].as_str().unwrap_or_default().to_owned())
    };

    host.execute(
        &code,
        &token,
        &alice,
        &[],
        &json!({"transfer": {"recipient": bob.as_str(), "amount": "300"}}),
    )
    .result?;
    assert_eq!(balance(&alice)?, "700");
    assert_eq!(balance(&bob)?, "300");

    let overdraft = host.execute(
        &code,
        &token,
        &bob,
        &[],
        &json!({"transfer": {"recipient": carol.as_str(), "amount": "301"}}),
    );
    match overdraft.result {
        Err(CallError::Contract { message }) => assert!(
            message.to_lowercase().contains("overflow") || message.contains("Sub"),
            "{message}"
        ),
        other => panic!("overdraft must be a contract error, got {other:?}"),
    }
    assert_eq!(
        balance(&bob)?,
        "300",
        "a rejected overdraft changes nothing"
    );
    assert_eq!(balance(&carol)?, "0");

    let bad_recipient = host.execute(
        &code,
        &token,
        &alice,
        &[],
        &json!({"transfer": {"recipient": "not-an-address", "amount": "1"}}),
    );
    assert!(
        matches!(bad_recipient.result, Err(CallError::Contract { .. })),
        "{:?}",
        bad_recipient.result
    );

    let accounts = host.query(&code, &token, &json!({"all_accounts": {}}))?;
    let mut expected = vec![alice.to_string(), bob.to_string()];
    expected.sort();
    assert_eq!(accounts, json!({"accounts": expected}));

    let info = host.query(&code, &token, &json!({"token_info": {}}))?;
    assert_eq!(info["total_supply"], json!("1000"));
    Ok(())
}
