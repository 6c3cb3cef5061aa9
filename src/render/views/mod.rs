//! Lays out each query result as a [`Doc`] for tables and CSV, one file per result kind.
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

use super::doc::Block;
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
}

impl Citations {
    pub(crate) fn cite(&mut self, sources: &[Source]) -> String {
        let mut marks: Vec<String> = Vec::new();
        for s in sources {
            let n = match self.list.iter().position(|x| x.url == s.url) {
                Some(i) => i + 1,
                None => {
                    self.list.push(s.clone());
                    self.list.len()
                }
            };
            let mark = format!("[{n}]");
            if !marks.contains(&mark) {
                marks.push(mark);
            }
        }
        marks.join("")
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
            let mut d = dates(f.from, f.until, f.on);
            if f.disputed {
                d.push_str(" (disputed)");
            }
            let mut row = vec![d];
            if with_certainty {
                row.push(certainty(f.certainty));
            }
            row.extend([
                f.kind.to_string(),
                f.tie.clone().unwrap_or_default(),
                shorten(&f.title, 60),
                f.id.clone(),
                cites.cite(&f.sources),
            ]);
            row
        })
        .collect();
    Block::Table { headers, rows }
}
