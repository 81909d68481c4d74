//! Integration tests of wicas-infer (one binary, modules by layer).

mod alloc_probe;
mod gguf_reader;
mod kernels;
mod llama2c;
mod model_files;
mod quant;
mod support;
mod tokenizer;
mod tokenizer_reference;
