//! Half-open intervals `[from, until)` with imprecise ends, and the three answers of
//! "in force on D": certain, possible, no.

use std::fmt;

use serde::Serialize;

use super::date::{Date, DayNumber, Precision};

/// How sure an answer is, given the precision of the dates involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    /// On no day the dates could mean.
    No,
    /// On some of the days the dates could mean.
    Possible,
    /// On every day the dates could mean.
    Certain,
}

impl Certainty {
    /// `true` unless [`Certainty::No`].
    pub fn holds(self) -> bool {
        self != Certainty::No
    }

    /// `no`, `possible` or `certain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::No => "no",
            Certainty::Possible => "possible",
            Certainty::Certain => "certain",
        }
    }
}

impl fmt::Display for Certainty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A period of days `[first, last]` that a query asks about: one day, or a whole month or year
/// when the query date is imprecise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First day asked about.
    pub first: DayNumber,
    /// Last day asked about (inclusive).
    pub last: DayNumber,
}

impl Window {
    /// Every day there is.
    pub const EVER: Window = Window {
        first: DayNumber::MIN,
        last: DayNumber::MAX,
    };

    /// Every day `date` can mean.
    pub fn of(date: Date) -> Window {
        Window {
            first: date.first(),
            last: date.last(),
        }
    }

    /// Every day from `from` through `to` (both may be open).
    pub fn between(from: Option<Date>, to: Option<Date>) -> Window {
        Window {
            first: from.map_or(DayNumber::MIN, Date::first),
            last: to.map_or(DayNumber::MAX, Date::last),
        }
    }
}

/// A half-open interval `[from, until)`; a missing end is open.
///
/// A `from` of month or year precision means the fact started on some day of that period; a
/// day-precise `until` is the first day the fact no longer holds, and a coarser `until` means it
/// ended during that period (so on every day of it the fact possibly still holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Interval {
    /// Start, inclusive; `None` is open (since before any date in the data).
    pub from: Option<Date>,
    /// End, exclusive; `None` is open (still in force).
    pub until: Option<Date>,
}

/// The days on which an interval certainly and possibly holds, as half-open day ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bounds {
    possible_start: DayNumber,
    possible_end: DayNumber,
    certain_start: DayNumber,
    certain_end: DayNumber,
}

impl Interval {
    /// An interval from its two ends.
    pub fn new(from: Option<Date>, until: Option<Date>) -> Interval {
        Interval { from, until }
    }

    fn bounds(self) -> Bounds {
        let (possible_start, certain_start) = match self.from {
            None => (DayNumber::MIN, DayNumber::MIN),
            Some(f) => (f.first(), f.last()),
        };
        let (certain_end, possible_end) = match self.until {
            None => (DayNumber::MAX, DayNumber::MAX),
            Some(u) if u.precision() == Precision::Day => (u.first(), u.first()),
            Some(u) => (u.first(), u.end_exclusive()),
        };
        Bounds {
            possible_start,
            possible_end,
            certain_start,
            certain_end,
        }
    }

    /// Whether the interval holds on every day of `w` (certain), on some day of it (possible), or
    /// on none (no).
    pub fn status(self, w: Window) -> Certainty {
        self.bounds().status(w)
    }

    /// [`Interval::status`] on the days a date can mean.
    pub fn on(self, date: Date) -> Certainty {
        self.status(Window::of(date))
    }

    /// `false` when no reading of the dates leaves a day on which the interval holds: `until`
    /// is not after `from`.
    pub fn is_satisfiable(self) -> bool {
        let b = self.bounds();
        b.possible_start < b.possible_end
    }
}

impl Bounds {
    fn status(self, w: Window) -> Certainty {
        let b = self;
        if w.first >= b.certain_start && w.last < b.certain_end {
            return Certainty::Certain;
        }
        let earliest = w.first.max(b.possible_start);
        if earliest <= w.last && earliest < b.possible_end {
            Certainty::Possible
        } else {
            Certainty::No
        }
    }
}

/// An interval's days as four bounds, `None` where open: it possibly holds from `start_lo` and
/// certainly from `start_hi`; it possibly ends (is over) from `end_lo` and certainly from
/// `end_hi`. On a window `[first, last]` it is certain when `start_hi <= first` and
/// `last < end_lo`, and holds at all when `start_lo <= last`, `first < end_hi` and
/// `start_lo < end_hi`. These are the date columns of the Parquet export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Edges {
    /// First day it can hold.
    pub start_lo: Option<DayNumber>,
    /// First day from which it surely holds (if not over).
    pub start_hi: Option<DayNumber>,
    /// First day it can be over.
    pub end_lo: Option<DayNumber>,
    /// First day it is surely over.
    pub end_hi: Option<DayNumber>,
}

