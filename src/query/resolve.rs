//! Turns what people type (`belarus`, `BLR`, `Dmitry Peskov`, `lukashenko`) into an entity or
//! fact: by id in any case, by name or alias, or by a word of a name that only one entity has.

use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::diag::{Near, nearest};
use crate::model::Target;
use crate::store::Store;

/// Why a name did not resolve, or could not be looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// It names nothing, or more than one record.
    Unresolved(ResolveError),
    /// The store could not be read.
    Corrupt,
}

impl From<crate::store::Corrupt> for NameError {
    fn from(_: crate::store::Corrupt) -> NameError {
        NameError::Corrupt
    }
}

/// Why a name did not resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolveError {
    /// What was typed.
    pub wanted: String,
    /// Several matched (true) or none did (false).
    pub ambiguous: bool,
    /// The nearest or matching ids, with names.
    pub candidates: Vec<(String, String)>,
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.ambiguous {
            write!(f, "`{}` could mean more than one record", self.wanted)?;
        } else {
            write!(f, "nothing in the data is called `{}`", self.wanted)?;
        }
        if !self.candidates.is_empty() {
            let list: Vec<String> = self
                .candidates
                .iter()
                .map(|(id, name)| {
                    if id == name {
                        format!("`{id}`")
                    } else {
                        format!("`{id}` ({name})")
                    }
                })
                .collect();
            let lead = if self.ambiguous {
                "; say which: "
            } else {
                "; did you mean "
            };
            write!(f, "{lead}{}", list.join(", "))?;
            if !self.ambiguous {
                f.write_str("?")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ResolveError {}

/// How many fact ids an unknown name near no entity suggests.
pub const FACT_SUGGESTIONS: usize = 3;

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
}

/// Entities by lowercased name or alias, and by lowercased word of one.
type NameTables = [HashMap<String, BTreeSet<usize>>; 2];

/// How many unknown names one resolver suggests near matches for: past it (a saved query
/// listing thousands of unknown ids) they are still refused, without suggestions, so that the
/// work stays linear in the names.
pub const NAME_SUGGESTIONS: usize = 200;

/// Looks names up in a store.
pub struct Resolver<'d> {
    data: &'d dyn Store,
    /// Built on the first name that is not an id: most lookups are ids.
    tables: OnceCell<NameTables>,
    /// How many more unknown names get suggestions.
    suggestions: std::cell::Cell<usize>,
}

