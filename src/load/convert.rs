//! Raw records to the typed model: dates parsed strictly, defaults filled in, ids derived, and
//! every record given its [`Origin`] so later checks can point at it.

use super::Places;
use super::outline::{Body, Node};
use super::raw::*;
use crate::diag::{Code, Diagnostic};
use crate::model::{
    Coverage, Date, Entity, EntityKind, Fact, FactBody, FieldSpan, FileId, Interval, Origin, Party,
    Reading, Source, When,
};

/// A converted record.
pub enum Converted {
    /// A state, organization or person.
    Entity(Entity),
    /// A fact.
    Fact(Fact),
    /// What the data says it covers.
    Coverage(Coverage),
}

/// The origin of a `Name(...)` node.
pub fn origin_of(node: &Node, file: FileId, text: &str) -> Origin {
    let mut fields = Vec::new();
    if let Body::Paren(entries) = &node.body {
        fields.reserve_exact(entries.iter().filter(|e| e.key.is_some()).count());
        for e in entries {
            let Some(key) = e.key else { continue };
            let items = match &e.value.body {
                Body::List(items) => items.iter().map(|n| n.span).collect(),
                _ => Box::default(),
            };
            fields.push(FieldSpan {
                name: FieldSpan::name_of(text.get(key.range()).unwrap_or("")),
                key,
                value: e.value.span,
                items,
            });
        }
    }
    Origin {
        file,
        head: node.name.unwrap_or(node.span),
        span: node.span,
        fields,
    }
}

/// Where a `Name(...)` node stands, without its fields.
fn record_origin(node: &Node, file: FileId) -> Origin {
    Origin {
        file,
        head: node.name.unwrap_or(node.span),
        span: node.span,
        fields: Vec::new(),
    }
}

impl Ctx<'_> {
    /// The origin of a record nested in a fact (a party, a reading), as `places` says.
    fn nested_origin(&self, node: &Node) -> Origin {
        match self.places {
            Places::Fields => origin_of(node, self.file, self.text),
            Places::Records => record_origin(node, self.file),
        }
    }
}

/// The item nodes of list field `name` of a record node.
fn list_items<'n>(node: &'n Node, name: &str, text: &str) -> Vec<&'n Node> {
    let Body::Paren(entries) = &node.body else {
        return Vec::new();
    };
    entries
        .iter()
        .filter(|e| e.key.and_then(|k| text.get(k.range())) == Some(name))
        .flat_map(|e| match &e.value.body {
            Body::List(items) => items.iter().collect::<Vec<_>>(),
            _ => Vec::new(),
        })
        .collect()
}

struct Ctx<'a> {
    file: FileId,
    text: &'a str,
    places: Places,
    diags: &'a mut Vec<Diagnostic>,
}

/// A hint for a date written almost right: `2020-1-5` -> `2020-01-05`.
fn date_hint(text: &str) -> String {
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let all_digits = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if all_digits
        && parts.len() <= 3
        && parts[0].len() == 4
        && parts.iter().skip(1).all(|p| p.len() <= 2)
    {
        let padded: Vec<String> = std::iter::once(parts[0].to_string())
            .chain(parts.iter().skip(1).map(|p| format!("{:0>2}", p)))
            .collect();
        let candidate = padded.join("-");
        if Date::parse(&candidate).is_ok() {
            return format!("write `{candidate}`");
        }
    }
    if all_digits && parts.len() == 3 && parts[0].len() == 4 && parts[1].len() == 2 {
        let month = format!("{}-{}", parts[0], parts[1]);
        if Date::parse(&month).is_ok() {
            return format!(
                "check the day against the source; if only the month is known, write `{month}`"
            );
        }
    }
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        let candidate = format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..]);
        if Date::parse(&candidate).is_ok() {
            return format!("write `{candidate}`");
        }
    }
    "write a date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, e.g. `2020-10-02`; leave out what is unknown"
        .to_string()
}

