//! Saved queries: RON files in `queries/` that name a question and, optionally, what its
//! answer must be. Parsed with the same located diagnostics as data files; names and dates in
//! them are checked against the dataset before anything runs.

use serde::{Deserialize, Serialize};

use super::ask::{Ask, Name, Resolved};
use super::resolve::{NameError, Resolver};
use crate::diag::{Code, Diagnostic};
use crate::graph::LinkKind;
use crate::graph::path::PathOptions;
use crate::load::convert::origin_of;
use crate::load::outline::{Body, Node};
use crate::load::{self, Input};
use crate::model::{Date, FileId, Origin, SourceFile, Span, Target};
use crate::store::{Corrupt, Store};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Query")]
struct RawQuery {
    title: String,
    ask: RawAsk,
    #[serde(default)]
    expect: Option<RawExpect>,
    #[serde(default)]
    note: Option<String>,
}

/// A question as written in a saved query file: names as typed, dates and kinds as text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
enum RawAsk {
    /// `show ID [--on D]`.
    Show {
        /// The entity or fact.
        id: String,
        /// The date.
        #[serde(default)]
        on: Option<String>,
    },
    /// `allies OF --on D`.
    Allies {
        /// The state.
        of: String,
        /// The date (default today).
        #[serde(default)]
        on: Option<String>,
    },
    /// `sanctions ...`.
    Sanctions {
        /// The target.
        #[serde(default)]
        against: Option<String>,
        /// With tied targets.
        #[serde(default)]
        tied: bool,
        /// The sender.
        #[serde(default)]
        by: Option<String>,
        /// With the organizations the sender belongs to.
        #[serde(default)]
        members: bool,
        /// The date (default today).
        #[serde(default)]
        on: Option<String>,
    },
    /// `relations A B [--from D] [--to D]`.
    Relations {
        /// One entity.
        a: String,
        /// The other.
        b: String,
        /// From.
        #[serde(default)]
        from: Option<String>,
        /// To.
        #[serde(default)]
        to: Option<String>,
    },
    /// `timeline OF [--from D] [--to D]`.
    Timeline {
        /// The entity.
        of: String,
        /// From.
        #[serde(default)]
        from: Option<String>,
        /// To.
        #[serde(default)]
        to: Option<String>,
    },
    /// `statements ...`.
    Statements {
        /// The speaker.
        #[serde(default)]
        by: Option<String>,
        /// The subject.
        #[serde(default)]
        about: Option<String>,
        /// From.
        #[serde(default)]
        from: Option<String>,
        /// To.
        #[serde(default)]
        to: Option<String>,
        /// With the people holding a role with the speaker.
        #[serde(default)]
        roles: bool,
    },
    /// `path A B --on D [--kinds ...] [--max-hops N]`.
    Path {
        /// Start.
        a: String,
        /// End.
        b: String,
        /// The date (default today).
        #[serde(default)]
        on: Option<String>,
        /// Kinds of link to follow (none: all).
        #[serde(default)]
        kinds: Vec<String>,
        /// The longest chain.
        #[serde(default)]
        max_hops: Option<usize>,
    },
    /// `diff D1 D2 [--around ID]`.
    Diff {
        /// After this date.
        from: String,
        /// Through this date.
        to: String,
        /// Only facts tied to this entity.
        #[serde(default)]
        around: Option<String>,
    },
}

#[derive(Debug, Deserialize)]
enum RawExpect {
    Includes(Vec<String>),
    Excludes(Vec<String>),
    Exactly(Vec<String>),
    Count(usize),
    All(Vec<RawExpect>),
}

/// What an answer must be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Expect {
    /// Every one of these ids is in the answer.
    Includes(Vec<String>),
    /// None of these ids is in the answer.
    Excludes(Vec<String>),
    /// The answer's ids are exactly these (in any order).
    Exactly(Vec<String>),
    /// The answer has this many ids.
    Count(usize),
    /// All of these hold.
    All(Vec<Expect>),
}

/// A parsed saved query.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedQuery {
    /// The file, as shown.
    pub path: String,
    /// Its title.
    pub title: String,
    /// The question.
    pub ask: Resolved,
    /// What the answer must be.
    pub expect: Option<Expect>,
    /// Free text.
    pub note: Option<String>,
}

/// How an expectation fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Whether it held.
    pub passed: bool,
    /// What was expected, as written.
    pub expected: String,
    /// Expected ids that are missing.
    pub missing: Vec<String>,
    /// Ids present that should not be.
    pub unexpected: Vec<String>,
    /// The answer's ids.
    pub actual: Vec<String>,
}

