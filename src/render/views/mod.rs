//! Lays out each query result as a [`Doc`](crate::render::Doc) for tables and CSV, one file per result kind.
//! Computes nothing new: every value comes from the result.

mod allies;
mod answer;
mod path;
mod sanctions;
mod show;
mod statements;
mod stats;
mod timeline;

pub use allies::{allies, allies_heading};
pub use answer::answer;
pub use path::path;
pub use sanctions::{sanctions, sanctions_heading};
pub use show::show;
pub use statements::statements;
pub use stats::stats;
pub use timeline::{diff, timeline};

use std::collections::HashMap;

use super::doc::{Block, Cell, row};
use crate::model::{Certainty, Date, Source};
use crate::query::FactRef;

fn opt(d: Option<Date>) -> String {
    d.map_or_else(String::new, |d| d.to_string())
}

/// `from – until`, `from –` (open), or the `on` date.
pub fn dates(from: Option<Date>, until: Option<Date>, on: Option<Date>) -> String {
    if let Some(on) = on {
        return on.to_string();
    }
    match (from, until) {
        (None, None) => "always".into(),
        (f, u) => format!("{} – {}", opt(f), opt(u)).trim_end().to_string(),
    }
}

/// A cell showing [`dates`], with the interval in EDTF form for CSV (`2004-05-01/..`,
/// `1994-04-20/1999-04-02`; a point fact's date alone).
pub(crate) fn date_cell(from: Option<Date>, until: Option<Date>, on: Option<Date>) -> Cell {
    let text = dates(from, until, on);
    if on.is_some() {
        return text.into();
    }
    let edtf = |d: Option<Date>| d.map_or_else(|| "..".to_string(), |d| d.to_string());
    Cell::abbreviated(text, format!("{}/{}", edtf(from), edtf(until)))
}

/// A cell showing `s` on one line, cut to `max` characters with `…`; CSV gets all of it.
pub(crate) fn short(s: &str, max: usize) -> Cell {
    Cell::abbreviated(shorten(s, max), s.to_string())
}

/// `s` on one line, cut to `max` characters with `…`.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Numbers sources in first-seen order so tables can cite them as `[1]`.
#[derive(Default)]
pub(crate) struct Citations {
    list: Vec<Source>,
    /// Each address's number.
    numbers: HashMap<String, usize, foldhash::fast::RandomState>,
}

impl Citations {
    /// Marks such as `[1][3]` for a terminal; the sources' addresses for CSV.
    pub(crate) fn cite(&mut self, sources: &[Source]) -> Cell {
        let mut marks: Vec<String> = Vec::new();
        for s in sources {
            let n = match self.numbers.get(&s.url) {
                Some(&n) => n,
                None => {
                    self.list.push(s.clone());
                    self.numbers.insert(s.url.clone(), self.list.len());
                    self.list.len()
                }
            };
            let mark = format!("[{n}]");
            if !marks.contains(&mark) {
                marks.push(mark);
            }
        }
        let urls: Vec<&str> = sources.iter().map(|s| s.url.as_str()).collect();
        Cell::abbreviated(marks.join(""), urls.join(" "))
    }

    pub(crate) fn block(self) -> Option<Block> {
        if self.list.is_empty() {
            return None;
        }
        let fields = self
            .list
            .into_iter()
            .enumerate()
            .map(|(i, s)| (format!("[{}]", i + 1), source_line(&s)))
            .collect();
        Some(Block::Fields(fields))
    }
}

/// `Publisher, 2021-03-15: Title <url>`.
pub fn source_line(s: &Source) -> String {
    let mut head = Vec::new();
    if let Some(p) = &s.publisher {
        head.push(p.clone());
    }
    if let Some(d) = s.published {
        head.push(d.to_string());
    }
    let lead = if head.is_empty() {
        String::new()
    } else {
        format!("{}: ", head.join(", "))
    };
    format!("{lead}{} <{}>", s.title, s.url)
}

pub(crate) fn certainty(c: Option<Certainty>) -> String {
    c.map_or_else(String::new, |c| c.to_string())
}

pub(crate) fn fact_rows(facts: &[FactRef], cites: &mut Citations, with_certainty: bool) -> Block {
    let mut headers = vec!["dates".to_string()];
    if with_certainty {
        headers.push("certainty".into());
    }
    headers.extend(["kind", "tie", "fact", "id", "sources"].map(String::from));
    let rows = facts
        .iter()
        .map(|f| {
            let mut d = date_cell(f.from, f.until, f.on);
            if f.disputed {
                d.text.push_str(" (disputed)");
            }
            let mut cells = vec![d];
            if with_certainty {
                cells.push(certainty(f.certainty).into());
            }
            cells.extend(row([f.kind.to_string(), f.tie.clone().unwrap_or_default()]));
            cells.push(short(&f.title, 60));
            cells.push(f.id.clone().into());
            cells.push(cites.cite(&f.sources));
            cells
        })
        .collect();
    Block::Table { headers, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(url: &str) -> Source {
        Source {
            title: format!("About {url}"),
            url: url.to_string(),
            publisher: None,
            published: None,
        }
    }

    #[test]
    fn citations_number_addresses_in_first_seen_order() {
        let mut c = Citations::default();
        let (a, b, x) = (
            source("https://a"),
            source("https://b"),
            source("https://x"),
        );
        assert_eq!(c.cite(&[b.clone(), a.clone()]).text, "[1][2]");
        assert_eq!(c.cite(&[a.clone(), x.clone(), b.clone()]).text, "[2][3][1]");
        // The same address twice in one fact is cited once.
        assert_eq!(c.cite(&[x.clone(), x]).text, "[3]");
        assert_eq!(c.cite(&[]).text, "");
        let Some(Block::Fields(fields)) = c.block() else {
            panic!("a list of sources");
        };
        let numbered: Vec<(&str, &str)> = fields
            .iter()
            .map(|(n, line)| (n.as_str(), line.as_str()))
            .collect();
        assert_eq!(
            numbered,
            [
                ("[1]", "About https://b <https://b>"),
                ("[2]", "About https://a <https://a>"),
                ("[3]", "About https://x <https://x>"),
            ]
        );
    }
}
