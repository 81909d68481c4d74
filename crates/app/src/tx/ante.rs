//! The ante handler: every check on a decoded transaction against state, then its effects (fee
//! paid, public keys recorded, sequences bumped).
//!
//! Order (Cosmos SDK `x/auth/ante`): timeout height → gas limit → tx-size gas → signers and
//! account numbers → sequences → fee (denom, minimum, balance) → signatures. Nothing is written
//! until every check passes, so a refused transaction changes nothing.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::{Digest, Sha256};
use wicas_store::StateWrite;

use super::{AnteError, DecodedTx, sign_bytes, verify_secp256k1};
use crate::auth::{Account, AuthRead, AuthWrite, tx_events};
use crate::bank::{BankError, BankRead, BankWrite};
use crate::coin::{Coin, NATIVE_DENOM, display};
use crate::gas::GasMeter;
use crate::{Address, Event};

/// What the ante handler needs to know about its surroundings.
#[derive(Debug, Clone, Copy)]
pub struct AnteContext<'a> {
    /// This chain's id (part of every signed document).
    pub chain_id: &'a str,
    /// Height of the block being built or checked.
    pub height: u64,
    /// A simulation: signatures are not verified (clients send empty ones) and the minimum fee
    /// and gas limit are not enforced, but their gas is still charged.
    pub simulate: bool,
}

/// The module account that collects fees: `sha256("fee_collector")[..20]`, as the SDK's
/// `authtypes.NewModuleAddress`.
pub fn fee_collector() -> Address {
    module_address("fee_collector")
}

/// A module account's address (SDK `authtypes.NewModuleAddress(name)`).
pub fn module_address(name: &str) -> Address {
    Address::from_secp256k1_like_hash(&Sha256::digest(name.as_bytes())[..20])
}

/// Run the checks, then apply the effects to `state`. Returns the `tx` events.
pub fn run_ante(
    state: &mut (impl StateWrite + ?Sized),
    tx: &DecodedTx,
    ctx: AnteContext<'_>,
    meter: &GasMeter,
) -> Result<Vec<Event>, AnteError> {
    let params = state.auth_params()?;
    if tx.timeout_height != 0 && ctx.height > tx.timeout_height {
        return Err(AnteError::TimeoutHeight {
            height: ctx.height,
            timeout: tx.timeout_height,
        });
    }
    if !ctx.simulate && (tx.gas_limit == 0 || tx.gas_limit > params.max_tx_gas) {
        return Err(AnteError::InvalidGasLimit {
            limit: tx.gas_limit,
            max: params.max_tx_gas,
        });
    }
    let size = u64::try_from(tx.size).unwrap_or(u64::MAX);
    meter.consume(size.saturating_mul(params.tx_size_cost_per_byte), "txSize")?;

    // Signers, account numbers, public keys.
    let mut accounts: Vec<(Account, Vec<u8>)> = Vec::with_capacity(tx.signers.len());
    for s in &tx.signers {
        let acc = state
            .account(&s.address)?
            .ok_or_else(|| AnteError::UnknownAddress(s.address.to_bech32()))?;
        let pubkey = match (&acc.pubkey, &s.pubkey) {
            (Some(stored), Some(given)) if stored != given => {
                return Err(AnteError::InvalidPubKey(
                    "key differs from the account's key".into(),
                ));
            }
            (Some(stored), _) => stored.clone(),
            (None, Some(given)) => given.clone(),
            (None, None) => {
                return Err(AnteError::InvalidPubKey(format!(
                    "pubkey on account {} is not set",
                    s.address
                )));
            }
        };
        if Address::from_secp256k1(&pubkey) != s.address {
            return Err(AnteError::InvalidPubKey(format!(
                "pubKey does not match signer address {}",
                s.address
            )));
        }
        accounts.push((acc, pubkey));
    }

    // Sequences: a replayed transaction signed an old one.
    for (s, (acc, _)) in tx.signers.iter().zip(&accounts) {
        if s.sequence != acc.sequence {
            return Err(AnteError::WrongSequence {
                expected: acc.sequence,
                got: s.sequence,
            });
        }
    }

    // Fee: native denom only, at least the minimum, and payable.
    let payer = tx
        .signers
        .first()
        .map(|s| s.address.clone())
        .ok_or(AnteError::SignerCount {
            expected: 1,
            got: 0,
        })?;
    let required = params.min_fee(tx.gas_limit);
    let offered: u128 = tx
        .fee
        .iter()
        .filter(|c| c.denom == NATIVE_DENOM)
        .map(|c| c.amount)
        .sum();
    let foreign = tx.fee.iter().any(|c| c.denom != NATIVE_DENOM);
    if !ctx.simulate && (foreign || offered < required) {
        return Err(AnteError::InsufficientFee {
            got: display(&tx.fee),
            required: Coin::new(required, NATIVE_DENOM).to_string(),
        });
    }
    for c in &tx.fee {
        let available = state.balance(&payer, &c.denom)?;
        if available < c.amount {
            return Err(BankError::InsufficientFunds {
                denom: c.denom.clone(),
                needed: c.amount,
                available,
            }
            .into());
        }
    }

    // Signatures (gas charged in simulations too, so estimates include it).
    for (s, (acc, pubkey)) in tx.signers.iter().zip(&accounts) {
        meter.consume(params.sig_verify_cost_secp256k1, "ante verify: secp256k1")?;
        if ctx.simulate {
            continue;
        }
        if !s.direct {
            return Err(AnteError::NotSupported(
                "only SIGN_MODE_DIRECT single signatures (SIGN_MODE_UNSPECIFIED is for simulations)"
                    .into(),
            ));
        }
        let doc = sign_bytes(
            &tx.body_bytes,
            &tx.auth_info_bytes,
            ctx.chain_id,
            acc.account_number,
        );
        verify_secp256k1(pubkey, &doc, &s.signature).map_err(|_| AnteError::BadSignature {
            account_number: acc.account_number,
            sequence: acc.sequence,
            chain_id: ctx.chain_id.to_owned(),
        })?;
    }

    // Effects.
    if !tx.fee.is_empty() {
        state.send(&payer, &fee_collector(), &tx.fee)?;
    }
    let mut acc_seqs = Vec::with_capacity(accounts.len());
    let mut sigs = Vec::with_capacity(accounts.len());
    for (s, (mut acc, pubkey)) in tx.signers.iter().zip(accounts) {
        acc_seqs.push(format!("{}/{}", acc.address, acc.sequence));
        sigs.push(B64.encode(&s.signature));
        acc.pubkey = Some(pubkey);
        acc.sequence += 1;
        state.put_account(&acc);
    }
    Ok(tx_events(
        &display(&tx.fee),
        &payer.to_bech32(),
        &acc_seqs,
        &sigs,
    ))
}
