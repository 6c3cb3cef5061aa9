//! A small document model that every result is laid out into before it is written as a
//! table or CSV: headings, field lists, tables and notes.

/// One part of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading line.
    Heading(String),
    /// `label: value` lines.
    Fields(Vec<(String, String)>),
    /// A table with a header row.
    Table {
        /// Column names.
        headers: Vec<String>,
        /// Rows, as many cells as headers.
        rows: Vec<Vec<String>>,
    },
    /// A line of text.
    Text(String),
}

/// A laid-out result.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Doc {
    /// Its blocks in order.
    pub blocks: Vec<Block>,
}

impl Doc {
    /// Adds a block.
    pub fn push(&mut self, b: Block) -> &mut Doc {
        self.blocks.push(b);
        self
    }

    /// The first table, for CSV.
    pub fn main_table(&self) -> Option<(&[String], &[Vec<String>])> {
        self.blocks.iter().find_map(|b| match b {
            Block::Table { headers, rows } => Some((headers.as_slice(), rows.as_slice())),
            _ => None,
        })
    }
}
