//! Bank events (Cosmos SDK v0.50 `x/bank`: `coin_spent`, `coin_received`, `transfer`).

use crate::{Address, Event};

/// Events of moving `amount` (SDK coin string) from `from` to `to`.
pub fn transfer_events(from: &Address, to: &Address, amount: &str) -> Vec<Event> {
    vec![
        Event::new("coin_spent")
            .attr("spender", from.to_bech32())
            .attr("amount", amount),
        Event::new("coin_received")
            .attr("receiver", to.to_bech32())
            .attr("amount", amount),
        Event::new("transfer")
            .attr("recipient", to.to_bech32())
            .attr("sender", from.to_bech32())
            .attr("amount", amount),
    ]
}
