//! One integration test binary (links once), a module per area.

mod harness;

mod build;
mod citations;
mod errors;
mod links;
