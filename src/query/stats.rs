//! `stats`: how many records of each kind, and the range of dates the data covers.

use serde::Serialize;

use crate::model::{Date, Entity, EntityKind, FactKind};
use crate::store::{Store, Tally};

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

/// Counts the store's data: its files, its entities by kind, and its facts as the store
/// tallied them.
pub fn stats(store: &dyn Store) -> Stats {
    stats_of(
        store.files().len(),
        store.entities(),
        &store.summary().tally,
    )
}

/// The stats of `files` files holding `entities` and facts counted in `tally`.
pub fn stats_of(files: usize, entities: &[Entity], tally: &Tally) -> Stats {
    let mut counts = Vec::new();
    for kind in [
        EntityKind::State,
        EntityKind::Organization,
        EntityKind::Person,
    ] {
        counts.push(Count {
            kind: kind.as_str(),
            count: entities.iter().filter(|e| e.kind == kind).count(),
        });
    }
    for (kind, n) in FactKind::ALL.iter().zip(tally.kinds) {
        counts.push(Count {
            kind: kind.as_str(),
            count: n as usize,
        });
    }
    counts.push(Count {
        kind: "Party",
        count: tally.parties as usize,
    });
    counts.push(Count {
        kind: "Source",
        count: tally.sources as usize,
    });
    Stats {
        files,
        counts,
        first_date: tally.first,
        last_date: tally.last,
    }
}
