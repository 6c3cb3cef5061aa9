//! Matching imported entities with the ones the data already has: by COW code, then by ISO id,
//! then by name or alias (ignoring case). A matched entity is not written again; references use
//! its existing id. New entities get their proposed id, made unique where it is a slug.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::emit::Rec;
use crate::model::{Dataset, EntityKind, Target, id_key};

/// An entity an import names: what it proposes to write, and what it can be matched by.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// State, organization or person.
    pub kind: EntityKind,
    /// The id it would get: an ISO code for states, a slug otherwise.
    pub id: String,
    /// Whether `id` is a code that identifies it (ISO alpha-3), so that an existing entity
    /// with this id is the same one.
    pub id_is_code: bool,
    /// Its COW state code.
    pub cow: Option<u32>,
    /// Its names, for matching: the name first, then aliases.
    pub names: Vec<String>,
    /// The record to write when it is new; its `id` is a [`super::emit::Value::Ref`] to itself.
    pub record: Rec,
}

/// How a candidate was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// Same COW code.
    Cow,
    /// Same ISO id.
    Id,
    /// Same name or alias.
    Name,
}

/// What became of a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The data already has it, under this id.
    Existing {
        /// The existing id.
        id: String,
        /// How it was matched.
        how: How,
    },
    /// It is written, under this id.
    New {
        /// The id it gets.
        id: String,
    },
}

impl Resolution {
    /// The id references use.
    pub fn id(&self) -> &str {
        match self {
            Resolution::Existing { id, .. } | Resolution::New { id } => id,
        }
    }
}

/// The data's entities, indexed for matching.
pub struct Index<'a> {
    data: &'a Dataset,
    by_cow: HashMap<u32, usize>,
    by_name: HashMap<(EntityKind, String), Vec<usize>>,
}

fn name_key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl<'a> Index<'a> {
    /// Indexes `data`'s entities.
    pub fn new(data: &'a Dataset) -> Index<'a> {
        let mut by_cow = HashMap::new();
        let mut by_name: HashMap<(EntityKind, String), Vec<usize>> = HashMap::new();
        for (i, e) in data.entities.iter().enumerate() {
            if let Some(c) = e.cow {
                by_cow.entry(c).or_insert(i);
            }
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                let slot = by_name.entry((e.kind, name_key(n))).or_default();
                if !slot.contains(&i) {
                    slot.push(i);
                }
            }
        }
        Index {
            data,
            by_cow,
            by_name,
        }
    }

    /// The existing entity `c` is, and how it was found; `Err` lists the entities a name
    /// matched when it matched more than one.
    pub fn find(&self, c: &Candidate) -> Result<Option<(usize, How)>, Vec<String>> {
        let entities = &self.data.entities;
        // An entity with another COW code is another state, whatever its id or name.
        let compatible = |i: usize| {
            let e = &entities[i];
            e.kind == c.kind && (c.cow.is_none() || e.cow.is_none() || e.cow == c.cow)
        };
        if let Some(code) = c.cow
            && let Some(&i) = self.by_cow.get(&code)
            && entities[i].kind == c.kind
        {
            return Ok(Some((i, How::Cow)));
        }
        if c.id_is_code
            && let Some(Target::Entity(i)) = self.data.lookup(&c.id)
            && compatible(i)
        {
            return Ok(Some((i, How::Id)));
        }
        let mut found: Vec<usize> = Vec::new();
        for n in &c.names {
            if let Some(list) = self.by_name.get(&(c.kind, name_key(n))) {
                for &i in list {
                    if compatible(i) && !found.contains(&i) {
                        found.push(i);
                    }
                }
            }
        }
        match found.as_slice() {
            [] => Ok(None),
            [i] => Ok(Some((*i, How::Name))),
            many => {
                let mut ids: Vec<String> = many.iter().map(|&i| entities[i].id.clone()).collect();
                ids.sort();
                Err(ids)
            }
        }
    }
}

/// The outcome of matching every candidate.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    /// One per candidate, in the same order.
    pub resolutions: Vec<Resolution>,
    /// Matched entities, by how they were matched.
    pub matched: BTreeMap<How, usize>,
    /// Problems worth telling (a name that matched several entities).
    pub warnings: Vec<String>,
}

