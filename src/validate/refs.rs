//! References: every id a fact names exists and is of a kind that field allows; lists that need
//! items have them; nothing is tied to itself.

use super::{Named, Part};
use crate::diag::{Code, Diagnostic, did_you_mean, nearest};
use crate::model::{EntityKind, Fact, FactBody, Origin};

/// What a reference may name.
#[derive(Clone, Copy)]
enum Allowed {
    Kinds(&'static [EntityKind]),
    EntityOrFact,
}

const ANY: &[EntityKind] = &[
    EntityKind::State,
    EntityKind::Organization,
    EntityKind::Person,
];
const STATE_OR_ORG: &[EntityKind] = &[EntityKind::State, EntityKind::Organization];
const ORG: &[EntityKind] = &[EntityKind::Organization];
const STATE: &[EntityKind] = &[EntityKind::State];
const PERSON: &[EntityKind] = &[EntityKind::Person];

impl Allowed {
    fn describe(self) -> String {
        match self {
            Allowed::EntityOrFact => "an entity or a fact".into(),
            Allowed::Kinds(kinds) => {
                let names: Vec<&str> = kinds.iter().map(|k| k.with_article()).collect();
                match names.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} or {last}", rest.join(", "))
                    }
                    _ => names.concat(),
                }
            }
        }
    }
}

/// One reference: the record it stands in, the field, the item index in a list field.
struct Ref<'a> {
    origin: &'a Origin,
    field: &'static str,
    index: Option<usize>,
    id: &'a str,
    allowed: Allowed,
}

struct Refs<'a> {
    origin: &'a Origin,
    out: Vec<Ref<'a>>,
}

impl<'a> Refs<'a> {
    fn one(&mut self, field: &'static str, id: &'a str, allowed: Allowed) {
        self.out.push(Ref {
            origin: self.origin,
            field,
            index: None,
            id,
            allowed,
        });
    }

    fn list(&mut self, field: &'static str, ids: &'a [String], allowed: Allowed) {
        for (i, id) in ids.iter().enumerate() {
            self.out.push(Ref {
                origin: self.origin,
                field,
                index: Some(i),
                id,
                allowed,
            });
        }
    }
}

fn refs_of(f: &Fact) -> Vec<Ref<'_>> {
    let mut r = Refs {
        origin: &f.origin,
        out: Vec::new(),
    };
    match &f.body {
        FactBody::Role { person, of, .. } => {
            r.one("person", person, Allowed::Kinds(PERSON));
            r.one("of", of, Allowed::Kinds(STATE_OR_ORG));
        }
        FactBody::Membership { member, of } => {
            r.one("member", member, Allowed::Kinds(STATE_OR_ORG));
            r.one("of", of, Allowed::Kinds(ORG));
        }
        FactBody::Treaty {
            organization,
            parties,
            ..
        } => {
            if let Some(org) = organization {
                r.one("organization", org, Allowed::Kinds(ORG));
            }
            for p in parties {
                r.out.push(Ref {
                    origin: &p.origin,
                    field: "state",
                    index: None,
                    id: &p.state,
                    allowed: Allowed::Kinds(STATE),
                });
            }
        }
        FactBody::Sanction { by, against, .. } => {
            r.one("by", by, Allowed::Kinds(STATE_OR_ORG));
            r.list("against", against, Allowed::Kinds(ANY));
        }
        FactBody::Statement {
            by,
            on_behalf_of,
            about,
            ..
        } => {
            r.one("by", by, Allowed::Kinds(ANY));
            if let Some(b) = on_behalf_of {
                r.one("on_behalf_of", b, Allowed::Kinds(STATE_OR_ORG));
            }
            r.list("about", about, Allowed::EntityOrFact);
        }
        FactBody::Event { involves, .. } => {
            r.list("involves", involves, Allowed::Kinds(ANY));
        }
    }
    r.out
}

/// The ids a reference could have meant: entities of an allowed kind (and facts, where allowed).
fn candidates<'p>(part: &'p Part<'_>, allowed: Allowed) -> Vec<&'p str> {
    let mut out: Vec<&str> = part
        .data
        .entities
        .iter()
        .filter(|e| match allowed {
            Allowed::Kinds(k) => k.contains(&e.kind),
            Allowed::EntityOrFact => true,
        })
        .map(|e| e.id.as_str())
        .collect();
    // Fact ids join the candidates only while they are few enough to compare quickly.
    if matches!(allowed, Allowed::EntityOrFact) && part.fact_count() <= MAX_FACT_CANDIDATES {
        out.extend(part.fact_ids());
    }
    out
}

/// Above this many facts, "did you mean" compares against entity ids only.
const MAX_FACT_CANDIDATES: usize = 20_000;

