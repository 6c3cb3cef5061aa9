//! `diff`: the changes after one date and up to another, as [`super::timeline`] dates them.
//!
//! A diff of a whole world lists a change of nearly every fact (more than a million at a million
//! facts), so it holds no entry and no fact: each change is kept as its fact's place and its
//! place among that fact's entries, and an entry is made again from its fact when it is read.
//! The facts are read from a dataset, or from facts held encoded (see [`Facts`]), decoded on
//! each read; only the ids are kept, to sort and list the changes by.

use std::fmt;

use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};

use super::facts::Facts;
use super::texts::Texts;
use super::timeline::{Change, Entry, Parties, fact_entries};
use crate::graph::Graph;
use crate::model::date::DayNumber;
use crate::model::interval::happened_within;
use crate::model::{Date, Fact, Window};

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

/// Gathers a diff's changes, a fact at a time: the facts may be read once, in any order, and
/// let go (see [`Differ::add`]); [`Differ::finish`] is given where to read them again.
#[derive(Debug, Clone)]
pub struct Differ {
    after: Date,
    through: Date,
    around: Option<String>,
    window: Window,
    /// The ids of the facts with a change, and each one's place among the facts.
    ids: Texts,
    places: Vec<usize>,
    marks: Vec<Mark>,
}

impl Differ {
    /// A diff of the changes after `d1` and on or before `d2`; `around` (an entity's id) keeps
    /// a treaty's own changes only as that entity sees them, and its parties' own changes only
    /// for it, as [`super::timeline::timeline`] does.
    pub fn new(d1: Date, d2: Date, around: Option<&str>) -> Differ {
        Differ {
            after: d1,
            through: d2,
            around: around.map(str::to_string),
            window: diff_window(d1, d2),
            ids: Texts::default(),
            places: Vec::new(),
            marks: Vec::new(),
        }
    }

    /// The days the diff looks at ([`diff_window`]).
    pub fn window(&self) -> Window {
        self.window
    }

    /// Adds the changes of `f`, the fact at place `k` of the facts the diff is finished with.
    /// A fact none of whose dates can fall within the window costs a look at its dates.
    pub fn add(&mut self, k: usize, f: &Fact) {
        if !may_change_within(f, self.window) {
            return;
        }
        let entries = fact_entries(f, parties(self.around.as_deref()), self.window);
        if entries.is_empty() {
            return;
        }
        let fact = self.ids.push(&f.id, "");
        self.places.push(k);
        self.marks
            .extend(entries.iter().enumerate().map(|(nth, e)| Mark {
                day: e.date.first(),
                change: e.change,
                fact,
                nth: nth as u32,
            }));
    }

    /// The diff, its facts read again from `facts` (where the places given to
    /// [`Differ::add`] are). Changes sort by first day, then start/point/end, then fact id,
    /// then as their fact's own entries sort (party, date, detail), as a timeline's do.
    pub fn finish(mut self, facts: &dyn Facts) -> Diff<'_> {
        // The facts numbered in the order of their ids, and their changes with them.
        let number = self.ids.number_by_id();
        let mut places = vec![0; number.len()];
        for (k, &t) in number.iter().enumerate() {
            places[t as usize] = self.places[k];
        }
        for m in &mut self.marks {
            m.fact = number[m.fact as usize];
        }
        drop(number);
        self.marks.shrink_to_fit();
        self.marks
            .sort_unstable_by_key(|m| (m.day, m.change, m.fact, m.nth));
        // Which kinds of change each fact has, to list it under each.
        let mut kinds = vec![0u8; places.len()];
        for m in &self.marks {
            kinds[m.fact as usize] |= bit(m.change);
        }
        let listed = |c: Change| -> Vec<u32> {
            (0..kinds.len() as u32)
                .filter(|&t| kinds[t as usize] & bit(c) != 0)
                .collect()
        };
        Diff {
            after: self.after,
            through: self.through,
            started: listed(Change::Start),
            ended: listed(Change::End),
            happened: listed(Change::Point),
            around: self.around,
            window: self.window,
            facts,
            ids: self.ids,
            places,
            marks: self.marks,
        }
    }
}

fn bit(c: Change) -> u8 {
    match c {
        Change::Start => 1,
        Change::Point => 2,
        Change::End => 4,
    }
}

fn parties(around: Option<&str>) -> Parties<'_> {
    match around {
        Some(id) => Parties::Of(id),
        None => Parties::All,
    }
}

/// What `diff` answers: the changes after one date and up to another. It holds the changes by
/// place, and makes each entry again from its fact when it is read
/// ([`Diff::with_change`]).
#[derive(Clone)]
pub struct Diff<'d> {
    /// Changes after every day this date can mean...
    pub after: Date,
    /// ...and on or before the last day this one can mean.
    pub through: Date,
    /// The entity the changes were limited to.
    pub around: Option<String>,
    window: Window,
    facts: &'d dyn Facts,
    /// The facts with a change, numbered in the order of their ids: each one's id, and its
    /// place among `facts`.
    ids: Texts,
    places: Vec<usize>,
    /// The facts with a start, an end, a point entry: by number (so in the order of ids).
    started: Vec<u32>,
    ended: Vec<u32>,
    happened: Vec<u32>,
    /// Every change, in date order.
    marks: Vec<Mark>,
}