impl std::fmt::Display for Expect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |v: &[String]| {
            v.iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Expect::Includes(v) => write!(f, "Includes([{}])", list(v)),
            Expect::Excludes(v) => write!(f, "Excludes([{}])", list(v)),
            Expect::Exactly(v) => write!(f, "Exactly([{}])", list(v)),
            Expect::Count(n) => write!(f, "Count({n})"),
            Expect::All(v) => {
                let parts: Vec<String> = v.iter().map(ToString::to_string).collect();
                write!(f, "All([{}])", parts.join(", "))
            }
        }
    }
}

fn has(actual: &[String], id: &str) -> bool {
    actual.iter().any(|a| a.eq_ignore_ascii_case(id))
}

impl Expect {
    /// Checks the answer's ids; fills `missing` and `unexpected`, returns whether it held.
    fn test(
        &self,
        actual: &[String],
        missing: &mut Vec<String>,
        unexpected: &mut Vec<String>,
    ) -> bool {
        match self {
            Expect::Includes(ids) => {
                let before = missing.len();
                missing.extend(ids.iter().filter(|i| !has(actual, i)).cloned());
                missing.len() == before
            }
            Expect::Excludes(ids) => {
                let before = unexpected.len();
                unexpected.extend(ids.iter().filter(|i| has(actual, i)).cloned());
                unexpected.len() == before
            }
            Expect::Exactly(ids) => {
                let a = Expect::Includes(ids.clone()).test(actual, missing, unexpected);
                let before = unexpected.len();
                unexpected.extend(actual.iter().filter(|x| !has(ids, x)).cloned());
                a && unexpected.len() == before
            }
            Expect::Count(n) => actual.len() == *n,
            Expect::All(list) => {
                // Every part is tested (no short cut), so all that is missing is reported.
                let mut ok = true;
                for e in list {
                    ok &= e.test(actual, missing, unexpected);
                }
                ok
            }
        }
    }

    /// The verdict on an answer's ids.
    pub fn verdict(&self, actual: Vec<String>) -> Verdict {
        let mut missing = Vec::new();
        let mut unexpected = Vec::new();
        let passed = self.test(&actual, &mut missing, &mut unexpected);
        Verdict {
            passed,
            expected: self.to_string(),
            missing,
            unexpected,
            actual,
        }
    }
}

/// Saved query files read from disk, with the problems found in them. Files are numbered from
/// `first_file` so their diagnostics can share a file list with the dataset's.
pub struct Parsed {
    /// The files read.
    pub files: Vec<SourceFile>,
    /// The queries that parsed, in file order.
    pub queries: Vec<SavedQuery>,
    /// Problems.
    pub diagnostics: Vec<Diagnostic>,
}

struct Cx<'a> {
    file: FileId,
    store: &'a dyn Store,
    resolver: &'a Resolver<'a>,
    diags: &'a mut Vec<Diagnostic>,
    /// Set when the store could not be read.
    corrupt: bool,
}