impl Edges {
    /// The days on which both hold (a treaty party within its treaty): the later starts and
    /// the earlier ends, which gives [`status_all`] of the two as one interval's status.
    pub fn within(self, other: Edges) -> Edges {
        let later = |a: Option<DayNumber>, b: Option<DayNumber>| a.max(b);
        let earlier = |a: Option<DayNumber>, b: Option<DayNumber>| match (a, b) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        Edges {
            start_lo: later(self.start_lo, other.start_lo),
            start_hi: later(self.start_hi, other.start_hi),
            end_lo: earlier(self.end_lo, other.end_lo),
            end_hi: earlier(self.end_hi, other.end_hi),
        }
    }

    /// The status these bounds give on `w` (as [`Interval::status`]).
    pub fn status(self, w: Window) -> Certainty {
        let b = Bounds {
            possible_start: self.start_lo.unwrap_or(DayNumber::MIN),
            certain_start: self.start_hi.unwrap_or(DayNumber::MIN),
            certain_end: self.end_lo.unwrap_or(DayNumber::MAX),
            possible_end: self.end_hi.unwrap_or(DayNumber::MAX),
        };
        b.status(w)
    }
}

impl Interval {
    /// The interval's [`Edges`].
    pub fn edges(self) -> Edges {
        let b = self.bounds();
        Edges {
            start_lo: self.from.map(|_| b.possible_start),
            start_hi: self.from.map(|_| b.certain_start),
            end_lo: self.until.map(|_| b.certain_end),
            end_hi: self.until.map(|_| b.possible_end),
        }
    }
}

/// Whether all of `parts` hold together (a treaty party is bound only while the treaty is in
/// force): certain when each is certain on every day of `w`, possible when some day of `w` lets
/// every part hold, no otherwise. An empty list always holds.
pub fn status_all(parts: &[Interval], w: Window) -> Certainty {
    if parts.iter().all(|p| p.status(w) == Certainty::Certain) {
        return Certainty::Certain;
    }
    let mut start = w.first;
    let mut end_exclusive = w.last.saturating_add(1);
    for b in parts.iter().map(|p| p.bounds()) {
        start = start.max(b.possible_start);
        end_exclusive = end_exclusive.min(b.possible_end);
    }
    if start < end_exclusive {
        Certainty::Possible
    } else {
        Certainty::No
    }
}

impl Interval {
    /// Whether some reading of both intervals shares a day.
    pub fn overlaps(self, other: Interval) -> bool {
        status_all(
            &[self, other],
            Window {
                first: DayNumber::MIN,
                last: DayNumber::MAX - 1,
            },
        )
        .holds()
    }

    /// The first day the interval can hold (`None` when open).
    pub fn earliest_start(self) -> Option<DayNumber> {
        self.from.map(Date::first)
    }

    /// The first day on which the interval surely no longer holds (`None` when open).
    pub fn surely_over(self) -> Option<DayNumber> {
        self.until.map(|_| self.bounds().possible_end)
    }
}

/// The later of two starts, an open start (`None`) being the earliest.
pub fn later_start(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    a.max(b)
}

