//! `tx_search` queries: CometBFT's pubsub query language, the subset a tx index answers.
//!
//! `cond AND cond …`, each `key op operand` with `op` one of `=`, `<`, `<=`, `>`, `>=`,
//! `CONTAINS`, or `key EXISTS`; operands are `'quoted strings'` or integers. `tx.hash` and
//! `tx.height` are the indexer's own keys; any other key is `event_type.attribute_key` and
//! matches a tx that emitted such an attribute.

use crate::jsonrpc::RpcError;

/// Longest query text accepted.
pub const MAX_QUERY_BYTES: usize = 4096;

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `CONTAINS` (substring)
    Contains,
    /// `EXISTS`
    Exists,
}

/// The right-hand side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operand {
    /// `'text'`
    Str(String),
    /// An integer.
    Int(i128),
    /// Nothing (`EXISTS`).
    None,
}

/// One condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// `tx.hash`, `tx.height` or `type.key`.
    pub key: String,
    /// The comparison.
    pub op: Op,
    /// What it compares with.
    pub operand: Operand,
}

impl Condition {
    /// Whether `value` (an attribute value or a number as text) satisfies this condition.
    pub fn matches(&self, value: &str) -> bool {
        match (&self.op, &self.operand) {
            (Op::Exists, _) => true,
            (Op::Contains, Operand::Str(s)) => value.contains(s.as_str()),
            (op, Operand::Str(s)) => compare(*op, value.cmp(s.as_str())),
            (op, Operand::Int(n)) => value.parse::<i128>().is_ok_and(|v| compare(*op, v.cmp(n))),
            _ => false,
        }
    }
}

fn compare(op: Op, ord: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match op {
        Op::Eq => ord == Equal,
        Op::Lt => ord == Less,
        Op::Le => ord != Greater,
        Op::Gt => ord == Greater,
        Op::Ge => ord != Less,
        Op::Contains | Op::Exists => false,
    }
}

/// Parse a query; every error is CometBFT's "Invalid params" with what was wrong.
pub fn parse(text: &str) -> Result<Vec<Condition>, RpcError> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(RpcError::invalid_params(format!(
            "query of {} bytes (max {MAX_QUERY_BYTES})",
            text.len()
        )));
    }
    let mut lexer = Lexer { rest: text.trim() };
    let mut out = Vec::new();
    loop {
        out.push(lexer.condition()?);
        lexer.skip_ws();
        if lexer.rest.is_empty() {
            return Ok(out);
        }
        lexer.keyword("AND")?;
    }
}

struct Lexer<'a> {
    rest: &'a str,
}

impl Lexer<'_> {
    fn skip_ws(&mut self) {
        self.rest = self.rest.trim_start();
    }

    fn err(&self, what: &str) -> RpcError {
        RpcError::invalid_params(format!("query: {what} at {:?}", self.rest))
    }

    fn keyword(&mut self, word: &str) -> Result<(), RpcError> {
        self.skip_ws();
        match self.rest.get(..word.len()) {
            Some(w) if w.eq_ignore_ascii_case(word) => {
                self.rest = &self.rest[word.len()..];
                Ok(())
            }
            _ => Err(self.err(&format!("expected {word}"))),
        }
    }

    fn condition(&mut self) -> Result<Condition, RpcError> {
        self.skip_ws();
        let end = self
            .rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || "._-/".contains(c)))
            .unwrap_or(self.rest.len());
        if end == 0 {
            return Err(self.err("expected a key"));
        }
        let key = self.rest[..end].to_owned();
        self.rest = &self.rest[end..];
        self.skip_ws();
        let op = if let Some(r) = self.rest.strip_prefix("<=") {
            self.rest = r;
            Op::Le
        } else if let Some(r) = self.rest.strip_prefix(">=") {
            self.rest = r;
            Op::Ge
        } else if let Some(r) = self.rest.strip_prefix('<') {
            self.rest = r;
            Op::Lt
        } else if let Some(r) = self.rest.strip_prefix('>') {
            self.rest = r;
            Op::Gt
        } else if let Some(r) = self.rest.strip_prefix('=') {
            self.rest = r;
            Op::Eq
        } else if self.keyword("CONTAINS").is_ok() {
            Op::Contains
        } else if self.keyword("EXISTS").is_ok() {
            return Ok(Condition {
                key,
                op: Op::Exists,
                operand: Operand::None,
            });
        } else {
            return Err(self.err("expected =, <, <=, >, >=, CONTAINS or EXISTS"));
        };
        let operand = self.operand()?;
        if op == Op::Contains && !matches!(operand, Operand::Str(_)) {
            return Err(self.err("CONTAINS needs a quoted string"));
        }
        Ok(Condition { key, op, operand })
    }

    fn operand(&mut self) -> Result<Operand, RpcError> {
        self.skip_ws();
        if let Some(r) = self.rest.strip_prefix('\'') {
            let close = r.find('\'').ok_or_else(|| self.err("unclosed quote"))?;
            self.rest = &r[close + 1..];
            return Ok(Operand::Str(r[..close].to_owned()));
        }
        let end = self
            .rest
            .find(|c: char| !(c.is_ascii_digit() || c == '-'))
            .unwrap_or(self.rest.len());
        let n = self.rest[..end]
            .parse::<i128>()
            .map_err(|_| self.err("expected a 'quoted string' or an integer"))?;
        self.rest = &self.rest[end..];
        Ok(Operand::Int(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosmjs_queries_parse() {
        let q = parse("tx.hash='ABCD'").unwrap();
        assert_eq!(
            q,
            vec![Condition {
                key: "tx.hash".into(),
                op: Op::Eq,
                operand: Operand::Str("ABCD".into())
            }]
        );
        let q = parse("tx.height>=5 AND tx.height<=9 AND message.sender='wicas1x'").unwrap();
        assert_eq!(q.len(), 3);
        assert_eq!(q[0].op, Op::Ge);
        assert_eq!(q[1].operand, Operand::Int(9));
        assert!(q[2].matches("wicas1x"));
        assert!(parse("wasm._contract_address EXISTS").unwrap()[0].matches(""));
        assert!(parse("a.b CONTAINS 'ell'").unwrap()[0].matches("hello"));
    }

    #[test]
    fn malformed_queries_are_invalid_params() {
        for bad in [
            "",
            "tx.hash=",
            "tx.hash='AB",
            "tx.height=5 OR tx.height=6",
            "= 5",
            "a.b ~ 5",
            "a.b CONTAINS 5",
            "tx.height=5 AND",
        ] {
            assert_eq!(parse(bad).unwrap_err().code, -32602, "{bad:?}");
        }
        assert!(parse(&"a".repeat(MAX_QUERY_BYTES + 1)).is_err());
    }

    #[test]
    fn numbers_compare_as_numbers() {
        let c = &parse("tx.height>9").unwrap()[0];
        assert!(c.matches("10"));
        assert!(!c.matches("9"));
        assert!(!c.matches("x"));
    }
}