impl Cx<'_> {
    fn unresolved(&mut self, origin: &Origin, field: &str, e: NameError) {
        match e {
            NameError::Unresolved(e) => self.diags.push(
                Diagnostic::at(
                    Code::UnknownReference,
                    self.file,
                    origin.value_or_head(field),
                    e.to_string(),
                )
                .label(if e.ambiguous { "ambiguous" } else { "unknown" }),
            ),
            NameError::Corrupt => self.corrupt = true,
        }
    }

    fn entity(&mut self, origin: &Origin, field: &str, text: &str) -> Option<usize> {
        match self.resolver.resolve(text) {
            Ok(Target::Entity(i)) => Some(i),
            Ok(Target::Fact(_)) => {
                self.diags.push(
                    Diagnostic::at(
                        Code::WrongKind,
                        self.file,
                        origin.value_or_head(field),
                        format!("`{text}` is a fact; `{field}` must name a state, organization or person"),
                    )
                    .label("not an entity"),
                );
                None
            }
            Err(e) => {
                self.unresolved(origin, field, e);
                None
            }
        }
    }

    fn target(&mut self, origin: &Origin, field: &str, text: &str) -> Option<Target> {
        match self.resolver.resolve(text) {
            Ok(t) => Some(t),
            Err(e) => {
                self.unresolved(origin, field, e);
                None
            }
        }
    }

    fn date(
        &mut self,
        origin: &Origin,
        field: &str,
        text: Option<&str>,
    ) -> Result<Option<Date>, ()> {
        let Some(text) = text else { return Ok(None) };
        Date::parse(text).map(Some).map_err(|e| {
            self.diags.push(
                Diagnostic::at(
                    Code::BadDate,
                    self.file,
                    origin.value_or_head(field),
                    format!("`{text}` is not a date: {e}"),
                )
                .label("bad date")
                .hint("write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, e.g. `2021-03-15`"),
            );
        })
    }

    fn kinds(&mut self, origin: &Origin, names: &[String]) -> Option<Vec<LinkKind>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (i, name) in names.iter().enumerate() {
            match name.parse::<LinkKind>() {
                Ok(k) => out.push(k),
                Err(e) => {
                    ok = false;
                    self.diags.push(
                        Diagnostic::at(Code::WrongType, self.file, origin.item("kinds", i), e)
                            .label("unknown kind"),
                    );
                }
            }
        }
        ok.then_some(out)
    }

    /// Expected ids must name something: a typo would make `Excludes` pass for nothing.
    fn expect(&mut self, raw: RawExpect, spans: &mut dyn Iterator<Item = Span>) -> Expect {
        let ids = |this: &mut Self, v: Vec<String>, spans: &mut dyn Iterator<Item = Span>| {
            v.into_iter()
                .map(|id| {
                    let span = spans.next().unwrap_or_default();
                    match this.resolver.resolve(&id) {
                        Ok(Target::Entity(i)) => this.store.entity_at(i).id.clone(),
                        Ok(Target::Fact(i)) => match this.store.fact(i) {
                            Ok(f) => f.id.clone(),
                            Err(Corrupt) => {
                                this.corrupt = true;
                                id
                            }
                        },
                        Err(NameError::Corrupt) => {
                            this.corrupt = true;
                            id
                        }
                        Err(NameError::Unresolved(e)) => {
                            this.diags.push(
                                Diagnostic::at(Code::UnknownReference, this.file, span, e.to_string())
                                    .label("expected id names nothing")
                                    .hint("expectations name entity or fact ids; a typo here would make the check meaningless"),
                            );
                            id
                        }
                    }
                })
                .collect::<Vec<_>>()
        };
        match raw {
            RawExpect::Includes(v) => Expect::Includes(ids(self, v, spans)),
            RawExpect::Excludes(v) => Expect::Excludes(ids(self, v, spans)),
            RawExpect::Exactly(v) => Expect::Exactly(ids(self, v, spans)),
            RawExpect::Count(n) => Expect::Count(n),
            RawExpect::All(list) => {
                Expect::All(list.into_iter().map(|e| self.expect(e, spans)).collect())
            }
        }
    }
}

fn field_node<'n>(node: &'n Node, name: &str, text: &str) -> Option<&'n Node> {
    let Body::Paren(entries) = &node.body else {
        return None;
    };
    entries
        .iter()
        .find(|e| e.key.and_then(|k| text.get(k.range())) == Some(name))
        .map(|e| &e.value)
}

/// The spans of every string atom under `node`, in text order.
fn string_spans(node: &Node, text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.body {
            Body::Atom => {
                if text.get(n.span.range()).is_some_and(|s| s.starts_with('"')) {
                    out.push(n.span);
                }
            }
            Body::Paren(es) => stack.extend(es.iter().map(|e| &e.value)),
            Body::List(items) => stack.extend(items.iter()),
            Body::Map(pairs) => stack.extend(pairs.iter().flat_map(|(k, v)| [k, v])),
        }
    }
    out.sort();
    out
}

fn convert(
    raw: RawQuery,
    node: &Node,
    path: &str,
    text: &str,
    cx: &mut Cx<'_>,
) -> Option<SavedQuery> {
    let ask_node = field_node(node, "ask", text)?;
    let o = origin_of(ask_node, cx.file, text);
    let before = cx.diags.len();
    let ask = ask(raw.ask, &o, cx).and_then(|a| Resolved::new(a).ok());
    let expect = raw.expect.map(|e| {
        let spans = field_node(node, "expect", text)
            .map(|n| string_spans(n, text))
            .unwrap_or_default();
        cx.expect(e, &mut spans.into_iter())
    });
    let ask = ask?;
    (cx.diags.len() == before).then(|| SavedQuery {
        path: path.to_string(),
        title: raw.title,
        ask,
        expect,
        note: raw.note,
    })
}

/// A resolved entity, as a question's name.
fn entity(i: usize) -> Name {
    Name::Resolved(Target::Entity(i))
}

