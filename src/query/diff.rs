//! Changes of facts held by place, and `diff`, the changes after one date and up to another,
//! as [`super::timeline`] dates them. A timeline of one entity is such a list too.
//!
//! A diff of a whole world lists a change of nearly every fact (more than a million at a million
//! facts), and a hub's timeline hundreds of thousands: a list holds no entry and no fact. Each
//! change is kept as its fact's number and its place among that fact's entries, and an entry is
//! made again from its fact, read from the store, when it is written; only the ids are kept, to
//! sort and list the changes by.

use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};

use super::texts::Texts;
use super::timeline::{Change, Entry, Parties, fact_entries};
use crate::model::date::DayNumber;
use crate::model::interval::happened_within;
use crate::model::{Date, Fact, Window};
use crate::store::{Read, Store};

/// One change: the fact that makes it (its number among the facts with a change: as added,
/// then in the order of their ids), and its place among that fact's entries
/// ([`fact_entries`]), with what it sorts by.
#[derive(Debug, Clone, Copy)]
struct Mark {
    day: DayNumber,
    change: Change,
    fact: u32,
    nth: u32,
}

/// The changes of facts within a window, by place (see the module doc). Changes sort by first
/// day, then start/point/end, then fact id, then as their fact's own entries sort (party, date,
/// detail).
pub struct Changes<'s> {
    store: &'s dyn Store,
    window: Window,
    /// The entity whose side of treaties is seen, if any.
    around: Option<String>,
    /// The facts with a change, numbered in the order of their ids: each one's id, and its
    /// number in the store.
    ids: Texts,
    places: Vec<usize>,
    /// Every change, in date order.
    marks: Vec<Mark>,
}

impl<'s> Changes<'s> {
    /// The changes within `window` of the facts numbered `candidates` (in any order, each
    /// once); `around` (an entity's id) keeps a treaty's own changes only as that entity sees
    /// them, and its parties' own changes only for it.
    pub fn gather(
        store: &'s dyn Store,
        candidates: impl IntoIterator<Item = usize>,
        window: Window,
        around: Option<&str>,
    ) -> Read<Changes<'s>> {
        let candidates: Vec<usize> = candidates.into_iter().collect();
        // Read on every core, a run of candidates each, and put together in their order.
        let threads = if candidates.len() < PARALLEL_FROM {
            1
        } else {
            crate::load::parallel::cores().clamp(1, 8)
        };
        let runs: Vec<&[usize]> = candidates
            .chunks(candidates.len().div_ceil(threads).max(1))
            .collect();
        let found: Vec<Read<Vec<FactChanges>>> = std::thread::scope(|s| {
            let handles: Vec<_> = runs
                .iter()
                .map(|run| s.spawn(move || changes_of(store, run, window, around)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(Err(crate::store::Corrupt)))
                .collect()
        });
        let mut ids = Texts::default();
        let mut places = Vec::new();
        let mut marks = Vec::new();
        for run in found {
            for (k, id, changes) in run? {
                let fact = ids.push(&id, "");
                places.push(k);
                marks.extend(
                    changes
                        .iter()
                        .enumerate()
                        .map(|(nth, &(day, change))| Mark {
                            day,
                            change,
                            fact,
                            nth: nth as u32,
                        }),
                );
            }
        }
        // The facts numbered in the order of their ids, and their changes with them.
        let number = ids.number_by_id();
        let mut by_id = vec![0; number.len()];
        for (k, &t) in number.iter().enumerate() {
            by_id[t as usize] = places[k];
        }
        for m in &mut marks {
            m.fact = number[m.fact as usize];
        }
        drop(number);
        marks.shrink_to_fit();
        marks.sort_unstable_by_key(|m| (m.day, m.change, m.fact, m.nth));
        Ok(Changes {
            store,
            window,
            around: around.map(str::to_string),
            ids,
            places: by_id,
            marks,
        })
    }

