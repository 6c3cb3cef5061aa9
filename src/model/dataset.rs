//! A whole loaded dataset: its files, entities and facts, with an index by id.

use hashbrown::HashTable;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::interval::{Certainty, Interval, Window, combine_readings, happened_within, status_all};
use super::record::{Coverage, Entity, Fact, FactBody, Party, When};

/// A loaded file: its path as shown to people and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path as shown in diagnostics (relative to where dipgraph was run, or `<bundled>/...`).
    pub path: String,
    /// The text (after removing a byte-order mark).
    pub text: String,
}

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// Index into [`Dataset::entities`].
    Entity(usize),
    /// Index into [`Dataset::facts`].
    Fact(usize),
}

/// Entities and facts as loaded, in file order.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// The files read, in sorted path order.
    pub files: Vec<SourceFile>,
    /// Every entity.
    pub entities: Vec<Entity>,
    /// Every fact.
    pub facts: Vec<Fact>,
    /// What the data says it covers.
    pub coverage: Vec<Coverage>,
    /// Every id's record, found by the hash of the id's case-blind form and then compared
    /// in full: no copy of any id is kept (a million facts' ids would take a hundred MiB as
    /// lower-cased keys).
    index: HashTable<Slot>,
}

/// A record in the id index: an entity's index, or a fact's with [`Slot::FACT`] set.
#[derive(Debug, Clone, Copy)]
struct Slot(usize);

impl Slot {
    const FACT: usize = 1 << (usize::BITS - 1);

    fn of(t: Target) -> Slot {
        match t {
            Target::Entity(i) => Slot(i),
            Target::Fact(i) => Slot(i | Slot::FACT),
        }
    }

    fn target(self) -> Target {
        if self.0 & Slot::FACT == 0 {
            Target::Entity(self.0)
        } else {
            Target::Fact(self.0 & !Slot::FACT)
        }
    }
}

/// The hash of an id's case-blind form ([`id_key`]): XXH3-64, stable across versions (the
/// cache keeps it on disk), made without a lower-cased copy of the id on the heap.
pub fn id_hash(id: &str) -> u64 {
    let mut buf = [0u8; 64];
    if let Some(b) = buf.get_mut(..id.len()) {
        b.copy_from_slice(id.as_bytes());
        b.make_ascii_lowercase();
        return xxh3_64(b);
    }
    let mut h = Xxh3::new();
    for chunk in id.as_bytes().chunks(buf.len()) {
        let b = &mut buf[..chunk.len()];
        b.copy_from_slice(chunk);
        b.make_ascii_lowercase();
        h.update(b);
    }
    h.digest()
}

/// The key under which ids are unique: ids compare without regard to ASCII case.
pub fn id_key(id: &str) -> String {
    id.to_ascii_lowercase()
}

impl Dataset {
    /// Builds the id index. The first record wins where an id repeats (the checks report the
    /// repeat).
    pub fn new(files: Vec<SourceFile>, entities: Vec<Entity>, facts: Vec<Fact>) -> Dataset {
        let mut data = Dataset {
            files,
            entities,
            facts: Vec::new(),
            coverage: Vec::new(),
            index: HashTable::with_capacity(0),
        };
        data.index.reserve(data.entities.len() + facts.len(), |_| 0);
        for i in 0..data.entities.len() {
            data.add(Target::Entity(i));
        }
        data.replace_facts(facts);
        data
    }

    /// The id of a record.
    fn id_of(&self, t: Target) -> &str {
        match t {
            Target::Entity(i) => &self.entities[i].id,
            Target::Fact(i) => &self.facts[i].id,
        }
    }

    /// Adds a record to the id index, unless its id is taken (the first record wins).
    fn add(&mut self, t: Target) {
        let id = self.id_of(t);
        let h = id_hash(id);
        let (entities, facts) = (&self.entities, &self.facts);
        let id_at = |s: &Slot| match s.target() {
            Target::Entity(i) => entities[i].id.as_str(),
            Target::Fact(i) => facts[i].id.as_str(),
        };
        if self
            .index
            .find(h, |s| id_at(s).eq_ignore_ascii_case(id))
            .is_none()
        {
            self.index
                .insert_unique(h, Slot::of(t), |s| id_hash(id_at(s)));
        }
    }

