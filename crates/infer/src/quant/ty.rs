//! [`GgmlType`]: the tensor element types this engine computes with, and ggml's ids for them.

use super::QuantError;

/// A GGML tensor element type that this engine supports.
///
/// The discriminant is ggml's `ggml_type` id as stored in GGUF files. Ids ggml defines for other
/// types are recognised by [`GgmlType::from_id`] and refused with
/// [`QuantError::UnsupportedType`] (naming the type); unknown ids with [`QuantError::UnknownType`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
#[allow(non_camel_case_types)] // reason: ggml's own type names (Q4_K), as users see them in GGUF tools
pub enum GgmlType {
    /// 32-bit float, one element per "block".
    F32 = 0,
    /// IEEE binary16, widened exactly to f32.
    F16 = 1,
    /// 32 elements: f16 `d`, 16 bytes of 4-bit `q`; `x = (q - 8) * d`.
    Q4_0 = 2,
    /// 32 elements: f16 `d`, f16 `m`, 16 bytes of 4-bit `q`; `x = q * d + m`.
    Q4_1 = 3,
    /// 32 elements: f16 `d`, 32 high bits, 16 bytes of low nibbles; `x = (q - 16) * d`.
    Q5_0 = 6,
    /// 32 elements: f16 `d`, 32 × i8 `q`; `x = q * d`.
    Q8_0 = 8,
    /// 256 elements: f16 `d`, f16 `dmin`, 12 bytes of 6-bit scales/mins, 128 bytes of nibbles.
    Q4_K = 12,
    /// 256 elements: 128 bytes low nibbles, 64 bytes high 2-bit pairs, 16 × i8 scales, f16 `d`.
    Q6_K = 14,
}

/// ggml ids this engine recognises but does not implement, with ggml's names.
const UNSUPPORTED: &[(u32, &str)] = &[
    (4, "Q4_2 (removed)"),
    (5, "Q4_3 (removed)"),
    (7, "Q5_1"),
    (9, "Q8_1"),
    (10, "Q2_K"),
    (11, "Q3_K"),
    (13, "Q5_K"),
    (15, "Q8_K"),
    (16, "IQ2_XXS"),
    (17, "IQ2_XS"),
    (18, "IQ3_XXS"),
    (19, "IQ1_S"),
    (20, "IQ4_NL"),
    (21, "IQ3_S"),
    (22, "IQ2_S"),
    (23, "IQ4_XS"),
    (24, "I8"),
    (25, "I16"),
    (26, "I32"),
    (27, "I64"),
    (28, "F64"),
    (29, "IQ1_M"),
    (30, "BF16"),
    (31, "Q4_0_4_4 (removed)"),
    (32, "Q4_0_4_8 (removed)"),
    (33, "Q4_0_8_8 (removed)"),
    (34, "TQ1_0"),
    (35, "TQ2_0"),
    (36, "IQ4_NL_4_4 (removed)"),
    (37, "IQ4_NL_4_8 (removed)"),
    (38, "IQ4_NL_8_8 (removed)"),
    (39, "MXFP4"),
];

impl GgmlType {
    /// Every supported type, in id order.
    pub const ALL: [GgmlType; 8] = [
        GgmlType::F32,
        GgmlType::F16,
        GgmlType::Q4_0,
        GgmlType::Q4_1,
        GgmlType::Q5_0,
        GgmlType::Q8_0,
        GgmlType::Q4_K,
        GgmlType::Q6_K,
    ];

    /// The type with ggml id `id`, or why it cannot be used.
    pub fn from_id(id: u32) -> Result<Self, QuantError> {
        if let Some(ty) = Self::ALL.into_iter().find(|t| t.id() == id) {
            return Ok(ty);
        }
        match UNSUPPORTED.iter().find(|(i, _)| *i == id) {
            Some(&(id, name)) => Err(QuantError::UnsupportedType { id, name }),
            None => Err(QuantError::UnknownType { id }),
        }
    }

    /// ggml's id for this type (the value stored in GGUF tensor infos).
    pub fn id(self) -> u32 {
        self as u32
    }

