//! One integration test binary (links once), a module per area.

mod harness;

mod blocks;
mod bounded;
mod browser;
mod build;
mod citations;
mod citeproc;
mod claims;
mod deploy;
mod editions;
mod errors;
mod explainer;
mod external;
mod glossary;
mod guide;
mod hostile;
mod incremental;
mod install;
mod languages;
mod layers;
mod layout;
mod links;
mod mistakes;
mod props;
mod reading;
mod safety;
mod schema;
mod search;
mod serve;
mod theme;
mod timeline;
mod toolkit;
mod updates;
