//! ai-oracle: ask, stored answer + digest, query by id and by page.

use anyhow::Result;
use serde_json::json;
use wicas_vm::CallError;

use crate::support::{Host, RecordingQuerier, addr, artifact, attr};

#[test]
fn questions_get_ids_and_answers_are_stored_with_their_digest() -> Result<()> {
    let host = Host::new()?;
    let code = host.vm.store_code(&artifact("ai_oracle")?)?;
    let contract = addr(0x0a, 32);
    let model = format!("sha256:{}", "ab".repeat(32));
    host.instantiate(
        &code,
        &contract,
        &addr(1, 20),
        &json!({"model": model, "max_tokens": 16}),
    )
    .result?;

    let asker = addr(0xa1, 20);
    for (i, question) in ["What is wicas?", "Why deterministic?"].iter().enumerate() {
        let response = host
            .execute(
                &code,
                &contract,
                &asker,
                &[],
                &json!({"ask": {"question": question}}),
            )
            .result?;
        assert_eq!(attr(&response, "id"), Some((i + 1).to_string()));
    }
    let first = host.querier.requests.borrow()[0].clone();
    assert_eq!(first.prompt.as_deref(), Some("What is wicas?"));
    let expected = RecordingQuerier::answer_for(&first);

    let one = host.query(&code, &contract, &json!({"answer": {"id": 1}}))?;
    assert_eq!(one["answer"]["answer"], json!(expected.text));
    assert_eq!(one["answer"]["digest"], json!(expected.digest));
    assert_eq!(one["answer"]["asker"], json!(asker.as_str()));

    // Pagination walks the contract's storage with a host iterator.
    let page = host.query(&code, &contract, &json!({"answers": {"start_after": 1}}))?;
    let ids: Vec<u64> = page["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, vec![2]);
    assert_eq!(
        host.query(&code, &contract, &json!({"answer": {"id": 9}}))?,
        json!({"answer": null})
    );

    let empty = host.execute(
        &code,
        &contract,
        &asker,
        &[],
        &json!({"ask": {"question": ""}}),
    );
    assert!(matches!(empty.result, Err(CallError::Contract { .. })));
    Ok(())
}

#[test]
fn an_inference_the_chain_refuses_fails_the_execute_with_its_reason() -> Result<()> {
    let mut host = Host::new()?;
    // Inference costs more than any call may use: the chain querier refuses it up front.
    host.querier = RecordingQuerier::new(u64::MAX);
    let code = host.vm.store_code(&artifact("ai_oracle")?)?;
    let contract = addr(0x0b, 32);
    let model = format!("sha256:{}", "cd".repeat(32));
    host.instantiate(
        &code,
        &contract,
        &addr(1, 20),
        &json!({"model": model, "max_tokens": 16}),
    )
    .result?;
    let refused = host.execute(
        &code,
        &contract,
        &addr(2, 20),
        &[],
        &json!({"ask": {"question": "hi"}}),
    );
    match refused.result {
        Err(CallError::Contract { message }) => assert!(message.contains("more gas"), "{message}"),
        other => panic!("expected a contract error, got {other:?}"),
    }
    assert!(host.querier.requests.borrow().is_empty());
    Ok(())
}
