//! Parses a GGUF file's header, metadata and tensor directory from bytes (GGUF spec,
//! ggml/docs/gguf.md): magic, version, tensor count, metadata count, key/value pairs, tensor infos,
//! padding to `general.alignment`, then the tensor data section.

use std::collections::BTreeMap;

use super::array::{MetaArray, StrArray};
use super::cursor::Cursor;
use super::error::FormatError;
use super::limits::{
    MAX_ALIGNMENT, MAX_ARRAY_DEPTH, MAX_ARRAY_LEN, MAX_DIMS, MAX_METADATA_KVS, MAX_STRING_BYTES,
    MAX_TENSOR_ELEMENTS, MAX_TENSOR_NAME_BYTES, MAX_TENSORS, MAX_TOTAL_VALUES,
};
use super::types::type_layout;
use super::value::MetaValue;

/// `GGUF` read as a little-endian u32.
pub const GGUF_MAGIC: u32 = 0x4655_4747;
/// The spec's default alignment of the data section and of every tensor offset.
pub const DEFAULT_ALIGNMENT: u64 = 32;

/// One entry of the tensor directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorInfo {
    /// Tensor name (`blk.0.attn_q.weight`).
    pub name: String,
    /// Dimensions, innermost (contiguous) first, as in ggml's `ne`.
    pub dims: Vec<u64>,
    /// ggml type id (see [`super::type_layout`]).
    pub type_id: u32,
    /// Offset of the data from the start of the data section.
    pub offset: u64,
    /// Number of elements (product of `dims`).
    pub n_elements: u64,
    /// Bytes of data.
    pub n_bytes: u64,
}

/// Everything in a GGUF file except the tensor bytes themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct GgufContent {
    /// GGUF version (2 or 3).
    pub version: u32,
    /// Metadata, by key.
    pub metadata: BTreeMap<String, MetaValue>,
    /// Tensor directory in file order.
    pub tensors: Vec<TensorInfo>,
    /// Alignment of the data section.
    pub alignment: u64,
    /// Offset of the data section from the start of the file.
    pub data_offset: u64,
}

/// Parses `bytes` (a whole GGUF file) and checks every tensor lies inside its data section.
pub fn parse(bytes: &[u8]) -> Result<GgufContent, FormatError> {
    let mut c = Cursor::new(bytes);
    let magic = c.u32()?;
    if magic != GGUF_MAGIC {
        return Err(FormatError::BadMagic { found: magic });
    }
    let version = c.u32()?;
    if !(2..=3).contains(&version) {
        return Err(FormatError::UnsupportedVersion(version));
    }
    let n_tensors = capped(c.u64()?, MAX_TENSORS, "tensor count")?;
    let n_kvs = capped(c.u64()?, MAX_METADATA_KVS, "metadata key count")?;

    let mut budget = MAX_TOTAL_VALUES;
    let mut metadata = BTreeMap::new();
    for _ in 0..n_kvs {
        let key = c.string(MAX_STRING_BYTES, "metadata key length")?;
        let type_id = c.u32()?;
        let value = read_value(&mut c, type_id, 0, &mut budget, &key)?;
        if metadata.contains_key(&key) {
            return Err(FormatError::DuplicateKey(key));
        }
        metadata.insert(key, value);
    }

    let alignment = alignment_of(&metadata)?;
    let mut tensors = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for _ in 0..n_tensors {
        let info = read_tensor_info(&mut c)?;
        if !names.insert(info.name.clone()) {
            return Err(FormatError::DuplicateTensor(info.name));
        }
        tensors.push(info);
    }

    // The data section starts at the next multiple of the alignment.
    let data_offset = c.position().div_ceil(alignment) * alignment;
    let data_len = (bytes.len() as u64).saturating_sub(data_offset);
    for t in &tensors {
        let end = t.offset.checked_add(t.n_bytes);
        let in_bounds = end.is_some_and(|e| e <= data_len);
        if !in_bounds || t.offset % alignment != 0 {
            return Err(FormatError::TensorOutOfBounds {
                tensor: t.name.clone(),
                start: t.offset,
                end: end.unwrap_or(u64::MAX),
                data_len,
            });
        }
    }
    Ok(GgufContent {
        version,
        metadata,
        tensors,
        alignment,
        data_offset,
    })
}

