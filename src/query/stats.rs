//! `stats`: how many records of each kind, and the range of dates the data covers.

use serde::Serialize;

use crate::model::{Dataset, Date, EntityKind, FactBody, FactKind, When};

/// One line of the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// Record kind (`State`, `Treaty`, `Party`, `Source`, ...).
    pub kind: &'static str,
    /// How many.
    pub count: usize,
}

/// What `stats` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Files read.
    pub files: usize,
    /// Counts by kind: entities, then facts, then treaty parties and sources.
    pub counts: Vec<Count>,
    /// The earliest date in any fact.
    pub first_date: Option<Date>,
    /// The latest date in any fact.
    pub last_date: Option<Date>,
}

/// Counts the dataset.
pub fn stats(data: &Dataset) -> Stats {
    let mut counts = Vec::new();
    for kind in [
        EntityKind::State,
        EntityKind::Organization,
        EntityKind::Person,
    ] {
        counts.push(Count {
            kind: kind.as_str(),
            count: data.entities.iter().filter(|e| e.kind == kind).count(),
        });
    }
    for kind in FactKind::ALL {
        counts.push(Count {
            kind: kind.as_str(),
            count: data.facts.iter().filter(|f| f.kind() == kind).count(),
        });
    }
    counts.push(Count {
        kind: "Party",
        count: data.facts.iter().map(|f| f.parties().len()).sum(),
    });
    counts.push(Count {
        kind: "Source",
        count: data.facts.iter().map(|f| f.sources.len()).sum(),
    });
    let mut dates: Vec<Date> = Vec::new();
    for f in &data.facts {
        match f.when {
            When::Span(i) => dates.extend(i.from.into_iter().chain(i.until)),
            When::On(d) => dates.push(d),
        }
        if let FactBody::Treaty {
            signed, parties, ..
        } = &f.body
        {
            dates.extend(signed.iter().copied());
            for p in parties {
                dates.extend(
                    p.interval
                        .from
                        .into_iter()
                        .chain(p.interval.until)
                        .chain(p.signed),
                );
            }
        }
    }
    Stats {
        files: data.files.len(),
        counts,
        first_date: dates.iter().min_by_key(|d| d.first()).copied(),
        last_date: dates.iter().max_by_key(|d| d.last()).copied(),
    }
}
