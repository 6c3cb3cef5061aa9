//! Which cached facts a question can reach: for each question the cache answers, the part of
//! the data that answers it exactly as the whole would, read from the cache's index without
//! decoding any other fact.

use std::collections::HashMap;

use super::drawn::{Drawable, DrawnFacts, read_owned};
use super::stored::Stored;
use super::{Encoded, Opened, Source, Unusable};
use crate::diag::Near;
use crate::graph::Graph;
use crate::graph::index::Slot;
use crate::graph::path::LinkKind;
use crate::model::{Dataset, Date, Entity, Fact, FactBody, FactKind, SourceFile, Target, Window};
use crate::query::diff::diff_window;
use crate::query::export::Scope;
use crate::query::resolve::{FACT_SUGGESTIONS, Resolver};

/// A question the cache can answer without loading every file, with names as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// `show TARGET [--on ON]`.
    Show {
        /// The entity or fact.
        target: String,
        /// The date.
        on: Option<Date>,
    },
    /// `allies OF --on ON`.
    Allies {
        /// The state.
        of: String,
        /// The date.
        on: Date,
    },
    /// `sanctions [--against A [--tied]] [--by B [--members]] --on ON`.
    Sanctions {
        /// The target.
        against: Option<String>,
        /// With tied entities.
        tied: bool,
        /// The sender.
        by: Option<String>,
        /// With the organizations the sender belongs to.
        members: bool,
        /// The date.
        on: Date,
    },
    /// `relations A B` (any dates: they only narrow the entries).
    Relations {
        /// One entity.
        a: String,
        /// The other.
        b: String,
    },
    /// `timeline OF [--from F] [--to T]`.
    Timeline {
        /// The entity.
        of: String,
        /// Changes on or after.
        from: Option<Date>,
        /// Changes on or before.
        to: Option<Date>,
    },
    /// `statements [--by B [--roles]] [--about A] [--from F] [--to T]`.
    Statements {
        /// The speaker.
        by: Option<String>,
        /// The subject.
        about: Option<String>,
        /// Said on or after.
        from: Option<Date>,
        /// Said on or before.
        to: Option<Date>,
        /// With the people holding a role with the speaker.
        roles: bool,
    },
    /// `path FROM TO --on ON [--kinds K] [--max-hops N]` (any `--limit`).
    Path {
        /// Where chains start.
        from: String,
        /// Where they end.
        to: String,
        /// The date.
        on: Date,
        /// The kinds of link followed (none: all).
        kinds: Vec<LinkKind>,
        /// The longest chain looked for.
        max_hops: usize,
    },
    /// `export` and `render` (any format, depth and drawing options: they only narrow what is
    /// shown).
    Export {
        /// Which dates.
        scope: Scope,
        /// The entity the diagram is centred on.
        focus: Option<String>,
        /// Statements and events from this date.
        points_from: Option<Date>,
        /// Statements and events up to this date.
        points_to: Option<Date>,
        /// The kinds of link shown (none: all).
        kinds: Vec<LinkKind>,
    },
    /// `diff AFTER THROUGH [--around A]`.
    Diff {
        /// The earlier date.
        after: Date,
        /// The later date.
        through: Date,
        /// The entity.
        around: Option<String>,
    },
    /// Several questions at once (`query` and `check`): what each one reaches, even when
    /// another names no single entity.
    Many(Vec<Question>),
    /// The facts these names name, if any: names typed where an entity or a fact may stand
    /// (a saved query's expected ids), so that they resolve in the part as in the whole.
    Named(Vec<String>),
}

/// What a name stands for in the cached data.
enum Named {
    Entity(usize),
    Fact(usize),
    /// No entity, or several: the entities alone make the error the whole data would, with
    /// these facts (the nearest ids, suggested where no entity is near).
    Unknown(Vec<usize>),
}

/// The facts picked so far, by number. Most are only listed here and decoded once, at the
/// end, straight into the dataset; those that must be looked at to pick more (a role's person,
/// a path's links) are decoded on the way and kept.
struct Picked<'c> {
    cache: &'c dyn Source,
    numbers: Vec<usize>,
    seen: HashMap<usize, Fact>,
}

impl Picked<'_> {
    /// Adds facts `numbers`.
    fn add(&mut self, numbers: Vec<usize>) {
        self.numbers.extend(numbers);
    }

    /// Adds facts `numbers`, and returns them decoded, to look at.
    fn inspect(&mut self, numbers: Vec<usize>) -> Result<Vec<&Fact>, Unusable> {
        for &i in &numbers {
            if !self.seen.contains_key(&i) {
                let f = self.cache.fact(i)?;
                self.seen.insert(i, f);
            }
        }
        self.numbers.extend_from_slice(&numbers);
        Ok(numbers.iter().filter_map(|i| self.seen.get(i)).collect())
    }
}

/// The facts picked for a question, by number, to be decoded into the part of the dataset
/// that answers it ([`Pick::read`], [`Pick::read_through`]).
pub struct Pick {
    /// Every entity, without facts yet.
    names: Dataset,
    /// The facts picked, in load order, without repeats.
    numbers: Vec<usize>,
    /// Those decoded while picking.
    seen: HashMap<usize, Fact>,
    /// Whether a name names no single entity (the facts picked make the command's error).
    fails: bool,
}

impl Pick {
    /// The part of the dataset, its facts read from `cache` one by one (those decoded while
    /// picking are not read again).
    pub fn read(mut self, cache: &dyn Source) -> Result<Dataset, Unusable> {
        let mut facts = Vec::with_capacity(self.numbers.len());
        for &i in &self.numbers {
            facts.push(match self.seen.remove(&i) {
                Some(f) => f,
                None => cache.fact(i)?,
            });
        }
        self.names.replace_facts(facts);
        Ok(self.names)
    }

    /// The part of the dataset, its facts decoded from `batches` (every fact, encoded in
    /// batches in load order: a cache built in memory, its index and id table let go), each
    /// batch let go once passed: so the cache and the facts picked from it are never held
    /// whole together.
    pub fn read_through(mut self, batches: Vec<Encoded>) -> Result<Dataset, Unusable> {
        self.seen = HashMap::new();
        let mut facts = Vec::with_capacity(self.numbers.len());
        read_owned(batches, &self.numbers, &mut |_, f| facts.push(f))?;
        self.names.replace_facts(facts);
        Ok(self.names)
    }
}

