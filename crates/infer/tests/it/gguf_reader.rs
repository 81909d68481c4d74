//! GGUF reader: round trips through the writer, and hostile files. Bad input tried: a missing
//! file, a directory, wrong magic, GGUF v1 and v4, every truncation of a valid file, huge counts
//! and lengths, unknown value and tensor types, out-of-bounds and misaligned tensors, duplicate
//! keys, a bad alignment, and thousands of seeded random mutations.

use wicas_infer::gguf::{
    FormatError, GgufError, GgufFile, GgufWriter, MetaArray, MetaValue, StrArray, parse,
};
use wicas_infer::testing::SplitMix;

use crate::alloc_probe::largest_allocation;

fn sample_file() -> Vec<u8> {
    let mut w = GgufWriter::new();
    w.meta("general.architecture", MetaValue::String("llama".into()))
        .meta("llama.block_count", MetaValue::U32(2))
        .meta("general.flag", MetaValue::Bool(true))
        .meta("some.f64", MetaValue::F64(-1.5))
        .meta(
            "tokenizer.ggml.tokens",
            MetaValue::Array(MetaArray::Str(StrArray::from_strs(["a", "bc"]).unwrap())),
        )
        .meta(
            "nested",
            MetaValue::Array(MetaArray::Array(vec![MetaArray::I16(vec![-3])])),
        )
        .tensor_f32("a", &[4, 2], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
        .tensor("b", &[32], 8, vec![7u8; 34]);
    w.to_bytes()
}

#[test]
fn a_written_file_reads_back_identically() {
    let bytes = sample_file();
    let f = GgufFile::from_bytes("sample.gguf", bytes).unwrap();
    assert_eq!(f.version(), 3);
    assert_eq!(f.metadata()["llama.block_count"], MetaValue::U32(2));
    assert_eq!(f.metadata()["some.f64"], MetaValue::F64(-1.5));
    assert_eq!(f.tensors().len(), 2);
    let a = f.tensor("a").unwrap();
    assert_eq!(a.dims, vec![4, 2]);
    assert_eq!(f.tensor_data(a).len(), 32);
    assert_eq!(&f.tensor_data(a)[4..8], &2.0f32.to_le_bytes());
    let b = f.tensor("b").unwrap();
    assert_eq!(b.offset % 32, 0);
    assert_eq!(f.tensor_data(b), &[7u8; 34][..]);
}

#[test]
fn arrays_read_back_compactly_with_their_element_types() {
    let mut w = GgufWriter::new();
    w.meta(
        "strs",
        MetaValue::Array(MetaArray::Str(
            StrArray::from_strs(["", "Ġthe", "🚀"]).unwrap(),
        )),
    )
    .meta("empty", MetaValue::Array(MetaArray::Str(StrArray::new())))
    .meta("i32s", MetaValue::Array(MetaArray::I32(vec![-1, 0, 7])))
    .meta("f32s", MetaValue::Array(MetaArray::F32(vec![0.5, -2.0])))
    .meta(
        "bools",
        MetaValue::Array(MetaArray::Bool(vec![true, false])),
    )
    .meta("u64s", MetaValue::Array(MetaArray::U64(vec![u64::MAX])));
    let content = parse(&w.to_bytes()).unwrap();
    let m = &content.metadata;
    let strs = m["strs"].as_str_array().unwrap();
    assert_eq!(strs.iter().collect::<Vec<_>>(), ["", "Ġthe", "🚀"]);
    assert_eq!(m["empty"].as_str_array().map(|a| a.len()), Some(0));
    let ints = m["i32s"].as_array().unwrap();
    assert_eq!(ints.as_i32s(), Some(&[-1, 0, 7][..]));
    assert_eq!(ints.as_strs(), None, "an i32 array is not a string array");
    assert_eq!(ints.get(0), Some(MetaValue::I32(-1)));
    let floats = m["f32s"].as_array().and_then(|a| a.as_f32s());
    assert_eq!(floats, Some(&[0.5, -2.0][..]));
    assert_eq!(
        m["bools"].as_array().and_then(|a| a.as_bools()),
        Some(&[true, false][..])
    );
    assert_eq!(
        m["u64s"].as_array().and_then(|a| a.as_u64s()),
        Some(&[u64::MAX][..])
    );
    let f = GgufFile::from_bytes("sample.gguf", sample_file()).unwrap();
    let nested = f.metadata()["nested"].as_array().unwrap().as_arrays();
    assert_eq!(nested, Some(&[MetaArray::I16(vec![-3])][..]));
    assert_eq!(
        f.metadata()["tokenizer.ggml.tokens"]
            .as_str_array()
            .map(|a| a.iter().collect::<Vec<_>>()),
        Some(vec!["a", "bc"])
    );
}

#[test]
fn a_string_array_element_with_bad_utf8_or_a_bad_bool_element_is_refused() {
    let mut w = GgufWriter::new();
    w.meta(
        "s",
        MetaValue::Array(MetaArray::Str(StrArray::from_strs(["ab"]).unwrap())),
    );
    let mut bytes = w.to_bytes();
    let at = bytes.windows(2).position(|p| p == b"ab").unwrap();
    bytes[at] = 0xFF;
    assert!(matches!(
        parse(&bytes),
        Err(FormatError::InvalidUtf8 { .. })
    ));
    let mut w = GgufWriter::new();
    w.meta("b", MetaValue::Array(MetaArray::Bool(vec![true])));
    let mut bytes = w.to_bytes();
    // key (8 + 1) then type, element type and length: the element is the byte after them.
    let at = 24 + 9 + 4 + 4 + 8;
    assert_eq!(bytes[at], 1);
    bytes[at] = 2;
    assert!(matches!(
        parse(&bytes),
        Err(FormatError::BadValueType { type_id: 7, .. })
    ));
}

#[test]
fn a_file_on_disk_is_memory_mapped_and_read() {
    let dir = std::env::temp_dir().join(format!("wicas-gguf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("m.gguf");
    std::fs::write(&path, sample_file()).unwrap();
    let f = GgufFile::open(&path).unwrap();
    assert_eq!(f.tensors().len(), 2);
    let mut calls = 0;
    f.prefault(|done, total| {
        calls += 1;
        assert!(done <= total);
    });
    assert!(calls >= 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_file_or_a_directory_is_an_io_error_naming_the_path() {
    let err = GgufFile::open("/nonexistent/model.gguf").unwrap_err();
    assert!(matches!(err, GgufError::Io { .. }));
    assert!(err.to_string().contains("/nonexistent/model.gguf"), "{err}");
    let err = GgufFile::open(std::env::temp_dir()).unwrap_err();
    assert!(matches!(err, GgufError::Io { .. }), "{err}");
}

#[test]
fn wrong_magic_and_unsupported_versions_are_refused() {
    let mut bytes = sample_file();
    bytes[0] = b'X';
    assert!(matches!(parse(&bytes), Err(FormatError::BadMagic { .. })));
    for v in [1u32, 4, u32::MAX] {
        let mut bytes = sample_file();
        bytes[4..8].copy_from_slice(&v.to_le_bytes());
        assert_eq!(parse(&bytes), Err(FormatError::UnsupportedVersion(v)));
    }
    let err = GgufFile::from_bytes("x.gguf", b"GGML".to_vec()).unwrap_err();
    assert!(
        err.to_string().starts_with("x.gguf: not a GGUF file"),
        "{err}"
    );
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    let bytes = sample_file();
    let data_start = bytes.len() - 64; // the two tensors' padded data
    for len in 0..data_start {
        assert!(
            parse(&bytes[..len]).is_err(),
            "prefix of {len} bytes parsed"
        );
    }
    // Cutting into the tensor data is a tensor-out-of-bounds error.
    let err = parse(&bytes[..bytes.len() - 40]).unwrap_err();
    assert!(
        matches!(err, FormatError::TensorOutOfBounds { .. }),
        "{err}"
    );
}

#[test]
fn huge_counts_are_refused_by_their_named_limits() {
    let mut bytes = sample_file();
    bytes[8..16].copy_from_slice(&u64::MAX.to_le_bytes()); // tensor count
    assert!(matches!(
        parse(&bytes),
        Err(FormatError::LimitExceeded {
            what: "tensor count",
            ..
        })
    ));
    let mut bytes = sample_file();
    bytes[16..24].copy_from_slice(&(1u64 << 40).to_le_bytes()); // metadata count
    assert!(matches!(
        parse(&bytes),
        Err(FormatError::LimitExceeded { .. })
    ));
}

#[test]
fn bad_tensor_entries_are_refused() {
    let mut w = GgufWriter::new();
    w.tensor("t", &[8], 99, vec![0; 32]);
    assert!(matches!(
        parse(&w.to_bytes()),
        Err(FormatError::UnsupportedTensorType { type_id: 99, .. })
    ));
    let mut w = GgufWriter::new();
    w.tensor("t", &[33], 2, vec![0; 36]); // Q4_0 rows must be multiples of 32
    assert!(matches!(
        parse(&w.to_bytes()),
        Err(FormatError::BadShape { .. })
    ));
    let mut w = GgufWriter::new();
    w.tensor("t", &[u64::MAX, 2], 0, vec![]);
    assert!(matches!(
        parse(&w.to_bytes()),
        Err(FormatError::BadShape { .. })
    ));
    let mut w = GgufWriter::new();
    w.tensor_f32("t", &[1], &[1.0])
        .tensor_f32("t", &[1], &[1.0]);
    assert!(matches!(
        parse(&w.to_bytes()),
        Err(FormatError::DuplicateTensor(_))
    ));
    let mut w = GgufWriter::new();
    w.meta("k", MetaValue::U8(1)).meta("k", MetaValue::U8(2));
    assert!(matches!(
        parse(&w.to_bytes()),
        Err(FormatError::DuplicateKey(_))
    ));
    let mut w = GgufWriter::new();
    w.meta("general.alignment", MetaValue::U32(3));
    assert!(matches!(
        parse(&w.to_bytes()),
        Err(FormatError::BadAlignment(_))
    ));
}

#[test]
fn a_tensor_offset_past_the_end_or_misaligned_is_out_of_bounds() {
    let mut w = GgufWriter::new();
    w.tensor_f32("t", &[2], &[1.0, 2.0]);
    let bytes = w.to_bytes();
    // The offset is the last u64 of the tensor info, just before the padding to 32.
    let info_end = 24 + 8 + 1 + 4 + 8 + 4 + 8;
    for bad in [8u64, 1 << 20, u64::MAX] {
        let mut b = bytes.clone();
        b[info_end - 8..info_end].copy_from_slice(&bad.to_le_bytes());
        assert!(
            matches!(parse(&b), Err(FormatError::TensorOutOfBounds { .. })),
            "offset {bad}"
        );
    }
}

#[test]
fn seeded_random_mutations_never_panic_nor_allocate_much() {
    let base = sample_file();
    let mut rng = SplitMix(0x5EED);
    let mut accepted = 0;
    for case in 0..4000 {
        let mut b = base.clone();
        match case % 4 {
            // flip random bytes
            0 => {
                for _ in 0..1 + rng.below(4) {
                    let i = rng.below(b.len());
                    b[i] = rng.next_u64() as u8;
                }
            }
            // overwrite an aligned-anywhere u64 with a hostile size
            1 => {
                let i = rng.below(b.len() - 8);
                let v = [u64::MAX, 1 << 32, 1 << 22, 1 << 20, rng.next_u64()][rng.below(5)];
                b[i..i + 8].copy_from_slice(&v.to_le_bytes());
            }
            // truncate, then maybe flip
            2 => {
                b.truncate(rng.below(b.len()));
                if !b.is_empty() {
                    let i = rng.below(b.len());
                    b[i] ^= 0xFF;
                }
            }
            // overwrite a u32 (type ids, dimension counts)
            _ => {
                let i = rng.below(b.len() - 4);
                let v = [9u32, 12, 13, u32::MAX, rng.next_u64() as u32][rng.below(5)];
                b[i..i + 4].copy_from_slice(&v.to_le_bytes());
            }
        }
        let (result, largest) = largest_allocation(|| parse(&b));
        accepted += usize::from(result.is_ok());
        // A decoded value is at most 32 bytes per input byte; nothing may exceed that by much.
        assert!(
            largest <= 64 * b.len() + 4096,
            "case {case}: allocated {largest} bytes"
        );
    }
    assert!(accepted < 4000, "mutations must be noticed");
}
