//! Storage layout of the ggml tensor types a GGUF file may declare (ggml's `ggml_type` table).
//!
//! The reader only needs each type's block shape to check that a tensor fits in the file; the
//! arithmetic on the blocks lives in the kernels.

/// How a tensor type stores elements: `block_elems` values in `block_bytes` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeLayout {
    /// ggml's name for the type (`Q4_K`, `F16`, ...).
    pub name: &'static str,
    /// Elements per block.
    pub block_elems: u64,
    /// Bytes per block.
    pub block_bytes: u64,
}

/// The layout of ggml type id `type_id`, or `None` for ids this engine does not know.
/// Sources: ggml/src/ggml.c `type_traits` and ggml-common.h block structs.
pub fn type_layout(type_id: u32) -> Option<TypeLayout> {
    let (name, block_elems, block_bytes) = match type_id {
        0 => ("F32", 1, 4),
        1 => ("F16", 1, 2),
        2 => ("Q4_0", 32, 18),
        3 => ("Q4_1", 32, 20),
        6 => ("Q5_0", 32, 22),
        7 => ("Q5_1", 32, 24),
        8 => ("Q8_0", 32, 34),
        9 => ("Q8_1", 32, 36),
        10 => ("Q2_K", 256, 84),
        11 => ("Q3_K", 256, 110),
        12 => ("Q4_K", 256, 144),
        13 => ("Q5_K", 256, 176),
        14 => ("Q6_K", 256, 210),
        15 => ("Q8_K", 256, 292),
        30 => ("BF16", 1, 2),
        _ => return None,
    };
    Some(TypeLayout {
        name,
        block_elems,
        block_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_type_ids_have_no_layout() {
        assert!(type_layout(4).is_none()); // removed Q4_2
        assert!(type_layout(u32::MAX).is_none());
        assert_eq!(type_layout(12).map(|l| l.block_bytes), Some(144));
    }
}
