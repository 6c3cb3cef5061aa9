//! The fields that differ between two versions of a record, as written: each with its path
//! (`until`, `parties[UZB].until`, `sources[2].url`) and its old and new value on one line.
//! Items of a list of records are matched before they are compared: equal items first, then
//! parties by their state, then the rest in order (so a replaced source shows as its fields
//! changed, not as one removed and one added).

use serde::Serialize;

use crate::load::written::{Record, Written};

/// One field changed, added or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// Its path in the record: `until`, `parties[UZB].until`, `sources[2]`.
    pub field: String,
    /// Its old value as written (RON, on one line); `None` where it was not written.
    pub old: Option<String>,
    /// Its new value; `None` where it is no longer written.
    pub new: Option<String>,
}

/// Every field of `new` that differs from `old`, in the format's order.
pub fn changed_fields(old: &Record, new: &Record) -> Vec<FieldChange> {
    let mut out = Vec::new();
    record(&mut out, "", old, new);
    out
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// The names of both records' fields, in the format's order: `new`'s, with each field only
/// `old` has after the one it followed there.
fn names<'r>(old: &'r Record, new: &'r Record) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = new.fields.iter().map(|(k, _)| *k).collect();
    let mut after: Option<usize> = None;
    for (k, _) in &old.fields {
        match out.iter().position(|n| n == k) {
            Some(at) => after = Some(at),
            None => {
                let at = after.map_or(0, |a| a + 1);
                out.insert(at, k);
                after = Some(at);
            }
        }
    }
    out
}

fn record(out: &mut Vec<FieldChange>, path: &str, old: &Record, new: &Record) {
    for name in names(old, new) {
        let here = join(path, name);
        match (old.field(name), new.field(name)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(Written::Record(a)), Some(Written::Record(b))) if a.name == b.name => {
                record(out, &here, a, b);
            }
            (Some(Written::List(a)), Some(Written::List(b))) if holds_records(a, b) => {
                list(out, &here, a, b);
            }
            (a, b) => out.push(FieldChange {
                field: here,
                old: a.map(Written::line),
                new: b.map(Written::line),
            }),
        }
    }
}

fn holds_records(a: &[Written], b: &[Written]) -> bool {
    a.iter().chain(b).any(|w| matches!(w, Written::Record(_)))
}

/// The field that names a list item, where one does: a party's state.
fn key(w: &Written) -> Option<&str> {
    match w {
        Written::Record(r) if r.name == "Party" => match r.field("state")? {
            Written::Atom(a) => Some(a.as_str()),
            _ => None,
        },
        _ => None,
    }
}

fn name_of(w: &Written) -> Option<&'static str> {
    match w {
        Written::Record(r) => Some(r.name),
        _ => None,
    }
}

/// How item `i` of `items` is named in a path: by its key (`parties[UZB]`, or `parties[UZB
/// #2]` for a state listed twice), else by its place, counting from 1 (`sources[2]`).
fn label(path: &str, items: &[Written], i: usize) -> String {
    match key(&items[i]) {
        Some(k) => {
            let plain = k
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or(k);
            let same = items.iter().filter(|w| key(w) == Some(k)).count();
            if same > 1 {
                let nth = items[..=i].iter().filter(|w| key(w) == Some(k)).count();
                format!("{path}[{plain} #{nth}]")
            } else {
                format!("{path}[{plain}]")
            }
        }
        None => format!("{path}[{}]", i + 1),
    }
}

