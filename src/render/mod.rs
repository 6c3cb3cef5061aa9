//! Writers over results: terminal tables, CSV and JSON. They lay out and format; they compute
//! nothing.

pub mod csv;
pub mod doc;
pub mod json;
pub mod table;
pub mod views;

pub use doc::{Block, Cell, Doc, row};
