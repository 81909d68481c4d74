//! `MsgSend`: stateless check (addresses, coins) → stateful check + execute (balances).

use cosmos_sdk_proto::cosmos::bank::v1beta1 as pb;
use wicas_store::StateWrite;

use super::{BankError, BankWrite, transfer_events};
use crate::coin::{Coin, coins_from_proto, display};
use crate::msg::MsgOutcome;
use crate::{Address, Event};

/// Type URL of `MsgSend`.
pub const MSG_SEND_TYPE_URL: &str = "/cosmos.bank.v1beta1.MsgSend";
const MSG_SEND_RESPONSE_TYPE_URL: &str = "/cosmos.bank.v1beta1.MsgSendResponse";

/// A checked `MsgSend`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgSend {
    /// Sender, the signer.
    pub from: Address,
    /// Recipient.
    pub to: Address,
    /// Coins, sorted, positive.
    pub amount: Vec<Coin>,
}

impl MsgSend {
    /// Stateless check of the protobuf message.
    pub fn check(m: &pb::MsgSend) -> Result<Self, BankError> {
        let amount = coins_from_proto(&m.amount)?;
        if amount.is_empty() {
            return Err(BankError::InvalidCoins(crate::coin::CoinError::Zero(
                "empty amount".into(),
            )));
        }
        Ok(Self {
            from: Address::from_bech32(&m.from_address)?,
            to: Address::from_bech32(&m.to_address)?,
            amount,
        })
    }

    /// Stateful check and execution: balances are checked inside [`BankWrite::send`] before any
    /// write.
    pub fn execute(&self, s: &mut (impl StateWrite + ?Sized)) -> Result<MsgOutcome, BankError> {
        s.send(&self.from, &self.to, &self.amount)?;
        let mut events = vec![Event::new("message").attr("sender", self.from.to_bech32())];
        events.extend(transfer_events(
            &self.from,
            &self.to,
            &display(&self.amount),
        ));
        events.push(Event::new("message").attr("module", "bank"));
        Ok(MsgOutcome::new(
            MSG_SEND_RESPONSE_TYPE_URL,
            Vec::new(),
            events,
        ))
    }
}
