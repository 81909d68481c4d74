//! Bad transactions the ante handler refuses: each with its SDK code, and none changes the state
//! (the app hash after the block equals the one before).

use cosmos_sdk_proto::cosmos::tx::v1beta1::TxRaw;
use prost::Message;

use crate::node::{TestKey, TestNode, TxOpts, genesis_with, msg_send};

fn setup() -> (TestNode, TestKey, TestKey) {
    let alice = TestKey::new("alice");
    let bob = TestKey::new("bob");
    let node = TestNode::new(&genesis_with(&[&alice, &bob], 10_000_000));
    (node, alice, bob)
}

/// Run `tx` in a block and assert it failed with `code` and left the state as it was.
fn assert_refused(node: &mut TestNode, tx: Vec<u8>, code: u32, log_part: &str) {
    let before = node.app_hash();
    let r = node.exec(tx);
    assert_eq!(r.code, code, "log: {}", r.log);
    assert_eq!(r.codespace, "sdk");
    assert!(
        r.log.contains(log_part),
        "log {:?} lacks {:?}",
        r.log,
        log_part
    );
    assert_eq!(node.app_hash(), before, "a refused tx changed the state");
}

#[test]
fn replayed_tx_is_rejected() {
    let (mut node, alice, bob) = setup();
    let tx = node.sign(
        &alice,
        vec![msg_send(&alice, &bob.address, 5)],
        &TxOpts::default(),
    );
    assert!(node.exec(tx.clone()).is_ok());
    assert_refused(
        &mut node,
        tx.clone(),
        32,
        "account sequence mismatch, expected 1, got 0",
    );
    // Also within one block: the second copy sees the first's sequence bump.
    let tx2 = node.sign(
        &alice,
        vec![msg_send(&alice, &bob.address, 5)],
        &TxOpts::default(),
    );
    let (r, _) = node.block(&[tx2.clone(), tx2]);
    assert!(r[0].is_ok());
    assert_eq!(r[1].code, 32);
    assert_eq!(node.balance(&bob.address, "uwicas"), 10_000_010);
}

#[test]
fn wrong_chain_id_is_rejected() {
    let (mut node, alice, bob) = setup();
    let opts = TxOpts {
        chain_id: "other-chain".into(),
        ..TxOpts::default()
    };
    let tx = node.sign(&alice, vec![msg_send(&alice, &bob.address, 5)], &opts);
    assert_refused(&mut node, tx, 4, "chain-id (wicas-test-1)");
}

#[test]
fn wrong_signature_is_rejected() {
    let (mut node, alice, bob) = setup();
    // Signed by bob's key but claiming alice's account: the key does not match the signer.
    let opts = TxOpts::default();
    let acc = node.account(&alice.address).unwrap();
    let mut tx = TxRaw::decode(
        node.sign(&alice, vec![msg_send(&alice, &bob.address, 5)], &opts)
            .as_slice(),
    )
    .unwrap();
    // A flipped bit in the signature.
    tx.signatures[0][10] ^= 1;
    assert_refused(
        &mut node,
        tx.encode_to_vec(),
        4,
        "signature verification failed",
    );
    // A valid signature over another account number.
    let wrong_number = TxOpts {
        account_number: Some(acc.account_number + 7),
        ..TxOpts::default()
    };
    let tx = node.sign(
        &alice,
        vec![msg_send(&alice, &bob.address, 5)],
        &wrong_number,
    );
    assert_refused(&mut node, tx, 4, "signature verification failed");
    // Bob signs a message that moves alice's funds: the pubkey is not alice's.
    let forged = crate::node::sign_tx(
        &bob,
        vec![msg_send(&alice, &bob.address, 5)],
        &opts,
        acc.account_number,
        0,
    );
    assert_refused(&mut node, forged, 8, "does not match signer address");
    // A signature of the wrong length.
    let mut short = TxRaw::decode(
        node.sign(&alice, vec![msg_send(&alice, &bob.address, 5)], &opts)
            .as_slice(),
    )
    .unwrap();
    short.signatures[0].truncate(63);
    assert_refused(
        &mut node,
        short.encode_to_vec(),
        4,
        "signature verification failed",
    );
}

#[test]
fn malformed_protobuf_is_rejected() {
    let (mut node, alice, bob) = setup();
    // Not protobuf at all: field 15 with wire type 7 does not exist.
    assert_refused(&mut node, vec![0xff, 0xff, 0xff, 0xff], 2, "tx parse error");
    // A TxRaw whose body is garbage.
    let bad_body = TxRaw {
        body_bytes: vec![0x0a, 0xff, 0x01],
        auth_info_bytes: vec![],
        signatures: vec![],
    };
    assert_refused(&mut node, bad_body.encode_to_vec(), 2, "TxBody");
    // A truncated valid transaction.
    let tx = node.sign(
        &alice,
        vec![msg_send(&alice, &bob.address, 5)],
        &TxOpts::default(),
    );
    assert_refused(&mut node, tx[..tx.len() - 3].to_vec(), 2, "tx parse error");
    // An unknown message type.
    let any = cosmos_sdk_proto::Any {
        type_url: "/cosmos.gov.v1.MsgVote".into(),
        value: vec![],
    };
    let tx = node.sign(&alice, vec![any], &TxOpts::default());
    assert_refused(
        &mut node,
        tx,
        2,
        "unable to resolve type URL /cosmos.gov.v1.MsgVote",
    );
    // No messages.
    let tx = node.sign(&alice, vec![], &TxOpts::default());
    assert_refused(&mut node, tx, 18, "must contain at least one message");
    // Empty input decodes as an empty TxRaw: no messages.
    assert_refused(&mut node, vec![], 18, "at least one message");
    // check_tx refuses the same bytes without touching the check state.
    let r = node.app.check_tx(&[0xff, 0xff]).unwrap();
    assert_eq!(r.code, 2);
}

