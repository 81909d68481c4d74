//! Integration tests of wicas-infer (one binary, modules by layer).

mod alloc_probe;
mod gguf_reader;
mod kernels;
mod quant;
mod support;
