//! Test support: where models and golden files live, and reading a model's metadata.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use wicas_infer::gguf::MetaValue;

/// `$WICAS_MODEL_DIR/<file>` (default `~/.cache/wicas/models`); panics with the fetch command when
/// the model is missing — model tests never skip.
pub fn model_path(file: &str, fetch_name: &str) -> PathBuf {
    let dir = std::env::var_os("WICAS_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default();
            home.join(".cache/wicas/models")
        });
    let path = dir.join(file);
    assert!(
        path.is_file(),
        "model {} is missing: run scripts/fetch-model {fetch_name}",
        path.display()
    );
    path
}

/// `$WICAS_GOLDEN_DIR`, else `shared/golden` beside the repository; panics when absent.
pub fn golden_dir() -> PathBuf {
    let dir = std::env::var_os("WICAS_GOLDEN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/golden"));
    assert!(
        dir.is_dir(),
        "golden directory {} is missing: set WICAS_GOLDEN_DIR to llama.cpp's reference outputs",
        dir.display()
    );
    dir
}

/// The metadata of a GGUF file (header and key/value section only; tensors are not read).
///
/// Until the crate's own GGUF reader lands this is a small test-only parser of the GGUF v3 layout:
/// magic, version, tensor count, kv count, then `key: string, type: u32, value`.
pub fn gguf_metadata(path: &Path) -> BTreeMap<String, MetaValue> {
    let mut r = BufReader::with_capacity(1 << 20, File::open(path).expect("open model"));
    let magic = read_n::<4>(&mut r);
    assert_eq!(&magic, b"GGUF", "{} is not a GGUF file", path.display());
    let version = u32::from_le_bytes(read_n(&mut r));
    assert!(version >= 2, "GGUF version {version} is too old");
    let _tensors = u64::from_le_bytes(read_n(&mut r));
    let kvs = u64::from_le_bytes(read_n(&mut r));
    let mut meta = BTreeMap::new();
    for _ in 0..kvs {
        let key = read_string(&mut r);
        let ty = u32::from_le_bytes(read_n(&mut r));
        meta.insert(key, read_value(&mut r, ty));
    }
    meta
}

fn read_n<const N: usize>(r: &mut impl Read) -> [u8; N] {
    let mut b = [0u8; N];
    r.read_exact(&mut b).expect("truncated GGUF metadata");
    b
}

fn read_string(r: &mut impl Read) -> String {
    let len = u64::from_le_bytes(read_n(r));
    assert!(len < 1 << 24, "GGUF string of {len} bytes");
    let mut b = vec![0u8; len as usize];
    r.read_exact(&mut b).expect("truncated GGUF string");
    String::from_utf8(b).expect("GGUF string is not UTF-8")
}

fn read_value(r: &mut impl Read, ty: u32) -> MetaValue {
    match ty {
        0 => MetaValue::U8(read_n::<1>(r)[0]),
        1 => MetaValue::I8(i8::from_le_bytes(read_n(r))),
        2 => MetaValue::U16(u16::from_le_bytes(read_n(r))),
        3 => MetaValue::I16(i16::from_le_bytes(read_n(r))),
        4 => MetaValue::U32(u32::from_le_bytes(read_n(r))),
        5 => MetaValue::I32(i32::from_le_bytes(read_n(r))),
        6 => MetaValue::F32(f32::from_le_bytes(read_n(r))),
        7 => MetaValue::Bool(read_n::<1>(r)[0] != 0),
        8 => MetaValue::String(read_string(r)),
        9 => {
            let elem = u32::from_le_bytes(read_n(r));
            let n = u64::from_le_bytes(read_n(r));
            assert!(n < 1 << 24, "GGUF array of {n} entries");
            MetaValue::Array((0..n).map(|_| read_value(r, elem)).collect())
        }
        10 => MetaValue::U64(u64::from_le_bytes(read_n(r))),
        11 => MetaValue::I64(i64::from_le_bytes(read_n(r))),
        12 => MetaValue::F64(f64::from_le_bytes(read_n(r))),
        _ => panic!("unknown GGUF value type {ty}"),
    }
}
