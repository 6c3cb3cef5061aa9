//! A small document model that every result is laid out into before it is written as a
//! table or CSV: headings, field lists, tables and notes. A large table's rows are made one at a
//! time as they are written, from the answer they show, and never held all at once as cells.

use std::fmt;

/// One part of a document.
#[derive(Debug)]
pub enum Block<'a> {
    /// A heading line.
    Heading(String),
    /// `label: value` lines.
    Fields(Fields<'a>),
    /// A table with a header row.
    Table {
        /// Column names.
        headers: Vec<String>,
        /// Rows, as many cells as headers.
        rows: Rows<'a>,
    },
    /// A line of text.
    Text(String),
}

/// Items of a block: a list, or made from the answer each time they are written (a table of a
/// million rows is laid out twice, measured and then written, and never held).
pub enum Items<'a, T> {
    /// Items already made.
    List(Vec<T>),
    /// `count` items, item `i` made by `make(i)` each time it is wanted.
    Made {
        /// How many items.
        count: usize,
        /// Makes item `i` (`i < count`); from several threads at once for long lists.
        make: Box<dyn Fn(usize) -> T + Sync + 'a>,
        /// The widths a layout measures the items for, when known beforehand (see
        /// [`Items::made_measured`]).
        widths: Option<Vec<usize>>,
    },
}

/// Lists made on demand are made on every core from this many items on.
const PARALLEL_FROM: usize = 4096;

/// How many items are made at a time.
const RUN: usize = 8192;

/// The rows of a table, as cells.
pub type Rows<'a> = Items<'a, Vec<Cell>>;

/// `label: value` lines.
pub type Fields<'a> = Items<'a, (String, String)>;

impl<'a, T> Items<'a, T> {
    /// Items made by `make(i)` for each `i` below `count`, when they are written.
    pub fn made(count: usize, make: impl Fn(usize) -> T + Sync + 'a) -> Items<'a, T> {
        Items::Made {
            count,
            make: Box::new(make),
            widths: None,
        }
    }

    /// [`Items::made`], with the widths a terminal layout would measure them for, found while
    /// they were made for another reason (see `render::table::measure`): they are then made
    /// once when written, not twice.
    pub fn made_measured(
        count: usize,
        widths: Vec<usize>,
        make: impl Fn(usize) -> T + Sync + 'a,
    ) -> Items<'a, T> {
        Items::Made {
            count,
            make: Box::new(make),
            widths: Some(widths),
        }
    }

    /// The widths given with the items, if any.
    pub fn known_widths(&self) -> Option<&[usize]> {
        match self {
            Items::Made {
                widths: Some(w), ..
            } => Some(w),
            _ => None,
        }
    }

    /// How many items.
    pub fn len(&self) -> usize {
        match self {
            Items::List(items) => items.len(),
            Items::Made { count, .. } => *count,
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` with each item in order, until it fails. Long lists of items made on demand
    /// are made a run at a time on every core, and given to `f` in order.
    pub fn try_each<E>(&self, mut f: impl FnMut(&T) -> Result<(), E>) -> Result<(), E>
    where
        T: Send,
    {
        match self {
            Items::List(items) => items.iter().try_for_each(f),
            Items::Made { count, make, .. } if *count < PARALLEL_FROM => {
                (0..*count).try_for_each(|i| f(&make(i)))
            }
            Items::Made { count, make, .. } => {
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
                let mut run = Vec::with_capacity(RUN);
                for start in (0..*count).step_by(RUN) {
                    let end = (start + RUN).min(*count);
                    let share = (end - start).div_ceil(threads);
                    run.clear();
                    std::thread::scope(|s| {
                        let parts: Vec<_> = (start..end)
                            .step_by(share)
                            .map(|a| {
                                s.spawn(move || {
                                    (a..(a + share).min(end)).map(make).collect::<Vec<T>>()
                                })
                            })
                            .collect();
                        for p in parts {
                            if let Ok(items) = p.join() {
                                run.extend(items);
                            }
                        }
                    });
                    run.iter().try_for_each(&mut f)?;
                }
                Ok(())
            }
        }
    }

    /// Calls `f` with each item in order.
    pub fn each(&self, mut f: impl FnMut(&T))
    where
        T: Send,
    {
        let done: Result<(), std::convert::Infallible> = self.try_each(|r| {
            f(r);
            Ok(())
        });
        let Ok(()) = done;
    }

    /// Every item, made now (for tests and small blocks).
    pub fn to_vec(&self) -> Vec<T>
    where
        T: Clone + Send,
    {
        let mut out = Vec::with_capacity(self.len());
        self.each(|r| out.push(r.clone()));
        out
    }
}

impl<T> From<Vec<T>> for Items<'_, T> {
    fn from(items: Vec<T>) -> Self {
        Items::List(items)
    }
}

impl<T> FromIterator<T> for Items<'_, T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        Items::List(items.into_iter().collect())
    }
}

impl<T: fmt::Debug> fmt::Debug for Items<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Items::List(items) => f.debug_tuple("List").field(items).finish(),
            Items::Made { count, .. } => write!(f, "Made({count} items)"),
        }
    }
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
#[derive(Debug, Default)]
pub struct Doc<'a> {
    /// Its blocks in order.
    pub blocks: Vec<Block<'a>>,
}

impl<'a> Doc<'a> {
    /// Adds a block.
    pub fn push(&mut self, b: Block<'a>) -> &mut Doc<'a> {
        self.blocks.push(b);
        self
    }

    /// The first table, for CSV.
    pub fn main_table(&self) -> Option<(&[String], &Rows<'a>)> {
        self.blocks.iter().find_map(|b| match b {
            Block::Table { headers, rows } => Some((headers.as_slice(), rows)),
            _ => None,
        })
    }
}
