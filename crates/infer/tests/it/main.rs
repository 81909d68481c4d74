//! Integration tests of wicas-infer against real model files and llama.cpp's reference outputs.

mod support;
mod tokenizer;
