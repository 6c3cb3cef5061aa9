//! The store every question reads: entities, facts by number, and the interval index that
//! finds the facts tied to an entity or dated within a window. It has two implementations:
//! [`MemoryStore`], over a dataset loaded whole, and the cache file ([`crate::cache`]), read in
//! place (a cache built in memory on a first call is the same reader over bytes not yet
//! written). Nothing here knows of questions, output or the command line.

pub mod index;
pub mod memory;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::model::{
    Coverage, Dataset, Date, Entity, Fact, FactBody, FactKind, SourceFile, Target, When, Window,
};
pub use index::{Index, Slot};
pub use memory::MemoryStore;

/// A store whose bytes cannot be read: a cache file that fails a checksum or does not decode.
/// The caller drops the cache and asks again from the data files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrupt;

impl std::fmt::Display for Corrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the cache file is damaged")
    }
}

impl std::error::Error for Corrupt {}

impl From<index::BadIndex> for Corrupt {
    fn from(_: index::BadIndex) -> Corrupt {
        Corrupt
    }
}

/// What a store read gives.
pub type Read<T> = Result<T, Corrupt>;

/// The facts of a dataset and what finds them. Fact numbers run in load order; every list of
/// fact numbers a store gives is sorted, without repeats.
pub trait Store: Sync {
    /// The data files, in load order (their texts only where the data was loaded whole).
    fn files(&self) -> &[SourceFile];
    /// Every entity, in load order. A store read in place decodes them all on the first call:
    /// where one entity is wanted, [`Store::entity_at`] reads only that one.
    fn entities(&self) -> &[Entity];
    /// How many entities there are.
    fn entity_count(&self) -> usize;
    /// Entity number `i` (below [`Store::entity_count`]).
    fn entity_at(&self, i: usize) -> &Entity;
    /// The entity whose id is `id` (ignoring case).
    fn entity_of(&self, id: &str) -> Option<usize>;
    /// How many facts there are.
    fn fact_count(&self) -> usize;
    /// Fact number `n` (below [`Store::fact_count`]).
    fn fact(&self, n: usize) -> Read<Cow<'_, Fact>>;
    /// Calls `each` with every fact's number and the fact, in load order, until it returns
    /// `false`: a scan of the whole store, front to back. A store read in place gives back the
    /// memory of the facts behind as it goes, so a scan of millions of facts holds only those
    /// it is at.
    fn each_fact(&self, each: &mut dyn FnMut(usize, &Fact) -> bool) -> Read<()> {
        for n in 0..self.fact_count() {
            if !each(n, &*self.fact(n)?) {
                break;
            }
        }
        Ok(())
    }
    /// The fact whose id is `id` (ignoring case).
    fn fact_of(&self, id: &str) -> Read<Option<usize>>;
    /// The facts that name `entity` in one of `slots` and can hold on some day of `w`.
    fn tied(&self, entity: usize, slots: &[Slot], w: Window) -> Read<Vec<usize>>;
    /// Every fact that names `entity`, whatever its dates.
    fn named(&self, entity: usize) -> Read<Vec<usize>>;
    /// Every fact of `kind` that can hold on some day of `w`.
    fn of_kind(&self, kind: FactKind, w: Window) -> Read<Vec<usize>>;
    /// Every fact that names a date that can fall on some day of `w`.
    fn dated_within(&self, w: Window) -> Read<Vec<usize>>;
    /// Calls `each` with every fact's number and id, in load order.
    fn each_id(&self, each: &mut dyn FnMut(usize, &str)) -> Read<()>;
    /// What the store knows of its data as a whole.
    fn summary(&self) -> &Summary;
    /// What the data says it covers.
    fn coverage(&self) -> &[Coverage];
    /// Whether a read failed after the question was answered ([`Store::fact_again`]).
    fn damaged(&self) -> bool;
    /// Keeps that a read failed, for [`Store::damaged`].
    fn mark_damaged(&self);

    /// Fact `n` read again as the answer is written: it was read once already, so a read can
    /// only fail here if the cache file was changed while open. Then a blank fact stands in,
    /// and the store says it is [`damaged`](Store::damaged), which fails the command.
    fn fact_again(&self, n: usize) -> Cow<'_, Fact> {
        self.fact(n).unwrap_or_else(|_| {
            self.mark_damaged();
            Cow::Owned(blank_fact())
        })
    }

    /// What `id` names (ignoring case): an entity before a fact.
    fn lookup(&self, id: &str) -> Read<Option<Target>> {
        if let Some(e) = self.entity_of(id) {
            return Ok(Some(Target::Entity(e)));
        }
        Ok(self.fact_of(id)?.map(Target::Fact))
    }

    /// The entity named `id`, if any.
    fn entity(&self, id: &str) -> Option<&Entity> {
        self.entity_of(id).map(|e| self.entity_at(e))
    }
}

/// A fact with no id and no content: what [`Store::fact_again`] gives for a fact it cannot read.
pub fn blank_fact() -> Fact {
    Fact {
        id: String::new(),
        id_derived: false,
        when: When::On(Date::year(0)),
        disputed: Vec::new(),
        body: FactBody::Event {
            name: String::new(),
            kind: crate::model::EventKind::Other,
            involves: Vec::new(),
            summary: None,
        },
        sources: Vec::new(),
        note: None,
        origin: crate::model::Origin::default(),
    }
}

/// An entity with no id and no content: what a store gives for an entity it cannot read (and
/// it is then [`damaged`](Store::damaged)).
pub fn blank_entity() -> Entity {
    Entity {
        id: String::new(),
        kind: crate::model::EntityKind::State,
        name: String::new(),
        aliases: Vec::new(),
        existence: crate::model::Interval::default(),
        cow: None,
        org_kind: None,
        note: None,
        origin: crate::model::Origin::default(),
    }
}

/// Resolves referenced ids to entity numbers: exact ids without hashing a folded copy, other
/// spellings through the dataset's case-blind index. The first entity of an id wins.
pub struct EntityIds<'d> {
    data: &'d Dataset,
    exact: HashMap<&'d str, usize, foldhash::fast::RandomState>,
}

impl<'d> EntityIds<'d> {
    /// The ids of `data`'s entities.
    pub fn new(data: &'d Dataset) -> EntityIds<'d> {
        let mut exact = HashMap::with_capacity_and_hasher(data.entities.len(), Default::default());
        for (i, e) in data.entities.iter().enumerate() {
            if data.lookup(&e.id) == Some(Target::Entity(i)) {
                exact.insert(e.id.as_str(), i);
            }
        }
        EntityIds { data, exact }
    }

    /// The entity `id` names, if any.
    pub fn get(&self, id: &str) -> Option<usize> {
        if let Some(&i) = self.exact.get(id) {
            return Some(i);
        }
        match self.data.lookup(id) {
            Some(Target::Entity(i)) => Some(i),
            _ => None,
        }
    }
}

/// What a store knows of its data as a whole: whether it loaded and validated without a
/// single diagnostic, and the counts `stats` shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// No error and no warning.
    pub clean: bool,
    /// The facts counted.
    pub tally: Tally,
}

/// The facts counted, a fact at a time, so that they can be counted batch by batch with the
/// same result as over the whole dataset.
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
    /// The tally of `facts`.
    pub fn of<'f>(facts: impl IntoIterator<Item = &'f Fact>) -> Tally {
        let mut t = Tally::default();
        facts.into_iter().for_each(|f| t.add(f));
        t
    }

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

    /// How many facts were counted.
    pub fn facts(&self) -> u64 {
        self.kinds.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{DataSource, load};
    use crate::model::{Date, Fact, FactBody, When};

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
