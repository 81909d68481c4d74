//! Integration tests of wicas-infer (one binary, modules by layer).

mod kernels;
mod quant;
mod support;
