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

/// Bytes per index entry, in memory and in the cache file: its first day, first day after,
/// fact number and the latest end in its subtree, each a little-endian 32-bit number.
pub const ENTRY_BYTES: usize = 16;

/// The interval index, built in memory: the list offsets and the entries, laid out as the cache
/// file keeps them, so that both are read through the same [`Lists`].
#[derive(Debug, Clone, Default)]
pub struct Index {
    entities: usize,
    /// Where each list starts among the entries (little-endian `u32`s, one more than lists).
    offsets: Vec<u8>,
    /// The entries, [`ENTRY_BYTES`] each, each list sorted by start and augmented.
    entries: Vec<u8>,
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

/// How many lists an index over `entities` entities has: one per entity and slot, then two
/// per fact kind.
pub fn list_count(entities: usize) -> usize {
    entities * Slot::COUNT + 2 * FactKind::COUNT
}

impl Index {
    /// Builds the index of a dataset's facts. `entity_of` resolves a referenced id to an
    /// entity index (`None` for ids that name no entity).
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
                let list = list_number(e, slot) as u32;
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
        tagged.push((
            kind_list(entities, kind) as u32,
            Entry {
                start: days.0,
                end: days.1,
                fact,
            },
        ));
        // One entry for each distinct date the fact names, for the questions about changes.
        let list = dates_list(entities, kind) as u32;
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
    /// them, in batches (in any order).
    pub fn from_batches(entities: usize, batches: Vec<Vec<Tagged>>) -> Index {
        let offsets = offsets_of(entities, &batches);
        let mut entries = Vec::with_capacity(offsets[offsets.len() - 1] as usize * ENTRY_BYTES);
        let filled: Result<(), std::convert::Infallible> =
            write_entries(entities, &offsets, &batches, &mut |b| {
                entries.extend_from_slice(b);
                Ok(())
            });
        let Ok(()) = filled;
        Index {
            entities,
            offsets: offsets.iter().flat_map(|o| o.to_le_bytes()).collect(),
            entries,
        }
    }

    /// How many entities the index was built for.
    pub fn entity_count(&self) -> usize {
        self.entities
    }

    /// The list offsets and the entries, as the cache file keeps them.
    pub fn bytes(&self) -> (&[u8], &[u8]) {
        (&self.offsets, &self.entries)
    }

    /// The lists, to read.
    pub fn lists(&self) -> Lists<'_> {
        Lists {
            entities: self.entities,
            offsets: &self.offsets,
            entries: &self.entries,
            facts: usize::MAX,
        }
    }
}

/// Where each list of an index over `entities` entities starts among the entries, and where
/// the last ends, for the entries of `batches`.
pub fn offsets_of(entities: usize, batches: &[Vec<Tagged>]) -> Vec<u32> {
    let lists = list_count(entities);
    let mut offsets = vec![0u32; lists + 1];
    for (l, _) in batches.iter().flatten() {
        offsets[*l as usize + 1] += 1;
    }
    for i in 0..lists {
        offsets[i + 1] += offsets[i];
    }
    offsets
}

/// Entries laid out a group of lists at a time, this many entries a group at most (but for a
/// list longer alone).
const GROUP: usize = 1 << 20;

