//! Typed reads and writes of balances over any state.

use wicas_store::{Order, StateRead, StateWrite, prefix_end};

use super::{BankError, state_key};
use crate::Address;
use crate::auth::AuthWrite;
use crate::coin::Coin;
use crate::state::{StateError, get_u128};

/// Reading `bank` state.
pub trait BankRead: StateRead {
    /// The balance of `addr` in `denom` (0 if none).
    fn balance(&self, addr: &Address, denom: &str) -> Result<u128, StateError> {
        Ok(get_u128(self, &state_key::balance(addr, denom))?.unwrap_or(0))
    }

    /// Every non-zero balance of `addr`, sorted by denom.
    fn all_balances(&self, addr: &Address) -> Result<Vec<Coin>, StateError> {
        let prefix = state_key::balances_of(addr);
        let end = prefix_end(&prefix);
        let mut out = Vec::new();
        for item in self.range_raw(Some(&prefix), end.as_deref(), Order::Ascending) {
            let (k, v) = item?;
            let denom = String::from_utf8(k[prefix.len()..].to_vec())
                .map_err(|e| StateError::corrupt(&k, e))?;
            let arr: [u8; 16] = v
                .as_slice()
                .try_into()
                .map_err(|_| StateError::corrupt(&k, "not 16 bytes"))?;
            out.push(Coin::new(u128::from_be_bytes(arr), denom));
        }
        Ok(out)
    }

    /// Total supply of `denom`.
    fn supply(&self, denom: &str) -> Result<u128, StateError> {
        Ok(get_u128(self, &state_key::supply(denom))?.unwrap_or(0))
    }
}

impl<T: StateRead + ?Sized> BankRead for T {}

/// Writing `bank` state.
pub trait BankWrite: StateWrite {
    /// Set a balance; a zero balance is deleted so that `all_balances` lists only holdings.
    fn set_balance(&mut self, addr: &Address, denom: &str, amount: u128) {
        let key = state_key::balance(addr, denom);
        if amount == 0 {
            self.delete(&key);
        } else {
            self.put_raw(key, amount.to_be_bytes().to_vec());
        }
    }

    /// Move `coins` from `from` to `to`, creating `to`'s account if needed. Checks every denom
    /// before writing anything, so a failure changes nothing.
    fn send(&mut self, from: &Address, to: &Address, coins: &[Coin]) -> Result<(), BankError> {
        for c in coins {
            let available = self.balance(from, &c.denom)?;
            if available < c.amount {
                return Err(BankError::InsufficientFunds {
                    denom: c.denom.clone(),
                    needed: c.amount,
                    available,
                });
            }
        }
        for c in coins {
            let from_balance = self.balance(from, &c.denom)?;
            self.set_balance(from, &c.denom, from_balance - c.amount);
            let to_balance = self.balance(to, &c.denom)?;
            let sum = to_balance
                .checked_add(c.amount)
                .ok_or_else(|| BankError::Overflow(c.denom.clone()))?;
            self.set_balance(to, &c.denom, sum);
        }
        self.ensure_account(to)?;
        Ok(())
    }

    /// Create `coins` in `to`'s balance and the supply (genesis only).
    fn mint(&mut self, to: &Address, coins: &[Coin]) -> Result<(), BankError> {
        for c in coins {
            let bal = self.balance(to, &c.denom)?.checked_add(c.amount);
            let sup = self.supply(&c.denom)?.checked_add(c.amount);
            let (Some(bal), Some(sup)) = (bal, sup) else {
                return Err(BankError::Overflow(c.denom.clone()));
            };
            self.set_balance(to, &c.denom, bal);
            self.put_raw(state_key::supply(&c.denom), sup.to_be_bytes().to_vec());
        }
        self.ensure_account(to)?;
        Ok(())
    }
}

impl<T: StateWrite + ?Sized> BankWrite for T {}

#[cfg(test)]
mod tests {
    use super::*;
    use wicas_store::MemState;

    #[test]
    fn a_short_send_changes_nothing_and_a_good_one_conserves_supply() {
        let mut s = MemState::new();
        let a = Address::from_secp256k1(&[2; 33]);
        let b = Address::from_secp256k1(&[3; 33]);
        s.mint(&a, &[Coin::new(5, "uatom"), Coin::new(100, "uwicas")])
            .unwrap();
        let before = s.clone();
        let err = s
            .send(&a, &b, &[Coin::new(10, "uwicas"), Coin::new(6, "uatom")])
            .unwrap_err();
        assert!(matches!(
            err,
            BankError::InsufficientFunds {
                needed: 6,
                available: 5,
                ..
            }
        ));
        assert_eq!(s, before);
        s.send(&a, &b, &[Coin::new(5, "uatom"), Coin::new(40, "uwicas")])
            .unwrap();
        assert_eq!(s.all_balances(&a).unwrap(), vec![Coin::new(60, "uwicas")]);
        assert_eq!(
            s.all_balances(&b).unwrap(),
            vec![Coin::new(5, "uatom"), Coin::new(40, "uwicas")]
        );
        assert_eq!(s.supply("uwicas").unwrap(), 100);
    }
}
