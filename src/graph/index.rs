//! The interval index: for every entity and every way a fact can name it (party to an alliance,
//! target of a sanction, speaker, ...), the facts with the days on which they can hold, so that
//! "what held on D" costs time in the facts it returns, not in the size of the world.
//!
//! Each list is sorted by first possible day and carries an implicit augmented interval tree
//! (the layout of Heng Li's cgranges): node `i` of the sorted array stores the latest end in its
//! subtree, so a stabbing query visits `O(log n + k)` entries. The days kept are a superset of
//! where the fact holds (the union of every reading, clipped by the treaty for a party), so the
//! index finds candidates and the questions keep their exact certain / possible / no tests.

use crate::model::date::DayNumber;
use crate::model::{Dataset, Fact, FactBody, FactKind, When, Window};

/// How a fact names an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Slot {
    /// The person of a role.
    RolePerson = 0,
    /// The state or organization of a role.
    RoleOf,
    /// The member of a membership.
    Member,
    /// The organization of a membership.
    MemberOf,
    /// A party to a treaty of an alliance kind, for the days it is bound.
    AlliedParty,
    /// A party to another treaty, for the days it is bound.
    Party,
    /// The organization a treaty founds or runs under.
    TreatyOrganization,
    /// The sender of a sanction.
    SanctionBy,
    /// A target of a sanction.
    SanctionAgainst,
    /// The speaker of a statement.
    StatementBy,
    /// Whom the speaker spoke for.
    StatementOnBehalfOf,
    /// What a statement is about.
    StatementAbout,
    /// An entity an event involves.
    EventInvolves,
}

impl Slot {
    /// How many slots there are.
    pub const COUNT: usize = 13;

    /// Every slot, in order.
    pub const ALL: [Slot; Slot::COUNT] = [
        Slot::RolePerson,
        Slot::RoleOf,
        Slot::Member,
        Slot::MemberOf,
        Slot::AlliedParty,
        Slot::Party,
        Slot::TreatyOrganization,
        Slot::SanctionBy,
        Slot::SanctionAgainst,
        Slot::StatementBy,
        Slot::StatementOnBehalfOf,
        Slot::StatementAbout,
        Slot::EventInvolves,
    ];
}

/// One fact in a list, with the days `[start, end)` on which it can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// First day it can hold.
    pub start: DayNumber,
    /// First day after the last it can hold.
    pub end: DayNumber,
    /// Index into [`Dataset::facts`].
    pub fact: u32,
}

/// An entry with the number of the list it belongs in (entity and slot, or fact kind).
pub type Tagged = (u32, Entry);

/// The index over a dataset: one list per (entity, slot); and per fact kind, for questions
/// that name no entity, one list by the days a fact can hold and one with an entry for each
/// date it names (what changed in a window).
#[derive(Debug, Clone, Default)]
pub struct Index {
    entities: usize,
    /// Where each list starts in `entries`; list `l` is `offsets[l]..offsets[l + 1]`.
    offsets: Vec<u32>,
    entries: Vec<Entry>,
    /// The augmented tree: per entry, the latest end in its subtree.
    max_end: Vec<DayNumber>,
}

/// The days on which an interval can hold: `[first possible day, first day surely over)`.
fn span_days(i: crate::model::Interval) -> (DayNumber, DayNumber) {
    (
        i.earliest_start().unwrap_or(DayNumber::MIN),
        i.surely_over().unwrap_or(DayNumber::MAX),
    )
}

/// The days on which a fact can hold: every reading of its dates together.
pub fn fact_days(f: &crate::model::Fact) -> (DayNumber, DayNumber) {
    match f.when {
        When::On(d) => (d.first(), d.end_exclusive()),
        When::Span(i) => f
            .disputed
            .iter()
            .map(|r| span_days(r.interval))
            .fold(span_days(i), |(a, b), (c, d)| (a.min(c), b.max(d))),
    }
}

/// The days on which a treaty party can be bound: the party's readings within the treaty's.
fn party_days(treaty: (DayNumber, DayNumber), p: &crate::model::Party) -> (DayNumber, DayNumber) {
    let (s, e) = p
        .disputed
        .iter()
        .map(|r| span_days(r.interval))
        .fold(span_days(p.interval), |(a, b), (c, d)| (a.min(c), b.max(d)));
    (s.max(treaty.0), e.min(treaty.1))
}

