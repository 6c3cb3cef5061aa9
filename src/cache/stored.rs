//! Facts held encoded for an answer that reads each of many facts more than once (a diff of a
//! whole world: its entries are made again as they are written). Copied from a cache file as
//! they are read once; a cache built in memory for the call keeps its own batches of records.
//! Each is decoded as it is first read and again on each later read, so that a million facts
//! are never held decoded.

use std::borrow::Cow;

use super::{Encoded, Opened, Unusable, codec};
use crate::model::Fact;
use crate::query::facts::Facts;

/// Facts as encoded, in batches, each of which has been decoded once.
#[derive(Debug, Default)]
pub struct Stored {
    batches: Vec<Encoded>,
    /// The number of each batch's first record.
    firsts: Vec<usize>,
    /// The number of the record at each place.
    numbers: Vec<usize>,
}

/// Records copied from a cache file go in batches of at most this many bytes (a batch's ends
/// are 32-bit).
const BATCH_BYTES: usize = 1 << 30;

impl Stored {
    /// Facts `numbers` (sorted, without repeats) of `cache`, each given to `each`, decoded,
    /// with the place it takes among those kept: kept encoded, in order, when `each` says so
    /// (`true`). From a cache file they are copied; a cache built for the call keeps its
    /// batches of records (its index and id table let go), which the build already holds.
    pub fn read(
        cache: Opened<'_>,
        numbers: &[usize],
        each: &mut dyn FnMut(usize, &Fact) -> bool,
    ) -> Result<Stored, Unusable> {
        let mut stored = Stored::default();
        match cache {
            Opened::Borrowed(source) => {
                let mut batch = Encoded::default();
                let mut first = 0;
                for &i in numbers {
                    let k = stored.numbers.len();
                    if batch.bytes.len() >= BATCH_BYTES {
                        stored.push(std::mem::take(&mut batch), first);
                        first = k;
                    }
                    let start = batch.bytes.len();
                    source.record(i, &mut batch.bytes)?;
                    let fact = decoded(batch.bytes.get(start..))?;
                    if each(k, &fact) {
                        let end =
                            u32::try_from(batch.bytes.len()).map_err(|_| Unusable::Corrupt)?;
                        batch.ends.push(end);
                        stored.numbers.push(k);
                    } else {
                        batch.bytes.truncate(start);
                    }
                }
                stored.push(batch, first);
            }
            Opened::Built(checked) => {
                let mut first = 0;
                for batch in checked.into_batches() {
                    let len = batch.ends.len();
                    stored.push(batch, first);
                    first += len;
                }
                for &i in numbers {
                    if each(stored.numbers.len(), &decoded(stored.record(i))?) {
                        stored.numbers.push(i);
                    }
                }
            }
        }
        stored.numbers.shrink_to_fit();
        Ok(stored)
    }

    fn push(&mut self, mut batch: Encoded, first: usize) {
        batch.bytes.shrink_to_fit();
        batch.ends.shrink_to_fit();
        self.batches.push(batch);
        self.firsts.push(first);
    }

    /// Record `i` of the batches.
    fn record(&self, i: usize) -> Option<&[u8]> {
        let b = self.firsts.partition_point(|&f| f <= i).checked_sub(1)?;
        self.batches[b].record(i - self.firsts[b])
    }

    /// How many facts.
    pub fn len(&self) -> usize {
        self.numbers.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }
}

/// A record that was read, decoded: one that does not decode is refused, so every record kept
/// decodes when it is read again.
fn decoded(record: Option<&[u8]>) -> Result<Fact, Unusable> {
    record.and_then(codec::fact_of).ok_or(Unusable::Corrupt)
}