/// Resolves the names and dates of a question; `None` when any is wrong (each reported).
fn ask(raw: RawAsk, o: &Origin, cx: &mut Cx<'_>) -> Option<Ask> {
    Some(match raw {
        RawAsk::Show { id, on } => {
            let target = cx.target(o, "id", &id);
            let on = cx.date(o, "on", on.as_deref());
            Ask::Show {
                id: Name::Resolved(target?),
                on: on.ok()?,
            }
        }
        RawAsk::Allies { of, on } => {
            let of = cx.entity(o, "of", &of);
            let on = cx.date(o, "on", on.as_deref());
            Ask::Allies {
                of: entity(of?),
                on: on.ok()?,
            }
        }
        RawAsk::Sanctions {
            against,
            tied,
            by,
            members,
            on,
        } => {
            let against = against.map(|a| cx.entity(o, "against", &a));
            let by = by.map(|b| cx.entity(o, "by", &b));
            let on = cx.date(o, "on", on.as_deref());
            Ask::Sanctions {
                against: against.map(|a| a.ok_or(())).transpose().ok()?.map(entity),
                tied,
                by: by.map(|b| b.ok_or(())).transpose().ok()?.map(entity),
                members,
                on: on.ok()?,
            }
        }
        RawAsk::Relations { a, b, from, to } => {
            let a = cx.entity(o, "a", &a);
            let b = cx.entity(o, "b", &b);
            let from = cx.date(o, "from", from.as_deref());
            let to = cx.date(o, "to", to.as_deref());
            Ask::Relations {
                a: entity(a?),
                b: entity(b?),
                from: from.ok()?,
                to: to.ok()?,
            }
        }
        RawAsk::Timeline { of, from, to } => {
            let of = cx.entity(o, "of", &of);
            let from = cx.date(o, "from", from.as_deref());
            let to = cx.date(o, "to", to.as_deref());
            Ask::Timeline {
                of: entity(of?),
                from: from.ok()?,
                to: to.ok()?,
            }
        }
        RawAsk::Statements {
            by,
            about,
            from,
            to,
            roles,
        } => {
            let by = by.map(|x| cx.entity(o, "by", &x));
            let about = about.map(|x| cx.entity(o, "about", &x));
            let from = cx.date(o, "from", from.as_deref());
            let to = cx.date(o, "to", to.as_deref());
            Ask::Statements {
                by: by.map(|x| x.ok_or(())).transpose().ok()?.map(entity),
                about: about.map(|x| x.ok_or(())).transpose().ok()?.map(entity),
                from: from.ok()?,
                to: to.ok()?,
                roles,
            }
        }
        RawAsk::Path {
            a,
            b,
            on,
            kinds,
            max_hops,
        } => {
            let a = cx.entity(o, "a", &a);
            let b = cx.entity(o, "b", &b);
            let on = cx.date(o, "on", on.as_deref());
            let kinds = cx.kinds(o, &kinds);
            let defaults = PathOptions::default();
            Ask::Path {
                a: entity(a?),
                b: entity(b?),
                on: on.ok()?,
                options: PathOptions {
                    kinds: kinds?,
                    max_hops: max_hops.unwrap_or(defaults.max_hops),
                    limit: defaults.limit,
                },
            }
        }
        RawAsk::Diff { from, to, around } => {
            let from = cx.date(o, "from", Some(&from));
            let to = cx.date(o, "to", Some(&to));
            let around = around.map(|x| cx.entity(o, "around", &x));
            Ask::Diff {
                from: from.ok()??,
                to: to.ok()??,
                around: around.map(|x| x.ok_or(())).transpose().ok()?.map(entity),
            }
        }
    })
}

/// A saved query file's text (`None` when it cannot be read, or is not UTF-8) and its query
/// as written, with its outline (`None` when it does not parse); its problems are added to
/// `diagnostics`.
fn read(
    input: &Input,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Result<String, String>, Option<(Node, RawQuery)>) {
    let bytes = match &input.bytes {
        Ok(b) => b.clone(),
        Err(e) => {
            diagnostics.push(Diagnostic::for_path(
                Code::Unreadable,
                &input.path,
                format!("cannot be read: {e}"),
            ));
            return (Err(String::new()), None);
        }
    };
    let text = match load::decode(bytes, file) {
        Ok(t) => t,
        Err(bad) => {
            let (lossy, d) = *bad;
            diagnostics.push(d);
            return (Err(lossy), None);
        }
    };
    let raw = load::outline_of(file, &text, diagnostics).and_then(|node| {
        let raw = load::record::<RawQuery>(file, &text, &node, diagnostics)?;
        Some((node, raw))
    });
    (Ok(text), raw)
}

