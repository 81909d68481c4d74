//! The messages a client sends, as protobuf `Any`s with their Cosmos type URLs. Addresses are
//! bech32 strings taken as given: the chain checks them (a client checks user input first with
//! [`crate::Address::from_bech32`]).

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend;
use cosmos_sdk_proto::cosmwasm::wasm::v1::{
    MsgExecuteContract, MsgInstantiateContract, MsgMigrateContract, MsgStoreCode,
};
use prost::Message;
use wicas_app::Coin;
use wicas_app::ai::{MSG_REGISTER_MODEL_TYPE_URL, MsgRegisterModelProto};
use wicas_app::bank::MSG_SEND_TYPE_URL;
use wicas_app::wasm::type_url;

fn any(type_url: &str, m: &impl Message) -> Any {
    Any {
        type_url: type_url.into(),
        value: m.encode_to_vec(),
    }
}

fn proto_coins(coins: &[Coin]) -> Vec<cosmos_sdk_proto::cosmos::base::v1beta1::Coin> {
    coins.iter().map(Coin::to_proto).collect()
}

/// `cosmos.bank.v1beta1.MsgSend`.
pub fn bank_send(from: &str, to: &str, amount: &[Coin]) -> Any {
    any(
        MSG_SEND_TYPE_URL,
        &MsgSend {
            from_address: from.into(),
            to_address: to.into(),
            amount: proto_coins(amount),
        },
    )
}

/// `cosmwasm.wasm.v1.MsgStoreCode` (the chain accepts raw or gzipped wasm).
pub fn store_code(sender: &str, wasm: Vec<u8>) -> Any {
    any(
        type_url::STORE_CODE,
        &MsgStoreCode {
            sender: sender.into(),
            wasm_byte_code: wasm,
            instantiate_permission: None,
        },
    )
}

/// `cosmwasm.wasm.v1.MsgInstantiateContract`; `admin` empty = no admin (no migration).
pub fn instantiate(
    sender: &str,
    admin: &str,
    code_id: u64,
    label: &str,
    msg: &serde_json::Value,
    funds: &[Coin],
) -> Any {
    any(
        type_url::INSTANTIATE,
        &MsgInstantiateContract {
            sender: sender.into(),
            admin: admin.into(),
            code_id,
            label: label.into(),
            msg: msg.to_string().into_bytes(),
            funds: proto_coins(funds),
        },
    )
}

/// `cosmwasm.wasm.v1.MsgExecuteContract`.
pub fn execute(sender: &str, contract: &str, msg: &serde_json::Value, funds: &[Coin]) -> Any {
    any(
        type_url::EXECUTE,
        &MsgExecuteContract {
            sender: sender.into(),
            contract: contract.into(),
            msg: msg.to_string().into_bytes(),
            funds: proto_coins(funds),
        },
    )
}

/// `cosmwasm.wasm.v1.MsgMigrateContract` (sender must be the contract's admin).
pub fn migrate(sender: &str, contract: &str, code_id: u64, msg: &serde_json::Value) -> Any {
    any(
        type_url::MIGRATE,
        &MsgMigrateContract {
            sender: sender.into(),
            contract: contract.into(),
            code_id,
            msg: msg.to_string().into_bytes(),
        },
    )
}

/// `wicas.ai.v1.MsgRegisterModel` (signer must be the `ai` module's authority).
pub fn register_model(
    authority: &str,
    sha256: &[u8; 32],
    name: &str,
    architecture: &str,
    prefill_price: u64,
    decode_price: u64,
) -> Any {
    any(
        MSG_REGISTER_MODEL_TYPE_URL,
        &MsgRegisterModelProto {
            authority: authority.into(),
            sha256: hex::encode(sha256),
            name: name.into(),
            architecture: architecture.into(),
            prefill_price,
            decode_price,
        },
    )
}
