//! nameservice-ai through the real host: register (paid), transfer, resolve, describe via the
//! `wicas` custom query.

use anyhow::Result;
use cosmwasm_std::coin;
use serde_json::json;
use wicas_vm::CallError;

use crate::support::{Host, RecordingQuerier, addr, artifact, attr};

const MODEL: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

fn setup() -> Result<(Host, cosmwasm_std::Checksum, cosmwasm_std::Addr)> {
    let host = Host::new()?;
    let code = host.vm.store_code(&artifact("nameservice_ai")?)?;
    let contract = addr(0xc1, 32);
    let admin = addr(1, 20);
    let init = json!({
        "purchase_price": {"denom": "uwicas", "amount": "100"},
        "transfer_price": {"denom": "uwicas", "amount": "10"},
        "model": MODEL,
        "max_tokens": 24
    });
    host.instantiate(&code, &contract, &admin, &init).result?;
    Ok((host, code, contract))
}

#[test]
fn a_name_is_registered_paid_for_and_resolved() -> Result<()> {
    let (host, code, contract) = setup()?;
    let alice = addr(0xa1, 20);
    let unpaid = host.execute(
        &code,
        &contract,
        &alice,
        &[coin(99, "uwicas")],
        &json!({"register": {"name": "alice"}}),
    );
    assert!(
        matches!(unpaid.result, Err(CallError::Contract { ref message }) if message.contains("insufficient funds")),
        "{:?}",
        unpaid.result
    );

    let paid = host.execute(
        &code,
        &contract,
        &alice,
        &[coin(100, "uwicas")],
        &json!({"register": {"name": "alice"}}),
    );
    let response = paid.result?;
    assert_eq!(attr(&response, "owner").as_deref(), Some(alice.as_str()));

    let resolved = host.query(
        &code,
        &contract,
        &json!({"resolve_record": {"name": "alice"}}),
    )?;
    assert_eq!(resolved, json!({"address": alice.as_str()}));
    let missing = host.query(
        &code,
        &contract,
        &json!({"resolve_record": {"name": "nobody"}}),
    )?;
    assert_eq!(missing, json!({"address": null}));

    let bob = addr(0xb0, 20);
    let taken = host.execute(
        &code,
        &contract,
        &bob,
        &[coin(100, "uwicas")],
        &json!({"register": {"name": "alice"}}),
    );
    assert!(
        matches!(taken.result, Err(CallError::Contract { ref message }) if message.contains("already taken"))
    );
    let bad_name = host.execute(
        &code,
        &contract,
        &bob,
        &[coin(100, "uwicas")],
        &json!({"register": {"name": "Al!ce"}}),
    );
    assert!(
        matches!(bad_name.result, Err(CallError::Contract { ref message }) if message.contains("invalid name"))
    );
    Ok(())
}

#[test]
fn only_the_owner_transfers_and_to_must_be_a_wicas_address() -> Result<()> {
    let (host, code, contract) = setup()?;
    let (alice, bob) = (addr(0xa1, 20), addr(0xb0, 20));
    host.execute(
        &code,
        &contract,
        &alice,
        &[coin(100, "uwicas")],
        &json!({"register": {"name": "alice"}}),
    )
    .result?;

    let fee = [coin(10, "uwicas")];
    let stolen = host.execute(
        &code,
        &contract,
        &bob,
        &fee,
        &json!({"transfer": {"name": "alice", "to": bob.as_str()}}),
    );
    assert!(
        matches!(stolen.result, Err(CallError::Contract { ref message }) if message.contains("only the owner"))
    );
    let foreign = "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";
    let bad_to = host.execute(
        &code,
        &contract,
        &alice,
        &fee,
        &json!({"transfer": {"name": "alice", "to": foreign}}),
    );
    assert!(
        matches!(bad_to.result, Err(CallError::Contract { ref message }) if message.contains("prefix")),
        "{:?}",
        bad_to.result
    );

    host.execute(
        &code,
        &contract,
        &alice,
        &fee,
        &json!({"transfer": {"name": "alice", "to": bob.as_str()}}),
    )
    .result?;
    let resolved = host.query(
        &code,
        &contract,
        &json!({"resolve_record": {"name": "alice"}}),
    )?;
    assert_eq!(resolved, json!({"address": bob.as_str()}));
    Ok(())
}

#[test]
fn describe_sends_the_record_as_a_prompt_through_the_wicas_query_and_stores_the_answer()
-> Result<()> {
    let (mut host, code, contract) = setup()?;
    let alice = addr(0xa1, 20);
    host.execute(
        &code,
        &contract,
        &alice,
        &[coin(100, "uwicas")],
        &json!({"register": {"name": "alice"}}),
    )
    .result?;
    host.height = 101;

    let described = host
        .execute(
            &code,
            &contract,
            &alice,
            &[],
            &json!({"describe": {"name": "alice"}}),
        )
        .result?;
    let requests = host.querier.requests.borrow().clone();
    assert_eq!(
        requests.len(),
        1,
        "exactly one inference reached the chain querier"
    );
    let request = &requests[0];
    assert_eq!(request.model.as_str(), MODEL);
    assert_eq!(request.max_tokens, 24);
    let user = &request.messages.as_ref().expect("chat request")[1].content;
    assert!(
        user.contains("\"alice\"") && user.contains(alice.as_str()),
        "prompt built from the record: {user}"
    );

    let expected = RecordingQuerier::answer_for(request);
    assert_eq!(attr(&described, "digest"), Some(expected.digest.clone()));
    let stored = host.query(&code, &contract, &json!({"description": {"name": "alice"}}))?;
    assert_eq!(stored["description"]["text"], json!(expected.text));
    assert_eq!(stored["description"]["digest"], json!(expected.digest));
    assert_eq!(stored["description"]["height"], json!(101));

    let unknown = host.execute(
        &code,
        &contract,
        &alice,
        &[],
        &json!({"describe": {"name": "ghost"}}),
    );
    assert!(
        matches!(unknown.result, Err(CallError::Contract { ref message }) if message.contains("not registered"))
    );
    assert_eq!(
        host.querier.requests.borrow().len(),
        1,
        "no inference for an unknown name"
    );
    Ok(())
}