    /// Puts `facts` in place of the dataset's facts, keeping its files and entities, and gives
    /// back the facts it held: for checking facts a batch at a time against the same entities.
    /// Costs the number of facts given and taken back, not the number of entities: a
    /// thousand files of one entity each, checked a batch at a time, are not quadratic.
    pub fn replace_facts(&mut self, facts: Vec<Fact>) -> Vec<Fact> {
        for (i, f) in self.facts.iter().enumerate() {
            let wanted = Slot::of(Target::Fact(i)).0;
            if let Ok(entry) = self.index.find_entry(id_hash(&f.id), |s| s.0 == wanted) {
                entry.remove();
            }
        }
        let old = std::mem::replace(&mut self.facts, facts);
        let (entities, facts) = (&self.entities, &self.facts);
        self.index.reserve(facts.len(), |s| match s.target() {
            Target::Entity(i) => id_hash(&entities[i].id),
            Target::Fact(i) => id_hash(&facts[i].id),
        });
        for i in 0..self.facts.len() {
            self.add(Target::Fact(i));
        }
        old
    }

    /// What `id` names, ignoring case.
    pub fn lookup(&self, id: &str) -> Option<Target> {
        self.index
            .find(id_hash(id), |s| {
                self.id_of(s.target()).eq_ignore_ascii_case(id)
            })
            .map(|s| s.target())
    }

    /// The entity with this id, ignoring case.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        match self.lookup(id)? {
            Target::Entity(i) => self.entities.get(i),
            Target::Fact(_) => None,
        }
    }

    /// The fact with this id, ignoring case.
    pub fn fact(&self, id: &str) -> Option<&Fact> {
        match self.lookup(id)? {
            Target::Fact(i) => self.facts.get(i),
            Target::Entity(_) => None,
        }
    }

    /// Every id, entities first, in load order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entities
            .iter()
            .map(|e| e.id.as_str())
            .chain(self.facts.iter().map(|f| f.id.as_str()))
    }
}

impl Fact {
    /// The interval over which a lasting fact holds (a treaty: from entry into force, or
    /// signature, to its end); `None` for point facts.
    pub fn interval(&self) -> Option<Interval> {
        match self.when {
            When::Span(i) => Some(i),
            When::On(_) => None,
        }
    }

    /// Whether the fact holds on the days of `w`, over all readings of its dates. A point fact
    /// (`on`) "holds" when it happened within `w`.
    pub fn status(&self, w: Window) -> Certainty {
        match self.when {
            When::On(d) => happened_within(d, w),
            When::Span(i) => combine_readings(
                std::iter::once(i.status(w))
                    .chain(self.disputed.iter().map(|r| r.interval.status(w))),
            ),
        }
    }

    /// The treaty's parties, empty for other facts.
    pub fn parties(&self) -> &[Party] {
        match &self.body {
            FactBody::Treaty { parties, .. } => parties,
            _ => &[],
        }
    }
}