fn capped(value: u64, limit: u64, what: &'static str) -> Result<u64, FormatError> {
    if value > limit {
        return Err(FormatError::LimitExceeded { what, value, limit });
    }
    Ok(value)
}

fn alignment_of(metadata: &BTreeMap<String, MetaValue>) -> Result<u64, FormatError> {
    let Some(v) = metadata.get("general.alignment") else {
        return Ok(DEFAULT_ALIGNMENT);
    };
    match v.as_u64() {
        Some(a) if a.is_power_of_two() && a <= MAX_ALIGNMENT => Ok(a),
        _ => Err(FormatError::BadAlignment(format!("{v:?}"))),
    }
}

/// Reads one metadata value of type `type_id`. `depth` counts enclosing arrays; `budget` is the
/// number of values the whole file may still hold.
fn read_value(
    c: &mut Cursor<'_>,
    type_id: u32,
    depth: u32,
    budget: &mut u64,
    key: &str,
) -> Result<MetaValue, FormatError> {
    spend(budget, 1)?;
    Ok(match type_id {
        0 => MetaValue::U8(c.u8()?),
        1 => MetaValue::I8(c.u8()? as i8),
        2 => MetaValue::U16(c.u16()?),
        3 => MetaValue::I16(c.u16()? as i16),
        4 => MetaValue::U32(c.u32()?),
        5 => MetaValue::I32(c.u32()? as i32),
        6 => MetaValue::F32(f32::from_bits(c.u32()?)),
        7 => MetaValue::Bool(read_bool(c, key)?),
        8 => MetaValue::String(c.string(MAX_STRING_BYTES, "metadata string length")?),
        9 => MetaValue::Array(read_array(c, depth, budget, key)?),
        10 => MetaValue::U64(c.u64()?),
        11 => MetaValue::I64(c.u64()? as i64),
        12 => MetaValue::F64(f64::from_bits(c.u64()?)),
        _ => {
            return Err(FormatError::BadValueType {
                key: key.to_owned(),
                type_id,
            });
        }
    })
}

/// Takes `n` values from the file's budget.
fn spend(budget: &mut u64, n: u64) -> Result<(), FormatError> {
    *budget = budget.checked_sub(n).ok_or(FormatError::LimitExceeded {
        what: "total metadata values",
        value: MAX_TOTAL_VALUES + 1,
        limit: MAX_TOTAL_VALUES,
    })?;
    Ok(())
}

fn read_bool(c: &mut Cursor<'_>, key: &str) -> Result<bool, FormatError> {
    match c.u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(FormatError::BadValueType {
            key: key.to_owned(),
            type_id: 7,
        }),
    }
}

/// Reads `len` elements with `read` into a vector reserved up front: each element takes
/// `size_of::<T>()` bytes in the file too, and `len` was checked against the bytes that remain.
fn elements<'a, T>(
    c: &mut Cursor<'a>,
    len: u64,
    mut read: impl FnMut(&mut Cursor<'a>) -> Result<T, FormatError>,
) -> Result<Vec<T>, FormatError> {
    let mut out = Vec::with_capacity(len as usize);
    for _ in 0..len {
        out.push(read(c)?);
    }
    Ok(out)
}

