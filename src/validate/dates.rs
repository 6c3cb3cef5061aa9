//! Dates against each other: treaty parties join while their treaty is in force, a state is
//! not listed twice for overlapping dates, and facts start while the entities they tie exist.

use super::Part;
use crate::diag::{Code, Diagnostic};
use crate::model::{Date, Entity, Fact, FactBody, Interval, Origin, Span, When};

/// Parties joining before the treaty starts or after it ends; a state listed twice at once.
pub fn parties(part: &Part<'_>, out: &mut Vec<Diagnostic>) {
    let data = part.data;
    for f in &data.facts {
        let FactBody::Treaty { parties, .. } = &f.body else {
            continue;
        };
        let Some(treaty) = f.interval() else { continue };
        for p in parties {
            let readings = std::iter::once((p.interval, &p.origin))
                .chain(p.disputed.iter().map(|r| (r.interval, &r.origin)));
            for (interval, origin) in readings {
                let Some(from) = interval.from else { continue };
                let span = if origin.field("from").is_some() {
                    origin.value_or_head("from")
                } else {
                    p.origin.value_or_head("from")
                };
                if let Some(start) = treaty.from
                    && from.last() < start.first()
                {
                    out.push(
                        Diagnostic::at(
                            Code::PartyOutsideTreaty,
                            origin.file,
                            span,
                            format!(
                                "`{}` joins `{}` on {from}, before the treaty is in force ({start})",
                                p.state, f.id
                            ),
                        )
                        .label("too early")
                        .also(f.origin.file, treaty_start_span(f), "the treaty starts here")
                        .hint("record the state's signature as `signed:` and leave `from` out: a party is bound from the treaty's start by default"),
                    );
                }
                if let Some(end) = treaty.surely_over()
                    && from.first() >= end
                {
                    out.push(
                        Diagnostic::at(
                            Code::PartyOutsideTreaty,
                            origin.file,
                            span,
                            format!(
                                "`{}` joins `{}` on {from}, after the treaty ended{}",
                                p.state,
                                f.id,
                                treaty.until.map(|u| format!(" ({u})")).unwrap_or_default()
                            ),
                        )
                        .label("too late")
                        .also(
                            f.origin.file,
                            f.origin.value_or_head("ended"),
                            "the treaty ends here",
                        )
                        .hint("check both dates: a state cannot join a treaty that has ended; if the treaty still runs, correct or remove `ended`"),
                    );
                }
            }
        }
        for (i, a) in parties.iter().enumerate() {
            for b in &parties[i + 1..] {
                if a.state.eq_ignore_ascii_case(&b.state) && a.interval.overlaps(b.interval) {
                    out.push(
                        Diagnostic::at(
                            Code::OverlappingParty,
                            b.origin.file,
                            b.origin.value_or_head("state"),
                            format!("`{}` is listed twice in `{}` for overlapping dates", b.state, f.id),
                        )
                        .label("listed again")
                        .also(a.origin.file, a.origin.value_or_head("state"), "first listed here")
                        .hint("a state that left and rejoined gets two parties with `until` on the first and `from` on the second; where sources disagree on dates, use `disputed`"),
                    );
                }
            }
        }
    }
}

fn treaty_start_span(f: &Fact) -> Span {
    if f.origin.field("in_force").is_some() {
        f.origin.value_or_head("in_force")
    } else {
        f.origin.value_or_head("signed")
    }
}

/// Facts that start before an entity they tie exists, or after it ceased to.
pub fn existence(part: &Part<'_>, out: &mut Vec<Diagnostic>) {
    let data = part.data;
    for f in &data.facts {
        let start = match f.when {
            When::Span(i) => i.from,
            When::On(d) => Some(d),
        };
        let ties: Vec<(&str, &str, Option<Date>, &Origin)> = match &f.body {
            FactBody::Role { person, of, .. } => {
                vec![
                    ("person", person, start, &f.origin),
                    ("of", of, start, &f.origin),
                ]
            }
            FactBody::Membership { member, of } => {
                vec![
                    ("member", member, start, &f.origin),
                    ("of", of, start, &f.origin),
                ]
            }
            FactBody::Sanction { by, .. } => vec![("by", by, start, &f.origin)],
            FactBody::Statement { by, .. } => vec![("by", by, start, &f.origin)],
            FactBody::Treaty { parties, .. } => parties
                .iter()
                .map(|p| {
                    let from = p.interval.from.or(start);
                    ("state", p.state.as_str(), from, &p.origin)
                })
                .collect(),
            FactBody::Event { .. } => Vec::new(),
        };
        for (field, id, from, origin) in ties {
            let (Some(from), Some(e)) = (from, data.entity(id)) else {
                continue;
            };
            outside(f, e, field, from, origin, out);
        }
    }
}

