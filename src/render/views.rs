//! Lays out each query result as a [`Doc`] for tables and CSV. Computes nothing new: every
//! value comes from the result.

use super::doc::{Block, Doc};
use crate::model::{Certainty, Date, Source};
use crate::query::FactRef;
use crate::query::show::{EntityView, FactView, Shown};
use crate::query::stats::Stats;

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

fn shorten(s: &str, max: usize) -> String {
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
struct Citations {
    list: Vec<Source>,
}

impl Citations {
    fn cite(&mut self, sources: &[Source]) -> String {
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

    fn block(self) -> Option<Block> {
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

fn certainty(c: Option<Certainty>) -> String {
    c.map_or_else(String::new, |c| c.to_string())
}

fn fact_rows(facts: &[FactRef], cites: &mut Citations, with_certainty: bool) -> Block {
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

/// Lays out `show`.
pub fn show(shown: &Shown, on: Option<Date>) -> Doc {
    match shown {
        Shown::Entity(e) => entity(e, on),
        Shown::Fact(f) => fact(f, on),
    }
}

fn entity(e: &EntityView, on: Option<Date>) -> Doc {
    let mut doc = Doc::default();
    doc.push(Block::Heading(format!("{} ({}, {})", e.name, e.kind, e.id)));
    let mut fields = Vec::new();
    if !e.aliases.is_empty() {
        fields.push(("aliases".to_string(), e.aliases.join("; ")));
    }
    if let Some(k) = &e.organization_kind {
        fields.push(("kind".into(), k.clone()));
    }
    if let Some(c) = e.cow {
        fields.push(("COW code".into(), c.to_string()));
    }
    if e.from.is_some() || e.until.is_some() {
        fields.push(("exists".into(), dates(e.from, e.until, None)));
    }
    if let Some(n) = &e.note {
        fields.push(("note".into(), n.clone()));
    }
    if !fields.is_empty() {
        doc.push(Block::Fields(fields));
    }
    let heading = match on {
        Some(d) => format!("Facts in force or happening on {d} ({})", e.facts.len()),
        None => format!("Facts ({})", e.facts.len()),
    };
    doc.push(Block::Heading(heading));
    let mut cites = Citations::default();
    doc.push(fact_rows(&e.facts, &mut cites, on.is_some()));
    if let Some(b) = cites.block() {
        doc.push(Block::Heading("Sources".into()));
        doc.push(b);
    }
    doc
}

fn fact(v: &FactView, on: Option<Date>) -> Doc {
    let f = &v.fact;
    let mut doc = Doc::default();
    doc.push(Block::Heading(format!(
        "{} ({}, {})",
        shorten(&f.title, 100),
        f.kind,
        f.id
    )));
    let mut fields: Vec<(String, String)> = vec![("dates".into(), dates(f.from, f.until, f.on))];
    if let (Some(d), Some(c)) = (on, f.certainty) {
        fields.push((format!("on {d}"), c.to_string()));
    }
    fields.extend(v.details.iter().map(|(k, v)| (k.to_string(), v.clone())));
    for r in &v.readings {
        let mut text = format!("{} (disputed reading)", dates(r.from, r.until, None));
        if let Some(n) = &r.note {
            text.push_str(&format!(": {n}"));
        }
        for s in &r.sources {
            text.push_str(&format!("\n{}", source_line(s)));
        }
        fields.push(("other reading".into(), text));
    }
    if let Some(n) = &v.note {
        fields.push(("note".into(), n.clone()));
    }
    doc.push(Block::Fields(fields));
    doc.push(Block::Heading(format!("Entities ({})", v.entities.len())));
    let with_c = on.is_some() && v.entities.iter().any(|m| m.certainty.is_some());
    let mut headers: Vec<String> = ["tie", "id", "name", "dates"].map(String::from).to_vec();
    if with_c {
        headers.push("certainty".into());
    }
    let rows = v
        .entities
        .iter()
        .map(|m| {
            let mut d = if m.tie == "party" {
                let mut s = dates(m.from.or(f.from), m.until.or(f.until), None);
                if let Some(sig) = m.signed {
                    s.push_str(&format!(" (signed {sig})"));
                }
                for r in &m.disputed {
                    s.push_str(&format!("; disputed: {r}"));
                }
                s
            } else {
                String::new()
            };
            d = d.trim().to_string();
            let mut row = vec![m.tie.to_string(), m.id.clone(), m.name.clone(), d];
            if with_c {
                row.push(certainty(m.certainty));
            }
            row
        })
        .collect();
    doc.push(Block::Table { headers, rows });
    let mut cites = Citations::default();
    cites.cite(&f.sources);
    if let Some(b) = cites.block() {
        doc.push(Block::Heading("Sources".into()));
        doc.push(b);
    }
    doc
}

/// Lays out `stats`.
pub fn stats(s: &Stats) -> Doc {
    let mut doc = Doc::default();
    doc.push(Block::Table {
        headers: vec!["kind".into(), "count".into()],
        rows: s
            .counts
            .iter()
            .map(|c| vec![c.kind.to_string(), c.count.to_string()])
            .collect(),
    });
    doc.push(Block::Fields(vec![
        ("files".into(), s.files.to_string()),
        ("dates".into(), dates(s.first_date, s.last_date, None)),
    ]));
    doc
}