/// The number of a fact kind's list among the per-kind lists.
pub fn kind_number(k: FactKind) -> usize {
    FactKind::ALL.iter().position(|x| *x == k).unwrap_or(0)
}

impl Index {
    /// Builds the index. `entity_of` resolves a referenced id to an entity index (`None` for
    /// ids that name no entity: facts, or dangling references in invalid data).
    pub fn build(data: &Dataset, entity_of: impl Fn(&str) -> Option<usize>) -> Index {
        let mut tagged: Vec<Tagged> = Vec::with_capacity(data.facts.len() * 3);
        for (fi, f) in data.facts.iter().enumerate() {
            Index::tag(data.entities.len(), fi as u32, f, &entity_of, &mut tagged);
        }
        Index::from_batches(data.entities.len(), vec![tagged])
    }

    /// Adds the entries of fact number `fact` to `tagged`: one per entity it names (in the
    /// list of that entity and slot) and one in its kind's list. With [`Index::from_batches`],
    /// an index can be built from facts that are never all held at once.
    pub fn tag(
        entities: usize,
        fact: u32,
        f: &Fact,
        entity_of: &impl Fn(&str) -> Option<usize>,
        tagged: &mut Vec<Tagged>,
    ) {
        let days = fact_days(f);
        // Every tie is listed, even one that can hold on no day (a party whose own dates fall
        // outside the treaty's): an entity's lists together name every fact that names it.
        let mut push = |slot: Slot, id: &str, (start, end): (DayNumber, DayNumber)| {
            if let Some(e) = entity_of(id) {
                let list = (e * Slot::COUNT + slot as usize) as u32;
                tagged.push((list, Entry { start, end, fact }));
            }
        };
        match &f.body {
            FactBody::Role { person, of, .. } => {
                push(Slot::RolePerson, person, days);
                push(Slot::RoleOf, of, days);
            }
            FactBody::Membership { member, of } => {
                push(Slot::Member, member, days);
                push(Slot::MemberOf, of, days);
            }
            FactBody::Treaty {
                kind,
                organization,
                parties,
                ..
            } => {
                if let Some(o) = organization {
                    push(Slot::TreatyOrganization, o, days);
                }
                let slot = if kind.is_alliance() {
                    Slot::AlliedParty
                } else {
                    Slot::Party
                };
                for p in parties {
                    push(slot, &p.state, party_days(days, p));
                }
            }
            FactBody::Sanction { by, against, .. } => {
                push(Slot::SanctionBy, by, days);
                for a in against {
                    push(Slot::SanctionAgainst, a, days);
                }
            }
            FactBody::Statement {
                by,
                on_behalf_of,
                about,
                ..
            } => {
                push(Slot::StatementBy, by, days);
                if let Some(o) = on_behalf_of {
                    push(Slot::StatementOnBehalfOf, o, days);
                }
                for a in about {
                    push(Slot::StatementAbout, a, days);
                }
            }
            FactBody::Event { involves, .. } => {
                for a in involves {
                    push(Slot::EventInvolves, a, days);
                }
            }
        }
        let kind = f.kind();
        let list = Index::kind_list(entities, kind) as u32;
        tagged.push((
            list,
            Entry {
                start: days.0,
                end: days.1,
                fact,
            },
        ));
        // One entry for each distinct date the fact names, for the questions about changes.
        let list = Index::dates_list(entities, kind) as u32;
        let mark = tagged.len();
        f.each_date(|d| {
            let (start, end) = (d.first(), d.end_exclusive());
            tagged.push((list, Entry { start, end, fact }));
        });
        let mine = &mut tagged[mark..];
        mine.sort_unstable_by_key(|(_, e)| (e.start, e.end));
        let mut kept = mark;
        for i in mark..tagged.len() {
            let (_, e) = tagged[i];
            if kept == mark
                || (tagged[kept - 1].1.start, tagged[kept - 1].1.end) != (e.start, e.end)
            {
                tagged[kept] = tagged[i];
                kept += 1;
            }
        }
        tagged.truncate(kept);
    }

