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
        rows: Vec<Vec<Cell>>,
    },
    /// A line of text.
    Text(String),
}

/// A table cell: the text a terminal shows, and the whole value where the text is shortened
/// (a long title cut with `…`, sources cited as `[1][2]`), which CSV writes instead.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// What a terminal table shows.
    pub text: String,
    /// The whole value, where `text` abbreviates it.
    pub full: Option<String>,
}

impl Cell {
    /// A cell showing `text` for the whole value `full`.
    pub fn abbreviated(text: String, full: String) -> Cell {
        let full = (full != text).then_some(full);
        Cell { text, full }
    }

    /// The whole value.
    pub fn value(&self) -> &str {
        self.full.as_deref().unwrap_or(&self.text)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell { text, full: None }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_string())
    }
}

/// A row of cells from anything that converts.
pub fn row<T: Into<Cell>>(cells: impl IntoIterator<Item = T>) -> Vec<Cell> {
    cells.into_iter().map(Into::into).collect()
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
    pub fn main_table(&self) -> Option<(&[String], &[Vec<Cell>])> {
        self.blocks.iter().find_map(|b| match b {
            Block::Table { headers, rows } => Some((headers.as_slice(), rows.as_slice())),
            _ => None,
        })
    }
}