/// Gives `put` the entries of `batches` laid out in their lists (at `offsets`, from
/// [`offsets_of`]), each list sorted by start (then fact and end) and augmented, a group of
/// lists at a time: only a group's entries are held besides the batches, so a cache's index
/// is written without a second copy of it. A group's entries are put straight in their lists'
/// places (the offsets say where), so only each list is sorted, not the group.
pub fn write_entries<E>(
    entities: usize,
    offsets: &[u32],
    batches: &[Vec<Tagged>],
    put: &mut dyn FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    let lists = list_count(entities);
    let (mut group, mut next, mut max_end, mut bytes) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut first = 0;
    while first < lists {
        // The lists of this group: as many as fit, at least one.
        let mut last = first + 1;
        while last < lists && (offsets[last + 1] - offsets[first]) as usize <= GROUP {
            last += 1;
        }
        let (lo, hi) = (first as u32, last as u32);
        let base = offsets[first];
        // Where the next entry of each list of the group goes.
        next.clear();
        next.extend(offsets[first..last].iter().map(|o| (o - base) as usize));
        group.clear();
        let empty = Entry {
            start: 0,
            end: 0,
            fact: 0,
        };
        group.resize((offsets[last] - base) as usize, empty);
        for (l, e) in batches.iter().flatten() {
            if (lo..hi).contains(l) {
                let at = &mut next[(l - lo) as usize];
                group[*at] = *e;
                *at += 1;
            }
        }
        for l in first..last {
            let list = &mut group[(offsets[l] - base) as usize..(offsets[l + 1] - base) as usize];
            if list.is_empty() {
                continue;
            }
            list.sort_unstable_by_key(|e| (e.start, e.fact, e.end));
            max_end.clear();
            max_end.resize(list.len(), 0);
            augment(list, &mut max_end);
            bytes.clear();
            for (e, m) in list.iter().zip(&max_end) {
                bytes.extend_from_slice(&encode_entry(*e, *m));
            }
            put(&bytes)?;
        }
        first = last;
    }
    Ok(())
}

/// One entry as [`ENTRY_BYTES`] bytes.
fn encode_entry(e: Entry, max_end: DayNumber) -> [u8; ENTRY_BYTES] {
    let mut b = [0u8; ENTRY_BYTES];
    b[0..4].copy_from_slice(&e.start.to_le_bytes());
    b[4..8].copy_from_slice(&e.end.to_le_bytes());
    b[8..12].copy_from_slice(&e.fact.to_le_bytes());
    b[12..16].copy_from_slice(&max_end.to_le_bytes());
    b
}

fn le32(b: &[u8], at: usize) -> [u8; 4] {
    [b[at], b[at + 1], b[at + 2], b[at + 3]]
}

/// The lists of an index, read in place from their bytes (an [`Index`] in memory, or a cache
/// file): list offsets, then entries of [`ENTRY_BYTES`] bytes.
#[derive(Debug, Clone, Copy)]
pub struct Lists<'a> {
    entities: usize,
    offsets: &'a [u8],
    entries: &'a [u8],
    /// How many facts there are: an entry naming a fact past them is refused.
    facts: usize,
}

/// Why an index's bytes cannot be read: they do not fit together, or name a fact that is not
/// there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadIndex;

