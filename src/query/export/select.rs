//! Which ties of one fact a diagram shows, and how each holds: the rules of export applied a fact
//! at a time, so that a whole world can be drawn from facts read a batch at a time.

use std::collections::BTreeMap;

use super::{ExportOptions, Scope, Status};
use crate::graph::LinkKind;
use crate::model::interval::{earlier_end, happened_within, later_start};
use crate::model::{Certainty, Date, Entity, Fact, FactBody, When, Window};
use crate::query::diff::diff_window;

/// One pair a fact ties, for one pair of periods (treaty parties may have several).
#[derive(Debug, Clone, Copy)]
pub(super) struct Tie {
    /// Entity index of where it runs from.
    pub from: usize,
    /// Entity index of where it runs to.
    pub to: usize,
    pub kind: LinkKind,
    pub directed: bool,
    /// For a treaty, the indexes of the two party entries.
    parties: Option<(usize, usize)>,
    pub start: Option<Date>,
    pub end: Option<Date>,
}

/// A tie that passed the filters, with how it holds.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shown {
    pub tie: Tie,
    pub certainty: Option<Certainty>,
    pub status: Option<Status>,
}

/// The rules of one diagram: its options, and how fact references name entities.
pub(super) struct Rules<'a> {
    pub opts: &'a ExportOptions,
    /// Every entity, in load order.
    pub entities: &'a [Entity],
    /// The entity a referenced id names.
    pub entity: &'a dyn Fn(&str) -> Option<usize>,
}

impl Rules<'_> {
    /// Every pair fact `f` ties, with its periods.
    fn ties(&self, f: &Fact) -> Vec<Tie> {
        let kind = LinkKind::of(f);
        let mut out = Vec::new();
        let own = match f.when {
            When::Span(i) => (i.from, i.until),
            When::On(d) => (Some(d), Some(d)),
        };
        // Each id is resolved once, not once per pair it is in.
        let resolve = |ids: &[String]| -> Vec<Option<usize>> {
            ids.iter().map(|id| (self.entity)(id)).collect()
        };
        let mut push = |a: Option<usize>, b: Option<usize>, directed: bool, parties, s, e| {
            let (Some(x), Some(y)) = (a, b) else {
                return;
            };
            if x == y {
                return;
            }
            out.push(Tie {
                from: x,
                to: y,
                kind,
                directed,
                parties,
                start: s,
                end: e,
            });
        };
        match &f.body {
            FactBody::Role { person: a, of, .. } | FactBody::Membership { member: a, of } => {
                push(
                    (self.entity)(a),
                    (self.entity)(of),
                    true,
                    None,
                    own.0,
                    own.1,
                );
            }
            FactBody::Sanction {
                by, against: to, ..
            }
            | FactBody::Statement { by, about: to, .. } => {
                let by = (self.entity)(by);
                for t in resolve(to) {
                    push(by, t, true, None, own.0, own.1);
                }
            }
            FactBody::Event { involves, .. } => {
                let ids = resolve(involves);
                for (i, &a) in ids.iter().enumerate() {
                    for &b in &ids[i + 1..] {
                        push(a, b, false, None, own.0, own.1);
                    }
                }
            }
            FactBody::Treaty { parties, .. } => {
                let treaty = f.interval().unwrap_or_default();
                let ids: Vec<Option<usize>> =
                    parties.iter().map(|p| (self.entity)(&p.state)).collect();
                for (i, p) in parties.iter().enumerate() {
                    for (j, q) in parties.iter().enumerate().skip(i + 1) {
                        let start = later_start(
                            later_start(treaty.from, p.interval.from),
                            later_start(treaty.from, q.interval.from),
                        );
                        let end = earlier_end(
                            earlier_end(treaty.until, p.interval.until),
                            earlier_end(treaty.until, q.interval.until),
                        );
                        push(ids[i], ids[j], false, Some((i, j)), start, end);
                    }
                }
            }
        }
        // Mutual links run from the lesser id, so that a pair is always written one way.
        for t in &mut out {
            if !t.directed && self.entities[t.from].id > self.entities[t.to].id {
                std::mem::swap(&mut t.from, &mut t.to);
            }
        }
        out
    }

    /// Whether a tie of fact `f` holds on the days of `w`, over every reading of its dates.
    fn status(t: &Tie, f: &Fact, w: Window) -> Certainty {
        match (&f.body, f.when) {
            (_, When::On(d)) => happened_within(d, w),
            (FactBody::Treaty { parties, .. }, When::Span(treaty)) => {
                // A pair holds while both of its party entries do, each over all its readings.
                let bound = |i: usize| {
                    parties
                        .get(i)
                        .map_or(Certainty::No, |p| p.status(treaty, w))
                };
                match t.parties {
                    Some((i, j)) => bound(i).min(bound(j)),
                    None => f.status(w),
                }
            }
            _ => f.status(w),
        }
    }

    /// The window statements and events are looked for in.
    fn points_window(&self, default: Window) -> Window {
        if self.opts.points_from.is_none() && self.opts.points_to.is_none() {
            default
        } else {
            Window::between(self.opts.points_from, self.opts.points_to)
        }
    }

    /// The ties of fact `f` that are shown, in the order the fact names them.
    pub fn shown(&self, f: &Fact) -> Vec<Shown> {
        if !self.opts.allows(LinkKind::of(f)) {
            return Vec::new();
        }
        let point = matches!(f.when, When::On(_));
        let ties = self.ties(f);
        let mut out: Vec<Shown> = Vec::new();
        match self.opts.scope {
            Scope::All => {
                let w = self.points_window(Window::EVER);
                for t in ties {
                    if point && !Self::status(&t, f, w).holds() {
                        continue;
                    }
                    out.push(Shown {
                        tie: t,
                        certainty: None,
                        status: None,
                    });
                }
            }
            Scope::On { on } => {
                let w = if point {
                    self.points_window(Window::of(on))
                } else {
                    Window::of(on)
                };
                for t in ties {
                    let c = Self::status(&t, f, w);
                    if c.holds() {
                        out.push(Shown {
                            tie: t,
                            certainty: Some(c),
                            status: None,
                        });
                    }
                }
                out = best_per_pair(out, |s| s.certainty);
            }
            Scope::Diff { from, to } => {
                if point {
                    let w = self.points_window(diff_window(from, to));
                    for t in ties {
                        let c = Self::status(&t, f, w);
                        if c.holds() {
                            out.push(Shown {
                                tie: t,
                                certainty: Some(c),
                                status: Some(Status::Happened),
                            });
                        }
                    }
                    out = best_per_pair(out, |s| s.certainty);
                } else {
                    out = changed(ties, f, from, to);
                }
            }
        }
        out
    }
}

