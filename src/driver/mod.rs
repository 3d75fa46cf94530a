//! The top layer: the site across runs, `kagu build`/`check`, the dev server and the command
//! line.

pub mod build;
pub mod cli;
pub(crate) mod external;
pub(crate) mod init;
pub(crate) mod new;
pub mod serve;
pub mod site;
