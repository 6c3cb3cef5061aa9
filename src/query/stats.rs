//! `stats`: how many records of each kind, and the range of dates the data covers.

use serde::Serialize;

use crate::model::{Dataset, Date, Entity, EntityKind, Fact, FactBody, FactKind, When};

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

/// What `stats` counts of facts, added up a fact at a time, so that it can be counted batch by
/// batch (and kept in a cache) with the same result as over the whole dataset.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    /// Facts of each kind, in the order of [`FactKind::ALL`].
    pub kinds: [u64; FactKind::COUNT],
    /// Treaty parties.
    pub parties: u64,
    /// Sources of facts.
    pub sources: u64,
    /// The earliest date (the first met, of those that start earliest).
    pub first: Option<Date>,
    /// The latest date (the last met, of those that end latest).
    pub last: Option<Date>,
}

impl Tally {
    /// Counts one more fact (facts are counted in load order).
    pub fn add(&mut self, f: &Fact) {
        if let Some(k) = FactKind::ALL.iter().position(|k| *k == f.kind()) {
            self.kinds[k] += 1;
        }
        self.parties += f.parties().len() as u64;
        self.sources += f.sources.len() as u64;
        let mut date = |d: Date| self.date(d);
        match f.when {
            When::Span(i) => i.from.into_iter().chain(i.until).for_each(&mut date),
            When::On(d) => date(d),
        }
        if let FactBody::Treaty {
            signed, parties, ..
        } = &f.body
        {
            signed.iter().copied().for_each(&mut date);
            for p in parties {
                let i = p.interval;
                i.from
                    .into_iter()
                    .chain(i.until)
                    .chain(p.signed)
                    .for_each(&mut date);
            }
        }
    }

    fn date(&mut self, d: Date) {
        if self.first.is_none_or(|x| d.first() < x.first()) {
            self.first = Some(d);
        }
        if self.last.is_none_or(|x| d.last() >= x.last()) {
            self.last = Some(d);
        }
    }

    /// Adds up the tally of the facts that come after these.
    pub fn then(&mut self, later: &Tally) {
        for (a, b) in self.kinds.iter_mut().zip(later.kinds) {
            *a += b;
        }
        self.parties += later.parties;
        self.sources += later.sources;
        later
            .first
            .into_iter()
            .chain(later.last)
            .for_each(|d| self.date(d));
    }
}

/// Counts the dataset.
pub fn stats(data: &Dataset) -> Stats {
    let mut tally = Tally::default();
    data.facts.iter().for_each(|f| tally.add(f));
    stats_of(data.files.len(), &data.entities, &tally)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{DataSource, load};

    /// The dates `stats` ranges over, in the order it meets them.
    fn dates_of(f: &Fact) -> Vec<Date> {
        let mut out = Vec::new();
        match f.when {
            When::Span(i) => out.extend(i.from.into_iter().chain(i.until)),
            When::On(d) => out.push(d),
        }
        if let FactBody::Treaty {
            signed, parties, ..
        } = &f.body
        {
            out.extend(signed);
            for p in parties {
                out.extend(
                    p.interval
                        .from
                        .into_iter()
                        .chain(p.interval.until)
                        .chain(p.signed),
                );
            }
        }
        out
    }

    #[test]
    fn counted_in_batches_as_over_the_whole() {
        let data = load(&DataSource::Bundled).dataset;
        let mut whole = Tally::default();
        data.facts.iter().for_each(|f| whole.add(f));
        // The range is the first of the earliest and the last of the latest dates met.
        let all: Vec<Date> = data.facts.iter().flat_map(dates_of).collect();
        assert_eq!(whole.first, all.iter().min_by_key(|d| d.first()).copied());
        assert_eq!(whole.last, all.iter().max_by_key(|d| d.last()).copied());
        assert_eq!(whole.kinds.iter().sum::<u64>(), data.facts.len() as u64);
        for size in [1, 2, 3, 7, 50] {
            let mut merged = Tally::default();
            for batch in data.facts.chunks(size) {
                let mut t = Tally::default();
                batch.iter().for_each(|f| t.add(f));
                merged.then(&t);
            }
            assert_eq!(merged, whole, "batches of {size}");
        }
    }

    #[test]
    fn ties_keep_the_first_earliest_and_the_last_latest() {
        let d = |s: &str| Date::parse(s).expect(s);
        let mut t = Tally::default();
        for s in ["2001", "2001-01-01", "2005-12-31", "2005"] {
            t.date(d(s));
        }
        assert_eq!((t.first, t.last), (Some(d("2001")), Some(d("2005"))));
        let mut later = Tally::default();
        for s in ["2001-01", "2005-12"] {
            later.date(d(s));
        }
        t.then(&later);
        assert_eq!((t.first, t.last), (Some(d("2001")), Some(d("2005-12"))));
    }
}