/// Reads the body of an array value (element type, length, elements) found at nesting `depth`,
/// into the compact representation of its element type. Every element still counts against the
/// file's value budget, exactly as if it were a separate value.
fn read_array(
    c: &mut Cursor<'_>,
    depth: u32,
    budget: &mut u64,
    key: &str,
) -> Result<MetaArray, FormatError> {
    if depth >= MAX_ARRAY_DEPTH {
        return Err(FormatError::LimitExceeded {
            what: "metadata array nesting",
            value: u64::from(depth) + 1,
            limit: u64::from(MAX_ARRAY_DEPTH),
        });
    }
    let elem_type = c.u32()?;
    let len = capped(c.u64()?, MAX_ARRAY_LEN, "metadata array length")?;
    // Every element takes at least one byte: a length beyond the remaining bytes is a
    // truncation, caught here before the vector is reserved.
    if len > c.remaining() {
        return Err(FormatError::Truncated {
            offset: c.position(),
            needed: len,
            len: c.position() + c.remaining(),
        });
    }
    capped(len, *budget, "total metadata values")?;
    if elem_type != 9 {
        // Scalar and string elements take one value each; len <= budget was just checked.
        spend(budget, len)?;
    }
    let bad_type = || FormatError::BadValueType {
        key: key.to_owned(),
        type_id: elem_type,
    };
    Ok(match elem_type {
        0 => MetaArray::U8(elements(c, len, |c| c.u8())?),
        1 => MetaArray::I8(elements(c, len, |c| Ok(c.u8()? as i8))?),
        2 => MetaArray::U16(elements(c, len, |c| c.u16())?),
        3 => MetaArray::I16(elements(c, len, |c| Ok(c.u16()? as i16))?),
        4 => MetaArray::U32(elements(c, len, |c| c.u32())?),
        5 => MetaArray::I32(elements(c, len, |c| Ok(c.u32()? as i32))?),
        6 => MetaArray::F32(elements(c, len, |c| Ok(f32::from_bits(c.u32()?)))?),
        7 => MetaArray::Bool(elements(c, len, |c| read_bool(c, key))?),
        8 => {
            // One buffer for all strings: offsets reserved up front (each string takes at
            // least its 8-byte length in the file), text grown as read, then trimmed.
            let mut strings = StrArray::with_capacity(len as usize, 0);
            for _ in 0..len {
                strings.push(c.str(MAX_STRING_BYTES, "metadata string length")?)?;
            }
            strings.shrink_to_fit();
            MetaArray::Str(strings)
        }
        9 => {
            // A nested array takes at least 12 bytes in the file (type and length).
            let mut items = Vec::with_capacity((len.min(c.remaining() / 12)) as usize);
            for _ in 0..len {
                spend(budget, 1)?;
                items.push(read_array(c, depth + 1, budget, key)?);
            }
            MetaArray::Array(items)
        }
        10 => MetaArray::U64(elements(c, len, |c| c.u64())?),
        11 => MetaArray::I64(elements(c, len, |c| Ok(c.u64()? as i64))?),
        12 => MetaArray::F64(elements(c, len, |c| Ok(f64::from_bits(c.u64()?)))?),
        // An unknown element type is an error as soon as there is an element to read; an
        // empty array of it carries nothing and is kept as an empty byte array, as before.
        _ if len == 0 => MetaArray::U8(Vec::new()),
        _ => return Err(bad_type()),
    })
}

fn read_tensor_info(c: &mut Cursor<'_>) -> Result<TensorInfo, FormatError> {
    let name = c.string(MAX_TENSOR_NAME_BYTES, "tensor name length")?;
    let n_dims = c.u32()?;
    capped(
        u64::from(n_dims),
        u64::from(MAX_DIMS),
        "tensor dimension count",
    )?;
    let mut dims = Vec::with_capacity(n_dims as usize);
    for _ in 0..n_dims {
        dims.push(c.u64()?);
    }
    let type_id = c.u32()?;
    let offset = c.u64()?;
    let bad_shape = |why| FormatError::BadShape {
        tensor: name.clone(),
        dims: dims.clone(),
        why,
    };
    if dims.is_empty() || dims.contains(&0) {
        return Err(bad_shape("no dimensions or a zero dimension"));
    }
    let mut n_elements: u64 = 1;
    for &d in &dims {
        n_elements = n_elements
            .checked_mul(d)
            .filter(|&n| n <= MAX_TENSOR_ELEMENTS)
            .ok_or_else(|| bad_shape("more elements than the reader allows (2^40)"))?;
    }
    let layout = type_layout(type_id).ok_or_else(|| FormatError::UnsupportedTensorType {
        tensor: name.clone(),
        type_id,
    })?;
    if dims[0] % layout.block_elems != 0 {
        return Err(bad_shape("rows do not fill whole blocks of the type"));
    }
    // n_elements <= 2^40 and block_bytes <= 292, so this cannot overflow.
    let n_bytes = n_elements / layout.block_elems * layout.block_bytes;
    Ok(TensorInfo {
        name,
        dims,
        type_id,
        offset,
        n_elements,
        n_bytes,
    })
}