/// "Did you mean" suggestions are computed for this many unknown references; past it (a broken
/// entities file can leave thousands) the problems are still all reported, without suggestions,
/// so that validation stays fast.
pub(super) const MAX_SUGGESTIONS: usize = 200;

/// Checks every reference of every fact, empty lists and self-ties.
pub fn check(part: &Part<'_>, out: &mut Vec<Diagnostic>) {
    let mut suggestions_left = part.suggestions;
    for f in &part.data.facts {
        for r in refs_of(f) {
            check_ref(part, &r, &mut suggestions_left, out);
        }
        empty_lists(f, out);
        self_ties(f, out);
    }
}

fn check_ref(
    part: &Part<'_>,
    r: &Ref<'_>,
    suggestions_left: &mut usize,
    out: &mut Vec<Diagnostic>,
) {
    let data = part.data;
    let span = match r.index {
        Some(i) => r.origin.item(r.field, i),
        None => r.origin.value_or_head(r.field),
    };
    let file = r.origin.file;
    // A statement may be about a fact of any file; other fields name entities.
    match part.named(r.id) {
        None => {
            let near = if *suggestions_left > 0 {
                *suggestions_left -= 1;
                nearest(r.id, candidates(part, r.allowed), 3)
            } else {
                Vec::new()
            };
            let mut d = Diagnostic::at(
                Code::UnknownReference,
                file,
                span,
                format!(
                    "`{}` names no record (`{}` must be {})",
                    r.id,
                    r.field,
                    r.allowed.describe()
                ),
            )
            .label("unknown id");
            d = match did_you_mean(&near) {
                Some(h) => d.hint(h),
                None => d.hint("add the record it means, or correct the id"),
            };
            out.push(d);
        }
        Some(Named::Entity(i)) => {
            let e = &data.entities[i];
            if let Allowed::Kinds(kinds) = r.allowed
                && !kinds.contains(&e.kind)
            {
                let near = nearest(r.id, candidates(part, r.allowed), 3);
                let hint = match did_you_mean(&near) {
                    Some(h) => h,
                    None if r.field == "of" && e.kind == EntityKind::State => {
                        "a tie between states is a `Treaty` with both as parties; `of` names an organization such as `EU`".to_string()
                    }
                    None => format!(
                        "name {} here, or add the record it means",
                        r.allowed.describe()
                    ),
                };
                out.push(
                    Diagnostic::at(
                        Code::WrongKind,
                        file,
                        span,
                        format!(
                            "`{}` is {}, but `{}` must be {}",
                            r.id,
                            e.kind.with_article(),
                            r.field,
                            r.allowed.describe()
                        ),
                    )
                    .label("wrong kind")
                    .also(e.origin.file, e.origin.value_or_head("id"), "defined here")
                    .hint(hint),
                );
            }
        }
        Some(Named::Fact(_, f)) => {
            if let Allowed::Kinds(kinds) = r.allowed {
                let runs_under = match &f.body {
                    FactBody::Treaty {
                        organization: Some(org),
                        ..
                    } => data
                        .entity(org)
                        .filter(|e| kinds.contains(&e.kind))
                        .map(|e| e.id.as_str()),
                    _ => None,
                };
                let hint = match runs_under {
                    Some(org) => {
                        format!("did you mean `{org}`, the organization this treaty runs under?")
                    }
                    None => did_you_mean(&nearest(r.id, candidates(part, r.allowed), 3))
                        .unwrap_or_else(|| {
                            format!("`{}` takes the id of {}", r.field, r.allowed.describe())
                        }),
                };
                out.push(
                    Diagnostic::at(
                        Code::WrongKind,
                        file,
                        span,
                        format!(
                            "`{}` is a {} fact, but `{}` must be {}",
                            r.id,
                            f.kind().as_str(),
                            r.field,
                            r.allowed.describe()
                        ),
                    )
                    .label("wrong kind")
                    .also(f.origin.file, f.origin.value_or_head("id"), "defined here")
                    .hint(hint),
                );
            }
        }
    }
}

