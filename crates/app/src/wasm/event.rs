//! Events in wasmd's format (`x/wasm/keeper/events.go`): `_contract_address` first.

use crate::{Address, Event};

/// `store_code`.
pub fn store_code(checksum: &str, code_id: u64) -> Event {
    Event::new("store_code")
        .attr("code_checksum", checksum)
        .attr("code_id", code_id.to_string())
}

/// `instantiate`.
pub fn instantiate(contract: &Address, code_id: u64) -> Event {
    Event::new("instantiate")
        .attr("_contract_address", contract.to_bech32())
        .attr("code_id", code_id.to_string())
}

/// `execute`.
pub fn execute(contract: &Address) -> Event {
    Event::new("execute").attr("_contract_address", contract.to_bech32())
}

/// `migrate`.
pub fn migrate(contract: &Address, code_id: u64) -> Event {
    Event::new("migrate")
        .attr("_contract_address", contract.to_bech32())
        .attr("code_id", code_id.to_string())
}

/// `reply`.
pub fn reply(contract: &Address) -> Event {
    Event::new("reply").attr("_contract_address", contract.to_bech32())
}

/// `update_contract_admin` (an empty admin clears it).
pub fn update_admin(contract: &Address, admin: &str) -> Event {
    Event::new("update_contract_admin")
        .attr("_contract_address", contract.to_bech32())
        .attr("new_admin_address", admin)
}

/// The contract's own attributes (`wasm`) and events (`wasm-<type>`).
pub fn from_response(
    contract: &Address,
    attributes: &[cosmwasm_std::Attribute],
    events: &[cosmwasm_std::Event],
) -> Vec<Event> {
    let mut out = Vec::new();
    if !attributes.is_empty() {
        let mut e = Event::new("wasm").attr("_contract_address", contract.to_bech32());
        for a in attributes {
            e = e.attr(a.key.clone(), a.value.clone());
        }
        out.push(e);
    }
    for ev in events {
        let mut e =
            Event::new(format!("wasm-{}", ev.ty)).attr("_contract_address", contract.to_bech32());
        for a in &ev.attributes {
            e = e.attr(a.key.clone(), a.value.clone());
        }
        out.push(e);
    }
    out
}