#[test]
fn oversized_tx_is_rejected() {
    let (mut node, alice, bob) = setup();
    let memo = "x".repeat(257);
    let tx = node.sign(
        &alice,
        vec![msg_send(&alice, &bob.address, 5)],
        &TxOpts {
            memo,
            ..TxOpts::default()
        },
    );
    assert_refused(&mut node, tx, 12, "memo too large");
    // Over max_tx_bytes (1 MiB): refused before parsing.
    let huge = vec![0u8; (1 << 20) + 1];
    assert_refused(&mut node, huge, 21, "tx too large");
    // A gas limit above max_tx_gas.
    let tx = node.sign(
        &alice,
        vec![msg_send(&alice, &bob.address, 5)],
        &TxOpts::gas(2_000_000_000),
    );
    assert_refused(&mut node, tx, 41, "invalid gas limit");
}

#[test]
fn insufficient_fee_changes_nothing() {
    let (mut node, alice, bob) = setup();
    let low = TxOpts {
        fee: vec![wicas_app::Coin::new(4_999, "uwicas")],
        ..TxOpts::default()
    };
    let tx = node.sign(&alice, vec![msg_send(&alice, &bob.address, 5)], &low);
    assert_refused(&mut node, tx, 13, "required: 5000uwicas");
    let foreign = TxOpts {
        fee: vec![wicas_app::Coin::new(5_000, "uatom")],
        ..TxOpts::default()
    };
    let tx = node.sign(&alice, vec![msg_send(&alice, &bob.address, 5)], &foreign);
    assert_refused(&mut node, tx, 13, "insufficient fee");
    // A fee the payer cannot pay: carol has nothing.
    let carol = TestKey::new("carol");
    let tx = node.sign(
        &bob,
        vec![msg_send(&bob, &carol.address, 1)],
        &TxOpts::default(),
    );
    assert!(node.exec(tx).is_ok());
    let big = TxOpts::gas(1_000_000); // needs 25000uwicas
    let tx = node.sign(&carol, vec![msg_send(&carol, &bob.address, 1)], &big);
    assert_refused(&mut node, tx, 5, "insufficient funds");
    assert_eq!(node.account(&carol.address).unwrap().sequence, 0);
    // An account that does not exist cannot pay.
    let dave = TestKey::new("dave");
    let tx = node.sign(
        &dave,
        vec![msg_send(&dave, &bob.address, 1)],
        &TxOpts::default(),
    );
    assert_refused(&mut node, tx, 9, "does not exist");
}

/// CosmJS simulates with SIGN_MODE_UNSPECIFIED and an empty signature: the simulation answers
/// with the gas, but the same tx in a block is refused (it proves nothing about the signer).
#[test]
fn unspecified_sign_mode_only_simulates() {
    use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
    use cosmos_sdk_proto::cosmos::tx::v1beta1::{
        AuthInfo, SimulateRequest, SimulateResponse, mode_info,
    };

    let (mut node, alice, bob) = setup();
    let signed = node.sign(
        &alice,
        vec![msg_send(&alice, &bob.address, 5)],
        &TxOpts::default(),
    );
    let mut raw = TxRaw::decode(signed.as_slice()).unwrap();
    let mut auth = AuthInfo::decode(raw.auth_info_bytes.as_slice()).unwrap();
    let Some(mode_info::Sum::Single(single)) = auth.signer_infos[0]
        .mode_info
        .as_mut()
        .and_then(|m| m.sum.as_mut())
    else {
        panic!("the test signer writes a single mode info");
    };
    single.mode = SignMode::Unspecified as i32;
    raw.auth_info_bytes = auth.encode_to_vec();
    raw.signatures[0] = Vec::new();
    let unsigned = raw.encode_to_vec();

    #[allow(deprecated)] // reason: the deprecated `tx` field must be named to build the request
    let request = SimulateRequest {
        tx: None,
        tx_bytes: unsigned.clone(),
    };
    let answer = node.query("/cosmos.tx.v1beta1.Service/Simulate", request);
    assert_eq!(answer.code, 0, "simulation refused: {}", answer.log);
    let gas = SimulateResponse::decode(answer.value.as_slice())
        .unwrap()
        .gas_info
        .unwrap()
        .gas_used;
    assert!(gas > 0);

    assert_refused(
        &mut node,
        unsigned,
        37,
        "SIGN_MODE_UNSPECIFIED is for simulations",
    );
}