impl Pick {
    /// The part of the dataset, but for the facts `apart` chooses, which are kept encoded
    /// (see [`Stored`]) rather than decoded into it: an answer that lists many facts of one
    /// kind reads those one at a time (every statement of a world). When a name names no
    /// single entity, every fact picked is in the dataset, to make the command's error.
    pub fn read_apart(
        mut self,
        cache: Opened<'_>,
        apart: impl Fn(&Fact) -> bool,
    ) -> Result<(Dataset, Stored), Unusable> {
        let mut facts = Vec::new();
        let fails = self.fails;
        let stored = Stored::read(cache, &self.numbers, &mut |_, f| {
            let keep = !fails && apart(f);
            if !keep {
                facts.push(f.clone());
            }
            keep
        })?;
        self.names.replace_facts(facts);
        Ok((self.names, stored))
    }
}

/// The facts naming `entity` that can have a change within `w` (every one without `w`): those
/// that name a date on some day of it, found by intersecting two lists of fact numbers, so
/// that an entity's thousands of older facts are never decoded.
fn named_dated(
    cache: &dyn Source,
    entity: usize,
    w: Option<Window>,
) -> Result<Vec<usize>, Unusable> {
    let named = cache.named(entity)?;
    Ok(match w {
        Some(w) => common(&named, &cache.dated_within(w)?),
        None => named,
    })
}

/// The numbers in both sorted lists.
fn common(a: &[usize], b: &[usize]) -> Vec<usize> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// What `text` names, resolved as the whole dataset resolves it (ids first, of entities then
/// of facts, then names) among every entity (`names`) and the ids of the facts of `cache`.
fn resolve(cache: &dyn Source, names: &Dataset, text: &str) -> Result<Named, Unusable> {
    if let Some(Target::Entity(i)) = names.lookup(text.trim()) {
        return Ok(Named::Entity(i));
    }
    if let Some(f) = cache.fact_named(text.trim())? {
        return Ok(Named::Fact(f));
    }
    Ok(match Resolver::new(names).resolve(text) {
        Ok(Target::Entity(i)) => Named::Entity(i),
        // `names` holds no fact, so none is found in it.
        Ok(Target::Fact(_)) => Named::Unknown(Vec::new()),
        Err(e) if !e.depends_on_facts() => Named::Unknown(Vec::new()),
        Err(_) => Named::Unknown(nearest_facts(cache, text)?),
    })
}

/// The facts whose ids a name near no entity suggests, as the whole data suggests them: the
/// nearest of every fact's id, read one at a time. With them, the entities make the whole
/// data's error (a nearest few of all the ids are the nearest few of any ids among them).
fn nearest_facts(cache: &dyn Source, text: &str) -> Result<Vec<usize>, Unusable> {
    let mut near = Near::new(text.trim());
    cache.each_id(&mut |i, id| near.offer(id, i))?;
    Ok(near
        .best(FACT_SUGGESTIONS)
        .into_iter()
        .map(|(_, i)| i)
        .collect())
}

/// The part of the dataset that answers `q` exactly as the whole would: every entity (given,
/// in load order), and the facts the question can reach (a superset of those in its answer),
/// in load order, read from `cache`. When a name names no single entity (or, for `show`, no
/// fact), only the entities (and the fact it names, or the facts whose ids it suggests) are
/// given: the command then stops with the whole data's error.
pub fn dataset_for(
    cache: &dyn Source,
    files: Vec<SourceFile>,
    entities: Vec<Entity>,
    q: &Question,
) -> Result<Dataset, Unusable> {
    pick_for(cache, files, entities, q)?.read(cache)
}

/// The facts of `cache` that answer `q`, by number, as [`dataset_for`] picks them, with every
/// entity (given, in load order), to be decoded.
pub fn pick_for(
    cache: &dyn Source,
    files: Vec<SourceFile>,
    entities: Vec<Entity>,
    q: &Question,
) -> Result<Pick, Unusable> {
    // Every entity, indexed once: names are resolved in it, and the facts picked join it.
    let names = Dataset::new(files, entities, Vec::new());
    let mut picked = Picked {
        cache,
        numbers: Vec::new(),
        seen: HashMap::new(),
    };
    let (mut numbers, seen, fails) = match pick(&mut picked, &names, q)? {
        Reach::Fails(facts) => (facts, HashMap::new(), true),
        Reach::Picked => (picked.numbers, picked.seen, false),
    };
    numbers.sort_unstable();
    numbers.dedup();
    Ok(Pick {
        names,
        numbers,
        seen,
        fails,
    })
}

/// What picking a question's facts came to.
enum Reach {
    /// Its facts are picked.
    Picked,
    /// A name names no single entity: the command will stop with an error, which the entities
    /// (with these facts: the fact named, or the nearest ids suggested) make as the whole data
    /// would.
    Fails(Vec<usize>),
}

