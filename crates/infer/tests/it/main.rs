//! wicas-infer integration tests: one binary, one module per layer.

mod alloc_probe;
mod gguf_reader;