impl Ctx<'_> {
    fn date(&mut self, origin: &Origin, field: &str, value: Option<&str>) -> Option<Date> {
        let value = value?;
        match Date::parse(value) {
            Ok(d) => Some(d),
            Err(e) => {
                self.diags.push(
                    Diagnostic::at(
                        Code::BadDate,
                        self.file,
                        origin.value_or_head(field),
                        format!("`{value}` is not a date: {e}"),
                    )
                    .label("bad date")
                    .hint(date_hint(value)),
                );
                None
            }
        }
    }

    fn interval(
        &mut self,
        origin: &Origin,
        from_field: &str,
        until_field: &str,
        from: Option<&str>,
        until: Option<&str>,
    ) -> Interval {
        let f = self.date(origin, from_field, from);
        let u = self.date(origin, until_field, until);
        let i = Interval::new(f, u);
        if let (Some(fd), Some(ud)) = (f, u)
            && !i.is_satisfiable()
        {
            self.diags.push(
                Diagnostic::at(
                    Code::EmptyInterval,
                    self.file,
                    origin.value_or_head(until_field),
                    format!("`{until_field}` ({ud}) is not after `{from_field}` ({fd})"),
                )
                .label("ends before it starts")
                .also(self.file, origin.value_or_head(from_field), "starts here")
                .hint("the interval is [from, until): `until` is the first day it no longer holds"),
            );
        }
        i
    }

    fn sources(&mut self, node: &Node, raw: Vec<RawSource>) -> Vec<Source> {
        if raw.is_empty() {
            return Vec::new();
        }
        let items = list_items(node, "sources", self.text);
        raw.into_iter()
            .enumerate()
            .map(|(i, s)| {
                // A source's place is worked out only for a date that is wrong.
                let published = match s.published.as_deref().map(|p| (p, Date::parse(p))) {
                    None => None,
                    Some((_, Ok(d))) => Some(d),
                    Some((p, Err(_))) => items.get(i).and_then(|n| {
                        let origin = origin_of(n, self.file, self.text);
                        self.date(&origin, "published", Some(p))
                    }),
                };
                Source {
                    title: s.title,
                    url: s.url,
                    publisher: s.publisher,
                    published,
                    kind: s.kind,
                }
            })
            .collect()
    }

    fn readings(&mut self, node: &Node, raw: Vec<RawReading>, base: Interval) -> Vec<Reading> {
        if raw.is_empty() {
            return Vec::new();
        }
        let items = list_items(node, "disputed", self.text);
        raw.into_iter()
            .enumerate()
            .map(|(i, r)| {
                let item = items.get(i).copied();
                let origin = item.map(|n| self.nested_origin(n)).unwrap_or_default();
                let own = self.interval(
                    &origin,
                    "from",
                    "until",
                    r.from.as_deref(),
                    r.until.as_deref(),
                );
                let signed = self.date(&origin, "signed", r.signed.as_deref());
                let sources = match item {
                    Some(n) => self.sources(n, r.sources),
                    None => Vec::new(),
                };
                Reading {
                    interval: Interval::new(own.from.or(base.from), own.until.or(base.until)),
                    own,
                    signed,
                    sources,
                    note: r.note,
                    origin,
                }
            })
            .collect()
    }

    fn when(
        &mut self,
        origin: &Origin,
        on: Option<&str>,
        from: Option<&str>,
        until: Option<&str>,
    ) -> When {
        match (on, from) {
            (Some(on_text), None) => {
                if until.is_some() {
                    self.diags.push(
                        Diagnostic::at(
                            Code::OnOrFrom,
                            self.file,
                            origin.value_or_head("until"),
                            "`until` goes with `from`, not with `on`",
                        )
                        .label("no `from` for this")
                        .hint(
                            "write `from:` and `until:` for a period, or `on:` alone for one date",
                        ),
                    );
                }
                match self.date(origin, "on", Some(on_text)) {
                    Some(d) => When::On(d),
                    None => When::Span(Interval::default()),
                }
            }
            (None, Some(_)) => When::Span(self.interval(origin, "from", "until", from, until)),
            (Some(_), Some(_)) => {
                self.diags.push(
                    Diagnostic::at(
                        Code::OnOrFrom,
                        self.file,
                        origin.value_or_head("from"),
                        "both `on` and `from` are given",
                    )
                    .label("second date")
                    .also(self.file, origin.value_or_head("on"), "first date")
                    .hint("use `on:` for one date, or `from:` (and `until:`) for a period"),
                );
                When::Span(Interval::default())
            }
            (None, None) => {
                self.diags.push(
                    Diagnostic::at(
                        Code::OnOrFrom,
                        self.file,
                        origin.head,
                        "no date: neither `on` nor `from` is given",
                    )
                    .label("undated")
                    .hint("add `on: \"YYYY-MM-DD\"` (or `from:` for a period); an imprecise date such as `\"2020-09\"` is fine"),
                );
                When::Span(Interval::default())
            }
        }
    }
}

