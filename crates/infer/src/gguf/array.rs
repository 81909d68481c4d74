//! GGUF metadata arrays stored by element type (decision 0156): a vocabulary of 150k strings is one
//! UTF-8 buffer plus one offset per string, a list of token types one `Vec<i32>`, instead of one
//! enum value (and one heap string) per element.

use super::error::FormatError;
use super::limits::MAX_STRING_ARRAY_BYTES;
use super::value::MetaValue;

/// A metadata array (GGUF type 9): every element has the one element type the file declares.
#[derive(Debug, Clone, PartialEq)]
pub enum MetaArray {
    /// elements of type 0
    U8(Vec<u8>),
    /// type 1
    I8(Vec<i8>),
    /// type 2
    U16(Vec<u16>),
    /// type 3
    I16(Vec<i16>),
    /// type 4
    U32(Vec<u32>),
    /// type 5
    I32(Vec<i32>),
    /// type 6
    F32(Vec<f32>),
    /// type 7
    Bool(Vec<bool>),
    /// type 8
    Str(StrArray),
    /// type 9: arrays of arrays, each with its own element type
    Array(Vec<MetaArray>),
    /// type 10
    U64(Vec<u64>),
    /// type 11
    I64(Vec<i64>),
    /// type 12
    F64(Vec<f64>),
}

impl MetaArray {
    /// Number of elements.
    pub fn len(&self) -> usize {
        match self {
            MetaArray::U8(v) => v.len(),
            MetaArray::I8(v) => v.len(),
            MetaArray::U16(v) => v.len(),
            MetaArray::I16(v) => v.len(),
            MetaArray::U32(v) => v.len(),
            MetaArray::I32(v) => v.len(),
            MetaArray::F32(v) => v.len(),
            MetaArray::Bool(v) => v.len(),
            MetaArray::Str(v) => v.len(),
            MetaArray::Array(v) => v.len(),
            MetaArray::U64(v) => v.len(),
            MetaArray::I64(v) => v.len(),
            MetaArray::F64(v) => v.len(),
        }
    }

    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The GGUF type id of the elements (`gguf_metadata_value_type`).
    pub fn element_type(&self) -> u32 {
        match self {
            MetaArray::U8(_) => 0,
            MetaArray::I8(_) => 1,
            MetaArray::U16(_) => 2,
            MetaArray::I16(_) => 3,
            MetaArray::U32(_) => 4,
            MetaArray::I32(_) => 5,
            MetaArray::F32(_) => 6,
            MetaArray::Bool(_) => 7,
            MetaArray::Str(_) => 8,
            MetaArray::Array(_) => 9,
            MetaArray::U64(_) => 10,
            MetaArray::I64(_) => 11,
            MetaArray::F64(_) => 12,
        }
    }

    /// Element `i` as a scalar [`MetaValue`] (a string element is copied, a nested array cloned);
    /// `None` past the end. For whole arrays prefer the typed views ([`Self::as_strs`], …).
    pub fn get(&self, i: usize) -> Option<MetaValue> {
        Some(match self {
            MetaArray::U8(v) => MetaValue::U8(*v.get(i)?),
            MetaArray::I8(v) => MetaValue::I8(*v.get(i)?),
            MetaArray::U16(v) => MetaValue::U16(*v.get(i)?),
            MetaArray::I16(v) => MetaValue::I16(*v.get(i)?),
            MetaArray::U32(v) => MetaValue::U32(*v.get(i)?),
            MetaArray::I32(v) => MetaValue::I32(*v.get(i)?),
            MetaArray::F32(v) => MetaValue::F32(*v.get(i)?),
            MetaArray::Bool(v) => MetaValue::Bool(*v.get(i)?),
            MetaArray::Str(v) => MetaValue::String(v.get(i)?.to_owned()),
            MetaArray::Array(v) => MetaValue::Array(v.get(i)?.clone()),
            MetaArray::U64(v) => MetaValue::U64(*v.get(i)?),
            MetaArray::I64(v) => MetaValue::I64(*v.get(i)?),
            MetaArray::F64(v) => MetaValue::F64(*v.get(i)?),
        })
    }