    /// How many changes.
    pub fn len(&self) -> usize {
        self.marks.len()
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    /// The id of each change's fact, in date order.
    pub fn change_ids(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.marks.iter().map(|m| self.ids.id(m.fact))
    }

    /// The entries of fact `t` (numbered by id), made again.
    fn entries_of<R>(&self, t: u32, f: impl FnOnce(&[Entry<'_>]) -> R) -> R {
        let fact = self.store.fact_again(self.places[t as usize]);
        let entries = fact_entries(&fact, parties(self.around.as_deref()), self.window);
        f(&entries)
    }

    /// Every change, made from the facts of `data` (the dataset of the store they were
    /// gathered from), for tests to hold.
    #[cfg(test)]
    pub(crate) fn entries_in<'d>(&self, data: &'d crate::model::Dataset) -> Vec<Entry<'d>> {
        self.marks
            .iter()
            .map(|m| {
                let f = &data.facts[self.places[m.fact as usize]];
                let parties = parties(self.around.as_deref());
                fact_entries(f, parties, self.window).swap_remove(m.nth as usize)
            })
            .collect()
    }

    /// Calls `f` with change `j` (in date order), made again from its fact.
    pub fn with_change<R>(&self, j: usize, f: impl FnOnce(&Entry<'_>) -> R) -> R {
        let m = self.marks[j];
        // The fact reads the same as when it was gathered, so its entries are the same.
        self.entries_of(m.fact, |entries| match entries.get(m.nth as usize) {
            Some(e) => f(e),
            None => {
                self.store.mark_damaged();
                f(&blank_entry())
            }
        })
    }
}

/// Candidates read on one thread below this many.
const PARALLEL_FROM: usize = 20_000;

/// A fact with changes: its number, its id, and each of its entries' first day and change.
type FactChanges = (usize, String, Vec<(DayNumber, Change)>);

/// The facts numbered `run` that change within `window`, with their changes, in order.
fn changes_of(
    store: &dyn Store,
    run: &[usize],
    window: Window,
    around: Option<&str>,
) -> Read<Vec<FactChanges>> {
    let mut out = Vec::new();
    for &k in run {
        let f = store.fact(k)?;
        // A fact none of whose dates can fall within the window costs a look at them.
        if !may_change_within(&f, window) {
            continue;
        }
        let entries = fact_entries(&f, parties(around), window);
        if entries.is_empty() {
            continue;
        }
        let changes = entries.iter().map(|e| (e.date.first(), e.change)).collect();
        out.push((k, f.id.clone(), changes));
    }
    Ok(out)
}

/// What stands in for an entry of a fact that could not be read again (see
/// [`Store::fact_again`]).
fn blank_entry() -> Entry<'static> {
    Entry::blank()
}

/// Serialized as the list of changes, each entry made as it is written.
impl Serialize for Changes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for j in 0..self.len() {
            self.with_change(j, |e| seq.serialize_element(e))?;
        }
        seq.end()
    }
}

fn parties(around: Option<&str>) -> Parties<'_> {
    match around {
        Some(id) => Parties::Of(id),
        None => Parties::All,
    }
}

fn bit(c: Change) -> u8 {
    match c {
        Change::Start => 1,
        Change::Point => 2,
        Change::End => 4,
    }
}

/// What `diff` answers: the changes after one date and up to another, and the facts that
/// started, ended and happened.
pub struct Diff<'s> {
    /// Changes after every day this date can mean...
    pub after: Date,
    /// ...and on or before the last day this one can mean.
    pub through: Date,
    /// The entity the changes were limited to.
    pub around: Option<String>,
    /// Every change.
    pub changes: Changes<'s>,
    /// The facts with a start, an end, a point entry: by number (so in the order of ids).
    started: Vec<u32>,
    ended: Vec<u32>,
    happened: Vec<u32>,
}

