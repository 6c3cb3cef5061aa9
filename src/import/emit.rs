//! The records an import writes, as plain values (strings unescaped, entities by index until
//! their ids are known), and the file that holds them, printed by the formatter's printer
//! ([`crate::load::format`]) in the canonical layout of `dipgraph fmt`.

use std::cmp::Ordering;

use crate::load::format;
use crate::model::Date;

/// A value of a field.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string, escaped when written.
    Str(String),
    /// An integer.
    Int(i64),
    /// A bare identifier: an enum variant such as `Defense` or `AssetFreeze`.
    Ident(&'static str),
    /// A list.
    List(Vec<Value>),
    /// A nested record (`Party(...)`, `Source(...)`).
    Rec(Rec),
    /// An entity the import names, by its index among the import's entities; replaced by its
    /// id (existing or new) before anything is written.
    Ref(usize),
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(s.to_string())
    }
}

impl From<Date> for Value {
    fn from(d: Date) -> Value {
        Value::Str(d.to_string())
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Value {
        Value::Int(i64::from(n))
    }
}

impl From<Rec> for Value {
    fn from(r: Rec) -> Value {
        Value::Rec(r)
    }
}

/// A record: `Kind(field: value, ...)`, fields in the order written.
#[derive(Debug, Clone, PartialEq)]
pub struct Rec {
    /// `State`, `Treaty`, `Party`, `Source`, ...
    pub kind: &'static str,
    /// The fields, in order.
    pub fields: Vec<(&'static str, Value)>,
}

impl Rec {
    /// A record with no fields yet.
    pub fn new(kind: &'static str) -> Rec {
        Rec {
            kind,
            fields: Vec::new(),
        }
    }

    /// Adds a field.
    pub fn with(mut self, name: &'static str, value: impl Into<Value>) -> Rec {
        self.fields.push((name, value.into()));
        self
    }

    /// Adds a field when there is a value.
    pub fn opt<V: Into<Value>>(self, name: &'static str, value: Option<V>) -> Rec {
        match value {
            Some(v) => self.with(name, v),
            None => self,
        }
    }

    /// Adds a list field, unless the list is empty.
    pub fn list(self, name: &'static str, items: Vec<Value>) -> Rec {
        if items.is_empty() {
            self
        } else {
            self.with(name, Value::List(items))
        }
    }

    /// The value of a field.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The string value of a field.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// Replaces every [`Value::Ref`] with the id it stands for.
    pub fn resolve(&mut self, ids: &[String]) {
        for (_, v) in &mut self.fields {
            resolve_value(v, ids);
        }
    }

    /// The key records are sorted by: the id, or for records with a derived id (memberships,
    /// roles) their top-level text fields joined by `:`.
    pub fn sort_key(&self) -> String {
        if let Some(id) = self.get_str("id") {
            return id.to_string();
        }
        let parts: Vec<String> = self
            .fields
            .iter()
            .filter_map(|(_, v)| match v {
                Value::Str(s) => Some(s.clone()),
                Value::Int(n) => Some(n.to_string()),
                Value::Ident(s) => Some((*s).to_string()),
                _ => None,
            })
            .collect();
        parts.join(":")
    }
}

fn resolve_value(v: &mut Value, ids: &[String]) {
    match v {
        Value::Ref(i) => {
            *v = Value::Str(ids.get(*i).cloned().unwrap_or_default());
        }
        Value::List(items) => items.iter_mut().for_each(|x| resolve_value(x, ids)),
        Value::Rec(r) => r.resolve(ids),
        Value::Str(_) | Value::Int(_) | Value::Ident(_) => {}
    }
}

/// Compares ids with runs of digits taken as numbers, so that `cow-alliance-9` sorts before
/// `cow-alliance-10`; ties fall back to plain byte order, so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let n = x.iter().take_while(|b| b.is_ascii_digit()).count();
                let m = y.iter().take_while(|b| b.is_ascii_digit()).count();
                let (p, q) = (trim_zeros(&x[..n]), trim_zeros(&y[..m]));
                let ord = p.len().cmp(&q.len()).then_with(|| p.cmp(q));
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[n..];
                y = &y[m..];
            }
            (Some(c), Some(d)) => {
                let ord = c.to_ascii_lowercase().cmp(&d.to_ascii_lowercase());
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let n = digits.iter().take_while(|b| **b == b'0').count();
    &digits[n.min(digits.len().saturating_sub(1))..]
}

/// A whole data file: `// comment` lines, then the list of records.
pub fn file(comments: &[String], records: &[Rec]) -> String {
    let mut out = format::DataFile::new(comments.iter().flat_map(|c| c.lines()));
    for r in records {
        out.record(&r.printed());
    }
    out.finish()
}

impl Value {
    /// The value as the formatter's printer takes it.
    fn printed(&self) -> format::Value<'_> {
        match self {
            Value::Str(s) => format::Value::string(s.as_str()),
            Value::Int(n) => format::Value::atom(n.to_string()),
            Value::Ident(s) => format::Value::atom(*s),
            Value::List(items) => format::Value::list(items.iter().map(Value::printed)),
            Value::Rec(r) => r.printed(),
            // Replaced before anything is written; shown for what it is all the same.
            Value::Ref(i) => format::Value::string(format!("<entity {i}>")),
        }
    }
}