impl Facts for Stored {
    /// Decodes fact `k` again.
    ///
    /// # Panics
    ///
    /// When `k` is not a place [`Stored::read`] gave: every record kept decoded when it was
    /// read, and decoding is a function of the bytes alone.
    fn fact(&self, k: usize) -> Cow<'_, Fact> {
        let fact = decoded(self.record(self.numbers[k]));
        Cow::Owned(fact.expect("a record that decoded when it was stored decodes again"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::{Cache, Key, Source};
    use crate::cache::{Question, pick_for};
    use crate::graph::Graph;
    use crate::load::{DataSource, load};
    use crate::model::Date;
    use crate::model::Target;
    use crate::model::{Dataset, FactKind};
    use crate::query::diff::{Differ, diff, diff_window};
    use crate::query::show::{Shown, entity_among, show};
    use crate::query::statements::{StatementFilter, statements, statements_among};
    use crate::synth::Rng;

    /// The diff of `d1` to `d2` read from `cache` and kept encoded.
    fn stored_diff(cache: Opened<'_>, d1: Date, d2: Date) -> (Differ, Stored) {
        let mut differ = Differ::new(d1, d2, None);
        let numbers = cache
            .source()
            .dated_within(diff_window(d1, d2))
            .expect("reads");
        let stored = Stored::read(cache, &numbers, &mut |k, f| {
            differ.add(k, f);
            true
        })
        .expect("reads");
        (differ, stored)
    }

    /// A synthetic world of `facts` facts: its folder, the world loaded, its cache written to
    /// a file and opened, and its key (to build the cache in memory).
    fn world(facts: u64, seed: u64) -> (tempfile::TempDir, Dataset, Cache, Key) {
        let dir = tempfile::tempdir().expect("tmp");
        let opts = crate::synth::Options { facts, seed };
        crate::synth::write(&opts, dir.path()).expect("synth");
        let data = load(&DataSource::Path(dir.path().to_path_buf())).dataset;
        let key = Key::of(dir.path()).expect("a key");
        let file = dir.path().join("c.dgcache");
        let index = crate::graph::index_of(&data);
        crate::cache::write(&file, &key, &data, &index, true).expect("written");
        let cache = Cache::open(&file, &key).expect("opens");
        (dir, data, cache, key)
    }

    #[test]
    fn a_diff_of_facts_kept_encoded_is_the_diff_of_the_whole_data() {
        let (_dir, data, cache, key) = world(3000, 5);
        let check = || crate::cache::build::check(&key, 2, &|_| {}).expect("clean");
        let graph = Graph::build(&data);
        let mut rng = Rng::new(3);
        // Every change, none at all (before any date of the world), and random years.
        let mut windows = vec![
            (Date::year(1900), Date::year(2030)),
            (Date::year(1700), Date::year(1701)),
        ];
        for _ in 0..12 {
            let a = Date::year(1950 + rng.below(70) as u16);
            let b = Date::year(a.year_number() + 1 + rng.below(8) as u16);
            windows.push((a, b));
        }
        let mut changes = 0;
        for (d1, d2) in windows {
            let whole = diff(&graph, d1, d2, None);
            let json = serde_json::to_string(&whole).expect("json");
            for built in [false, true] {
                let opened = match built {
                    false => Opened::Borrowed(&cache as &dyn Source),
                    true => Opened::Built(Box::new(check())),
                };
                let (differ, stored) = stored_diff(opened, d1, d2);
                let kept = differ.finish(&stored);
                assert_eq!(kept, whole, "{d1} {d2}, built: {built}");
                assert_eq!(serde_json::to_string(&kept).expect("json"), json);
            }
            changes += whole.len();
        }
        assert!(changes > 3000, "only {changes} changes");
    }

    #[test]
    fn statements_kept_encoded_are_the_statements_of_the_whole_data() {
        let (_dir, data, cache, key) = world(3000, 8);
        let check = || crate::cache::build::check(&key, 2, &|_| {}).expect("clean");
        let graph = Graph::build(&data);
        let id = |i: usize| data.entities[i].id.clone();
        let mut rng = Rng::new(4);
        // Every statement, none (before any date of the world), and random filters.
        let mut filters = vec![
            StatementFilter::default(),
            StatementFilter {
                to: Some(Date::year(1700)),
                ..StatementFilter::default()
            },
        ];
        for _ in 0..10 {
            let pick = |rng: &mut Rng| {
                (rng.below(3) > 0).then(|| rng.below(data.entities.len() as u64) as usize)
            };
            let from = Date::year(1960 + rng.below(60) as u16);
            let by = pick(&mut rng);
            filters.push(StatementFilter {
                by,
                about: pick(&mut rng),
                from: (rng.below(2) == 0).then_some(from),
                to: (rng.below(2) == 0).then(|| Date::year(from.year_number() + 5)),
                roles: by.is_some() && rng.below(2) == 0,
            });
        }
        let mut found = 0;
        for filter in filters {
            let whole = statements(&graph, &filter);
            let q = Question::Statements {
                by: filter.by.map(id),
                about: filter.about.map(id),
                from: filter.from,
                to: filter.to,
                roles: filter.roles,
            };
            for built in [false, true] {
                let opened = match built {
                    false => Opened::Borrowed(&cache as &dyn Source),
                    true => Opened::Built(Box::new(check())),
                };
                let entities = cache.entities().expect("reads");
                let pick = pick_for(opened.source(), Vec::new(), entities, &q).expect("picks");
                let (names, stored) = pick
                    .read_apart(opened, |f| f.kind() == FactKind::Statement)
                    .expect("reads");
                assert!(names.facts.iter().all(|f| f.kind() != FactKind::Statement));
                let part = Graph::build(&names);
                let apart = statements_among(&part, &stored, stored.len(), &filter);
                assert_eq!(apart, whole, "{filter:?}, built: {built}");
                assert_eq!(
                    serde_json::to_string(&apart).expect("json"),
                    serde_json::to_string(&whole).expect("json")
                );
            }
            found += whole.results.len();
        }
        assert!(found > 500, "only {found} statements found");
    }

    #[test]
    fn a_name_that_names_nothing_keeps_every_fact_picked_decoded() {
        let (_dir, _data, cache, _key) = world(1000, 9);
        let q = Question::Statements {
            by: Some("st-1".into()),
            about: None,
            from: None,
            to: None,
            roles: false,
        };
        let entities = cache.entities().expect("reads");
        let opened = Opened::Borrowed(&cache as &dyn Source);
        let pick = pick_for(opened.source(), Vec::new(), entities, &q).expect("picks");
        let (names, stored) = pick.read_apart(opened, |_| true).expect("reads");
        assert!(stored.is_empty());
        assert_eq!(names.facts.len(), 1, "the fact the name names");
    }

    #[test]
    fn an_entity_shown_with_facts_kept_encoded_is_shown_as_the_whole_data_shows_it() {
        let (_dir, data, cache, key) = world(3000, 12);
        let check = || crate::cache::build::check(&key, 2, &|_| {}).expect("clean");
        let graph = Graph::build(&data);
        let mut rng = Rng::new(6);
        let mut rows = 0;
        for round in 0..16 {
            // The hubs first, then any entity; with and without a date.
            let e = match round {
                0..2 => match data.lookup("RUS") {
                    Some(Target::Entity(i)) => i,
                    other => panic!("RUS is {other:?}"),
                },
                _ => rng.below(data.entities.len() as u64) as usize,
            };
            let on = (round % 2 == 1).then(|| Date::year(1950 + rng.below(75) as u16));
            let whole = show(&graph, Target::Entity(e), on);
            let id = data.entities[e].id.clone();
            let q = Question::Show {
                target: id.clone(),
                on,
            };
            for built in [false, true] {
                let opened = match built {
                    false => Opened::Borrowed(&cache as &dyn Source),
                    true => Opened::Built(Box::new(check())),
                };
                let entities = cache.entities().expect("reads");
                let pick = pick_for(opened.source(), Vec::new(), entities, &q).expect("picks");
                let (names, stored) = pick
                    .read_apart(opened, |f| !f.id.eq_ignore_ascii_case(&id))
                    .expect("reads");
                let part = Graph::build(&names);
                let apart = entity_among(&part, e, on, &stored, stored.len());
                assert_eq!(apart, whole, "{id} on {on:?}, built: {built}");
                assert_eq!(
                    serde_json::to_string(&apart).expect("json"),
                    serde_json::to_string(&whole).expect("json")
                );
            }
            if let Shown::Entity(v) = &whole {
                rows += v.facts.len();
            }
        }
        assert!(rows > 1000, "only {rows} rows shown");
    }
}
