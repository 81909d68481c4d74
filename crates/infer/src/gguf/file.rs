//! A GGUF file opened for inference: memory-mapped, parsed once, tensor bytes borrowed from the map.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use memmap2::Mmap;

use super::error::GgufError;
use super::parse::{GgufContent, TensorInfo, parse};
use super::value::MetaValue;

/// Where the file's bytes live.
#[derive(Debug)]
enum Bytes {
    /// The file mapped read-only: weights are paged in on demand, never copied.
    Mapped(Mmap),
    /// Bytes already in memory (tests, tiny generated models).
    Owned(Vec<u8>),
}

/// A parsed GGUF file whose tensor data stays in the file's memory map.
#[derive(Debug)]
pub struct GgufFile {
    path: PathBuf,
    bytes: Bytes,
    content: GgufContent,
    by_name: BTreeMap<String, usize>,
}

impl GgufFile {
    /// Maps and parses the file at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, GgufError> {
        let path = path.as_ref().to_path_buf();
        let io = |source| GgufError::Io {
            path: path.clone(),
            source,
        };
        let file = std::fs::File::open(&path).map_err(io)?;
        if file.metadata().map_err(io)?.is_dir() {
            return Err(io(std::io::Error::other("is a directory")));
        }
        // SAFETY: the map is read-only and private to this process. The one hazard memmap2
        // documents is another process truncating or rewriting the file while it is mapped; model
        // files are registered by SHA-256 and never written in place, and this is the documented
        // exception to the crate's `unsafe` ban (docs/decisions/0150): copying gigabytes of weights
        // into RAM instead would double the node's memory.
        #[allow(unsafe_code)]
        let map = unsafe { Mmap::map(&file) }.map_err(io)?;
        Self::from_parts(path, Bytes::Mapped(map))
    }

    /// Parses a GGUF file held in memory (`path` is only used in error messages).
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Result<Self, GgufError> {
        Self::from_parts(path.into(), Bytes::Owned(bytes))
    }

    fn from_parts(path: PathBuf, bytes: Bytes) -> Result<Self, GgufError> {
        let raw: &[u8] = match &bytes {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        };
        let content = parse(raw).map_err(|reason| GgufError::Format {
            path: path.clone(),
            reason,
        })?;
        let by_name = content
            .tensors
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        Ok(Self {
            path,
            bytes,
            content,
            by_name,
        })
    }

    fn raw(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Total file size in bytes.
    pub fn len(&self) -> u64 {
        self.raw().len() as u64
    }

    /// Whether the file is empty (never true for a parsed file).
    pub fn is_empty(&self) -> bool {
        self.raw().is_empty()
    }

    /// GGUF version (2 or 3).
    pub fn version(&self) -> u32 {
        self.content.version
    }

    /// All metadata.
    pub fn metadata(&self) -> &BTreeMap<String, MetaValue> {
        &self.content.metadata
    }

    /// The tensor directory in file order.
    pub fn tensors(&self) -> &[TensorInfo] {
        &self.content.tensors
    }

    /// A tensor's directory entry by name.
    pub fn tensor(&self, name: &str) -> Option<&TensorInfo> {
        self.by_name.get(name).map(|&i| &self.content.tensors[i])
    }

    /// A tensor's bytes. `info` must come from this file (its bounds were checked when parsing).
    pub fn tensor_data(&self, info: &TensorInfo) -> &[u8] {
        let start = self.content.data_offset + info.offset;
        let end = start + info.n_bytes;
        self.raw()
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// Reads one byte of every page of the tensor data so that the first inference does not stall
    /// on page faults; `progress(done, total)` is called as it goes (a load progress bar).
    /// Returns a checksum-like value only so the reads cannot be optimised away.
    pub fn prefault(&self, mut progress: impl FnMut(u64, u64)) -> u8 {
        const PAGE: usize = 4096;
        const REPORT_EVERY: usize = 16 << 20;
        let data = self.raw();
        let total = data.len() as u64;
        let mut acc = 0u8;
        let mut next_report = 0usize;
        for (i, b) in data.iter().step_by(PAGE).enumerate() {
            acc ^= *b;
            let at = i * PAGE;
            if at >= next_report {
                progress(at as u64, total);
                next_report = at + REPORT_EVERY;
            }
        }
        progress(total, total);
        acc
    }
}