impl Rec {
    /// The record as the formatter's printer takes it.
    pub fn printed(&self) -> format::Value<'_> {
        let fields = self.fields.iter().map(|(name, v)| (*name, v.printed()));
        format::Value::record(self.kind, fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(title: &str) -> Value {
        Rec::new("Source")
            .with("title", title)
            .with("url", "https://example.org/")
            .into()
    }

    #[test]
    fn short_records_are_one_line() {
        let r = Rec::new("State")
            .with("id", "BLR")
            .with("name", "Belarus")
            .with("cow", 370u32);
        assert_eq!(
            file(&[], &[r]),
            "[\n    State(id: \"BLR\", name: \"Belarus\", cow: 370),\n]\n"
        );
        assert_eq!(file(&["header".into()], &[]), "// header\n[]\n");
    }

    #[test]
    fn long_records_break_one_field_a_line_and_nest() {
        let r = Rec::new("Treaty")
            .with("id", "cow-alliance-1")
            .with("kind", Value::Ident("Defense"))
            .with(
                "parties",
                Value::List(vec![
                    Rec::new("Party").with("state", "GBR").into(),
                    Rec::new("Party").with("state", "PRT").into(),
                ]),
            )
            .list("sources", vec![src(&"a very long title ".repeat(6))]);
        let text = file(&[], &[r]);
        let expected = "[
    Treaty(
        id: \"cow-alliance-1\",
        kind: Defense,
        parties: [Party(state: \"GBR\"), Party(state: \"PRT\")],
        sources: [
            Source(
                title: \"a very long title a very long title a very long title a very long title a very long title a very long title \",
                url: \"https://example.org/\",
            ),
        ],
    ),
]
";
        assert_eq!(text, expected);
        let loaded = crate::load::from_text("t.ron", &text);
        assert!(
            loaded
                .diagnostics
                .iter()
                .all(|d| d.code != crate::diag::Code::Syntax)
        );
    }

    #[test]
    fn lines_fit_exactly_at_the_width() {
        // 4 spaces + record + comma = 100 columns: one line.
        let name = "x".repeat(100 - 4 - "State(id: \"ABC\", name: \"\")".len() - 1);
        let r = Rec::new("State")
            .with("id", "ABC")
            .with("name", name.as_str());
        assert_eq!(file(&[], std::slice::from_ref(&r)).lines().count(), 3);
        let r = Rec::new("State")
            .with("id", "ABC")
            .with("name", format!("{name}y"));
        assert_eq!(file(&[], &[r]).lines().count(), 6);
    }

    #[test]
    fn strings_are_escaped_and_read_back() {
        let tricky = "a \"quote\", a \\ backslash,\na newline, a tab\t, a bell\u{7} and Минск";
        let r = Rec::new("Person").with("id", "p").with("name", tricky);
        let text = file(&[], &[r]);
        let loaded = crate::load::from_text("t.ron", &text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        assert_eq!(loaded.dataset.entities[0].name, tricky);
    }

    #[test]
    fn files_are_what_fmt_makes_of_them() {
        let parties = |n: usize| {
            Value::List(
                (0..n)
                    .map(|i| {
                        Rec::new("Party")
                            .with("state", format!("S{i:02}"))
                            .opt("until", (i % 3 == 0).then_some("2001-02-03"))
                            .into()
                    })
                    .collect(),
            )
        };
        let records = [
            Rec::new("State").with("id", "A").with("name", "A"),
            Rec::new("Person")
                .with("id", "p")
                .with("name", "quotes \" and \\ and\nlines\tand \u{1} and Минск")
                .list("aliases", vec!["x".repeat(120).into(), "y".into()]),
            Rec::new("Treaty")
                .with("id", "t")
                .with("kind", Value::Ident("Defense"))
                .with("parties", parties(2)),
            Rec::new("Treaty")
                .with("id", "u")
                .with("kind", Value::Ident("Defense"))
                .with("parties", parties(12))
                .with("empty", Value::List(Vec::new()))
                .list("sources", vec![src(&"long ".repeat(30))]),
            Rec::new("State").with("id", "B").with("cow", 2u32),
        ];
        let header = ["a header  ".to_string(), "on\n\ntwo lines".to_string()];
        for (comments, records) in [
            (&header[..], &records[..]),
            (&header[..], &[][..]),
            (&[][..], &records[..1]),
        ] {
            let text = file(comments, records);
            let formatted = format::format_source(&text).expect("formats");
            assert_eq!(formatted, text);
        }
        // A record exactly as wide as a line may be stays on it, one more column expands it.
        for extra in [0, 1] {
            let name = "n".repeat(100 - 4 - "State(id: \"A\", name: \"\"),".len() + extra);
            let text = file(&[], &[Rec::new("State").with("id", "A").with("name", name)]);
            assert_eq!(format::format_source(&text).expect("formats"), text);
            assert_eq!(text.lines().count(), 3 + 3 * extra);
        }
    }

    #[test]
    fn natural_order() {
        let mut v = vec!["a-10", "a-9", "a-09x", "b", "A-1", "a-1"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["A-1", "a-1", "a-9", "a-09x", "a-10", "b"]);
    }

    #[test]
    fn refs_resolve_everywhere() {
        let mut r = Rec::new("Treaty").with(
            "parties",
            Value::List(vec![Rec::new("Party").with("state", Value::Ref(1)).into()]),
        );
        r.resolve(&["A".into(), "BLR".into()]);
        assert_eq!(
            r.printed().line(),
            "Treaty(parties: [Party(state: \"BLR\")])"
        );
    }
}