impl Party {
    /// Whether this party is bound on the days of `w`, within a treaty in force over `treaty`:
    /// certain when every reading of its dates says so.
    pub fn status(&self, treaty: Interval, w: Window) -> Certainty {
        combine_readings(
            std::iter::once(status_all(&[treaty, self.interval], w)).chain(
                self.disputed
                    .iter()
                    .map(|r| status_all(&[treaty, r.interval], w)),
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(text: &str) -> Dataset {
        crate::load::from_text("t.ron", text).dataset
    }

    #[test]
    fn ids_resolve_ignoring_case_however_long_or_unusual() {
        let long = format!("org-{}", "x".repeat(80));
        let text = format!(
            r#"[State(id: "BLR", name: "Belarus"), Organization(id: "{long}", name: "L", kind: Other),
               Person(id: "jörg", name: "J")]"#
        );
        let d = loaded(&text);
        assert_eq!(d.lookup("blr"), Some(Target::Entity(0)));
        assert_eq!(d.lookup(&long.to_uppercase()), Some(Target::Entity(1)));
        assert_eq!(d.lookup("JöRG"), Some(Target::Entity(2)));
        assert_eq!(d.lookup(&format!("{long}y")), None);
        assert_eq!(d.lookup(""), None);
    }

    #[test]
    fn replacing_the_facts_keeps_the_entities_and_indexes_only_the_new_facts() {
        let mut d = loaded(
            r#"[State(id: "BLR", name: "Belarus"), State(id: "RUS", name: "Russia"),
                Event(id: "ev-a", name: "A", kind: Meeting, on: "2020", involves: ["BLR"], sources: [])]"#,
        );
        let other = loaded(
            r#"[Event(id: "ev-b", name: "B", kind: Meeting, on: "2021", involves: ["RUS"], sources: []),
                Event(id: "blr", name: "C", kind: Meeting, on: "2021", involves: ["RUS"], sources: [])]"#,
        );
        let old = d.replace_facts(other.facts);
        assert_eq!(old.len(), 1);
        assert_eq!(d.lookup("ev-a"), None);
        assert_eq!(d.lookup("EV-B"), Some(Target::Fact(0)));
        // The entity of an id comes first, as in a whole load.
        assert_eq!(d.lookup("blr"), Some(Target::Entity(0)));
        assert_eq!(d.lookup("rus"), Some(Target::Entity(1)));
    }

    #[test]
    fn replacing_facts_of_repeated_ids_leaves_none_of_them_behind() {
        let mut d = loaded(
            r#"[State(id: "BLR", name: "Belarus"),
                Event(id: "ev-a", name: "A", kind: Meeting, on: "2020", involves: ["BLR"], sources: []),
                Event(id: "EV-A", name: "A again", kind: Meeting, on: "2020", involves: ["BLR"], sources: []),
                Event(id: "blr", name: "B", kind: Meeting, on: "2020", involves: ["BLR"], sources: [])]"#,
        );
        assert_eq!(d.lookup("ev-a"), Some(Target::Fact(0)));
        assert_eq!(d.replace_facts(Vec::new()).len(), 3);
        assert_eq!(d.lookup("ev-a"), None);
        assert_eq!(d.lookup("blr"), Some(Target::Entity(0)));
        assert_eq!(d.index.len(), 1, "only the entity is left in the index");
    }

    #[test]
    fn thousands_of_ids_resolve_after_the_index_grows() {
        let events = |prefix: &str, n: usize| {
            let list: Vec<String> = (0..n)
                .map(|i| {
                    format!(
                        r#"Event(id: "{prefix}-{i}", name: "E", kind: Meeting, on: "2020", involves: ["BLR"], sources: [])"#
                    )
                })
                .collect();
            format!(
                r#"[State(id: "BLR", name: "Belarus"), {}]"#,
                list.join(", ")
            )
        };
        let mut d = loaded(&events("a", 100));
        d.replace_facts(loaded(&events("b", 3000)).facts.split_off(0));
        for i in (0..3000).step_by(7) {
            assert_eq!(d.lookup(&format!("B-{i}")), Some(Target::Fact(i)));
        }
        assert_eq!(d.lookup("a-5"), None);
        assert_eq!(d.lookup("b-3000"), None);
    }

    #[test]
    fn an_id_hashes_as_xxh3_of_its_lower_case_form_however_long() {
        // The cache keeps these hashes on disk: they must not depend on how they are made.
        for len in (0..200).step_by(7).chain([63, 64, 65, 128, 129]) {
            let id: String = (0..len)
                .map(|i| ['A', 'b', '-', 'Z', '9', 'q'][i % 6])
                .collect();
            assert_eq!(id_hash(&id), xxh3_64(id_key(&id).as_bytes()), "{len}");
            assert_eq!(id_hash(&id), id_hash(&id.to_uppercase()), "{len}");
        }
    }
}