/// Matches `candidates` against `data`; new slugs are made unique against every id of `data`
/// and of the other new entities; `reserved` holds ids the import's facts use.
pub fn merge(data: &Dataset, candidates: &[Candidate], reserved: &HashSet<String>) -> Merged {
    let index = Index::new(data);
    let mut taken: HashSet<String> = data.ids().map(id_key).collect();
    taken.extend(reserved.iter().map(|s| id_key(s)));
    let mut out = Merged::default();
    let mut found = Vec::with_capacity(candidates.len());
    for c in candidates {
        match index.find(c) {
            Ok(Some((i, how))) => found.push(Some((data.entities[i].id.clone(), how))),
            Ok(None) => found.push(None),
            Err(ids) => {
                out.warnings.push(format!(
                    "`{}` matches several entities ({}); it is imported as a new entity",
                    c.names.first().map_or(c.id.as_str(), String::as_str),
                    ids.join(", ")
                ));
                found.push(None);
            }
        }
    }
    // Codes first, so that a slug never takes an ISO code's place.
    for (c, f) in candidates.iter().zip(&found) {
        if f.is_none() && c.id_is_code {
            taken.insert(id_key(&c.id));
        }
    }
    for (c, f) in candidates.iter().zip(found) {
        let r = match f {
            Some((id, how)) => {
                *out.matched.entry(how).or_default() += 1;
                Resolution::Existing { id, how }
            }
            None if c.id_is_code => Resolution::New { id: c.id.clone() },
            None => Resolution::New {
                id: unique(&c.id, &mut taken),
            },
        };
        out.resolutions.push(r);
    }
    out
}

/// `base`, or `base-2`, `base-3`, ... whichever is free; marks it taken.
pub fn unique(base: &str, taken: &mut HashSet<String>) -> String {
    let id = unique_by(base, |id| taken.contains(&id_key(id)));
    taken.insert(id_key(&id));
    id
}

/// `base`, or `base-2`, `base-3`, ... the first that `is_taken` says is free.
pub fn unique_by(base: &str, is_taken: impl Fn(&str) -> bool) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while is_taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Dataset {
        crate::load::from_text(
            "t.ron",
            r#"[
                State(id: "BLR", name: "Belarus", aliases: ["Byelorussia"], cow: 370),
                State(id: "RUS", name: "Russia"),
                State(id: "KOR", name: "South Korea", aliases: ["Korea"], cow: 732),
                Person(id: "ivan-petrov", name: "Ivan Petrov"),
                Person(id: "ivan-petrov-2", name: "I. Petrov", aliases: ["Ivan  PETROV"]),
                Organization(id: "EU", name: "European Union", kind: Supranational),
            ]"#,
        )
        .dataset
    }

    fn state(id: &str, cow: Option<u32>, names: &[&str]) -> Candidate {
        Candidate {
            kind: EntityKind::State,
            id: id.into(),
            id_is_code: true,
            cow,
            names: names.iter().map(|s| s.to_string()).collect(),
            record: Rec::new("State"),
        }
    }

    fn person(id: &str, names: &[&str]) -> Candidate {
        Candidate {
            kind: EntityKind::Person,
            id_is_code: false,
            ..state(id, None, names)
        }
    }

    #[test]
    fn by_cow_then_id_then_name() {
        let d = data();
        let cands = [
            state("XYZ", Some(370), &["Whatever"]),
            state("RUS", Some(365), &["Russian Federation"]),
            state("UKR", None, &["byelorussia"]),
            state("XKO", Some(730), &["Korea"]),
            state("UKR", Some(369), &["Ukraine"]),
        ];
        let m = merge(&d, &cands, &HashSet::new());
        let ids: Vec<&str> = m.resolutions.iter().map(Resolution::id).collect();
        assert_eq!(ids, ["BLR", "RUS", "BLR", "XKO", "UKR"]);
        assert_eq!(
            m.resolutions[0],
            Resolution::Existing {
                id: "BLR".into(),
                how: How::Cow
            }
        );
        assert_eq!(m.resolutions[1].id(), "RUS");
        assert!(matches!(
            m.resolutions[1],
            Resolution::Existing { how: How::Id, .. }
        ));
        assert!(matches!(
            m.resolutions[2],
            Resolution::Existing { how: How::Name, .. }
        ));
        // Korea (COW 730) is not South Korea (COW 732), though the name matches.
        assert!(matches!(m.resolutions[3], Resolution::New { .. }));
    }

    #[test]
    fn ambiguous_names_and_taken_slugs() {
        let d = data();
        let cands = [
            person("ivan-petrov", &["Ivan Petrov"]),
            person("european-union", &["Someone"]),
            person("ivan-petrov", &["Another Ivan"]),
        ];
        let m = merge(&d, &cands, &HashSet::new());
        assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
        let ids: Vec<&str> = m.resolutions.iter().map(Resolution::id).collect();
        assert_eq!(ids, ["ivan-petrov-3", "european-union", "ivan-petrov-4"]);
        // An organization's name does not match a person.
        let m = merge(&d, &[person("eu", &["European Union"])], &HashSet::new());
        assert_eq!(m.resolutions[0].id(), "eu-2");
    }
}