    /// The strings, if this is an array of strings.
    pub fn as_strs(&self) -> Option<&StrArray> {
        match self {
            MetaArray::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The nested arrays, if this is an array of arrays.
    pub fn as_arrays(&self) -> Option<&[MetaArray]> {
        match self {
            MetaArray::Array(a) => Some(a),
            _ => None,
        }
    }
}

macro_rules! typed_views {
    ($($name:ident: $variant:ident($t:ty)),* $(,)?) => {
        impl MetaArray {
            $(
                #[doc = concat!("The elements, if they are `", stringify!($t), "`.")]
                pub fn $name(&self) -> Option<&[$t]> {
                    match self {
                        MetaArray::$variant(v) => Some(v),
                        _ => None,
                    }
                }
            )*
        }
    };
}

typed_views!(
    as_u8s: U8(u8),
    as_i8s: I8(i8),
    as_u16s: U16(u16),
    as_i16s: I16(i16),
    as_u32s: U32(u32),
    as_i32s: I32(i32),
    as_f32s: F32(f32),
    as_bools: Bool(bool),
    as_u64s: U64(u64),
    as_i64s: I64(i64),
    as_f64s: F64(f64),
);

/// Strings stored back to back in one UTF-8 buffer; string `i` is `text[ends[i - 1]..ends[i]]`.
/// Offsets are u32, so all strings together hold at most [`MAX_STRING_ARRAY_BYTES`] bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StrArray {
    text: String,
    ends: Vec<u32>,
}

impl StrArray {
    /// An empty array.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty array with room for `n` strings of `bytes` bytes in all.
    pub fn with_capacity(n: usize, bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(n),
        }
    }

    /// The array holding `strings` in order; `LimitExceeded` past [`MAX_STRING_ARRAY_BYTES`].
    pub fn from_strs<S: AsRef<str>>(
        strings: impl IntoIterator<Item = S>,
    ) -> Result<Self, FormatError> {
        let mut out = Self::new();
        for s in strings {
            out.push(s.as_ref())?;
        }
        Ok(out)
    }

    /// Appends `s`; `LimitExceeded` (and no change) if the buffer would pass
    /// [`MAX_STRING_ARRAY_BYTES`].
    pub fn push(&mut self, s: &str) -> Result<(), FormatError> {
        let end = (self.text.len() as u64).saturating_add(s.len() as u64);
        if end > MAX_STRING_ARRAY_BYTES {
            return Err(FormatError::LimitExceeded {
                what: "bytes of one metadata string array",
                value: end,
                limit: MAX_STRING_ARRAY_BYTES,
            });
        }
        self.text.push_str(s);
        self.ends.push(end as u32); // end <= MAX_STRING_ARRAY_BYTES = u32::MAX
        Ok(())
    }

    /// Releases spare capacity (after parsing, when the final size is known).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no strings.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Total bytes of all strings.
    pub fn total_bytes(&self) -> usize {
        self.text.len()
    }

    /// String `i`, or `None` past the end.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize,
        };
        // Every offset is the end of a pushed `&str`, hence a char boundary.
        self.text.get(start..end)
    }

    /// The strings in order.
    pub fn iter(&self) -> StrIter<'_> {
        StrIter {
            array: self,
            next: 0,
        }
    }
}

impl<'a> IntoIterator for &'a StrArray {
    type Item = &'a str;
    type IntoIter = StrIter<'a>;
    fn into_iter(self) -> StrIter<'a> {
        self.iter()
    }
}

/// Iterator over a [`StrArray`]'s strings.
#[derive(Debug, Clone)]
pub struct StrIter<'a> {
    array: &'a StrArray,
    next: usize,
}

impl<'a> Iterator for StrIter<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let s = self.array.get(self.next)?;
        self.next += 1;
        Some(s)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.array.len() - self.next;
        (n, Some(n))
    }
}

impl ExactSizeIterator for StrIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_come_back_in_order_including_empty_and_multibyte_ones() {
        let a = StrArray::from_strs(["a", "", "Ġthe", "🚀x"]).unwrap();
        assert_eq!(a.len(), 4);
        assert_eq!(a.total_bytes(), 1 + 5 + 5); // Ġ and 🚀 are 2 and 4 bytes
        assert_eq!(a.iter().collect::<Vec<_>>(), ["a", "", "Ġthe", "🚀x"]);
        assert_eq!(a.get(3), Some("🚀x"));
        assert_eq!(a.get(4), None);
        assert_eq!(a.iter().len(), 4);
    }

    #[test]
    fn a_typed_view_answers_only_for_its_own_type() {
        let a = MetaArray::I32(vec![1, -2]);
        assert_eq!(a.as_i32s(), Some(&[1, -2][..]));
        assert_eq!(a.as_u32s(), None);
        assert_eq!(a.as_strs(), None);
        assert_eq!(a.get(1), Some(MetaValue::I32(-2)));
        assert_eq!(a.get(2), None);
        assert_eq!(a.element_type(), 5);
    }
}
