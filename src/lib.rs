//! dipgraph keeps and questions a diplomatic-relations knowledge graph: states, organizations,
//! people and the dated facts between them, kept as RON files in git.
//!
//! The library never prints. Layers, bottom to top: [`model`] and [`diag`]; [`load`] and
//! [`graph`]; [`validate`], [`query`], [`import`] and [`synth`]; [`cache`]; [`render`]; the
//! binary's `cli` on top.

pub mod cache;
pub mod diag;
pub mod graph;
pub mod import;
pub mod load;
pub mod model;
pub mod query;
pub mod render;
pub mod store;
pub mod synth;
pub mod validate;
