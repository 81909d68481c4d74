//! wicas-app integration tests: scenarios through the in-process test node.

mod mem_store;
mod node;

mod ante_rejections;
mod bank_send_moves_funds;