/// Parses saved query files against the data in `store`. Their files are numbered after
/// `first_file`. An error when the store could not be read.
pub fn parse(inputs: Vec<Input>, store: &dyn Store, first_file: usize) -> Result<Parsed, Corrupt> {
    let resolver = Resolver::new(store);
    let mut files = Vec::new();
    let mut queries = Vec::new();
    let mut diagnostics = Vec::new();
    for (n, input) in inputs.into_iter().enumerate() {
        let file = FileId(u32::try_from(first_file + n).unwrap_or(u32::MAX));
        let (text, raw) = read(&input, file, &mut diagnostics);
        if let (Ok(text), Some((node, raw))) = (&text, raw) {
            let mut cx = Cx {
                file,
                store,
                resolver: &resolver,
                diags: &mut diagnostics,
                corrupt: false,
            };
            let q = convert(raw, &node, &input.path, text, &mut cx);
            if cx.corrupt {
                return Err(Corrupt);
            }
            queries.extend(q);
        }
        files.push(SourceFile {
            path: input.path,
            text: text.unwrap_or_else(|lossy| lossy),
        });
    }
    crate::diag::sort(&mut diagnostics);
    Ok(Parsed {
        files,
        queries,
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn expectations_report_missing_and_unexpected() {
        let actual = ids(&["RUS", "KAZ"]);
        let v = Expect::Includes(ids(&["RUS", "UZB"])).verdict(actual.clone());
        assert!(!v.passed);
        assert_eq!(v.missing, ["UZB"]);
        let v = Expect::Excludes(ids(&["kaz"])).verdict(actual.clone());
        assert!(!v.passed, "ids compare without case");
        assert_eq!(v.unexpected, ["kaz"]);
        let v = Expect::Exactly(ids(&["KAZ", "RUS"])).verdict(actual.clone());
        assert!(v.passed, "order does not matter");
        let v = Expect::Exactly(ids(&["RUS"])).verdict(actual.clone());
        assert_eq!(v.unexpected, ["KAZ"]);
        assert!(Expect::Count(2).verdict(actual.clone()).passed);
        assert!(!Expect::Count(3).verdict(actual.clone()).passed);
        let all = Expect::All(vec![Expect::Count(2), Expect::Excludes(ids(&["RUS"]))]);
        let v = all.verdict(actual);
        assert!(!v.passed);
        assert_eq!(v.expected, r#"All([Count(2), Excludes(["RUS"])])"#);
    }

    fn data() -> crate::store::MemoryStore {
        let text = r#"[State(id: "BLR", name: "Belarus"), State(id: "RUS", name: "Russia")]"#;
        crate::store::MemoryStore::new(crate::load::from_text("g.ron", text).dataset, true)
    }

    fn parse_one(text: &str) -> Parsed {
        let d = data();
        parse(
            vec![Input {
                path: "q.ron".into(),
                bytes: Ok(text.as_bytes().to_vec()),
            }],
            &d,
            1,
        )
        .expect("reads")
    }

    #[test]
    fn names_resolve_and_dates_parse() {
        let p = parse_one(
            r#"Query(title: "t", ask: Allies(of: "belarus", on: "2021-03"), expect: Includes(["russia"]))"#,
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let q = &p.queries[0];
        assert_eq!(
            q.ask.ask(),
            &Ask::Allies {
                of: entity(0),
                on: Some(Date::parse("2021-03").expect("date"))
            }
        );
        assert_eq!(q.expect, Some(Expect::Includes(ids(&["RUS"]))));
    }

    #[test]
    fn every_bad_name_date_and_expected_id_is_located() {
        let text = r#"Query(title: "t", ask: Allies(of: "Belarsu", on: "2021-3"), expect: Excludes(["RSU"]))"#;
        let p = parse_one(text);
        assert!(p.queries.is_empty());
        let found: Vec<(Code, &str)> = p
            .diagnostics
            .iter()
            .map(|d| {
                let span = d.primary.as_ref().expect("located").span;
                (d.code, &text[span.range()])
            })
            .collect();
        assert_eq!(
            found,
            [
                (Code::UnknownReference, "\"Belarsu\""),
                (Code::BadDate, "\"2021-3\""),
                (Code::UnknownReference, "\"RSU\"")
            ]
        );
        assert!(
            p.diagnostics
                .iter()
                .all(|d| d.primary.as_ref().is_some_and(|l| l.file == FileId(1)))
        );
    }

    #[test]
    fn unknown_fields_in_queries_are_errors() {
        let p = parse_one(r#"Query(title: "t", ask: Allies(of: "BLR"), expected: Count(1))"#);
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].code, Code::UnknownField);
    }
}
