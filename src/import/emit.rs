//! Records as RON text, in the canonical layout of `dipgraph fmt`: one list, each record
//! indented four spaces and followed by a comma; a record that fits in 100 columns on one line
//! is one line, otherwise one field a line, indented four more; nested lists and records
//! follow the same rule.

use std::cmp::Ordering;

use crate::model::Date;

/// The widest line the layout aims for, in characters.
pub const WIDTH: usize = 100;

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
    let mut out = String::new();
    for c in comments {
        for line in c.lines() {
            out.push_str("// ");
            out.push_str(line);
            out.push('\n');
        }
    }
    if records.is_empty() {
        out.push_str("[]\n");
        return out;
    }
    out.push_str("[\n");
    for r in records {
        out.push_str("    ");
        put(&Value::Rec(r.clone()), 4, 4, 1, &mut out);
        out.push_str(",\n");
    }
    out.push_str("]\n");
    out
}

/// Writes `v` where `used` columns of the line are taken and `tail` characters will follow it.
fn put(v: &Value, indent: usize, used: usize, tail: usize, out: &mut String) {
    let mut one = String::new();
    flat(v, &mut one);
    let fits = used + one.chars().count() + tail <= WIDTH;
    match v {
        Value::List(items) if !fits && !items.is_empty() => {
            out.push_str("[\n");
            for item in items {
                pad(indent + 4, out);
                put(item, indent + 4, indent + 4, 1, out);
                out.push_str(",\n");
            }
            pad(indent, out);
            out.push(']');
        }
        Value::Rec(r) if !fits && !r.fields.is_empty() => {
            out.push_str(r.kind);
            out.push_str("(\n");
            for (name, value) in &r.fields {
                pad(indent + 4, out);
                out.push_str(name);
                out.push_str(": ");
                put(value, indent + 4, indent + 6 + name.len(), 1, out);
                out.push_str(",\n");
            }
            pad(indent, out);
            out.push(')');
        }
        _ => out.push_str(&one),
    }
}

fn pad(n: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// The one-line form of a value.
fn flat(v: &Value, out: &mut String) {
    match v {
        Value::Str(s) => out.push_str(&crate::load::format::string_literal(s)),
        Value::Int(n) => out.push_str(&n.to_string()),
        Value::Ident(s) => out.push_str(s),
        Value::Ref(i) => out.push_str(&format!("\"<entity {i}>\"")),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flat(item, out);
            }
            out.push(']');
        }
        Value::Rec(r) => {
            out.push_str(r.kind);
            out.push('(');
            for (i, (name, value)) in r.fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(name);
                out.push_str(": ");
                flat(value, out);
            }
            out.push(')');
        }
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
        let mut s = String::new();
        flat(&Value::Rec(r), &mut s);
        assert_eq!(s, "Treaty(parties: [Party(state: \"BLR\")])");
    }
}