    /// The index of `entities` entities from every fact's entries, as [`Index::tag`] gave
    /// them, in batches (in any order). Each batch is let go as soon as its entries are in
    /// place, so the entries are not held twice over.
    pub fn from_batches(entities: usize, batches: Vec<Vec<Tagged>>) -> Index {
        let lists = Index::list_count(entities);
        let mut offsets = vec![0u32; lists + 1];
        for (l, _) in batches.iter().flatten() {
            offsets[*l as usize + 1] += 1;
        }
        for i in 0..lists {
            offsets[i + 1] += offsets[i];
        }
        let mut cursor = offsets[..lists].to_vec();
        let blank = Entry {
            start: 0,
            end: 0,
            fact: 0,
        };
        let mut entries = vec![blank; offsets[lists] as usize];
        for batch in batches {
            for (l, e) in batch {
                let c = &mut cursor[l as usize];
                entries[*c as usize] = e;
                *c += 1;
            }
        }
        let mut max_end = vec![0; entries.len()];
        for l in 0..lists {
            let r = offsets[l] as usize..offsets[l + 1] as usize;
            entries[r.clone()].sort_unstable_by_key(|e| (e.start, e.fact));
            augment(&entries[r.clone()], &mut max_end[r]);
        }
        Index {
            entities,
            offsets,
            entries,
            max_end,
        }
    }

    /// Reassembles an index from its parts (as stored in a cache), checking that they fit.
    pub fn from_parts(
        entities: usize,
        offsets: Vec<u32>,
        entries: Vec<Entry>,
        max_end: Vec<DayNumber>,
    ) -> Option<Index> {
        let lists = Index::list_count(entities);
        let fits = offsets.len() == lists + 1
            && offsets.first() == Some(&0)
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && offsets.last().map(|&n| n as usize) == Some(entries.len())
            && max_end.len() == entries.len();
        fits.then_some(Index {
            entities,
            offsets,
            entries,
            max_end,
        })
    }

    /// The parts: list offsets, entries, subtree ends.
    pub fn parts(&self) -> (&[u32], &[Entry], &[DayNumber]) {
        (&self.offsets, &self.entries, &self.max_end)
    }

    /// How many entities the index was built for.
    pub fn entity_count(&self) -> usize {
        self.entities
    }

    /// The number of the list of `entity` in `slot`.
    pub fn list_number(entity: usize, slot: Slot) -> usize {
        entity * Slot::COUNT + slot as usize
    }

    /// The number of the list of every fact of `kind`, by the days it can hold.
    pub fn kind_list(entities: usize, kind: FactKind) -> usize {
        entities * Slot::COUNT + kind_number(kind)
    }

    /// The number of the list of every fact of `kind`, by the dates it names.
    pub fn dates_list(entities: usize, kind: FactKind) -> usize {
        entities * Slot::COUNT + FactKind::COUNT + kind_number(kind)
    }

    /// How many lists an index over `entities` entities has: one per entity and slot, then
    /// two per fact kind.
    pub fn list_count(entities: usize) -> usize {
        entities * Slot::COUNT + 2 * FactKind::COUNT
    }

    /// List `l`: its entries and their subtree ends.
    pub fn list(&self, l: usize) -> (&[Entry], &[DayNumber]) {
        match (self.offsets.get(l), self.offsets.get(l + 1)) {
            (Some(&a), Some(&b)) => {
                let r = a as usize..b as usize;
                (&self.entries[r.clone()], &self.max_end[r])
            }
            _ => (&[], &[]),
        }
    }

