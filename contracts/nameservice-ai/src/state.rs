use cosmwasm_std::Addr;
use cw_storage_plus::{Item, Map};

use crate::contract::Config;
use crate::msg::Description;

pub const CONFIG: Item<Config> = Item::new("config");
/// name → owner.
pub const OWNERS: Map<&str, Addr> = Map::new("owners");
/// name → the latest description.
pub const DESCRIPTIONS: Map<&str, Description> = Map::new("descriptions");