fn empty_lists(f: &Fact, out: &mut Vec<Diagnostic>) {
    let empty: Vec<(&str, &str, &str)> = match &f.body {
        FactBody::Treaty { parties, .. } if parties.is_empty() => {
            vec![(
                "parties",
                "a treaty needs at least one party",
                "list the states bound by it, e.g. `parties: [Party(state: \"RUS\"), Party(state: \"BLR\")]`",
            )]
        }
        FactBody::Sanction {
            against, measures, ..
        } => {
            let mut v = Vec::new();
            if against.is_empty() {
                v.push((
                    "against",
                    "a sanction needs at least one target",
                    "list the sanctioned states, organizations or people, e.g. `against: [\"BLR\"]`",
                ));
            }
            if measures.is_empty() {
                v.push((
                    "measures",
                    "a sanction needs at least one measure",
                    "list what it does, e.g. `measures: [AssetFreeze, TravelBan]`; write `[Other]` if none fits",
                ));
            }
            v
        }
        FactBody::Statement { about, .. } if about.is_empty() => {
            vec![(
                "about",
                "a statement must be about at least one entity",
                "list the ids it is about, e.g. `about: [\"BLR\"]`",
            )]
        }
        FactBody::Event { involves, .. } if involves.is_empty() => {
            vec![(
                "involves",
                "an event must involve at least one entity",
                "list the ids it involves, e.g. `involves: [\"BLR\"]`",
            )]
        }
        _ => Vec::new(),
    };
    for (field, message, hint) in empty {
        out.push(
            Diagnostic::at(
                Code::EmptyList,
                f.origin.file,
                f.origin.value_or_head(field),
                message,
            )
            .label("empty")
            .hint(hint),
        );
    }
}

fn self_ties(f: &Fact, out: &mut Vec<Diagnostic>) {
    let o = &f.origin;
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    match &f.body {
        FactBody::Membership { member, of } if same(member, of) => out.push(
            Diagnostic::at(
                Code::SelfReference,
                o.file,
                o.value_or_head("of"),
                format!("`{member}` is made a member of itself"),
            )
            .label("same as `member`")
            .hint("check `member` and `of`: one of them names the wrong record"),
        ),
        FactBody::Sanction { by, against, .. } => {
            for (i, t) in against.iter().enumerate() {
                if same(by, t) {
                    out.push(
                        Diagnostic::at(
                            Code::SelfReference,
                            o.file,
                            o.item("against", i),
                            format!("`{by}` sanctions itself"),
                        )
                        .label("same as `by`")
                        .also(o.file, o.value_or_head("by"), "the sender")
                        .hint("remove it from `against`, or correct `by`"),
                    );
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;
    use crate::validate::testing::*;

    #[test]
    fn unknown_reference_suggests_nearest() {
        let text = format!(
            "[{STATES} Sanction(id: \"s\", by: \"EU\", against: [\"RUS\", \"BRL\"], measures: [AssetFreeze], from: \"2020-10-02\", {SRC})]"
        );
        let ps = problems(&text);
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert_eq!(ps[0].code, Code::UnknownReference);
        assert_eq!(ps[0].hints, ["did you mean `BLR`?"]);
        assert_eq!(pointed(&text, Code::UnknownReference), "\"BRL\"");
    }

    #[test]
    fn many_unknown_references_are_all_reported_with_bounded_suggestions() {
        let n = super::MAX_SUGGESTIONS + 5;
        let facts: String = (0..n)
            .map(|i| format!("Membership(id: \"m{i}\", member: \"BRL\", of: \"EU\", {SRC}),"))
            .collect();
        let ps = problems(&format!("[{STATES} {facts}]"));
        assert_eq!(ps.len(), n);
        assert!(ps.iter().all(|d| d.code == Code::UnknownReference));
        let suggested = ps
            .iter()
            .filter(|d| d.hints.iter().any(|h| h.contains("did you mean")))
            .count();
        assert_eq!(suggested, super::MAX_SUGGESTIONS);
    }

    #[test]
    fn wrong_kind_of_reference() {
        let text = format!(
            "[{STATES} Role(person: \"BLR\", of: \"RUS\", title: \"x\", {SRC}), Membership(member: \"BLR\", of: \"RUS\", {SRC})]"
        );
        assert_eq!(codes(&text), [Code::WrongKind, Code::WrongKind]);
        assert_eq!(pointed(&text, Code::WrongKind), "\"BLR\"");
    }

    #[test]
    fn statements_may_be_about_facts() {
        let text = format!(
            "[{STATES} Treaty(id: \"t\", name: \"T\", kind: Union, signed: \"1999\", parties: [Party(state: \"BLR\")], {SRC}), \
             Statement(id: \"s\", by: \"dmitry-peskov\", about: [\"t\"], on: \"2021\", quote: \"q\", stance: Friendly, {SRC})]"
        );
        assert_eq!(codes(&text), []);
    }

    #[test]
    fn empty_lists_and_self_ties() {
        let text = format!(
            "[{STATES} Sanction(id: \"s\", by: \"EU\", against: [], measures: [], from: \"2020\", {SRC}), \
             Sanction(id: \"s2\", by: \"EU\", against: [\"EU\"], measures: [Other], from: \"2020\", {SRC}), \
             Membership(member: \"EU\", of: \"EU\", {SRC})]"
        );
        assert_eq!(
            codes(&text),
            [
                Code::EmptyList,
                Code::EmptyList,
                Code::SelfReference,
                Code::SelfReference
            ]
        );
    }
}