/// The lasting ties of `f` that held on `from` or on `to`, one per pair (held on either date,
/// over all its periods), marked started, ended or stayed.
fn changed(ties: Vec<Tie>, f: &Fact, from: Date, to: Date) -> Vec<Shown> {
    let mut pairs: BTreeMap<(usize, usize), (Certainty, Certainty, Vec<Tie>)> = BTreeMap::new();
    for t in ties {
        let c1 = Rules::status(&t, f, Window::of(from));
        let c2 = Rules::status(&t, f, Window::of(to));
        let e = pairs
            .entry((t.from, t.to))
            .or_insert((Certainty::No, Certainty::No, Vec::new()));
        e.0 = e.0.max(c1);
        e.1 = e.1.max(c2);
        if c1.holds() || c2.holds() {
            // The period that holds on the later date first.
            if c2.holds() {
                e.2.insert(0, t);
            } else {
                e.2.push(t);
            }
        }
    }
    let mut out = Vec::new();
    for (_, (c1, c2, mut ts)) in pairs {
        let (status, c) = match (c1.holds(), c2.holds()) {
            (true, true) => (Status::Stayed, c1.min(c2)),
            (false, true) => (Status::Started, c2),
            (true, false) => (Status::Ended, c1),
            (false, false) => continue,
        };
        if ts.is_empty() {
            continue;
        }
        out.push(Shown {
            tie: ts.swap_remove(0),
            certainty: Some(c),
            status: Some(status),
        });
    }
    out
}

/// Keeps one tie per pair (the most certain; the first among equals).
fn best_per_pair(v: Vec<Shown>, key: impl Fn(&Shown) -> Option<Certainty>) -> Vec<Shown> {
    let mut best: BTreeMap<(usize, usize), Shown> = BTreeMap::new();
    for s in v {
        match best.get(&(s.tie.from, s.tie.to)) {
            Some(b) if key(b) >= key(&s) => {}
            _ => {
                best.insert((s.tie.from, s.tie.to), s);
            }
        }
    }
    best.into_values().collect()
}
