//! Character classes for the pre-tokenizers and the GPT-2 byte ↔ character mapping.
//!
//! Classes follow llama.cpp `src/unicode.cpp` (flags per code point): a letter is general category
//! `L*`, a number is `N*`, whitespace is the Unicode `White_Space` property, and a code point is
//! "defined" unless it is unassigned (`Cn`). General categories come from the
//! `unicode-general-category` crate (Unicode 16.0), pinned in Cargo.lock: the same table on every
//! machine, so the split is deterministic (decision 0201).

use unicode_general_category::{GeneralCategory, get_general_category};

/// Flags of one code point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct CharClass(u8);

impl CharClass {
    const LETTER: u8 = 1;
    const NUMBER: u8 = 2;
    const WHITESPACE: u8 = 4;
    const DEFINED: u8 = 8;
    const PUNCTUATION: u8 = 16;

    /// Flags of `c`.
    pub(crate) fn of(c: char) -> CharClass {
        let mut bits = 0;
        if is_whitespace(c) {
            bits |= Self::WHITESPACE;
        }
        let cat = get_general_category(c);
        if cat != GeneralCategory::Unassigned {
            bits |= Self::DEFINED;
        }
        match cat.abbreviation().as_bytes().first() {
            Some(b'L') => bits |= Self::LETTER,
            Some(b'N') => bits |= Self::NUMBER,
            Some(b'P') => bits |= Self::PUNCTUATION,
            _ => {}
        }
        CharClass(bits)
    }

    /// General category `L*`.
    pub(crate) fn is_letter(self) -> bool {
        self.0 & Self::LETTER != 0
    }
    /// General category `N*`.
    pub(crate) fn is_number(self) -> bool {
        self.0 & Self::NUMBER != 0
    }
    /// Unicode `White_Space`.
    pub(crate) fn is_whitespace(self) -> bool {
        self.0 & Self::WHITESPACE != 0
    }
    /// Assigned (not `Cn`).
    pub(crate) fn is_defined(self) -> bool {
        self.0 & Self::DEFINED != 0
    }
    /// General category `P*`.
    pub(crate) fn is_punctuation(self) -> bool {
        self.0 & Self::PUNCTUATION != 0
    }
    /// `[^\s\p{L}\p{N}]` as the regex engines see it (defined or not).
    pub(crate) fn is_other(self) -> bool {
        self.0 & (Self::LETTER | Self::NUMBER | Self::WHITESPACE) == 0
    }
}

/// The Unicode `White_Space` property (the set llama.cpp calls `unicode_set_whitespace`).
pub(crate) fn is_whitespace(c: char) -> bool {
    matches!(
        c as u32,
        0x09..=0x0D
            | 0x20
            | 0x85
            | 0xA0
            | 0x1680
            | 0x2000..=0x200A
            | 0x2028
            | 0x2029
            | 0x202F
            | 0x205F
            | 0x3000
    )
}

/// Bytes that GPT-2's `bytes_to_unicode` maps to themselves: `!`..`~`, `¡`..`¬`, `®`..`ÿ`.
const fn is_printable_byte(b: u32) -> bool {
    (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)
}

/// The remaining 68 bytes, in increasing order; byte `NON_PRINTABLE[n]` maps to U+0100 + n.
const NON_PRINTABLE: [u8; 68] = {
    let mut out = [0u8; 68];
    let mut n = 0;
    let mut b = 0u32;
    while b < 256 {
        if !is_printable_byte(b) {
            out[n] = b as u8;
            n += 1;
        }
        b += 1;
    }
    out
};

/// GPT-2 byte-level encoding: the character that stands for byte `b` in vocabulary strings.
pub(crate) fn byte_to_char(b: u8) -> char {
    let v = u32::from(b);
    if is_printable_byte(v) {
        return char::from(b);
    }
    let mut n = 0;
    while n < NON_PRINTABLE.len() {
        if NON_PRINTABLE[n] == b {
            break;
        }
        n += 1;
    }
    // n < 68, so 0x100 + n is a valid scalar value (Latin Extended-A).
    char::from_u32(0x100 + n as u32).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// Inverse of [`byte_to_char`]; `None` for characters outside the 256-character alphabet.
pub(crate) fn char_to_byte(c: char) -> Option<u8> {
    let v = c as u32;
    if v < 0x100 && is_printable_byte(v) {
        return Some(v as u8);
    }
    let n = v.checked_sub(0x100)? as usize;
    NON_PRINTABLE.get(n).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_mapping_is_a_bijection_with_gpt2_landmarks() {
        assert_eq!(byte_to_char(b' '), 'Ġ');
        assert_eq!(byte_to_char(b'\n'), 'Ċ');
        assert_eq!(byte_to_char(b'a'), 'a');
        assert_eq!(byte_to_char(0), '\u{100}');
        let mut seen = std::collections::BTreeSet::new();
        for b in 0..=255u8 {
            let c = byte_to_char(b);
            assert_eq!(char_to_byte(c), Some(b));
            assert!(seen.insert(c));
        }
        assert_eq!(char_to_byte('€'), None);
    }

    #[test]
    fn classes_match_the_regex_categories() {
        assert!(CharClass::of('é').is_letter());
        assert!(CharClass::of('٣').is_number());
        assert!(CharClass::of('\u{3000}').is_whitespace());
        assert!(CharClass::of('🚀').is_other());
        assert!(CharClass::of('—').is_punctuation());
        assert!(!CharClass::of('\u{0378}').is_defined());
    }
}
