//! A bounds-checked little-endian reader over untrusted bytes: every read checks the remaining
//! length first, so a hostile length can never cause a large allocation or a panic.

use super::error::FormatError;
use super::limits::MAX_STRING_BYTES;

/// Reads little-endian fields from a byte slice, front to back.
#[derive(Debug)]
pub(crate) struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    /// Bytes consumed so far.
    pub(crate) fn position(&self) -> u64 {
        self.pos as u64
    }

    /// Bytes not yet consumed.
    pub(crate) fn remaining(&self) -> u64 {
        (self.bytes.len() - self.pos) as u64
    }

    /// The next `n` bytes, or `Truncated`.
    pub(crate) fn take(&mut self, n: u64) -> Result<&'a [u8], FormatError> {
        if n > self.remaining() {
            return Err(FormatError::Truncated {
                offset: self.position(),
                needed: n,
                len: self.bytes.len() as u64,
            });
        }
        // n <= remaining <= usize::MAX, so the cast is lossless.
        let n = n as usize;
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FormatError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N as u64)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, FormatError> {
        Ok(self.array::<1>()?[0])
    }
    pub(crate) fn u16(&mut self) -> Result<u16, FormatError> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    pub(crate) fn u32(&mut self) -> Result<u32, FormatError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub(crate) fn u64(&mut self) -> Result<u64, FormatError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// A GGUF string: u64 length then UTF-8 bytes, at most `max` bytes (and `MAX_STRING_BYTES`).
    pub(crate) fn string(&mut self, max: u64, what: &'static str) -> Result<String, FormatError> {
        self.str(max, what).map(str::to_owned)
    }

    /// A GGUF string borrowed from the input (see [`Self::string`]).
    pub(crate) fn str(&mut self, max: u64, what: &'static str) -> Result<&'a str, FormatError> {
        let offset = self.position();
        let len = self.u64()?;
        let limit = max.min(MAX_STRING_BYTES);
        if len > limit {
            return Err(FormatError::LimitExceeded {
                what,
                value: len,
                limit,
            });
        }
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes).map_err(|_| FormatError::InvalidUtf8 { offset })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_past_the_end_is_a_truncation_error() {
        let mut c = Cursor::new(&[1, 2, 3]);
        assert_eq!(c.u16(), Ok(0x0201));
        assert!(matches!(
            c.u32(),
            Err(FormatError::Truncated {
                offset: 2,
                needed: 4,
                len: 3
            })
        ));
    }

    #[test]
    fn a_huge_string_length_is_refused_before_allocating() {
        let mut bytes = u64::MAX.to_le_bytes().to_vec();
        bytes.extend_from_slice(b"abc");
        let mut c = Cursor::new(&bytes);
        assert!(matches!(
            c.string(u64::MAX, "s"),
            Err(FormatError::LimitExceeded { .. })
        ));
    }
}