impl<'s> Diff<'s> {
    /// How many changes.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    fn listed(&self, c: Change) -> &[u32] {
        match c {
            Change::Start => &self.started,
            Change::End => &self.ended,
            Change::Point => &self.happened,
        }
    }

    /// The ids of the facts with a change of kind `c` (`started`, `ended`, `happened`),
    /// sorted, without repeats.
    pub fn ids(&self, c: Change) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.listed(c).iter().map(|&t| self.changes.ids.id(t))
    }

    /// The id of each change's fact, in date order.
    pub fn change_ids(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.changes.change_ids()
    }

    /// Calls `f` with change `j` (in date order), made again from its fact.
    pub fn with_change<R>(&self, j: usize, f: impl FnOnce(&Entry<'_>) -> R) -> R {
        self.changes.with_change(j, f)
    }

    /// Calls `f` with the id of the `i`-th fact with a change of kind `c` (in [`Diff::ids`]
    /// order) and its entries of that kind, in date order.
    pub fn with_listed<R>(
        &self,
        c: Change,
        i: usize,
        f: impl FnOnce(&str, &[&Entry<'_>]) -> R,
    ) -> R {
        let t = self.listed(c)[i];
        self.changes.entries_of(t, |entries| {
            let mine: Vec<&Entry> = entries.iter().filter(|e| e.change == c).collect();
            f(self.changes.ids.id(t), &mine)
        })
    }
}

/// Serialized as a struct of `after`, `through`, `around` (when given), the `started`, `ended`
/// and `happened` ids, and every change, each entry made as it is written.
impl Serialize for Diff<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields = if self.around.is_some() { 7 } else { 6 };
        let mut st = s.serialize_struct("Diff", fields)?;
        st.serialize_field("after", &self.after)?;
        st.serialize_field("through", &self.through)?;
        if let Some(a) = &self.around {
            st.serialize_field("around", a)?;
        }
        st.serialize_field("started", &Ids(self, Change::Start))?;
        st.serialize_field("ended", &Ids(self, Change::End))?;
        st.serialize_field("happened", &Ids(self, Change::Point))?;
        st.serialize_field("changes", &self.changes)?;
        st.end()
    }
}

struct Ids<'a, 's>(&'a Diff<'s>, Change);

impl Serialize for Ids<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.ids(self.1))
    }
}

/// The changes after `d1` and on or before `d2`: entries whose date falls within the days from
/// the day after the last day `d1` can mean through the last day `d2` can mean (a fact that
/// started on `d1` was already in force on `d1`; one that ends on `d2`, its first day no longer
/// in force, is over by `d2`). With `around` (an entity's number), only facts tied to that
/// entity, as in [`super::timeline::timeline`]; without, every fact the index dates within the
/// window, with every treaty party's own changes.
pub fn diff(store: &dyn Store, d1: Date, d2: Date, around: Option<usize>) -> Read<Diff<'_>> {
    let w = diff_window(d1, d2);
    let (candidates, around) = match around {
        Some(e) => (store.named(e)?, Some(store.entity_at(e).id.as_str())),
        None => (store.dated_within(w)?, None),
    };
    let changes = Changes::gather(store, candidates, w, around)?;
    // Which kinds of change each fact has, to list it under each.
    let mut kinds = vec![0u8; changes.places.len()];
    for m in &changes.marks {
        kinds[m.fact as usize] |= bit(m.change);
    }
    let listed = |c: Change| -> Vec<u32> {
        (0..kinds.len() as u32)
            .filter(|&t| kinds[t as usize] & bit(c) != 0)
            .collect()
    };
    Ok(Diff {
        after: d1,
        through: d2,
        around: around.map(str::to_string),
        started: listed(Change::Start),
        ended: listed(Change::End),
        happened: listed(Change::Point),
        changes,
    })
}

/// Whether a date an entry of `f` can carry falls within `w`, even possibly: any date the fact
/// names ([`Fact::dates`], a superset of the dates an entry can carry).
fn may_change_within(f: &Fact, w: Window) -> bool {
    let mut hit = false;
    f.each_date(|d| hit = hit || happened_within(d, w).holds());
    hit
}