impl<'d> Resolver<'d> {
    /// A resolver over the names, aliases and name words of every entity.
    pub fn new(data: &'d dyn Store) -> Resolver<'d> {
        Resolver {
            data,
            tables: OnceCell::new(),
            suggestions: std::cell::Cell::new(NAME_SUGGESTIONS),
        }
    }

    fn tables(&self) -> &NameTables {
        self.tables.get_or_init(|| {
            let mut names: HashMap<String, BTreeSet<usize>> = HashMap::new();
            let mut by_word: HashMap<String, BTreeSet<usize>> = HashMap::new();
            for (i, e) in self.data.entities().iter().enumerate() {
                for n in std::iter::once(&e.name).chain(&e.aliases) {
                    names.entry(norm(n)).or_default().insert(i);
                    for w in words(n) {
                        by_word.entry(w).or_default().insert(i);
                    }
                }
            }
            [names, by_word]
        })
    }

    /// The entity or fact `text` names.
    pub fn resolve(&self, text: &str) -> Result<Target, NameError> {
        if let Some(t) = self.data.lookup(text.trim())? {
            return Ok(t);
        }
        let key = norm(text);
        for table in self.tables() {
            if let Some(found) = table.get(&key) {
                if found.len() == 1
                    && let Some(&i) = found.first()
                {
                    return Ok(Target::Entity(i));
                }
                let err = self.error(text, true, found.iter().copied().collect());
                return Err(NameError::Unresolved(err));
            }
        }
        let left = self.suggestions.get();
        if left == 0 {
            return Err(NameError::Unresolved(self.error(text, false, Vec::new())));
        }
        self.suggestions.set(left - 1);
        let mut pool: Vec<(&str, usize)> = Vec::new();
        for (i, e) in self.data.entities().iter().enumerate() {
            pool.push((e.id.as_str(), i));
            pool.push((e.name.as_str(), i));
            pool.extend(e.aliases.iter().map(|a| (a.as_str(), i)));
        }
        let near = nearest(text.trim(), pool.iter().map(|(s, _)| *s), 5);
        let mut picked: Vec<usize> = Vec::new();
        for n in near {
            if let Some((_, i)) = pool.iter().find(|(s, _)| *s == n)
                && !picked.contains(i)
            {
                picked.push(*i);
            }
        }
        let mut err = self.error(text, false, picked);
        if err.candidates.is_empty() {
            // Near no entity: the nearest fact ids, every one read once.
            let mut near = Near::new(text.trim());
            self.data.each_id(&mut |i, id| near.offer(id, i))?;
            err.candidates = near
                .best(FACT_SUGGESTIONS)
                .into_iter()
                .map(|(id, _)| (id.clone(), id))
                .collect();
        }
        Err(NameError::Unresolved(err))
    }

    fn error(&self, text: &str, ambiguous: bool, entities: Vec<usize>) -> ResolveError {
        ResolveError {
            wanted: text.to_string(),
            ambiguous,
            candidates: entities
                .into_iter()
                .filter_map(|i| self.data.entities().get(i))
                .map(|e| (e.id.clone(), e.name.clone()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    fn data() -> MemoryStore {
        let text = r#"[
            State(id: "BLR", name: "Belarus", aliases: ["Republic of Belarus"]),
            State(id: "RUS", name: "Russia", aliases: ["Russian Federation"]),
            Person(id: "alexander-lukashenko", name: "Alexander Lukashenko"),
            Person(id: "alexander-zakharov", name: "Alexander Zakharov"),
            Person(id: "dmitry-peskov", name: "Dmitry Peskov"),
        ]"#;
        MemoryStore::new(crate::load::from_text("t.ron", text).dataset, true)
    }

    fn unresolved(e: NameError) -> ResolveError {
        match e {
            NameError::Unresolved(e) => e,
            NameError::Corrupt => panic!("a store in memory reads"),
        }
    }

    #[test]
    fn resolves_ids_names_aliases_and_unique_words() {
        let d = data();
        let r = Resolver::new(&d);
        assert_eq!(r.resolve("blr"), Ok(Target::Entity(0)));
        assert_eq!(r.resolve("belarus"), Ok(Target::Entity(0)));
        assert_eq!(r.resolve("Republic of Belarus"), Ok(Target::Entity(0)));
        assert_eq!(r.resolve("Dmitry Peskov"), Ok(Target::Entity(4)));
        assert_eq!(r.resolve("lukashenko"), Ok(Target::Entity(2)));
        assert_eq!(r.resolve("Federation"), Ok(Target::Entity(1)));
    }

    #[test]
    fn ambiguous_and_unknown_names_list_candidates() {
        let d = data();
        let r = Resolver::new(&d);
        let e = unresolved(r.resolve("alexander").unwrap_err());
        assert!(e.ambiguous);
        assert_eq!(e.candidates.len(), 2);
        let e = unresolved(r.resolve("Belarsu").unwrap_err());
        assert!(!e.ambiguous);
        assert_eq!(e.candidates.first().map(|c| c.0.as_str()), Some("BLR"));
        assert!(
            e.to_string().contains("did you mean `BLR` (Belarus)?"),
            "{e}"
        );
    }

    #[test]
    fn suggestions_run_out_so_that_thousands_of_unknown_names_stay_linear() {
        let d = data();
        let r = Resolver::new(&d);
        for _ in 0..NAME_SUGGESTIONS {
            let e = unresolved(r.resolve("Belarsu").unwrap_err());
            assert!(!e.candidates.is_empty());
        }
        let e = unresolved(r.resolve("Belarsu").unwrap_err());
        assert!(e.candidates.is_empty(), "no more suggestions");
        assert_eq!(
            r.resolve("belarus"),
            Ok(Target::Entity(0)),
            "names still resolve"
        );
    }
}