impl<'a> Lists<'a> {
    /// The lists of `entities` entities over `facts` facts from their bytes, when the offsets
    /// fit the entries (each entry's bytes are checked as it is read).
    pub fn new(
        entities: usize,
        facts: usize,
        offsets: &'a [u8],
        entries: &'a [u8],
    ) -> Result<Lists<'a>, BadIndex> {
        let lists = Lists {
            entities,
            offsets,
            entries,
            facts,
        };
        let fits = offsets.len() == (list_count(entities) + 1) * 4
            && entries.len().is_multiple_of(ENTRY_BYTES)
            && lists.offset(0) == 0
            && lists.offset(list_count(entities)) * ENTRY_BYTES == entries.len();
        if fits { Ok(lists) } else { Err(BadIndex) }
    }

    fn offset(&self, l: usize) -> usize {
        u32::from_le_bytes(le32(self.offsets, l * 4)) as usize
    }

    /// The byte range of list `l` among the entries.
    pub fn range(&self, l: usize) -> Result<std::ops::Range<usize>, BadIndex> {
        if l >= list_count(self.entities) {
            return Err(BadIndex);
        }
        let (a, b) = (self.offset(l), self.offset(l + 1));
        if a > b || b * ENTRY_BYTES > self.entries.len() {
            return Err(BadIndex);
        }
        Ok(a * ENTRY_BYTES..b * ENTRY_BYTES)
    }

    /// The byte range of every list of `entity`, one after another.
    pub fn entity_range(&self, entity: usize) -> Result<std::ops::Range<usize>, BadIndex> {
        let a = self.range(list_number(entity, Slot::ALL[0]))?;
        let b = self.range(list_number(entity, Slot::ALL[Slot::COUNT - 1]))?;
        Ok(a.start..b.end)
    }

    /// Pushes the facts of list `l` whose days meet `w`, visiting `O(log n + k)` entries.
    pub fn stab(&self, l: usize, w: Window, out: &mut Vec<usize>) -> Result<(), BadIndex> {
        let r = self.range(l)?;
        let list = List {
            bytes: &self.entries[r],
        };
        let before = out.len();
        stab(&list, w, out);
        if out[before..].iter().any(|&f| f >= self.facts) {
            return Err(BadIndex);
        }
        Ok(())
    }

    /// The facts that name `entity` in one of `slots` and can hold on some day of `w`, in load
    /// order, without repeats.
    pub fn tied(&self, entity: usize, slots: &[Slot], w: Window) -> Result<Vec<usize>, BadIndex> {
        let mut out = Vec::new();
        if entity < self.entities {
            for &slot in slots {
                self.stab(list_number(entity, slot), w, &mut out)?;
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Every fact that names `entity` in any slot, whatever its dates, in load order.
    pub fn named(&self, entity: usize) -> Result<Vec<usize>, BadIndex> {
        if entity >= self.entities {
            return Ok(Vec::new());
        }
        let r = self.entity_range(entity)?;
        let mut out = Vec::with_capacity(r.len() / ENTRY_BYTES);
        for e in self.entries[r].chunks_exact(ENTRY_BYTES) {
            let fact = u32::from_le_bytes(le32(e, 8)) as usize;
            if fact >= self.facts {
                return Err(BadIndex);
            }
            out.push(fact);
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Every fact that names a date that can fall on some day of `w` (see [`Fact::dates`]), of
    /// any kind, in load order, without repeats: a superset of the facts whose changes `diff`
    /// lists for `w`.
    pub fn dated_within(&self, w: Window) -> Result<Vec<usize>, BadIndex> {
        let mut out = Vec::new();
        for &k in &FactKind::ALL {
            self.stab(dates_list(self.entities, k), w, &mut out)?;
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Every fact of `kind` that can hold on some day of `w`, in load order.
    pub fn of_kind(&self, kind: FactKind, w: Window) -> Result<Vec<usize>, BadIndex> {
        let mut out = Vec::new();
        self.stab(kind_list(self.entities, kind), w, &mut out)?;
        out.sort_unstable();
        Ok(out)
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

/// One list's entries, in place.
struct List<'a> {
    bytes: &'a [u8],
}

impl List<'_> {
    fn len(&self) -> usize {
        self.bytes.len() / ENTRY_BYTES
    }
    fn field(&self, i: usize, k: usize) -> i32 {
        i32::from_le_bytes(le32(self.bytes, i * ENTRY_BYTES + k))
    }
    fn entry(&self, i: usize) -> Entry {
        Entry {
            start: self.field(i, 0),
            end: self.field(i, 4),
            fact: self.field(i, 8) as u32,
        }
    }
    fn max_end(&self, i: usize) -> DayNumber {
        self.field(i, 12)
    }
}

/// Pushes the facts of the list whose `[start, end)` meets `w` (days `first..=last`), visiting
/// `O(log n + k)` entries.
fn stab(nodes: &List<'_>, w: Window, out: &mut Vec<usize>) {
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
                let bytes: Vec<u8> = entries
                    .iter()
                    .zip(&max_end)
                    .flat_map(|(e, m)| encode_entry(*e, *m))
                    .collect();
                stab(&List { bytes: &bytes }, w, &mut got);
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
        let ids_of = crate::store::EntityIds::new(&data);
        let index = Index::build(&data, |id| ids_of.get(id));
        let lists = index.lists();
        let ids = |a: &str, b: &str| -> Vec<&str> {
            let w = Window::between(Some(d(a)), Some(d(b)));
            lists
                .dated_within(w)
                .expect("reads")
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
        let of_kind = |k| lists.of_kind(k, w).expect("reads").len();
        assert_eq!(of_kind(FactKind::Membership), 1);
        assert_eq!(of_kind(FactKind::Treaty), 1);
        assert_eq!(of_kind(FactKind::Statement), 0);
    }
}
