//! Caps on every count, length and offset read from an untrusted GGUF file (CONVENTIONS section 7).
//!
//! Each cap is far above what any real model needs and low enough that a hostile file cannot make
//! the reader allocate more than a small multiple of the file's own size. Lengths are also checked
//! against the bytes that remain before anything is allocated.

/// Most tensors in one file. Llama-3-405B has about 1,100; 65,536 leaves room for any real model.
pub const MAX_TENSORS: u64 = 1 << 16;

/// Most metadata key/value pairs. Real files carry a few dozen.
pub const MAX_METADATA_KVS: u64 = 1 << 16;

/// Longest string (key, value or tensor name), in bytes. The longest real strings are chat
/// templates (tens of KiB); 1 MiB bounds the per-string allocation.
pub const MAX_STRING_BYTES: u64 = 1 << 20;

/// Most elements in one metadata array. Vocabularies reach 262,144 tokens (Gemma 3) and merge
/// lists about as many; 4 Mi elements leaves a wide margin.
pub const MAX_ARRAY_LEN: u64 = 1 << 22;

/// Most metadata values in the whole file, counting every array element. An array element takes
/// at most 8 bytes decoded (plus its string bytes, which the file itself holds; a nested array
/// ~56 bytes but at least 12 in the file), so this bounds the metadata's memory at ~32 MiB plus
/// the file's own string bytes. Qwen2.5 uses about 460,000.
pub const MAX_TOTAL_VALUES: u64 = 1 << 22;

/// Most bytes of all the strings of one metadata array together: a string array is one buffer
/// with u32 offsets (decision 0156). Real vocabularies and merge lists take 1–3 MiB.
pub const MAX_STRING_ARRAY_BYTES: u64 = u32::MAX as u64;

/// Deepest nesting of arrays inside arrays. No real file nests at all; 2 tolerates one level.
pub const MAX_ARRAY_DEPTH: u32 = 2;

/// Most dimensions of a tensor (ggml's GGML_MAX_DIMS).
pub const MAX_DIMS: u32 = 4;

/// Longest tensor name in bytes. ggml's GGML_MAX_NAME is 64; 256 tolerates longer writers.
pub const MAX_TENSOR_NAME_BYTES: u64 = 256;

/// Largest allowed `general.alignment` (a power of two). The spec default is 32; 64 KiB covers
/// page-aligned writers.
pub const MAX_ALIGNMENT: u64 = 1 << 16;

/// Most elements in one tensor: 2^40 (a trillion) is beyond any single tensor of a real model and
/// keeps every byte-size product far from u64 overflow.
pub const MAX_TENSOR_ELEMENTS: u64 = 1 << 40;