fn list(out: &mut Vec<FieldChange>, path: &str, a: &[Written], b: &[Written]) {
    let mut pair: Vec<Option<usize>> = vec![None; b.len()];
    let mut used = vec![false; a.len()];
    let mut take = |pair: &mut Vec<Option<usize>>, fits: &dyn Fn(&Written, &Written) -> bool| {
        for (j, p) in pair.iter_mut().enumerate() {
            if p.is_some() {
                continue;
            }
            if let Some(i) = (0..a.len()).find(|&i| !used[i] && fits(&a[i], &b[j])) {
                used[i] = true;
                *p = Some(i);
            }
        }
    };
    take(&mut pair, &|x, y| x == y);
    take(&mut pair, &|x, y| key(x).is_some() && key(x) == key(y));
    // The rest in order, kind with kind; a keyed item only with an item of no key.
    take(&mut pair, &|x, y| {
        name_of(x) == name_of(y) && (key(x).is_none() || key(y).is_none())
    });
    for (j, p) in pair.iter().enumerate() {
        match p {
            Some(i) if a[*i] == b[j] => {}
            Some(i) => match (&a[*i], &b[j]) {
                (Written::Record(x), Written::Record(y)) => record(out, &label(path, b, j), x, y),
                (x, y) => out.push(FieldChange {
                    field: label(path, b, j),
                    old: Some(x.line()),
                    new: Some(y.line()),
                }),
            },
            None => out.push(FieldChange {
                field: label(path, b, j),
                old: None,
                new: Some(b[j].line()),
            }),
        }
    }
    for (i, u) in used.iter().enumerate() {
        if !u {
            out.push(FieldChange {
                field: label(path, a, i),
                old: Some(a[i].line()),
                new: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::written;

    fn treaty(text: &str) -> Record {
        let loaded = crate::load::from_text(
            "t.ron",
            &format!(
                "[State(id: \"BLR\", name: \"B\"), State(id: \"UZB\", name: \"U\"), State(id: \"RUS\", name: \"R\"), {text}]"
            ),
        );
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        written::fact(&loaded.dataset.facts[0])
    }

    fn change(field: &str, old: Option<&str>, new: Option<&str>) -> FieldChange {
        FieldChange {
            field: field.into(),
            old: old.map(Into::into),
            new: new.map(Into::into),
        }
    }

    #[test]
    fn a_moved_party_date_an_added_reading_and_a_new_source_address_are_each_one_field() {
        let old = treaty(
            r#"Treaty(id: "cst", name: "CST", kind: Defense, in_force: "1994",
                parties: [Party(state: "BLR"), Party(state: "UZB", until: "2012-12-20")],
                sources: [Source(title: "A", url: "https://a"), Source(title: "B", url: "https://b")])"#,
        );
        let new = treaty(
            r#"Treaty(id: "cst", name: "CST", kind: Defense, in_force: "1994",
                parties: [Party(state: "BLR"), Party(state: "RUS"),
                          Party(state: "UZB", until: "2012-06-28",
                                disputed: [Reading(until: "2012-12-20", sources: [Source(title: "C", url: "https://c")])])],
                sources: [Source(title: "A", url: "https://a"), Source(title: "B", url: "https://b2")])"#,
        );
        assert_eq!(
            changed_fields(&old, &new),
            [
                change("parties[RUS]", None, Some(r#"Party(state: "RUS")"#)),
                change(
                    "parties[UZB].until",
                    Some(r#""2012-12-20""#),
                    Some(r#""2012-06-28""#)
                ),
                change(
                    "parties[UZB].disputed",
                    None,
                    Some(
                        r#"[Reading(until: "2012-12-20", sources: [Source(title: "C", url: "https://c")])]"#
                    )
                ),
                change(
                    "sources[2].url",
                    Some(r#""https://b""#),
                    Some(r#""https://b2""#)
                ),
            ]
        );
        assert_eq!(changed_fields(&new, &new), []);
    }

    #[test]
    fn a_field_left_out_and_a_list_of_names_changed() {
        let old = treaty(
            r#"Sanction(id: "s", by: "RUS", against: ["BLR"], measures: [TravelBan], from: "2020", until: "2021", sources: [])"#,
        );
        let new = treaty(
            r#"Sanction(id: "s", by: "RUS", against: ["BLR", "UZB"], measures: [TravelBan], from: "2020", note: "n", sources: [])"#,
        );
        assert_eq!(
            changed_fields(&old, &new),
            [
                change("against", Some(r#"["BLR"]"#), Some(r#"["BLR", "UZB"]"#)),
                change("until", Some(r#""2021""#), None),
                change("note", None, Some(r#""n""#)),
            ]
        );
    }

    #[test]
    fn a_state_listed_twice_is_told_apart() {
        let old = treaty(
            r#"Treaty(id: "cst", name: "CST", kind: Defense, in_force: "1994",
                parties: [Party(state: "UZB", until: "1999"), Party(state: "UZB", from: "2006", until: "2012")])"#,
        );
        let new = treaty(
            r#"Treaty(id: "cst", name: "CST", kind: Defense, in_force: "1994",
                parties: [Party(state: "UZB", until: "1999"), Party(state: "UZB", from: "2006", until: "2013")])"#,
        );
        assert_eq!(
            changed_fields(&old, &new),
            [change(
                "parties[UZB #2].until",
                Some(r#""2012""#),
                Some(r#""2013""#)
            )]
        );
    }
}
