//! Sources: every fact should cite at least one, and a source should be published near the
//! dates it backs unless it says it looks back (warnings, not errors).

use super::Part;
use crate::diag::{Code, Diagnostic};
use crate::model::{Date, Fact, FactBody, Origin, Source, SourceKind};

/// How far (in days) a source may be published from the nearest date of the fact it backs:
/// a year, counted generously (a leap year and a day).
pub const NEAR_DAYS: i64 = 367;

/// Warns about facts with no source.
pub fn check(part: &Part<'_>, out: &mut Vec<Diagnostic>) {
    let data = part.data;
    for f in &data.facts {
        if f.sources.is_empty() {
            out.push(
                Diagnostic::at(
                    Code::NoSource,
                    f.origin.file,
                    f.origin.head,
                    format!("`{}` cites no source", f.id),
                )
                .label("no `sources`")
                .hint("add `sources: [Source(title: \"...\", url: \"...\", publisher: \"...\", published: \"YYYY-MM-DD\")]`"),
            );
        }
    }
}

/// Warns about sources published more than a year before or after every date of the fact
/// they back (`W0103`), unless marked `kind: Retrospective`. A fact's dates are all it names:
/// its start and end, a treaty's signature, entry into force and end, its parties' dates and
/// every reading's. A source with no `published` date is not checked.
pub fn dates(part: &Part<'_>, out: &mut Vec<Diagnostic>) {
    for f in &part.data.facts {
        let dates = f.dates();
        if dates.is_empty() {
            continue;
        }
        let mut check = |sources: &[Source], origin: &Origin| {
            for (i, s) in sources.iter().enumerate() {
                if let Some(d) = far(s, &dates) {
                    out.push(far_source(f, s, d, origin, i));
                }
            }
        };
        check(&f.sources, &f.origin);
        for r in &f.disputed {
            check(&r.sources, &r.origin);
        }
        if let FactBody::Treaty { parties, .. } = &f.body {
            for p in parties {
                check(&p.sources, &p.origin);
                for r in &p.disputed {
                    check(&r.sources, &r.origin);
                }
            }
        }
    }
}

/// The fact's date nearest to `s`'s publication, when `s` is published more than
/// [`NEAR_DAYS`] from every one of `dates` and does not say it looks back.
fn far(s: &Source, dates: &[Date]) -> Option<Date> {
    if s.kind == Some(SourceKind::Retrospective) {
        return None;
    }
    let p = s.published?;
    let gap = |d: &Date| -> i64 {
        // The days between the two, each read as the range of days it may mean.
        let after = i64::from(p.first()) - i64::from(d.last());
        let before = i64::from(d.first()) - i64::from(p.last());
        after.max(before).max(0)
    };
    let nearest = dates.iter().min_by_key(|d| gap(d))?;
    (gap(nearest) > NEAR_DAYS).then_some(*nearest)
}

fn far_source(f: &Fact, s: &Source, nearest: Date, origin: &Origin, i: usize) -> Diagnostic {
    let published = s.published.map(|d| d.to_string()).unwrap_or_default();
    let side = if s.published.is_some_and(|p| p > nearest) {
        "after"
    } else {
        "before"
    };
    // The source itself where its record was located (a fact read from the cache has no
    // place; its checks ran when the cache was built).
    let origin = if origin.span.end > origin.span.start {
        origin
    } else {
        &f.origin
    };
    Diagnostic::at(
        Code::FarSource,
        origin.file,
        origin.item("sources", i),
        format!(
            "`{}` cites a source published {published}, more than a year {side} {nearest}, the nearest date it gives",
            f.id
        ),
    )
    .label(format!("cites \u{201c}{}\u{201d}", s.title))
    .hint("cite a source of the time, or mark this one `kind: Retrospective` if it looks back on purpose (a history, a reference work, a consolidated text)")
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;
    use crate::validate::testing::*;

    #[test]
    fn sources_far_from_every_date_warn_unless_retrospective() {
        let fact = |src: &str| {
            format!(
                "[{STATES} Membership(member: \"BLR\", of: \"EU\", from: \"2006-05-18\", until: \"2008\", sources: [{src}])]"
            )
        };
        let far = r#"Source(title: "t", url: "u", published: "2021-08")"#;
        assert_eq!(codes(&fact(far)), [Code::FarSource]);
        assert_eq!(pointed(&fact(far), Code::FarSource), far);
        let looking_back =
            r#"Source(title: "t", url: "u", published: "2021-08", kind: Retrospective)"#;
        assert!(codes(&fact(looking_back)).is_empty());
        // Within a year of the start, or of the (imprecise) end, or undated: no warning.
        for near in [
            r#"Source(title: "t", url: "u", published: "2007-05-18")"#,
            r#"Source(title: "t", url: "u", published: "2009-12-31")"#,
            r#"Source(title: "t", url: "u", published: "2005")"#,
            r#"Source(title: "t", url: "u")"#,
        ] {
            assert!(codes(&fact(near)).is_empty(), "{near}");
        }
        let before = r#"Source(title: "t", url: "u", published: "2004-12-31")"#;
        assert_eq!(codes(&fact(before)), [Code::FarSource]);
    }

    #[test]
    fn reading_and_party_sources_are_checked_against_the_fact_s_dates() {
        let text = format!(
            "[{STATES} Treaty(id: \"t\", name: \"T\", kind: Defense, signed: \"1999-12-08\", parties: [Party(state: \"BLR\", sources: [Source(title: \"p\", url: \"u\", published: \"2021-03-15\")])], {SRC})]"
        );
        assert_eq!(codes(&text), [Code::FarSource]);
        assert_eq!(
            pointed(&text, Code::FarSource),
            r#"Source(title: "p", url: "u", published: "2021-03-15")"#
        );
    }

    #[test]
    fn facts_without_sources_warn() {
        let text = format!("[{STATES} Membership(member: \"BLR\", of: \"EU\", sources: [])]");
        assert_eq!(codes(&text), [Code::NoSource]);
        assert_eq!(pointed(&text, Code::NoSource), "Membership");
    }
}
