//! Events the ante handler emits (Cosmos SDK `x/auth/ante`: `tx` events with `fee`, `acc_seq`,
//! `signature`).

use crate::Event;

/// The `tx` events of an accepted transaction: fee and payer, then each signer's
/// `address/sequence` and signature (base64 in the SDK; hex here would confuse clients, so the
/// same base64).
pub fn tx_events(
    fee: &str,
    fee_payer: &str,
    acc_seqs: &[String],
    signatures: &[String],
) -> Vec<Event> {
    let mut out = vec![
        Event::new("tx")
            .attr("fee", fee)
            .attr("fee_payer", fee_payer),
    ];
    for s in acc_seqs {
        out.push(Event::new("tx").attr("acc_seq", s.clone()));
    }
    for s in signatures {
        out.push(Event::new("tx").attr("signature", s.clone()));
    }
    out
}