impl<'d> Diff<'d> {
    /// How many changes.
    pub fn len(&self) -> usize {
        self.marks.len()
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
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
        self.listed(c).iter().map(|&t| self.ids.id(t))
    }

    /// The id of each change's fact, in date order.
    pub fn change_ids(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.marks.iter().map(|m| self.ids.id(m.fact))
    }

    /// The entries of fact `t`, made again.
    fn entries_of<R>(&self, t: u32, f: impl FnOnce(&[Entry<'_>]) -> R) -> R {
        let fact = self.facts.fact(self.places[t as usize]);
        let entries = fact_entries(&fact, parties(self.around.as_deref()), self.window);
        f(&entries)
    }

    /// Calls `f` with change `j` (in date order), made again from its fact.
    pub fn with_change<R>(&self, j: usize, f: impl FnOnce(&Entry<'_>) -> R) -> R {
        let m = self.marks[j];
        // The fact reads the same as when it was added, so its entries are the same.
        self.entries_of(m.fact, |entries| f(&entries[m.nth as usize]))
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
        self.entries_of(t, |entries| {
            let mine: Vec<&Entry> = entries.iter().filter(|e| e.change == c).collect();
            f(self.ids.id(t), &mine)
        })
    }
}

/// Diffs are equal when they list the same changes, made the same.
impl PartialEq for Diff<'_> {
    fn eq(&self, other: &Self) -> bool {
        let changes = [Change::Start, Change::End, Change::Point];
        self.after == other.after
            && self.through == other.through
            && self.around == other.around
            && self.len() == other.len()
            && changes.iter().all(|&c| self.ids(c).eq(other.ids(c)))
            && (0..self.len()).all(|j| self.with_change(j, |a| other.with_change(j, |b| a == b)))
    }
}

impl fmt::Debug for Diff<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let changes: Vec<String> = (0..self.len())
            .map(|j| self.with_change(j, |e| format!("{e:?}")))
            .collect();
        f.debug_struct("Diff")
            .field("after", &self.after)
            .field("through", &self.through)
            .field("around", &self.around)
            .field("changes", &changes)
            .finish()
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
        st.serialize_field("changes", &Changes(self))?;
        st.end()
    }
}

struct Ids<'a, 'd>(&'a Diff<'d>, Change);

impl Serialize for Ids<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.ids(self.1))
    }
}

struct Changes<'a, 'd>(&'a Diff<'d>);

impl Serialize for Changes<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for j in 0..self.0.len() {
            self.0.with_change(j, |e| seq.serialize_element(e))?;
        }
        seq.end()
    }
}

/// The changes after `d1` and on or before `d2`: entries whose date falls within the days from
/// the day after the last day `d1` can mean through the last day `d2` can mean (a fact that
/// started on `d1` was already in force on `d1`; one that ends on `d2`, its first day no longer
/// in force, is over by `d2`). With `around`, only facts tied to that entity, as in
/// [`super::timeline::timeline`]; without, every fact, with every treaty party's own changes.
pub fn diff<'d>(graph: &Graph<'d>, d1: Date, d2: Date, around: Option<usize>) -> Diff<'d> {
    let data = graph.data();
    let mut differ = Differ::new(d1, d2, around.map(|e| data.entities[e].id.as_str()));
    let w = differ.window();
    // The facts that can change within the window: an entity's, or through the index when it
    // is made (a process asking many questions), else each fact looked at once, which costs
    // less than making the index for one question (and a dataset picked from the cache for
    // this diff holds only such facts).
    let candidates: Box<dyn Iterator<Item = usize>> = match (around, graph.index_made()) {
        (Some(e), _) => Box::new(graph.facts_of(e).iter().copied()),
        (None, Some(index)) => Box::new(index.dated_within(w).into_iter()),
        (None, None) => Box::new(0..data.facts.len()),
    };
    for k in candidates {
        differ.add(k, &data.facts[k]);
    }
    differ.finish(data)
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

    fn ids(x: &Diff<'_>, c: Change) -> Vec<String> {
        x.ids(c).map(str::to_string).collect()
    }

    #[test]
    fn a_diff_is_the_same_with_the_index_made_or_not() {
        let data = crate::load::load(&crate::load::DataSource::Bundled).dataset;
        let d = |s: &str| Date::parse(s).expect("a date");
        let windows = [
            ("1990", "2000"),
            ("2019-12", "2021-03-15"),
            ("1900", "2030"),
        ];
        for (a, b) in windows {
            let fresh = Graph::build(&data);
            let scanned = diff(&fresh, d(a), d(b), None);
            assert!(fresh.index_made().is_none(), "a diff alone makes no index");
            let indexed = Graph::build(&data);
            indexed.index();
            let through_index = diff(&indexed, d(a), d(b), None);
            assert!(!scanned.is_empty(), "{a} {b}");
            assert_eq!(scanned, through_index, "{a} {b}");
        }
    }

    #[test]
    fn diff_counts_changes_after_the_first_date_through_the_second() {
        let data = world();
        let g = Graph::build(&data);
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
        let graph = Graph::build(&data);
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
                let listed = graph.index().dated_within(w);
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