/// The earlier of two ends, an open end (`None`) being the latest.
pub fn earlier_end(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// Combines the answers of several readings of one fact (disputed dates): certain when every
/// reading is certain, possible when some reading holds, no otherwise.
pub fn combine_readings(answers: impl IntoIterator<Item = Certainty>) -> Certainty {
    let mut all_certain = true;
    let mut any = false;
    let mut seen = false;
    for a in answers {
        seen = true;
        all_certain &= a == Certainty::Certain;
        any |= a.holds();
    }
    match (seen, all_certain, any) {
        (false, _, _) => Certainty::No,
        (true, true, _) => Certainty::Certain,
        (true, false, true) => Certainty::Possible,
        (true, false, false) => Certainty::No,
    }
}

/// Whether a point in time (a statement's or event's `on` date) falls within `w`: certain when
/// every day it can mean lies within, possible when some does.
pub fn happened_within(on: Date, w: Window) -> Certainty {
    let (a, b) = (on.first(), on.last());
    if a >= w.first && b <= w.last {
        Certainty::Certain
    } else if a <= w.last && b >= w.first {
        Certainty::Possible
    } else {
        Certainty::No
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect(s)
    }
    fn iv(from: Option<&str>, until: Option<&str>) -> Interval {
        Interval::new(from.map(d), until.map(d))
    }
    use Certainty::{Certain, No, Possible};

    #[test]
    fn day_precise_interval_is_half_open() {
        let i = iv(Some("2020-10-02"), Some("2021-06-21"));
        assert_eq!(i.on(d("2020-10-01")), No);
        assert_eq!(i.on(d("2020-10-02")), Certain);
        assert_eq!(i.on(d("2021-06-20")), Certain);
        assert_eq!(i.on(d("2021-06-21")), No);
    }

    #[test]
    fn open_ends() {
        assert_eq!(iv(None, None).on(d("0001-01-01")), Certain);
        assert_eq!(iv(Some("2000-01-26"), None).on(d("9999-12-31")), Certain);
        assert_eq!(iv(None, Some("2000-01-26")).on(d("2000-01-25")), Certain);
        assert_eq!(iv(None, Some("2000-01-26")).on(d("2000-01-26")), No);
    }

    #[test]
    fn month_precise_start() {
        let i = iv(Some("2020-10"), None);
        assert_eq!(i.on(d("2020-09-30")), No);
        assert_eq!(i.on(d("2020-10-01")), Possible);
        assert_eq!(i.on(d("2020-10-30")), Possible);
        assert_eq!(i.on(d("2020-10-31")), Certain);
        assert_eq!(i.on(d("2020-11-01")), Certain);
    }

    #[test]
    fn year_precise_end_counts_as_ended_once_the_year_is_over() {
        let i = iv(Some("2006-06-23"), Some("2012"));
        assert_eq!(i.on(d("2011-12-31")), Certain);
        assert_eq!(i.on(d("2012-01-01")), Possible);
        assert_eq!(i.on(d("2012-12-31")), Possible);
        assert_eq!(i.on(d("2013-01-01")), No);
    }

    #[test]
    fn month_precise_end() {
        let i = iv(Some("2020-08-09"), Some("2021-03"));
        assert_eq!(i.on(d("2021-02-28")), Certain);
        assert_eq!(i.on(d("2021-03-01")), Possible);
        assert_eq!(i.on(d("2021-03-31")), Possible);
        assert_eq!(i.on(d("2021-04-01")), No);
    }

    #[test]
    fn imprecise_query_dates() {
        let i = iv(Some("2020-10-02"), None);
        assert_eq!(i.on(d("2020-10")), Possible);
        assert_eq!(i.on(d("2020-11")), Certain);
        assert_eq!(i.on(d("2020")), Possible);
        assert_eq!(i.on(d("2019")), No);
        let j = iv(Some("2020"), Some("2020"));
        assert_eq!(j.on(d("2020-06-01")), Possible);
        assert!(j.is_satisfiable());
    }

    #[test]
    fn satisfiable_only_when_until_can_follow_from() {
        assert!(!iv(Some("2020-05-01"), Some("2020-05-01")).is_satisfiable());
        assert!(!iv(Some("2020-05-02"), Some("2020-05-01")).is_satisfiable());
        assert!(iv(Some("2020-05-01"), Some("2020-05-02")).is_satisfiable());
        assert!(iv(Some("2020-05-01"), Some("2020-05")).is_satisfiable());
        assert!(!iv(Some("2020-06"), Some("2020-05")).is_satisfiable());
        assert!(!iv(Some("2021"), Some("2020-12-31")).is_satisfiable());
    }

    #[test]
    fn readings_combine() {
        assert_eq!(combine_readings([Certain, Certain]), Certain);
        assert_eq!(combine_readings([Certain, No]), Possible);
        assert_eq!(combine_readings([No, Possible]), Possible);
        assert_eq!(combine_readings([No, No]), No);
        assert_eq!(combine_readings([]), No);
    }

    #[test]
    fn point_facts_within_windows() {
        let w = Window::between(Some(d("2020-09")), Some(d("2020-09")));
        assert_eq!(happened_within(d("2020-09-14"), w), Certain);
        assert_eq!(happened_within(d("2020-09"), w), Certain);
        assert_eq!(happened_within(d("2020"), w), Possible);
        assert_eq!(happened_within(d("2020-10-01"), w), No);
    }

    #[test]
    fn later_start_and_earlier_end_treat_open_ends_as_unbounded() {
        assert_eq!(later_start(None, Some(d("2000"))), Some(d("2000")));
        assert_eq!(
            later_start(Some(d("1999-12-31")), Some(d("2000"))),
            Some(d("2000"))
        );
        assert_eq!(earlier_end(None, Some(d("2000"))), Some(d("2000")));
        assert_eq!(
            earlier_end(Some(d("1999-12-31")), Some(d("2000"))),
            Some(d("1999-12-31"))
        );
        assert_eq!(earlier_end(None, None), None);
    }

    #[test]
    fn parts_hold_together() {
        let treaty = iv(Some("1994-04-20"), None);
        let party = iv(Some("1993-12-31"), Some("1999-04-02"));
        assert_eq!(
            status_all(&[treaty, party], Window::of(d("1994-01-01"))),
            No
        );
        assert_eq!(
            status_all(&[treaty, party], Window::of(d("1994-04-20"))),
            Certain
        );
        assert_eq!(
            status_all(&[treaty, party], Window::of(d("1999-04-02"))),
            No
        );
        assert_eq!(
            status_all(&[treaty, party], Window::of(d("1994"))),
            Possible
        );
        let early = iv(None, Some("2000-03"));
        let late = iv(Some("2000-06"), None);
        assert_eq!(status_all(&[early, late], Window::of(d("2000"))), No);
        assert_eq!(status_all(&[], Window::of(d("2000"))), Certain);
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (1990u16..2010, 0u8..=12, 0u8..=31).prop_map(|(y, m, day)| {
            let text = match (m, day) {
                (0, _) => format!("{y:04}"),
                (m, 0) => format!("{y:04}-{m:02}"),
                (m, dd) => format!("{y:04}-{m:02}-{:02}", dd.min(28)),
            };
            Date::parse(&text).expect("generated date is valid")
        })
    }

    fn any_interval() -> impl Strategy<Value = Interval> {
        (
            proptest::option::of(any_date()),
            proptest::option::of(any_date()),
        )
            .prop_map(|(f, u)| Interval::new(f, u))
    }

    /// The answer for one day, by brute force over every reading of the imprecise ends.
    fn brute_force(i: Interval, day: DayNumber) -> Certainty {
        let starts: Vec<DayNumber> = match i.from {
            None => vec![DayNumber::MIN],
            Some(f) => (f.first()..=f.last()).collect(),
        };
        let ends: Vec<DayNumber> = match i.until {
            None => vec![DayNumber::MAX],
            Some(u) if u.precision() == Precision::Day => vec![u.first()],
            Some(u) => (u.first()..=u.end_exclusive()).collect(),
        };
        let mut all = true;
        let mut any = false;
        for &s in &starts {
            for &e in &ends {
                if s >= e {
                    continue;
                }
                let holds = s <= day && day < e;
                all &= holds;
                any |= holds;
            }
        }
        match (any, all) {
            (true, true) => Certain,
            (true, false) => Possible,
            _ => No,
        }
    }

    proptest! {
        #[test]
        fn certain_implies_possible_on_every_day(i in any_interval(), q in any_date()) {
            let w = Window::of(q);
            let s = i.status(w);
            for day in w.first..=w.last {
                let one = i.status(Window { first: day, last: day });
                if s == Certain { prop_assert_eq!(one, Certain); }
                if s == No { prop_assert_eq!(one, No); }
            }
            if s == Possible && w.first == w.last {
                prop_assert!(i.is_satisfiable());
            }
        }

        #[test]
        fn one_day_answers_match_brute_force(i in any_interval(), q in any_date()) {
            prop_assume!(i.is_satisfiable());
            let day = q.first();
            prop_assert_eq!(i.status(Window { first: day, last: day }), brute_force(i, day));
        }

        #[test]
        fn coarser_query_is_never_more_certain(i in any_interval(), q in any_date()) {
            let day = Window { first: q.first(), last: q.first() };
            let year = Window::of(Date::year(q.year_number()));
            let (a, b) = (i.status(day), i.status(year));
            if b == Certain { prop_assert_eq!(a, Certain); }
            if a.holds() { prop_assert!(b.holds()); }
        }

        #[test]
        fn day_precise_ends_give_no_possible(f in any_date(), len in 1i64..4000, q in any_date()) {
            let from = Date::from_naive(f.first_day());
            let until = Date::from_naive(f.first_day() + chrono::Duration::days(len));
            let i = Interval::new(Some(from), Some(until));
            let s = i.status(Window { first: q.first(), last: q.first() });
            prop_assert_ne!(s, Possible);
        }

        #[test]
        fn edges_give_the_same_answers(a in any_interval(), b in any_interval(), q in any_date()) {
            let w = Window::of(q);
            prop_assert_eq!(a.edges().status(w), a.status(w));
            prop_assert_eq!(a.edges().within(b.edges()).status(w), status_all(&[a, b], w));
        }

        #[test]
        fn parts_hold_on_a_day_only_where_each_holds(a in any_interval(), b in any_interval(), q in any_date()) {
            let w = Window { first: q.first(), last: q.first() };
            let both = status_all(&[a, b], w);
            prop_assert_eq!(both, a.status(w).min(b.status(w)));
        }
    }
}
