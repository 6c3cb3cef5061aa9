//! Writers over results: terminal tables, CSV, JSON and Markdown; DOT, GraphML and JSON graph
//! exports; pictures (through Graphviz, or a pure-Rust renderer), and the interactive timeline
//! page. They lay out and format; they compute nothing.

pub mod csv;
pub mod doc;
pub mod dot;
pub mod edges_csv;
pub mod export_json;
pub mod graphml;
pub mod json;
pub mod markdown;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod picture;
pub mod style;
pub mod table;
pub mod timeline;
pub mod views;

pub use doc::{Block, Cell, Doc, Rows, row};