/// The days `diff d1 d2` looks at: after every day `d1` can mean, through the last day `d2`
/// can mean. Empty (`first > last`) when `d2` is not after `d1`.
pub fn diff_window(d1: Date, d2: Date) -> Window {
    Window {
        first: d1.end_exclusive(),
        last: d2.last(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Certainty;
    use crate::query::timeline::tests::{d, idx, lines, world};

    use crate::store::MemoryStore;

    fn ids(x: &Diff<'_>, c: Change) -> Vec<String> {
        x.ids(c).map(str::to_string).collect()
    }

    fn diff(g: &MemoryStore, d1: Date, d2: Date, around: Option<usize>) -> Diff<'_> {
        super::diff(g, d1, d2, around).expect("reads")
    }

    #[test]
    fn a_diff_through_the_index_is_a_diff_of_every_fact() {
        let data = crate::load::load(&crate::load::DataSource::Bundled).dataset;
        let store = MemoryStore::new(data, true);
        let d = |s: &str| Date::parse(s).expect("a date");
        let windows = [
            ("1990", "2000"),
            ("2019-12", "2021-03-15"),
            ("1900", "2030"),
        ];
        for (a, b) in windows {
            let indexed = diff(&store, d(a), d(b), None);
            let w = diff_window(d(a), d(b));
            let every = Changes::gather(&store, 0..store.fact_count(), w, None).expect("reads");
            assert!(!indexed.is_empty(), "{a} {b}");
            assert_eq!(
                serde_json::to_string(&indexed.changes).expect("json"),
                serde_json::to_string(&every).expect("json"),
                "{a} {b}"
            );
        }
    }

    #[test]
    fn diff_counts_changes_after_the_first_date_through_the_second() {
        let data = world();
        let g = MemoryStore::new(data.clone(), true);
        let x = diff(&g, d("2016-02-25"), d("2020-10-02"), None);
        assert_eq!(ids(&x, Change::Start), ["eu-blr"]);
        assert_eq!(ids(&x, Change::End), Vec::<String>::new());
        assert_eq!(ids(&x, Change::Point), ["election"]);
        let x = diff(&g, d("2016-02-24"), d("2020-10-01"), None);
        assert_eq!(ids(&x, Change::End), ["eu-blr-old"]);
        assert_eq!(ids(&x, Change::Start), Vec::<String>::new());
        // Every party's own changes, without `around`.
        let x = diff(&g, d("1998"), d("2006-08-16"), None);
        assert_eq!(
            ids(&x, Change::Start),
            [
                "cst",
                "eu-blr-old",
                "membership:BLR:CSTO:2002-10-07",
                "membership:LTU:EU:2004-05",
                "membership:POL:EU:2004-05-01",
                "union",
            ]
        );
        let old = (0..x.len())
            .find(|&j| x.with_change(j, |e| e.id == "eu-blr-old"))
            .expect("2006");
        assert_eq!(x.with_change(old, |e| e.certainty), Certainty::Possible);
        assert_eq!(ids(&x, Change::End), ["cst"]);
        assert_eq!(ids(&x, Change::Point), ["union"]);
        // Around one entity.
        let blr = idx(&data, "BLR");
        let x = diff(&g, d("2019"), d("2021"), Some(blr));
        assert_eq!(x.around.as_deref(), Some("BLR"));
        assert_eq!(ids(&x, Change::Start), ["eu-blr"]);
        assert_eq!(ids(&x, Change::Point), ["brothers", "election", "kinship"]);
        // Nothing lies after a date and up to an earlier one.
        let x = diff(&g, d("2021"), d("2020"), None);
        assert!(x.is_empty());
    }

    #[test]
    fn facts_skipped_by_diff_have_no_entry_in_its_window() {
        let data = world();
        let store = MemoryStore::new(data.clone(), true);
        let dates = [
            "1990",
            "1992-05-15",
            "1993-12",
            "1994-04-19",
            "1999-04",
            "1999-04-10",
            "2004-04-30",
            "2006-08",
            "2012",
            "2012-11-30",
            "2016-02-24",
            "2020-10",
            "2021-03-14",
        ];
        for a in dates {
            for b in dates {
                let w = diff_window(d(a), d(b));
                // Neither the index's candidates nor the date test may leave out a change.
                let listed = store.dated_within(w).expect("reads");
                let skipped =
                    data.facts.iter().enumerate().filter(|(i, f)| {
                        !may_change_within(f, w) || listed.binary_search(i).is_err()
                    });
                for (_, f) in skipped {
                    let kept = fact_entries(f, Parties::All, w);
                    assert!(
                        kept.is_empty(),
                        "{} from {a} to {b}: {:?}",
                        f.id,
                        lines(&kept)
                    );
                }
            }
        }
        // The test keeps something: a treaty party's own leaving, by its disputed reading.
        let w = diff_window(d("1999-04-10"), d("1999-04-30"));
        let cst = data.facts.iter().find(|f| f.id == "cst").expect("cst");
        assert!(may_change_within(cst, w));
    }
}