/// Picks the facts `q` can reach into `picked`, resolving its names among the entities of
/// `names` (a dataset without facts) and the ids of the cache's facts.
fn pick(picked: &mut Picked<'_>, names: &Dataset, q: &Question) -> Result<Reach, Unusable> {
    let cache = picked.cache;
    let resolve = |text: &str| resolve(cache, names, text);
    let entity_of = |id: &str| match names.lookup(id) {
        Some(Target::Entity(i)) => Some(i),
        _ => None,
    };
    // A name where the command wants an entity, resolved in the order the command resolves
    // its names. When it names no single entity, the command will stop with an error: the
    // entities (with the fact it names, or the facts whose ids it suggests) then make that
    // very error, and nothing else is picked.
    macro_rules! entity {
        ($text:expr) => {
            match resolve($text)? {
                Named::Entity(i) => i,
                Named::Fact(f) => return Ok(Reach::Fails(vec![f])),
                Named::Unknown(near) => return Ok(Reach::Fails(near)),
            }
        };
    }
    match q {
        Question::Show { target, on } => match resolve(target)? {
            Named::Fact(f) => picked.add(vec![f]),
            Named::Entity(e) => picked.add(match on {
                Some(d) => cache.facts(e, &Slot::ALL, Window::of(*d))?,
                None => cache.named(e)?,
            }),
            Named::Unknown(near) => return Ok(Reach::Fails(near)),
        },
        Question::Allies { of, on } => {
            let of = entity!(of);
            picked.add(cache.facts(of, &[Slot::AlliedParty], Window::of(*on))?);
        }
        Question::Sanctions {
            against,
            tied,
            by,
            members,
            on,
        } => {
            let against = match against {
                Some(a) => Some((entity!(a), *tied)),
                None => None,
            };
            let by = match by {
                Some(b) => Some((entity!(b), *members)),
                None => None,
            };
            sanctions(picked, &entity_of, against, by, Window::of(*on))?;
        }
        Question::Timeline { of, from, to } => {
            let of = entity!(of);
            let w = (from.is_some() || to.is_some()).then(|| Window::between(*from, *to));
            picked.add(named_dated(cache, of, w)?);
        }
        Question::Relations { a, b } => {
            let a = entity!(a);
            let b = entity!(b);
            relations(picked, &entity_of, a, b)?;
        }
        Question::Statements {
            by,
            about,
            from,
            to,
            roles,
        } => {
            // Both names are resolved first, in the command's order.
            let by = match by {
                Some(b) => Some(entity!(b)),
                None => None,
            };
            let about = match about {
                Some(a) => Some(entity!(a)),
                None => None,
            };
            let w = Window::between(*from, *to);
            statements(picked, &entity_of, by, about, w, *roles)?;
        }
        Question::Path {
            from,
            to,
            on,
            kinds,
            max_hops,
        } => {
            let from = entity!(from);
            let to = entity!(to);
            let ends = (from, to);
            reachable(picked, &names.entities, ends, *on, kinds, *max_hops)?;
        }
        Question::Export { focus, .. } => {
            if let Some(f) = focus {
                entity!(f);
            }
            picked.add(drawn(cache, q)?);
        }
        Question::Diff {
            after,
            through,
            around,
        } => {
            let w = diff_window(*after, *through);
            match around {
                Some(a) => {
                    let a = entity!(a);
                    picked.add(named_dated(cache, a, Some(w))?);
                }
                None => picked.add(cache.dated_within(w)?),
            }
        }
        Question::Many(questions) => {
            // One whose name names no single entity does not stop the others: saved queries
            // are all parsed, and every name must resolve as in the whole (with the fact
            // named, if one is).
            for q in questions {
                match pick(picked, names, q)? {
                    Reach::Picked => {}
                    Reach::Fails(facts) => picked.add(facts),
                }
            }
        }
        Question::Named(texts) => {
            for text in texts {
                match resolve(text)? {
                    Named::Fact(f) => picked.add(vec![f]),
                    Named::Entity(_) => {}
                    // The facts its suggestions name, if it has any.
                    Named::Unknown(near) => picked.add(near),
                }
            }
        }
    }
    Ok(Reach::Picked)
}

/// The entity a referenced id names.
type EntityOf<'a> = dyn Fn(&str) -> Option<usize> + 'a;

/// Picks the sanctions in force on `w` against a target (with the people and members tied to
/// it), or by a sender (with the organizations it belongs to), or all of them.
fn sanctions(
    picked: &mut Picked<'_>,
    entity_of: &EntityOf<'_>,
    against: Option<(usize, bool)>,
    by: Option<(usize, bool)>,
    w: Window,
) -> Result<(), Unusable> {
    let cache = picked.cache;
    let mut targets = Vec::new();
    if let Some((a, tied)) = against {
        targets.push(a);
        if tied {
            let ties = cache.facts(a, &[Slot::RoleOf, Slot::MemberOf], w)?;
            for f in picked.inspect(ties)? {
                targets.extend(match &f.body {
                    FactBody::Role { person, .. } => entity_of(person),
                    FactBody::Membership { member, .. } => entity_of(member),
                    _ => None,
                });
            }
        }
    }
    let mut senders = Vec::new();
    if let Some((b, members)) = by {
        senders.push(b);
        if members {
            for f in picked.inspect(cache.facts(b, &[Slot::Member], w)?)? {
                if let FactBody::Membership { of, .. } = &f.body {
                    senders.extend(entity_of(of));
                }
            }
        }
    }
    let (mut list, slot) = match (against, by) {
        (Some(_), _) => (targets, Slot::SanctionAgainst),
        (None, Some(_)) => (senders, Slot::SanctionBy),
        (None, None) => {
            picked.add(cache.facts_of_kind(FactKind::Sanction, w)?);
            return Ok(());
        }
    };
    // One person may hold many roles, one state many memberships.
    list.sort_unstable();
    list.dedup();
    for e in list {
        picked.add(cache.facts(e, &[slot], w)?);
    }
    Ok(())
}

/// Picks what ties `a` and `b`: the facts that name both; each side's memberships, for the
/// organizations both belong to; each side's roles, and the statements naming the other side
/// by those who held them.
fn relations(
    picked: &mut Picked<'_>,
    entity_of: &EntityOf<'_>,
    a: usize,
    b: usize,
) -> Result<(), Unusable> {
    let cache = picked.cache;
    let (named_a, named_b) = (cache.named(a)?, cache.named(b)?);
    picked.add(common(&named_a, &named_b));
    for (side, named_other) in [(a, &named_b), (b, &named_a)] {
        picked.add(cache.facts(side, &[Slot::Member], Window::EVER)?);
        let roles = cache.facts(side, &[Slot::RoleOf], Window::EVER)?;
        let mut officials: Vec<usize> = picked
            .inspect(roles)?
            .into_iter()
            .filter_map(|f| match &f.body {
                FactBody::Role { person, .. } => entity_of(person),
                _ => None,
            })
            .collect();
        officials.sort_unstable();
        officials.dedup();
        for p in officials {
            let said = cache.facts(p, &[Slot::StatementBy], Window::EVER)?;
            picked.add(common(&said, named_other));
        }
    }
    Ok(())
}

