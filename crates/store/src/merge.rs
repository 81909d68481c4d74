//! Merging sorted key/value streams where earlier streams shadow later ones.

use std::iter::Peekable;

use crate::{KvIter, Order, StoreError};

/// One source: keys strictly ordered in the merge's order; `None` values are deletions.
pub(crate) type Source<'a> =
    Box<dyn Iterator<Item = Result<(Vec<u8>, Option<Vec<u8>>), StoreError>> + 'a>;

/// Merges `sources` (index 0 has the highest priority) into one stream in `order`: for a key
/// present in several sources, the highest-priority entry wins; a winning deletion hides the
/// key. Stops after the first error.
pub(crate) fn merge<'a>(sources: Vec<Source<'a>>, order: Order) -> KvIter<'a> {
    Box::new(Merge {
        sources: sources.into_iter().map(Iterator::peekable).collect(),
        order,
        failed: false,
    })
}

struct Merge<'a> {
    sources: Vec<Peekable<Source<'a>>>,
    order: Order,
    failed: bool,
}

impl Merge<'_> {
    /// The index of the source holding the next key (first in order; ties go to the lowest
    /// index), or an error one of them reported.
    fn winner(&mut self) -> Option<Result<usize, StoreError>> {
        let mut best: Option<(usize, &[u8])> = None;
        for (i, s) in self.sources.iter_mut().enumerate() {
            match s.peek() {
                None => {}
                Some(Err(_)) => {
                    return match s.next() {
                        Some(Err(e)) => Some(Err(e)),
                        _ => None,
                    };
                }
                Some(Ok((k, _))) => {
                    let better = match best {
                        None => true,
                        Some((_, b)) => match self.order {
                            Order::Ascending => k.as_slice() < b,
                            Order::Descending => k.as_slice() > b,
                        },
                    };
                    if better {
                        best = Some((i, k.as_slice()));
                    }
                }
            }
        }
        best.map(|(i, _)| Ok(i))
    }
}

impl Iterator for Merge<'_> {
    type Item = Result<(Vec<u8>, Vec<u8>), StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.failed {
            let i = match self.winner()? {
                Ok(i) => i,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            };
            let (key, value) = match self.sources.get_mut(i)?.next()? {
                Ok(kv) => kv,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            };
            // Drop the shadowed entries for the same key in lower-priority sources.
            for s in self.sources.iter_mut().skip(i + 1) {
                if matches!(s.peek(), Some(Ok((k, _))) if *k == key) {
                    s.next();
                }
            }
            if let Some(v) = value {
                return Some(Ok((key, v)));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(items: &[(&str, Option<&str>)]) -> Source<'static> {
        let v: Vec<_> = items
            .iter()
            .map(|(k, v)| Ok((k.as_bytes().to_vec(), v.map(|v| v.as_bytes().to_vec()))))
            .collect();
        Box::new(v.into_iter())
    }

    fn keys(it: KvIter<'_>) -> Vec<String> {
        it.map(|r| {
            let (k, v) = r.unwrap();
            format!(
                "{}={}",
                String::from_utf8(k).unwrap(),
                String::from_utf8(v).unwrap()
            )
        })
        .collect()
    }

    #[test]
    fn higher_priority_sources_shadow_and_deletions_hide() {
        let top = src(&[("b", None), ("c", Some("top"))]);
        let base = src(&[("a", Some("1")), ("b", Some("2")), ("c", Some("3"))]);
        assert_eq!(
            keys(merge(vec![top, base], Order::Ascending)),
            ["a=1", "c=top"]
        );
        let top = src(&[("c", Some("top")), ("b", None)]);
        let base = src(&[("d", Some("4")), ("c", Some("3")), ("b", Some("2"))]);
        assert_eq!(
            keys(merge(vec![top, base], Order::Descending)),
            ["d=4", "c=top"]
        );
    }

    #[test]
    fn an_error_ends_the_stream() {
        let bad: Source<'static> = Box::new(
            vec![
                Ok((b"a".to_vec(), Some(b"1".to_vec()))),
                Err(StoreError::Database("disk".into())),
                Ok((b"z".to_vec(), Some(b"9".to_vec()))),
            ]
            .into_iter(),
        );
        let mut it = merge(vec![bad], Order::Ascending);
        assert!(it.next().unwrap().is_ok());
        assert!(it.next().unwrap().is_err());
        assert!(it.next().is_none());
    }
}
