//! In-process chains with their RPC on a free port, for the RPC tests: a tendermint-rpc
//! `HttpClient` in the CometBFT 0.38 dialect, a signed bank send, a bare HTTP GET.

use std::net::SocketAddr;
use std::time::Duration;

use cosmos_sdk_proto::cosmos::auth::v1beta1::{
    BaseAccount, QueryAccountRequest, QueryAccountResponse,
};
use prost::Message;
use tendermint::abci::Code;
use tendermint_rpc::client::CompatMode;
use tendermint_rpc::{Client, HttpClient};
use wicas_node::{GENESIS_ACCOUNT, Home, RpcListen, StartOptions};

pub fn client(addr: SocketAddr) -> HttpClient {
    HttpClient::builder(format!("http://{addr}").parse().unwrap())
        .compat_mode(CompatMode::V0_38)
        .build()
        .unwrap()
}

/// A one-validator home initialised for `chain_id` in a fresh temporary directory (kept alive
/// by the returned guard).
pub fn fresh_home(chain_id: &str) -> (tempfile::TempDir, Home) {
    let dir = tempfile::tempdir().unwrap();
    let home = Home::new(dir.path());
    home.init(chain_id, 1_700_000_000).unwrap();
    (dir, home)
}

/// RPC and p2p on free 127.0.0.1 ports, a block every ~200 ms when idle.
pub fn options() -> StartOptions {
    StartOptions {
        rpc: RpcListen::At("127.0.0.1:0".into()),
        listen_addr: Some("/ip4/127.0.0.1/tcp/0".into()),
        empty_block_wait: Duration::from_millis(200),
        ..StartOptions::default()
    }
}

pub async fn wait_for_height(c: &HttpClient, height: u64) {
    for _ in 0..300 {
        if let Ok(s) = c.status().await
            && s.sync_info.latest_block_height.value() >= height
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no block {height} within 30 s");
}

/// A bank send of 7 uwicas from the genesis account to itself, signed SIGN_MODE_DIRECT with
/// the account's current sequence.
pub async fn bank_send(c: &HttpClient, home: &Home, chain_id: &str) -> Vec<u8> {
    let key = home.key(GENESIS_ACCOUNT).unwrap();
    let q = c
        .abci_query(
            Some("/cosmos.auth.v1beta1.Query/Account".into()),
            QueryAccountRequest {
                address: key.address.clone(),
            }
            .encode_to_vec(),
            None,
            false,
        )
        .await
        .unwrap();
    assert_eq!(q.code, Code::Ok, "{}", q.log);
    let any = QueryAccountResponse::decode(q.value.as_slice())
        .unwrap()
        .account
        .unwrap();
    let account = BaseAccount::decode(any.value.as_slice()).unwrap();
    let coin = |amount| wicas_app::Coin {
        denom: "uwicas".into(),
        amount,
    };
    wicas_client::sign_tx(
        &key.account_key().unwrap(),
        vec![wicas_client::msgs::bank_send(
            &key.address,
            &key.address,
            &[coin(7)],
        )],
        "",
        &wicas_client::Fee {
            gas_limit: 200_000,
            amount: vec![coin(5000)],
        },
        &wicas_client::SignerData {
            chain_id: chain_id.into(),
            account_number: account.account_number,
            sequence: account.sequence,
        },
    )
}

/// `GET path` with a bare HTTP/1.1 request; the whole response, head and body.
pub async fn http_get(addr: SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}