/// Converts one raw record whose outline is `node`, pushing date problems to `diags`.
pub fn convert(
    raw: RawRecord,
    node: &Node,
    (file, text, places): (FileId, &str, Places),
    diags: &mut Vec<Diagnostic>,
) -> Converted {
    let entity = matches!(
        raw,
        RawRecord::State(_)
            | RawRecord::Organization(_)
            | RawRecord::Person(_)
            | RawRecord::Coverage(_)
    );
    let origin = if entity || places == Places::Fields {
        origin_of(node, file, text)
    } else {
        record_origin(node, file)
    };
    let mut cx = Ctx {
        file,
        text,
        places,
        diags,
    };
    match raw {
        RawRecord::Coverage(r) => {
            let period = cx.interval(
                &origin,
                "from",
                "until",
                r.from.as_deref(),
                r.until.as_deref(),
            );
            Converted::Coverage(Coverage {
                kinds: r.kinds,
                period,
                complete: r.complete,
                note: r.note,
                origin,
            })
        }
        RawRecord::State(r) => {
            let existence = cx.interval(
                &origin,
                "from",
                "until",
                r.from.as_deref(),
                r.until.as_deref(),
            );
            Converted::Entity(Entity {
                id: r.id,
                kind: EntityKind::State,
                name: r.name,
                aliases: r.aliases,
                existence,
                cow: r.cow,
                org_kind: None,
                note: r.note,
                origin,
            })
        }
        RawRecord::Organization(r) => {
            let existence = cx.interval(
                &origin,
                "founded",
                "dissolved",
                r.founded.as_deref(),
                r.dissolved.as_deref(),
            );
            Converted::Entity(Entity {
                id: r.id,
                kind: EntityKind::Organization,
                name: r.name,
                aliases: r.aliases,
                existence,
                cow: None,
                org_kind: Some(r.kind),
                note: r.note,
                origin,
            })
        }
        RawRecord::Person(r) => {
            let existence = cx.interval(
                &origin,
                "born",
                "died",
                r.born.as_deref(),
                r.died.as_deref(),
            );
            Converted::Entity(Entity {
                id: r.id,
                kind: EntityKind::Person,
                name: r.name,
                aliases: r.aliases,
                existence,
                cow: None,
                org_kind: None,
                note: r.note,
                origin,
            })
        }
        RawRecord::Role(r) => {
            let i = cx.interval(
                &origin,
                "from",
                "until",
                r.from.as_deref(),
                r.until.as_deref(),
            );
            let id_derived = r.id.is_none();
            let id =
                r.id.unwrap_or_else(|| derived_id("role", &r.person, &r.of, i.from));
            let disputed = cx.readings(node, r.disputed, i);
            let sources = cx.sources(node, r.sources);
            Converted::Fact(Fact {
                id,
                id_derived,
                when: When::Span(i),
                disputed,
                body: FactBody::Role {
                    person: r.person,
                    of: r.of,
                    title: r.title,
                },
                sources,
                note: r.note,
                origin,
            })
        }
        RawRecord::Membership(r) => {
            let i = cx.interval(
                &origin,
                "from",
                "until",
                r.from.as_deref(),
                r.until.as_deref(),
            );
            let id_derived = r.id.is_none();
            let id =
                r.id.unwrap_or_else(|| derived_id("membership", &r.member, &r.of, i.from));
            let disputed = cx.readings(node, r.disputed, i);
            let sources = cx.sources(node, r.sources);
            Converted::Fact(Fact {
                id,
                id_derived,
                when: When::Span(i),
                disputed,
                body: FactBody::Membership {
                    member: r.member,
                    of: r.of,
                },
                sources,
                note: r.note,
                origin,
            })
        }
        RawRecord::Treaty(r) => {
            let signed = cx.date(&origin, "signed", r.signed.as_deref());
            let start_field = if r.in_force.is_some() {
                "in_force"
            } else {
                "signed"
            };
            let start_text = r.in_force.as_deref().or(r.signed.as_deref());
            let i = cx.interval(
                &origin,
                start_field,
                "ended",
                start_text,
                r.ended.as_deref(),
            );
            let in_force = if r.in_force.is_some() { i.from } else { None };
            let party_nodes = list_items(node, "parties", text);
            let mut parties = Vec::with_capacity(r.parties.len());
            for (k, p) in r.parties.into_iter().enumerate() {
                let pnode = party_nodes.get(k).copied();
                let porigin = pnode
                    .map(|n| cx.nested_origin(n))
                    .unwrap_or_else(|| origin.clone());
                let psigned = cx.date(&porigin, "signed", p.signed.as_deref());
                let pi = cx.interval(
                    &porigin,
                    "from",
                    "until",
                    p.from.as_deref(),
                    p.until.as_deref(),
                );
                let (disputed, sources) = match pnode {
                    Some(n) => (cx.readings(n, p.disputed, pi), cx.sources(n, p.sources)),
                    None => (Vec::new(), Vec::new()),
                };
                parties.push(Party {
                    state: p.state,
                    signed: psigned,
                    interval: pi,
                    disputed,
                    sources,
                    note: p.note,
                    origin: porigin,
                });
            }
            let sources = cx.sources(node, r.sources);
            Converted::Fact(Fact {
                id: r.id,
                id_derived: false,
                when: When::Span(i),
                disputed: Vec::new(),
                body: FactBody::Treaty {
                    name: r.name,
                    aliases: r.aliases,
                    kind: r.kind,
                    signed,
                    in_force,
                    ended: i.until,
                    organization: r.organization,
                    parties,
                },
                sources,
                note: r.note,
                origin,
            })
        }
        RawRecord::Sanction(r) => {
            let i = cx.interval(&origin, "from", "until", Some(&r.from), r.until.as_deref());
            let disputed = cx.readings(node, r.disputed, i);
            let sources = cx.sources(node, r.sources);
            Converted::Fact(Fact {
                id: r.id,
                id_derived: false,
                when: When::Span(i),
                disputed,
                body: FactBody::Sanction {
                    by: r.by,
                    against: r.against,
                    measures: r.measures,
                    legal_act: r.legal_act,
                    program: r.program,
                },
                sources,
                note: r.note,
                origin,
            })
        }
        RawRecord::Statement(r) => {
            let when = cx.when(
                &origin,
                r.on.as_deref(),
                r.from.as_deref(),
                r.until.as_deref(),
            );
            let sources = cx.sources(node, r.sources);
            Converted::Fact(Fact {
                id: r.id,
                id_derived: false,
                when,
                disputed: Vec::new(),
                body: FactBody::Statement {
                    by: r.by,
                    on_behalf_of: r.on_behalf_of,
                    about: r.about,
                    quote: r.quote,
                    stance: r.stance,
                },
                sources,
                note: r.note,
                origin,
            })
        }
        RawRecord::Event(r) => {
            let when = cx.when(
                &origin,
                r.on.as_deref(),
                r.from.as_deref(),
                r.until.as_deref(),
            );
            let sources = cx.sources(node, r.sources);
            Converted::Fact(Fact {
                id: r.id,
                id_derived: false,
                when,
                disputed: Vec::new(),
                body: FactBody::Event {
                    name: r.name,
                    kind: r.kind,
                    involves: r.involves,
                    summary: r.summary,
                },
                sources,
                note: r.note,
                origin,
            })
        }
    }
}

/// The id of a role or membership written without one: `membership:POL:EU:2004-05-01`.
pub fn derived_id(kind: &str, a: &str, b: &str, from: Option<Date>) -> String {
    match from {
        Some(d) => format!("{kind}:{a}:{b}:{d}"),
        None => format!("{kind}:{a}:{b}"),
    }
}
