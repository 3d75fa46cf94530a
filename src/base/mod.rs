//! The bottom layer: what every stage uses, on std and crates only. Files and the one reader of
//! text inputs, diagnostics, the TOML reader that keeps every field's place, the loop finder,
//! each render's budget.

pub mod address;
pub(crate) mod compact;
pub mod diag;
pub mod files;
pub mod guard;
pub(crate) mod loops;
pub mod markup;
pub(crate) mod paths;
pub(crate) mod text;
pub(crate) mod tomldoc;