    /// ggml's name for this type.
    pub fn name(self) -> &'static str {
        match self {
            GgmlType::F32 => "F32",
            GgmlType::F16 => "F16",
            GgmlType::Q4_0 => "Q4_0",
            GgmlType::Q4_1 => "Q4_1",
            GgmlType::Q5_0 => "Q5_0",
            GgmlType::Q8_0 => "Q8_0",
            GgmlType::Q4_K => "Q4_K",
            GgmlType::Q6_K => "Q6_K",
        }
    }

    /// Elements per block (1 for the float types).
    pub fn block_elems(self) -> usize {
        match self {
            GgmlType::F32 | GgmlType::F16 => 1,
            GgmlType::Q4_0 | GgmlType::Q4_1 | GgmlType::Q5_0 | GgmlType::Q8_0 => 32,
            GgmlType::Q4_K | GgmlType::Q6_K => 256,
        }
    }

    /// Bytes per block.
    pub fn block_bytes(self) -> usize {
        use super::blocks::*;
        match self {
            GgmlType::F32 => 4,
            GgmlType::F16 => 2,
            GgmlType::Q4_0 => Q4_0_BYTES,
            GgmlType::Q4_1 => Q4_1_BYTES,
            GgmlType::Q5_0 => Q5_0_BYTES,
            GgmlType::Q8_0 => Q8_0_BYTES,
            GgmlType::Q4_K => Q4_K_BYTES,
            GgmlType::Q6_K => Q6_K_BYTES,
        }
    }

    /// Whether this type is quantized (its matrix-vector products take Q8 activations).
    pub fn is_quantized(self) -> bool {
        !matches!(self, GgmlType::F32 | GgmlType::F16)
    }

    /// Bytes that a row of `n` elements occupies; an error if `n` is not a whole number of
    /// blocks or the size overflows.
    pub fn row_bytes(self, n: usize) -> Result<usize, QuantError> {
        let block = self.block_elems();
        if !n.is_multiple_of(block) {
            return Err(QuantError::RowNotBlockAligned { ty: self, n, block });
        }
        (n / block)
            .checked_mul(self.block_bytes())
            .ok_or(QuantError::SizeOverflow { ty: self, n })
    }
}

impl std::fmt::Display for GgmlType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_sizes_match_ggml() {
        let sizes = [(0, 1, 4), (1, 1, 2), (2, 32, 18), (3, 32, 20), (6, 32, 22)];
        let sizes = sizes
            .iter()
            .chain(&[(8, 32, 34), (12, 256, 144), (14, 256, 210)]);
        for &(id, elems, bytes) in sizes {
            let ty = GgmlType::from_id(id).expect("supported");
            assert_eq!(
                (ty.id(), ty.block_elems(), ty.block_bytes()),
                (id, elems, bytes)
            );
        }
    }

    #[test]
    fn unsupported_and_unknown_ids_are_named_errors() {
        assert_eq!(
            GgmlType::from_id(13),
            Err(QuantError::UnsupportedType {
                id: 13,
                name: "Q5_K"
            })
        );
        assert_eq!(
            GgmlType::from_id(30).unwrap_err().to_string(),
            "GGML tensor type BF16 (id 30) is not supported"
        );
        assert_eq!(
            GgmlType::from_id(40),
            Err(QuantError::UnknownType { id: 40 })
        );
        assert_eq!(
            GgmlType::from_id(u32::MAX),
            Err(QuantError::UnknownType { id: u32::MAX })
        );
    }

    #[test]
    fn row_bytes_refuses_partial_blocks_and_overflow() {
        assert_eq!(GgmlType::Q4_1.row_bytes(576), Ok(18 * 20));
        assert_eq!(GgmlType::Q6_K.row_bytes(512), Ok(2 * 210));
        assert_eq!(GgmlType::F32.row_bytes(3), Ok(12));
        assert!(matches!(
            GgmlType::Q4_K.row_bytes(576),
            Err(QuantError::RowNotBlockAligned { .. })
        ));
        assert!(matches!(
            GgmlType::Q8_0.row_bytes(33),
            Err(QuantError::RowNotBlockAligned { .. })
        ));
        assert!(matches!(
            GgmlType::F32.row_bytes(usize::MAX),
            Err(QuantError::SizeOverflow { .. })
        ));
        assert!(matches!(
            GgmlType::Q8_0.row_bytes(usize::MAX / 32 * 32),
            Err(QuantError::SizeOverflow { .. })
        ));
    }
}