/// Picks the statements said within `w` by `by` (on its behalf, and with `roles` by those who
/// held a role with it, with those roles), else about `about`, else all of them. With both,
/// the speaker's statements are a superset of the answer.
fn statements(
    picked: &mut Picked<'_>,
    entity_of: &EntityOf<'_>,
    by: Option<usize>,
    about: Option<usize>,
    w: Window,
    roles: bool,
) -> Result<(), Unusable> {
    let cache = picked.cache;
    let Some(b) = by else {
        picked.add(match about {
            Some(a) => cache.facts(a, &[Slot::StatementAbout], w)?,
            None => cache.facts_of_kind(FactKind::Statement, w)?,
        });
        return Ok(());
    };
    let mut speakers = Vec::new();
    if roles {
        for f in picked.inspect(cache.facts(b, &[Slot::RoleOf], Window::EVER)?)? {
            if let FactBody::Role { person, .. } = &f.body {
                speakers.extend(entity_of(person));
            }
        }
    }
    picked.add(cache.facts(b, &[Slot::StatementBy, Slot::StatementOnBehalfOf], w)?);
    speakers.sort_unstable();
    speakers.dedup();
    for p in speakers {
        picked.add(cache.facts(p, &[Slot::StatementBy], w)?);
    }
    Ok(())
}

/// Every fact of a kind shown that can hold, or happen, on the days a diagram looks at: its
/// date, or both dates of a diff and the days between (everything for `--all`), and the window
/// of its statements and events. None for a question that is no export.
fn drawn(cache: &dyn Source, q: &Question) -> Result<Vec<usize>, Unusable> {
    let Question::Export {
        scope,
        points_from,
        points_to,
        kinds,
        ..
    } = q
    else {
        return Ok(Vec::new());
    };
    let points = (points_from.is_some() || points_to.is_some())
        .then(|| Window::between(*points_from, *points_to));
    let windows = match *scope {
        Scope::All => vec![Window::EVER],
        Scope::On { on } => vec![Window::of(on)],
        Scope::Diff { from, to } => vec![Window::of(from), Window::of(to), diff_window(from, to)],
    };
    let shown = |k: FactKind| kinds.is_empty() || kinds.iter().any(|&l| fact_kind(l) == k);
    let mut out = Vec::new();
    for w in windows.into_iter().chain(points) {
        for &k in FactKind::ALL.iter().filter(|&&k| shown(k)) {
            out.extend(cache.facts_of_kind(k, w)?);
        }
    }
    Ok(out)
}

/// The kind of the facts that give links of `kind`.
fn fact_kind(kind: LinkKind) -> FactKind {
    match kind {
        LinkKind::Alliance | LinkKind::Treaty => FactKind::Treaty,
        LinkKind::Sanction => FactKind::Sanction,
        LinkKind::Membership => FactKind::Membership,
        LinkKind::Statement => FactKind::Statement,
        LinkKind::Role => FactKind::Role,
        LinkKind::Event => FactKind::Event,
    }
}

/// What an export or a picture of [`Question::Export`] `q` draws from `cache`: every entity
/// (as a dataset, to resolve the facts' references), the entity its focus names, and the facts
/// it can draw, to be read a batch at a time. When the focus names no single entity, the part
/// of the data that makes the command's error, as [`dataset_for`] gives it. `None` when `q`
/// is no export.
pub fn for_export<'c>(
    cache: Opened<'c>,
    entities: Vec<Entity>,
    q: &Question,
) -> Result<Option<Result<Drawable<'c>, Dataset>>, Unusable> {
    let Question::Export { focus, .. } = q else {
        return Ok(None);
    };
    let source = cache.source();
    let names = Dataset::new(Vec::new(), entities, Vec::new());
    let focus = match focus {
        Some(text) => match resolve(source, &names, text)? {
            Named::Entity(i) => Some(i),
            _ => {
                return Ok(Some(Err(dataset_for(
                    source,
                    Vec::new(),
                    names.entities,
                    q,
                )?)));
            }
        },
        None => None,
    };
    let numbers = drawn(source, q)?;
    Ok(Some(Ok(Drawable {
        facts: DrawnFacts::new(cache, &numbers),
        names,
        focus,
    })))
}