    /// The facts that name `entity` in `slot` and can hold on some day of `w`, in load order,
    /// without repeats.
    pub fn facts(&self, entity: usize, slot: Slot, w: Window) -> Vec<usize> {
        if entity >= self.entities {
            return Vec::new();
        }
        let (entries, max_end) = self.list(entity * Slot::COUNT + slot as usize);
        let mut out = Vec::new();
        stab(&Slices { entries, max_end }, w, &mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    /// [`Index::facts`] over several slots at once, merged in load order.
    pub fn facts_in(&self, entity: usize, slots: &[Slot], w: Window) -> Vec<usize> {
        if entity >= self.entities {
            return Vec::new();
        }
        let mut out = Vec::new();
        for &slot in slots {
            let (entries, max_end) = self.list(entity * Slot::COUNT + slot as usize);
            stab(&Slices { entries, max_end }, w, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every fact that names entity `entity` in any slot, whatever its dates, in load order.
    pub fn named(&self, entity: usize) -> Vec<usize> {
        if entity >= self.entities {
            return Vec::new();
        }
        let first = Index::list_number(entity, Slot::ALL[0]);
        let (a, b) = (self.offsets[first], self.offsets[first + Slot::COUNT]);
        let mut out: Vec<usize> = self.entries[a as usize..b as usize]
            .iter()
            .map(|e| e.fact as usize)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every fact that names a date that can fall on some day of `w` (see [`Fact::dates`]), of
    /// any kind, in load order, without repeats: a superset of the facts whose changes `diff`
    /// lists for `w`.
    pub fn dated_within(&self, w: Window) -> Vec<usize> {
        let mut out = Vec::new();
        for &k in &FactKind::ALL {
            let (entries, max_end) = self.list(Index::dates_list(self.entities, k));
            stab(&Slices { entries, max_end }, w, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every fact of `kind` that can hold on some day of `w`, in load order.
    pub fn facts_of_kind(&self, kind: FactKind, w: Window) -> Vec<usize> {
        let (entries, max_end) = self.list(Index::kind_list(self.entities, kind));
        let mut out = Vec::new();
        stab(&Slices { entries, max_end }, w, &mut out);
        out.sort_unstable();
        out
    }
}

/// Fills `max_end` for a list sorted by start: leaves (even positions) hold their own end; node
/// `i` at level `k` (its `k` lowest bits set) holds the latest end of `[i - 2^k + 1, i + 2^k - 1]`.
pub fn augment(entries: &[Entry], max_end: &mut [DayNumber]) {
    let n = entries.len();
    if n == 0 {
        return;
    }
    for i in 0..n {
        max_end[i] = entries[i].end;
    }
    let mut k = 1;
    while (1usize << k) <= n {
        let x = 1usize << (k - 1);
        let step = x << 2;
        let mut i = (x << 1) - 1;
        while i < n {
            let left = max_end[i - x];
            let right = if i + x < n {
                max_end[i + x]
            } else {
                // The right subtree runs past the end: take the latest end of what exists.
                max_end[i + 1..n]
                    .iter()
                    .copied()
                    .max()
                    .unwrap_or(DayNumber::MIN)
            };
            max_end[i] = entries[i].end.max(left).max(right);
            i += step;
        }
        k += 1;
    }
}

/// A sorted list with its subtree ends, wherever it is kept: in memory, or in a cache file
/// read block by block.
pub trait Nodes {
    /// How many entries.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Entry `i` (`i < len`).
    fn entry(&self, i: usize) -> Entry;
    /// The latest end in the subtree of node `i` (`i < len`).
    fn max_end(&self, i: usize) -> DayNumber;
}

/// A list held in memory.
pub struct Slices<'a> {
    /// The entries, sorted by start.
    pub entries: &'a [Entry],
    /// Their subtree ends, from [`augment`].
    pub max_end: &'a [DayNumber],
}

impl Nodes for Slices<'_> {
    fn len(&self) -> usize {
        self.entries.len().min(self.max_end.len())
    }
    fn entry(&self, i: usize) -> Entry {
        self.entries[i]
    }
    fn max_end(&self, i: usize) -> DayNumber {
        self.max_end[i]
    }
}

/// Pushes the facts of the list whose `[start, end)` meets `w` (days `first..=last`), visiting
/// `O(log n + k)` entries.
pub fn stab(nodes: &impl Nodes, w: Window, out: &mut Vec<usize>) {
    let n = nodes.len();
    if n == 0 {
        return;
    }
    let lo = w.first;
    let hi = w.last; // inclusive
    // The root: the level whose node covers the whole array.
    let mut root_k = 0;
    while (1usize << (root_k + 1)) <= n {
        root_k += 1;
    }
    // (node, level, left child done)
    let mut stack: Vec<(usize, u32, bool)> = Vec::with_capacity(64);
    stack.push(((1usize << root_k) - 1, root_k, false));
    while let Some((x, k, left_done)) = stack.pop() {
        if k <= 3 {
            // A small subtree: scan it.
            let i0 = (x >> k) << k;
            let i1 = (i0 + (1usize << (k + 1)) - 1).min(n);
            for i in i0.min(n)..i1 {
                let e = nodes.entry(i);
                if e.start > hi {
                    break;
                }
                if e.end > lo {
                    out.push(e.fact as usize);
                }
            }
        } else if !left_done {
            stack.push((x, k, true));
            let y = x - (1usize << (k - 1));
            // The left child may lie past the end; visit it when it could reach the window.
            if y >= n || nodes.max_end(y) > lo {
                stack.push((y, k - 1, false));
            }
        } else if x < n {
            let e = nodes.entry(x);
            if e.start <= hi {
                if e.end > lo {
                    out.push(e.fact as usize);
                }
                stack.push((x + (1usize << (k - 1)), k - 1, false));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: i32) -> i32 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as i32
        }
    }

    fn brute(entries: &[Entry], w: Window) -> Vec<usize> {
        let mut v: Vec<usize> = entries
            .iter()
            .filter(|e| e.start <= w.last && e.end > w.first)
            .map(|e| e.fact as usize)
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn stabbing_matches_a_scan_for_every_size() {
        let mut rng = Lcg(42);
        for n in 0..300usize {
            let mut entries: Vec<Entry> = (0..n)
                .map(|i| {
                    let start = rng.next(1000);
                    let len = if rng.next(4) == 0 {
                        rng.next(800) + 1
                    } else {
                        rng.next(20) + 1
                    };
                    let end = if rng.next(10) == 0 {
                        DayNumber::MAX
                    } else {
                        start + len
                    };
                    Entry {
                        start,
                        end,
                        fact: i as u32,
                    }
                })
                .collect();
            entries.sort_by_key(|e| (e.start, e.fact));
            let mut max_end = vec![0; n];
            augment(&entries, &mut max_end);
            for _ in 0..40 {
                let first = rng.next(1100) - 50;
                let last = first + rng.next(40);
                let w = Window { first, last };
                let mut got = Vec::new();
                let nodes = Slices {
                    entries: &entries,
                    max_end: &max_end,
                };
                stab(&nodes, w, &mut got);
                got.sort_unstable();
                assert_eq!(got, brute(&entries, w), "n={n} w={w:?}");
            }
        }
    }
}

#[cfg(test)]
mod kind_lists {
    use super::*;
    use crate::model::Date;

    fn d(s: &str) -> Date {
        Date::parse(s).expect(s)
    }

    #[test]
    fn dated_within_finds_what_changes_and_passes_over_what_merely_holds() {
        let text = r#"[
            State(id: "RUS", name: "Russia"), State(id: "BLR", name: "Belarus"),
            Organization(id: "CIS", name: "Commonwealth", kind: Intergovernmental),
            Membership(member: "BLR", of: "CIS", from: "1991-12-08", sources: []),
            Treaty(id: "t", name: "T", kind: Defense, signed: "1992-05-15",
                   in_force: "1994-04-20", parties: [Party(state: "RUS"), Party(state: "BLR",
                   until: "2012")], sources: []),
            Statement(id: "s", by: "RUS", about: ["BLR"], on: "2021-03", quote: "q",
                      stance: Friendly, sources: []),
        ]"#;
        let loaded = crate::load::from_text("t.ron", text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let data = loaded.dataset;
        let index = crate::graph::index_of(&data);
        let ids = |a: &str, b: &str| -> Vec<&str> {
            let w = Window::between(Some(d(a)), Some(d(b)));
            index
                .dated_within(w)
                .into_iter()
                .map(|i| data.facts[i].id.as_str())
                .collect()
        };
        // The signature, years before the treaty holds; the membership holds but does not change.
        assert_eq!(ids("1992-05", "1992-05"), ["t"]);
        assert_eq!(ids("1995", "2011"), Vec::<&str>::new());
        // A party leaving during a year, and a statement of a month, both within 2012-2021.
        assert_eq!(ids("2012-06", "2021-03-31"), ["t", "s"]);
        assert_eq!(ids("1991-12-08", "1991-12-08").len(), 1);
        // Holding is another list: the membership and the treaty hold in 2000.
        let w = Window::of(d("2000"));
        assert_eq!(index.facts_of_kind(FactKind::Membership, w).len(), 1);
        assert_eq!(index.facts_of_kind(FactKind::Treaty, w).len(), 1);
        assert!(index.facts_of_kind(FactKind::Statement, w).is_empty());
    }
}
