//! Substore layout: which keys go to which Merkle tree (cnidarium's layout, penumbra).
//!
//! A key `"<prefix>/<rest>"` whose `<prefix>` is a configured substore lives in that substore's
//! tree under the substore key `<rest>`; every other key lives, whole, in the default substore.
//! The root tree maps each substore's name (its prefix, or [`DEFAULT_SUBSTORE`]) to its root hash.

use crate::StoreError;

/// The root-tree key of the substore holding keys outside every configured prefix.
pub const DEFAULT_SUBSTORE: &str = "main";

/// The substores wicas's chain uses (DESIGN.md §3: the app's modules).
pub const CHAIN_SUBSTORES: &[&str] = &["auth", "bank", "wasm", "ai"];

/// Most substores a store may have: tree ids are one byte, 0 is the root tree, 1 the default.
pub const MAX_SUBSTORES: usize = 253;

/// The validated list of substore prefixes. The order is irrelevant to the hashes (the root tree
/// is keyed by name) but fixed here (sorted) so the stored fingerprint is canonical.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubstoreConfig {
    prefixes: Vec<String>,
}

/// Where a key lives: its tree and its key inside that tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Route<'k> {
    /// Index into [`SubstoreConfig::names`] (0 is the default substore).
    pub(crate) substore: usize,
    /// The key inside the substore's tree.
    pub(crate) subkey: &'k [u8],
}

impl SubstoreConfig {
    /// Validate a list of prefixes: each non-empty, made of `[a-z0-9_-]`, unique, and not
    /// [`DEFAULT_SUBSTORE`].
    pub fn new<S: AsRef<str>>(prefixes: &[S]) -> Result<Self, StoreError> {
        if prefixes.len() > MAX_SUBSTORES {
            return Err(StoreError::InvalidSubstore {
                name: String::new(),
                reason: "too many substores",
            });
        }
        let mut names: Vec<String> = Vec::with_capacity(prefixes.len());
        for p in prefixes {
            let p = p.as_ref();
            let invalid = |reason| StoreError::InvalidSubstore {
                name: p.to_owned(),
                reason,
            };
            if p.is_empty() {
                return Err(invalid("empty prefix"));
            }
            if !p
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
            {
                return Err(invalid("only [a-z0-9_-] allowed"));
            }
            if p == DEFAULT_SUBSTORE {
                return Err(invalid("reserved for the default substore"));
            }
            if names.iter().any(|n| n == p) {
                return Err(invalid("duplicate prefix"));
            }
            names.push(p.to_owned());
        }
        names.sort();
        Ok(Self { prefixes: names })
    }

    /// The chain's layout: [`CHAIN_SUBSTORES`].
    pub fn chain() -> Self {
        let mut prefixes: Vec<String> = CHAIN_SUBSTORES.iter().map(|s| (*s).to_owned()).collect();
        prefixes.sort();
        Self { prefixes }
    }

    /// Substore names in tree order: [`DEFAULT_SUBSTORE`] first, then the prefixes, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(DEFAULT_SUBSTORE).chain(self.prefixes.iter().map(String::as_str))
    }

    /// Number of substores including the default one.
    pub(crate) fn len(&self) -> usize {
        self.prefixes.len() + 1
    }

    /// The name of substore `index` (as in [`Route::substore`]).
    pub(crate) fn name(&self, index: usize) -> &str {
        match index.checked_sub(1) {
            None => DEFAULT_SUBSTORE,
            Some(i) => self
                .prefixes
                .get(i)
                .map_or(DEFAULT_SUBSTORE, String::as_str),
        }
    }

    /// Which substore holds `key`, and under which substore key.
    pub(crate) fn route<'k>(&self, key: &'k [u8]) -> Route<'k> {
        if let Some(slash) = key.iter().position(|&b| b == b'/') {
            let (head, rest) = (&key[..slash], &key[slash + 1..]);
            if let Ok(i) = self.prefixes.binary_search_by(|p| p.as_bytes().cmp(head)) {
                return Route {
                    substore: i + 1,
                    subkey: rest,
                };
            }
        }
        Route {
            substore: 0,
            subkey: key,
        }
    }

    /// The full key of `subkey` in substore `index` (inverse of [`Self::route`]).
    pub(crate) fn full_key(&self, index: usize, subkey: &[u8]) -> Vec<u8> {
        if index == 0 {
            return subkey.to_vec();
        }
        let name = self.name(index);
        let mut key = Vec::with_capacity(name.len() + 1 + subkey.len());
        key.extend_from_slice(name.as_bytes());
        key.push(b'/');
        key.extend_from_slice(subkey);
        key
    }

    /// Canonical text stored in the database, so reopening with another layout is refused.
    pub(crate) fn fingerprint(&self) -> String {
        self.prefixes.join(",")
    }
}

impl Default for SubstoreConfig {
    fn default() -> Self {
        Self::chain()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_route_by_their_first_segment() {
        let c = SubstoreConfig::chain();
        let r = c.route(b"bank/balances/x");
        assert_eq!((c.name(r.substore), r.subkey), ("bank", &b"balances/x"[..]));
        let r = c.route(b"bankx/y");
        assert_eq!((c.name(r.substore), r.subkey), ("main", &b"bankx/y"[..]));
        let r = c.route(b"noslash");
        assert_eq!(r.substore, 0);
        assert_eq!(c.full_key(r.substore, r.subkey), b"noslash");
        let r = c.route(b"ai/");
        assert_eq!(c.full_key(r.substore, r.subkey), b"ai/");
    }

    #[test]
    fn bad_prefixes_are_refused() {
        for bad in [&["", "a"][..], &["a", "a"], &["main"], &["A"], &["a/b"]] {
            assert!(matches!(
                SubstoreConfig::new(bad),
                Err(StoreError::InvalidSubstore { .. })
            ));
        }
        assert!(SubstoreConfig::new(&["z", "a"]).is_ok());
    }
}