fn outside(
    f: &Fact,
    e: &Entity,
    field: &str,
    from: Date,
    origin: &Origin,
    out: &mut Vec<Diagnostic>,
) {
    let existence: Interval = e.existence;
    let span = if origin.field("from").is_some() {
        origin.value_or_head("from")
    } else if origin.field("on").is_some() {
        origin.value_or_head("on")
    } else {
        origin.value_or_head(field)
    };
    let (start_field, end_field) = match e.kind {
        crate::model::EntityKind::State => ("from", "until"),
        crate::model::EntityKind::Organization => ("founded", "dissolved"),
        crate::model::EntityKind::Person => ("born", "died"),
    };
    if let Some(exists) = existence.from
        && from.last() < exists.first()
    {
        out.push(
            Diagnostic::at(
                Code::OutsideExistence,
                origin.file,
                span,
                format!(
                    "`{}` starts on {from}, before `{}` exists ({start_field} {exists})",
                    f.id, e.id
                ),
            )
            .label("too early")
            .also(e.origin.file, e.origin.value_or_head(start_field), format!("`{}` begins here", e.id))
            .hint("check both dates; if the entity existed earlier under another form, note it on the entity"),
        );
    }
    if let Some(end) = existence.surely_over()
        && from.first() >= end
    {
        out.push(
            Diagnostic::at(
                Code::OutsideExistence,
                origin.file,
                span,
                format!(
                    "`{}` starts on {from}, after `{}` ceased to exist",
                    f.id, e.id
                ),
            )
            .label("too late")
            .also(
                e.origin.file,
                e.origin.value_or_head(end_field),
                format!("`{}` ends here", e.id),
            )
            .hint("check both dates; if a successor took over (as Russia did for the USSR), name the successor"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;
    use crate::validate::testing::*;

    fn treaty(parties: &str) -> String {
        format!(
            "[{STATES} Treaty(id: \"cst\", name: \"CST\", kind: Defense, signed: \"1992-05-15\", in_force: \"1994-04-20\", ended: \"2010\", parties: [{parties}], {SRC})]"
        )
    }

    #[test]
    fn party_before_or_after_its_treaty() {
        let t = treaty(
            "Party(state: \"RUS\", from: \"1993-12-31\"), Party(state: \"BLR\", from: \"2011-01-01\")",
        );
        assert_eq!(
            codes(&t),
            [Code::PartyOutsideTreaty, Code::PartyOutsideTreaty]
        );
        assert_eq!(pointed(&t, Code::PartyOutsideTreaty), "\"1993-12-31\"");
        // A month-precise join that may fall on the start day is accepted.
        let ok = treaty(
            "Party(state: \"RUS\", from: \"1994-04\"), Party(state: \"BLR\", until: \"1999-04-02\")",
        );
        assert_eq!(codes(&ok), []);
        // Joining in the year the treaty ended (year-precise end) may still be in force.
        let ok = treaty("Party(state: \"RUS\", from: \"2010-06-01\")");
        assert_eq!(codes(&ok), []);
    }

    #[test]
    fn disputed_party_dates_are_checked_too() {
        let t =
            treaty("Party(state: \"BLR\", disputed: [Reading(from: \"1992-05-15\", sources: [])])");
        assert_eq!(codes(&t), [Code::PartyOutsideTreaty]);
    }

    #[test]
    fn overlapping_parties() {
        let t = treaty(
            "Party(state: \"RUS\", until: \"1999-04-02\"), Party(state: \"RUS\", from: \"1999-01-01\")",
        );
        assert_eq!(codes(&t), [Code::OverlappingParty]);
        let ok = treaty(
            "Party(state: \"RUS\", until: \"1999-04-02\"), Party(state: \"RUS\", from: \"2006-08-16\")",
        );
        assert_eq!(codes(&ok), []);
    }

    #[test]
    fn facts_outside_existence() {
        let text = format!(
            "[{STATES} Membership(member: \"BLR\", of: \"EU\", from: \"1991-01-01\", {SRC}), \
             Role(person: \"dmitry-peskov\", of: \"RUS\", title: \"x\", from: \"1960\", {SRC}), \
             Membership(member: \"BLR\", of: \"EU\", from: \"1995\", {SRC})]"
        );
        assert_eq!(
            codes(&text),
            [
                Code::OutsideExistence,
                Code::OutsideExistence,
                Code::OutsideExistence
            ]
        );
    }
}