/// Picks what a search for the shortest chains from `from` to `to` reads: the links on
/// `on` at every entity it expands. The search goes level by level and stops at the level
/// that reaches `to` (or after `max_hops`), so each level is found here as it finds it, from
/// the links of the level before (checked on the date, through a graph of what is picked).
fn reachable(
    picked: &mut Picked<'_>,
    entities: &[Entity],
    (from, to): (usize, usize),
    on: Date,
    kinds: &[LinkKind],
    max_hops: usize,
) -> Result<(), Unusable> {
    let w = Window::of(on);
    let kinds = if kinds.is_empty() {
        &LinkKind::ALL[..]
    } else {
        kinds
    };
    let slots: Vec<Slot> = kinds.iter().flat_map(|k| k.slots()).copied().collect();
    let mut seen = vec![false; entities.len()];
    let (mut frontier, mut level) = (vec![from], 0);
    seen[from] = true;
    while !frontier.is_empty() && level < max_hops && !seen.get(to).copied().unwrap_or(true) {
        for &u in &frontier {
            let links = picked.cache.facts(u, &slots, w)?;
            picked.inspect(links)?;
        }
        let part = Dataset::new(Vec::new(), entities.to_vec(), {
            let mut facts: Vec<(&usize, &Fact)> = picked.seen.iter().collect();
            facts.sort_unstable_by_key(|(i, _)| **i);
            facts.into_iter().map(|(_, f)| f.clone()).collect()
        });
        let graph = Graph::build(&part);
        let mut next = Vec::new();
        let mut near = Vec::new();
        for &u in &frontier {
            near.clear();
            graph.links_near(u, &slots, w, &mut near);
            for &(v, link, _) in &near {
                if !seen[v] && graph.link_status(link, w).holds() {
                    seen[v] = true;
                    next.push(v);
                }
            }
        }
        frontier = next;
        level += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::{Cache, Key};
    use crate::load::{DataSource, load};
    use crate::query::saved::{Ask, answer};
    use crate::query::statements::StatementFilter;
    use crate::synth::Rng;

    /// Dates of every precision, from before the data to after it.
    fn date(rng: &mut Rng) -> Date {
        let y = 1940 + rng.below(90);
        let text = match rng.below(3) {
            0 => format!("{y}"),
            1 => format!("{y}-{:02}", 1 + rng.below(12)),
            _ => format!("{y}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
        };
        Date::parse(&text).expect("a date")
    }

    fn maybe(rng: &mut Rng, p: u64) -> bool {
        rng.below(100) < p
    }

    /// A random question: as the cache takes it (names typed), and as the whole dataset
    /// answers it (names resolved).
    fn question(data: &Dataset, rng: &mut Rng) -> (Question, Ask) {
        let n = data.entities.len() as u64;
        let mut pick = || {
            let i = rng.below(n) as usize;
            (i, data.entities[i].id.clone())
        };
        let (a, ida) = pick();
        let (b, idb) = pick();
        let mut rng = Rng::new(rng_seed(a, b));
        let on = date(&mut rng);
        let dates = |rng: &mut Rng| {
            let (x, y) = (date(rng), date(rng));
            let (x, y) = if x.first() <= y.first() {
                (x, y)
            } else {
                (y, x)
            };
            (maybe(rng, 70).then_some(x), maybe(rng, 70).then_some(y))
        };
        match rng.below(9) {
            0 => {
                let on = maybe(&mut rng, 50).then_some(on);
                if maybe(&mut rng, 30) && !data.facts.is_empty() {
                    let f = rng.below(data.facts.len() as u64) as usize;
                    let target = data.facts[f].id.to_uppercase();
                    (
                        Question::Show { target, on },
                        Ask::Show {
                            target: Target::Fact(f),
                            on,
                        },
                    )
                } else {
                    (
                        Question::Show { target: ida, on },
                        Ask::Show {
                            target: Target::Entity(a),
                            on,
                        },
                    )
                }
            }
            1 => (
                Question::Allies { of: ida, on },
                Ask::Allies {
                    of: a,
                    on: Some(on),
                },
            ),
            2 => {
                let (against, by) = match rng.below(3) {
                    0 => (Some(a), None),
                    1 => (None, Some(b)),
                    _ => (None, None),
                };
                let (tied, members) = (maybe(&mut rng, 50), maybe(&mut rng, 50));
                let tied = tied && against.is_some();
                let members = members && by.is_some();
                (
                    Question::Sanctions {
                        against: against.map(|_| ida.clone()),
                        tied,
                        by: by.map(|_| idb.clone()),
                        members,
                        on,
                    },
                    Ask::Sanctions {
                        against,
                        tied,
                        by,
                        members,
                        on: Some(on),
                    },
                )
            }
            3 => {
                let (from, to) = dates(&mut rng);
                (
                    Question::Timeline { of: ida, from, to },
                    Ask::Timeline { of: a, from, to },
                )
            }
            4 => {
                let (from, to) = dates(&mut rng);
                (
                    Question::Relations { a: ida, b: idb },
                    Ask::Relations { a, b, from, to },
                )
            }
            5 | 6 => {
                let (from, to) = dates(&mut rng);
                let by = maybe(&mut rng, 60).then_some(a);
                let about = maybe(&mut rng, 50).then_some(b);
                let roles = by.is_some() && maybe(&mut rng, 60);
                (
                    Question::Statements {
                        by: by.map(|_| ida.clone()),
                        about: about.map(|_| idb.clone()),
                        from,
                        to,
                        roles,
                    },
                    Ask::Statements(StatementFilter {
                        by,
                        about,
                        from,
                        to,
                        roles,
                    }),
                )
            }
            7 => {
                let kinds: Vec<LinkKind> = LinkKind::ALL
                    .into_iter()
                    .filter(|_| maybe(&mut rng, 30))
                    .collect();
                let max_hops = 1 + rng.below(5) as usize;
                let limit = 1 + rng.below(4) as usize;
                (
                    Question::Path {
                        from: ida,
                        to: idb,
                        on,
                        kinds: kinds.clone(),
                        max_hops,
                    },
                    Ask::Path {
                        a,
                        b,
                        on: Some(on),
                        options: crate::graph::path::PathOptions {
                            kinds,
                            max_hops,
                            limit,
                        },
                    },
                )
            }
            _ => {
                let (x, y) = (date(&mut rng), date(&mut rng));
                let (from, to) = if x.first() <= y.first() {
                    (x, y)
                } else {
                    (y, x)
                };
                let around = maybe(&mut rng, 40).then_some(a);
                (
                    Question::Diff {
                        after: from,
                        through: to,
                        around: around.map(|_| ida.clone()),
                    },
                    Ask::Diff { from, to, around },
                )
            }
        }
    }

    /// A cache file of `data`, in a folder that lasts as long as the first value.
    fn cached(data: &Dataset) -> (tempfile::TempDir, Cache) {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("c.dgcache");
        let key = Key {
            version: super::super::VERSION,
            files: Vec::new(),
        };
        let index = crate::graph::index_of(data);
        super::super::write(&path, &key, data, &index, true).expect("written");
        let cache = Cache::open(&path, &key).expect("opens");
        (dir, cache)
    }

    fn rng_seed(a: usize, b: usize) -> u64 {
        (a as u64) << 32 | b as u64
    }

    /// Asks `count` random questions of `data` through a cache of it, and checks that the part
    /// the cache picks answers each exactly as the whole does. Returns how many answers were
    /// not empty.
    fn answers_agree(data: &Dataset, count: usize, seed: u64) -> usize {
        let (_dir, cache) = cached(data);
        answers_agree_from(data, &cache, &cache.entities().expect("reads"), count, seed)
    }

    /// As [`answers_agree`], picking from `source`, whose entities are `entities`.
    fn answers_agree_from(
        data: &Dataset,
        source: &dyn Source,
        entities: &[Entity],
        count: usize,
        seed: u64,
    ) -> usize {
        let whole = Graph::build(data);
        let mut rng = Rng::new(seed);
        let mut answered = 0;
        for _ in 0..count {
            let (q, ask) = question(data, &mut rng);
            answered += usize::from(agrees(&whole, source, entities, &q, &ask));
        }
        answered
    }

    /// Checks that the part picked for `q` answers `ask` (the same question, resolved) exactly
    /// as the whole dataset of `whole` does; whether the answer had anything in it.
    fn agrees(
        whole: &Graph<'_>,
        source: &dyn Source,
        entities: &[Entity],
        q: &Question,
        ask: &Ask,
    ) -> bool {
        let part = dataset_for(source, Vec::new(), entities.to_vec(), q).expect("the cache reads");
        answers_as_whole(whole, &part, q, ask)
    }

    /// Checks that `part` answers `ask` (question `q`, resolved) exactly as the whole dataset
    /// of `whole` does; whether the answer had anything in it.
    fn answers_as_whole(whole: &Graph<'_>, part: &Dataset, q: &Question, ask: &Ask) -> bool {
        let data = whole.data();
        let today = Date::parse("2021-06-01").expect("a date");
        assert!(part.facts.len() <= data.facts.len());
        let ask_part = match ask {
            Ask::Show {
                target: Target::Fact(f),
                on,
            } => Ask::Show {
                target: part.lookup(&data.facts[*f].id).expect("the fact is picked"),
                on: *on,
            },
            other => other.clone(),
        };
        let expected = answer(whole, ask, today);
        let got = answer(&Graph::build(part), &ask_part, today);
        assert_eq!(got, expected, "{q:?}");
        !expected.keys().is_empty()
    }

    #[test]
    fn questions_on_the_very_dates_of_the_facts_agree() {
        // Each date a fact names, asked as a day, a start and an end of the dates asked, and
        // as either bound of a diff, of an entity the fact names: where a date falls exactly
        // on a window's edge.
        let loaded = load(&DataSource::Bundled);
        let data = &loaded.dataset;
        let (_dir, cache) = cached(data);
        let entities = cache.entities().expect("reads");
        let whole = Graph::build(data);
        let mut answered = 0;
        for f in &data.facts {
            let Some(e) = f
                .references()
                .iter()
                .find_map(|(_, id)| match data.lookup(id) {
                    Some(Target::Entity(i)) => Some(i),
                    _ => None,
                })
            else {
                continue;
            };
            let id = data.entities[e].id.clone();
            let mut dates = f.dates();
            dates.sort_by_key(|d| (d.first(), d.last()));
            dates.dedup();
            for (k, &d) in dates.iter().enumerate() {
                let next = dates.get(k + 1).copied();
                let mut asks = vec![
                    (
                        Question::Timeline {
                            of: id.clone(),
                            from: Some(d),
                            to: Some(d),
                        },
                        Ask::Timeline {
                            of: e,
                            from: Some(d),
                            to: Some(d),
                        },
                    ),
                    (
                        Question::Timeline {
                            of: id.clone(),
                            from: Some(d),
                            to: None,
                        },
                        Ask::Timeline {
                            of: e,
                            from: Some(d),
                            to: None,
                        },
                    ),
                    (
                        Question::Timeline {
                            of: id.clone(),
                            from: None,
                            to: Some(d),
                        },
                        Ask::Timeline {
                            of: e,
                            from: None,
                            to: Some(d),
                        },
                    ),
                    (
                        Question::Allies {
                            of: id.clone(),
                            on: d,
                        },
                        Ask::Allies { of: e, on: Some(d) },
                    ),
                    (
                        Question::Show {
                            target: id.clone(),
                            on: Some(d),
                        },
                        Ask::Show {
                            target: Target::Entity(e),
                            on: Some(d),
                        },
                    ),
                ];
                if let Some(n) = next
                    && diff_window(d, n).first <= diff_window(d, n).last
                {
                    for around in [None, Some(e)] {
                        asks.push((
                            Question::Diff {
                                after: d,
                                through: n,
                                around: around.map(|_| id.clone()),
                            },
                            Ask::Diff {
                                from: d,
                                to: n,
                                around,
                            },
                        ));
                    }
                }
                for (q, ask) in asks {
                    answered += usize::from(agrees(&whole, &cache, &entities, &q, &ask));
                }
            }
        }
        assert!(
            answered > 500,
            "only {answered} answers had anything in them"
        );
    }

    /// The four exports of a diagram held whole, each as its writer writes it.
    fn exports_of_whole(dg: &crate::query::export::Diagram) -> [String; 4] {
        use crate::render::{dot, edges_csv, export_json, graphml};
        [
            edges_csv::to_csv(dg).expect("csv"),
            export_json::to_json(dg).expect("json"),
            graphml::to_graphml(dg).expect("graphml"),
            dot::to_dot(dg),
        ]
    }

    /// The four exports of a lean plan, each written as it streams.
    fn exports_streamed(plan: &crate::query::export::Plan) -> [String; 4] {
        use crate::query::export::Drawn;
        use crate::render::{dot, edges_csv, export_json, graphml};
        let mut out: [Vec<u8>; 4] = Default::default();
        edges_csv::write_csv(&mut out[0], plan).expect("csv");
        export_json::write_json(&mut out[1], plan).expect("json");
        graphml::write_graphml(&mut out[2], plan).expect("graphml");
        dot::write_dot(&mut out[3], &Drawn::of(plan)).expect("dot");
        out.map(|b| String::from_utf8(b).expect("UTF-8"))
    }

    /// Random diagrams of `data`: each drawn from the part the cache picks is the whole's, and
    /// each export streamed from the facts the cache reads (a batch at a time, from `source`)
    /// is byte for byte the export of the whole's diagram. `open` gives the cache, afresh for
    /// each diagram; `entities` are its entities. Returns how many had edges.
    fn diagrams_agree<'c>(
        data: &Dataset,
        open: &dyn Fn() -> Opened<'c>,
        entities: &[Entity],
        count: usize,
        seed: u64,
    ) -> usize {
        use crate::query::export::{self, ExportOptions, Parallel, Plan};
        let whole = Graph::build(data);
        let mut rng = Rng::new(seed);
        let mut shown = 0;
        for _ in 0..count {
            let scope = match rng.below(5) {
                0 => Scope::All,
                1 => {
                    let (x, y) = (date(&mut rng), date(&mut rng));
                    let (from, to) = if x.last() < y.first() { (x, y) } else { (y, x) };
                    Scope::Diff { from, to }
                }
                _ => Scope::On { on: date(&mut rng) },
            };
            if let Scope::Diff { from, to } = scope
                && diff_window(from, to).first > diff_window(from, to).last
            {
                continue;
            }
            let focus = maybe(&mut rng, 50).then(|| rng.below(data.entities.len() as u64) as usize);
            let (points_from, points_to) = match rng.below(3) {
                0 => {
                    let (x, y) = (date(&mut rng), date(&mut rng));
                    if x.first() <= y.first() {
                        (Some(x), Some(y))
                    } else {
                        (Some(y), Some(x))
                    }
                }
                1 => (Some(date(&mut rng)), None),
                _ => (None, None),
            };
            let opts = ExportOptions {
                scope,
                focus,
                depth: 1 + rng.below(3) as usize,
                kinds: LinkKind::ALL
                    .into_iter()
                    .filter(|_| maybe(&mut rng, 25))
                    .collect(),
                points_from,
                points_to,
                parallel: if maybe(&mut rng, 50) {
                    Parallel::Each
                } else {
                    Parallel::Merge
                },
                clusters: maybe(&mut rng, 50),
                hubs: maybe(&mut rng, 70).then_some(export::HUB_MIN),
            };
            let q = Question::Export {
                scope,
                focus: focus.map(|i| data.entities[i].id.clone()),
                points_from,
                points_to,
                kinds: opts.kinds.clone(),
            };
            let cache = open();
            let part = dataset_for(cache.source(), Vec::new(), entities.to_vec(), &q)
                .expect("the cache reads");
            let expected = export::diagram(&whole, &opts);
            let got = export::diagram(&Graph::build(&part), &opts);
            assert_eq!(got, expected, "{q:?} {opts:?}");
            let Some(Ok(mut drawable)) =
                for_export(cache, entities.to_vec(), &q).expect("the cache reads")
            else {
                panic!("{q:?}: the focus names one entity");
            };
            assert_eq!(drawable.focus, focus, "{q:?}");
            let plan = Plan::build(&mut drawable.facts, drawable.names, &opts).expect("reads");
            let streamed = exports_streamed(&plan);
            for (format, (s, w)) in ["csv", "json", "graphml", "dot"]
                .iter()
                .zip(streamed.iter().zip(exports_of_whole(&expected)))
            {
                assert!(*s == w, "{format} differs: {q:?} {opts:?}");
            }
            shown += usize::from(!expected.edges.is_empty());
        }
        shown
    }

    #[test]
    fn the_part_picked_draws_the_diagrams_the_whole_does() {
        let loaded = load(&DataSource::Bundled);
        let (_dir, cache) = cached(&loaded.dataset);
        let entities = cache.entities().expect("reads");
        let open = || Opened::Borrowed(&cache);
        let shown = diagrams_agree(&loaded.dataset, &open, &entities, 300, 3);
        assert!(shown > 100, "only {shown} diagrams had anything in them");
    }

    /// A synthetic world in a new folder, and the world loaded.
    fn synthetic(facts: u64, seed: u64) -> (tempfile::TempDir, crate::load::Loaded) {
        let dir = tempfile::tempdir().expect("tmp");
        let opts = crate::synth::Options { facts, seed };
        crate::synth::write(&opts, dir.path()).expect("synth");
        let loaded = load(&DataSource::Path(dir.path().to_path_buf()));
        assert!(loaded.diagnostics.is_empty());
        (dir, loaded)
    }

    #[test]
    fn exports_streamed_from_a_synthetic_worlds_cache_are_the_whole_ones() {
        let (dir, loaded) = synthetic(4000, 21);
        let (_cache_dir, cache) = cached(&loaded.dataset);
        let entities = cache.entities().expect("reads");
        let open = || Opened::Borrowed(&cache);
        let shown = diagrams_agree(&loaded.dataset, &open, &entities, 60, 8);
        assert!(shown > 20, "only {shown} diagrams had anything in them");
        // The same, from the cache as built in memory file by file (`--no-cache`, a first
        // call): borrowed, and built for each diagram and let go as it is read.
        let key = Key::of(dir.path()).expect("a key");
        let check = || super::super::build::check(&key, 2, &|_| {}).expect("clean");
        let checked = check();
        let open = || Opened::Borrowed(&checked);
        let shown = diagrams_agree(&loaded.dataset, &open, &checked.entities, 40, 9);
        assert!(shown > 12, "only {shown} in memory");
        let open = || Opened::Built(Box::new(check()));
        let shown = diagrams_agree(&loaded.dataset, &open, &checked.entities, 30, 10);
        assert!(shown > 8, "only {shown} built for each");
    }

    #[test]
    fn the_part_picked_answers_as_the_bundled_dataset_does() {
        let loaded = load(&DataSource::Bundled);
        let answered = answers_agree(&loaded.dataset, 3000, 7);
        assert!(
            answered > 600,
            "only {answered} answers had anything in them"
        );
    }

    #[test]
    fn the_part_picked_answers_as_a_synthetic_world_does() {
        let (dir, loaded) = synthetic(6000, 11);
        let answered = answers_agree(&loaded.dataset, 1500, 5);
        assert!(
            answered > 300,
            "only {answered} answers had anything in them"
        );
        // The same, from the cache as built in memory file by file (`--no-cache`).
        let key = Key::of(dir.path()).expect("a key");
        let checked = super::super::build::check(&key, 2, &|_| {}).expect("clean");
        let answered = answers_agree_from(&loaded.dataset, &checked, &checked.entities, 1500, 6);
        assert!(answered > 300, "only {answered} in memory");
    }

    /// Asks `rounds` random groups of questions at once (as saved queries are), with fact ids
    /// typed where an expectation names them and, now and then, a fact named where an entity
    /// is wanted: the part picked for the group answers each question as the whole does, and
    /// holds every fact named. Returns how many answers had anything in them.
    fn many_agree(
        data: &Dataset,
        source: &dyn Source,
        entities: &[Entity],
        rounds: usize,
        seed: u64,
    ) -> usize {
        let whole = Graph::build(data);
        let mut rng = Rng::new(seed);
        let mut answered = 0;
        for _ in 0..rounds {
            let asked: Vec<(Question, Ask)> = (0..1 + rng.below(4))
                .map(|_| question(data, &mut rng))
                .collect();
            let mut fact_id = || {
                data.facts[rng.below(data.facts.len() as u64) as usize]
                    .id
                    .clone()
            };
            let named: Vec<String> = (0..3).map(|_| fact_id().to_lowercase()).collect();
            let wrong_id = fact_id();
            let wrong = Question::Allies {
                of: wrong_id.clone(),
                on: Date::parse("2000").expect("a date"),
            };
            let mut all: Vec<Question> = asked.iter().map(|(q, _)| q.clone()).collect();
            all.insert(all.len() / 2, wrong);
            all.push(Question::Named(named.clone()));
            let part = dataset_for(source, Vec::new(), entities.to_vec(), &Question::Many(all))
                .expect("the cache reads");
            for (q, ask) in &asked {
                answered += usize::from(answers_as_whole(&whole, &part, q, ask));
            }
            for id in named.iter().chain([&wrong_id]) {
                assert!(
                    matches!(part.lookup(id), Some(Target::Fact(_))),
                    "{id} is picked"
                );
            }
        }
        answered
    }

    #[test]
    fn the_part_picked_for_many_questions_answers_each_as_the_whole_does() {
        let (dir, loaded) = synthetic(5000, 12);
        let data = &loaded.dataset;
        let (_cache_dir, cache) = cached(data);
        let entities = cache.entities().expect("reads");
        let answered = many_agree(data, &cache, &entities, 150, 31);
        assert!(
            answered > 90,
            "only {answered} answers had anything in them"
        );
        let key = Key::of(dir.path()).expect("a key");
        let checked = super::super::build::check(&key, 2, &|_| {}).expect("clean");
        let answered = many_agree(data, &checked, &checked.entities, 60, 32);
        assert!(answered > 30, "only {answered} in memory");
    }

    #[test]
    fn every_fact_id_is_read_alone_however_long_from_a_file_or_a_built_cache() {
        // Ids of every length around how much of a record is read for its id (256 bytes).
        let lens = [1usize, 30, 250, 254, 255, 256, 300, 1000];
        let events: Vec<String> = lens
            .iter()
            .map(|&n| {
                let id: String = (0..n).map(|i| if i % 2 == 0 { 'E' } else { 'v' }).collect();
                format!(
                    r#"Event(id: "{id}", name: "E", kind: Meeting, on: "2020", involves: ["BLR"], sources: [])"#
                )
            })
            .collect();
        let text = format!(
            r#"[State(id: "BLR", name: "Belarus"), {}]"#,
            events.join(", ")
        );
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("w.ron"), &text).expect("written");
        let data = crate::load::load(&DataSource::Path(dir.path().to_path_buf())).dataset;
        let want: Vec<(usize, String)> = data
            .facts
            .iter()
            .map(|f| f.id.clone())
            .enumerate()
            .collect();
        assert_eq!(want.len(), lens.len());
        let (_cache_dir, cache) = cached(&data);
        let key = Key::of(dir.path()).expect("a key");
        let built = super::super::build::check(&key, 1, &|_| {}).expect("clean");
        for source in [&cache as &dyn Source, &built] {
            let mut got = Vec::new();
            source
                .each_id(&mut |i, id| got.push((i, id.to_string())))
                .expect("reads");
            assert_eq!(got, want);
        }
    }

    #[test]
    fn the_part_decoded_as_a_built_cache_is_let_go_is_the_part_read_fact_by_fact() {
        let (dir, loaded) = synthetic(4000, 13);
        let key = Key::of(dir.path()).expect("a key");
        let check = || super::super::build::check(&key, 2, &|_| {}).expect("clean");
        let kept = check();
        let mut rng = Rng::new(41);
        let mut facts = 0;
        for _ in 0..6 {
            let asked = (0..8).map(|_| question(&loaded.dataset, &mut rng).0);
            let q = Question::Many(asked.collect());
            let read =
                dataset_for(&kept, Vec::new(), kept.entities.clone(), &q).expect("the cache reads");
            let built = check();
            let pick =
                pick_for(&built, Vec::new(), built.entities.clone(), &q).expect("the cache reads");
            let through = pick.read_through(built.into_batches()).expect("decodes");
            assert_eq!(through.facts, read.facts, "{q:?}");
            facts += read.facts.len();
        }
        assert!(facts > 1000, "only {facts} facts picked");
    }

    #[test]
    fn names_that_name_no_entity_make_the_whole_datasets_error() {
        let loaded = load(&DataSource::Bundled);
        let whole = &loaded.dataset;
        let (_dir, cache) = cached(whole);
        let fact = whole.facts[0].id.clone();
        let timeline = |of: &str| Question::Timeline {
            of: of.into(),
            from: None,
            to: None,
        };
        let typo = format!("{fact}x");
        // (question, the name the command stops at, whether the entities alone can say why:
        // else the nearest fact ids are picked with them)
        let cases = [
            (timeline("Belarsu"), "Belarsu", true),
            (timeline("alexander"), "alexander", true),
            (timeline(&fact.to_uppercase()), fact.as_str(), true),
            (timeline("zzqx-0000-zzqx"), "zzqx-0000-zzqx", false),
            (timeline(&typo), typo.as_str(), false),
            (
                Question::Relations {
                    a: "BLR".into(),
                    b: "Belarsu".into(),
                },
                "Belarsu",
                true,
            ),
            (
                Question::Statements {
                    by: Some("Russia".into()),
                    about: Some(fact.clone()),
                    from: None,
                    to: None,
                    roles: true,
                },
                fact.as_str(),
                true,
            ),
        ];
        // What the command then says: the same as on the whole data.
        let said = |d: &Dataset, name: &str| match Resolver::new(d).resolve(name) {
            Ok(Target::Fact(i)) => Ok(d.facts[i].kind()),
            Ok(Target::Entity(i)) => Err(format!("entity {i}")),
            Err(e) => Err(e.to_string()),
        };
        assert!(
            said(whole, &typo).is_err_and(|e| e.contains(&format!("`{fact}`"))),
            "a typo of a fact id suggests it"
        );
        for (q, name, cheap) in cases {
            let entities = cache.entities().expect("reads");
            let part = dataset_for(&cache, Vec::new(), entities, &q).expect("the cache reads");
            let most = if cheap { 1 } else { FACT_SUGGESTIONS };
            assert!(part.facts.len() <= most, "{q:?}: nothing else picked");
            assert_eq!(said(&part, name), said(whole, name), "{q:?}");
        }
        let shown = Question::Show {
            target: fact.clone(),
            on: None,
        };
        let entities = cache.entities().expect("reads");
        let part = dataset_for(&cache, Vec::new(), entities, &shown).expect("reads");
        assert_eq!(part.facts.len(), 1);
        assert_eq!(part.facts[0].id, fact);
    }
}
