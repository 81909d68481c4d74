//! Integration tests of wicas-infer (one binary, modules by layer).

mod alloc_probe;
mod determinism;
mod engine_tiny;
mod fixtures;
mod gguf_reader;
mod golden;
mod kernels;
mod kernels_real;
mod llama2c;
mod model_files;
mod quant;
mod support;
mod tokenizer;
mod tokenizer_hostile;
mod tokenizer_reference;
mod tokenizer_spm;
