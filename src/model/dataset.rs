//! A whole loaded dataset: its files, entities and facts, with an index by id.

use std::collections::HashMap;

use super::interval::{Certainty, Interval, Window, combine_readings, happened_within, status_all};
use super::record::{Entity, Fact, FactBody, Party, When};

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
    index: HashMap<String, Target, foldhash::fast::RandomState>,
}

/// The key under which ids are unique: ids compare without regard to ASCII case.
pub fn id_key(id: &str) -> String {
    id.to_ascii_lowercase()
}

impl Dataset {
    /// Builds the id index. The first record wins where an id repeats (the checks report the
    /// repeat).
    pub fn new(files: Vec<SourceFile>, entities: Vec<Entity>, facts: Vec<Fact>) -> Dataset {
        let mut index = HashMap::with_capacity_and_hasher(
            entities.len() + facts.len(),
            foldhash::fast::RandomState::default(),
        );
        for (i, e) in entities.iter().enumerate() {
            index.entry(id_key(&e.id)).or_insert(Target::Entity(i));
        }
        let mut data = Dataset {
            files,
            entities,
            facts: Vec::new(),
            index,
        };
        data.replace_facts(facts);
        data
    }

    /// Puts `facts` in place of the dataset's facts, keeping its files and entities, and gives
    /// back the facts it held: for checking facts a batch at a time against the same entities.
    pub fn replace_facts(&mut self, facts: Vec<Fact>) -> Vec<Fact> {
        self.index.retain(|_, t| matches!(t, Target::Entity(_)));
        for (i, f) in facts.iter().enumerate() {
            self.index.entry(id_key(&f.id)).or_insert(Target::Fact(i));
        }
        std::mem::replace(&mut self.facts, facts)
    }

    /// What `id` names, ignoring case.
    pub fn lookup(&self, id: &str) -> Option<Target> {
        // Most ids are short: lower-case them on the stack rather than in a new string.
        let mut buf = [0u8; 64];
        if let Some(b) = buf.get_mut(..id.len()) {
            b.copy_from_slice(id.as_bytes());
            b.make_ascii_lowercase();
            if let Ok(key) = std::str::from_utf8(b) {
                return self.index.get(key).copied();
            }
        }
        self.index.get(&id_key(id)).copied()
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
}
