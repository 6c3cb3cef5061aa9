//! `changes`: what a new version of the data changes in an old one, record by record. Records
//! are matched by id (ignoring case): those only the new version has are added, those only the
//! old has removed, and a removed and an added record that differ by their id alone are one
//! record renamed. A record in both that says something else is changed, with each field that
//! changed ([`fields`]). `Coverage` records, which have no id, are matched by their kinds and
//! period. With dates, the answers of `allies` and `sanctions` the change alters
//! ([`effects`]).
//!
//! Both versions are read through their stores, as any question reads the data: every fact of
//! each is read once, and compared without where it was written.

pub mod effects;
pub mod fields;

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use serde::Serialize;

use crate::load::written::{self, Record};
use crate::model::{Coverage, Entity, Fact, FactBody, FactKind};
use crate::store::{Corrupt, Read, Store};
pub use fields::FieldChange;

/// The kinds of record, in the order changes are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum RecordKind {
    /// A state.
    State,
    /// An organization.
    Organization,
    /// A person.
    Person,
    /// See [`FactKind::Role`].
    Role,
    /// See [`FactKind::Membership`].
    Membership,
    /// See [`FactKind::Treaty`].
    Treaty,
    /// See [`FactKind::Sanction`].
    Sanction,
    /// See [`FactKind::Statement`].
    Statement,
    /// See [`FactKind::Event`].
    Event,
    /// What the data says it covers.
    Coverage,
}

impl RecordKind {
    /// Every kind, in order.
    pub const ALL: [RecordKind; 10] = [
        RecordKind::State,
        RecordKind::Organization,
        RecordKind::Person,
        RecordKind::Role,
        RecordKind::Membership,
        RecordKind::Treaty,
        RecordKind::Sanction,
        RecordKind::Statement,
        RecordKind::Event,
        RecordKind::Coverage,
    ];

    /// The record's name in data files.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::State => "State",
            RecordKind::Organization => "Organization",
            RecordKind::Person => "Person",
            RecordKind::Role => "Role",
            RecordKind::Membership => "Membership",
            RecordKind::Treaty => "Treaty",
            RecordKind::Sanction => "Sanction",
            RecordKind::Statement => "Statement",
            RecordKind::Event => "Event",
            RecordKind::Coverage => "Coverage",
        }
    }

    /// The kind named `name`, in any case.
    pub fn parse(name: &str) -> Option<RecordKind> {
        RecordKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(name))
    }

    fn of_name(name: &str) -> RecordKind {
        RecordKind::parse(name).unwrap_or(RecordKind::Coverage)
    }

    fn of_fact(k: FactKind) -> RecordKind {
        RecordKind::of_name(k.as_str())
    }
}

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Only the new version has it.
    Added,
    /// Only the old version has it.
    Removed,
    /// Its id changed, and nothing else.
    Renamed,
    /// Both versions have it, saying different things.
    Changed,
}

impl Change {
    /// As a table shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Renamed => "renamed",
            Change::Changed => "changed",
        }
    }
}

/// One record added, removed, renamed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordChange {
    /// Its kind.
    pub kind: RecordKind,
    /// Its id (the new one, for a renamed record); a `Coverage` record's kinds and period.
    pub id: String,
    /// What happened to it.
    pub change: Change,
    /// A renamed record's old id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
    /// An added or removed record as written, on one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// A changed record's fields that changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

/// Which changes to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only the records that are this entity or name it in either version (an id).
    pub around: Option<String>,
    /// Only records of these kinds (empty: every kind).
    pub kinds: Vec<RecordKind>,
}

impl Filter {
    fn keeps_kind(&self, k: RecordKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&k)
    }

    /// Whether a record whose versions are `versions` is kept by `--around`.
    fn keeps(&self, versions: &[Version<'_>]) -> bool {
        let Some(around) = &self.around else {
            return true;
        };
        versions.iter().any(|v| match v {
            Version::Entity(e) => e.id.eq_ignore_ascii_case(around),
            Version::Fact(f) => f
                .references()
                .iter()
                .any(|(_, id)| id.eq_ignore_ascii_case(around)),
            Version::Coverage(_) => false,
        })
    }
}

/// The changes between two versions of the data, and the entities whose answers they may
/// alter.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// Every change kept, by kind, then id.
    pub records: Vec<RecordChange>,
    /// The states that are parties, in either version, to a treaty listed: their allies may
    /// change.
    pub parties: BTreeSet<String>,
    /// The targets, in either version, of a sanction listed: the sanctions against them may
    /// change.
    pub targets: BTreeSet<String>,
}

impl Changes {
    /// How many records were added, removed, renamed and changed.
    pub fn counts(&self) -> [usize; 4] {
        let mut n = [0; 4];
        for r in &self.records {
            n[r.change as usize] += 1;
        }
        n
    }

    fn note(&mut self, v: &Version<'_>) {
        let Version::Fact(f) = v else { return };
        match &f.body {
            FactBody::Treaty { parties, .. } => {
                self.parties.extend(parties.iter().map(|p| p.state.clone()));
            }
            FactBody::Sanction { against, .. } => self.targets.extend(against.iter().cloned()),
            _ => {}
        }
    }
}

/// One version of a record.
enum Version<'a> {
    Entity(&'a Entity),
    Fact(&'a Fact),
    Coverage(&'a Coverage),
}

impl Version<'_> {
    fn written(&self) -> Record {
        match self {
            Version::Entity(e) => written::entity(e),
            Version::Fact(f) => written::fact(f),
            Version::Coverage(c) => written::coverage(c),
        }
    }

    fn kind(&self) -> RecordKind {
        match self {
            Version::Entity(e) => RecordKind::of_name(e.kind.as_str()),
            Version::Fact(f) => RecordKind::of_fact(f.kind()),
            Version::Coverage(_) => RecordKind::Coverage,
        }
    }

    fn id(&self) -> String {
        match self {
            Version::Entity(e) => e.id.clone(),
            Version::Fact(f) => f.id.clone(),
            Version::Coverage(c) => coverage_id(c),
        }
    }
}

/// A `Coverage` record's name in a list of changes: `Sanction 2006 – 2022`.
fn coverage_id(c: &Coverage) -> String {
    let kinds: Vec<&str> = c.kinds.iter().map(|k| k.as_str()).collect();
    let d = |d: Option<crate::model::Date>| d.map_or_else(String::new, |d| d.to_string());
    format!(
        "{} {} – {}",
        kinds.join(", "),
        d(c.period.from),
        d(c.period.until)
    )
    .trim_end()
    .to_string()
}

/// A record only one version has, kept until renames are found.
struct Lone {
    kind: RecordKind,
    id: String,
    written: Record,
}

/// Gathers the changes as the records are compared.
struct Gather<'f> {
    filter: &'f Filter,
    out: Changes,
    added: Vec<Lone>,
    removed: Vec<Lone>,
}

impl Gather<'_> {
    /// A record in both versions.
    fn both(&mut self, old: Version<'_>, new: Version<'_>) {
        let kind = new.kind();
        let pair = [old, new];
        if !self.filter.keeps_kind(kind) || !self.filter.keeps(&pair) {
            return;
        }
        let [old, new] = pair;
        let (a, b) = (old.written(), new.written());
        if a.name != b.name {
            // Another kind of record under the same id: one removed, one added.
            self.one(Change::Removed, old);
            self.one(Change::Added, new);
            return;
        }
        let fields = fields::changed_fields(&a, &b);
        if fields.is_empty() {
            return;
        }
        self.out.note(&old);
        self.out.note(&new);
        self.out.records.push(RecordChange {
            kind,
            id: new.id(),
            change: Change::Changed,
            was: None,
            record: None,
            fields,
        });
    }

    /// A record only one version has.
    fn one(&mut self, change: Change, v: Version<'_>) {
        let kind = v.kind();
        if !self.filter.keeps_kind(kind) || !self.filter.keeps(std::slice::from_ref(&v)) {
            return;
        }
        self.out.note(&v);
        let lone = Lone {
            kind,
            id: v.id(),
            written: v.written(),
        };
        match change {
            Change::Added => self.added.push(lone),
            _ => self.removed.push(lone),
        }
    }

    /// The changes, with each removed and added record that differ by id alone made one
    /// renamed record, sorted by kind and id.
    fn finish(mut self) -> Changes {
        let mut by_content: HashMap<Record, Vec<usize>> = HashMap::new();
        for (i, r) in self.removed.iter().enumerate() {
            if r.written.field("id").is_some() {
                by_content
                    .entry(r.written.without_id())
                    .or_default()
                    .push(i);
            }
        }
        let mut renamed_from = vec![false; self.removed.len()];
        for a in self.added {
            let was = a
                .written
                .field("id")
                .and_then(|_| by_content.get_mut(&a.written.without_id()))
                .and_then(|v| (!v.is_empty()).then(|| v.remove(0)));
            let (change, was, record) = match was {
                Some(i) => {
                    renamed_from[i] = true;
                    (Change::Renamed, Some(self.removed[i].id.clone()), None)
                }
                None => (Change::Added, None, Some(a.written.line())),
            };
            self.out.records.push(RecordChange {
                kind: a.kind,
                id: a.id,
                change,
                was,
                record,
                fields: Vec::new(),
            });
        }
        for (r, renamed) in self.removed.into_iter().zip(renamed_from) {
            if !renamed {
                self.out.records.push(RecordChange {
                    kind: r.kind,
                    id: r.id,
                    change: Change::Removed,
                    was: None,
                    record: Some(r.written.line()),
                    fields: Vec::new(),
                });
            }
        }
        self.out.records.sort_by(|a, b| {
            (a.kind, a.id.to_ascii_lowercase(), a.change).cmp(&(
                b.kind,
                b.id.to_ascii_lowercase(),
                b.change,
            ))
        });
        self.out
    }
}

/// Every fact's number by its id, folded to lower case.
fn fact_ids(store: &dyn Store) -> Read<HashMap<String, usize>> {
    let mut ids = HashMap::with_capacity(store.fact_count());
    store.each_id(&mut |n, id| {
        ids.insert(id.to_ascii_lowercase(), n);
    })?;
    Ok(ids)
}

/// Fact `n` of `store`, without where it was written.
fn fact(store: &dyn Store, n: usize) -> Read<Fact> {
    Ok(store.fact(n)?.into_owned().without_origins())
}

/// The two versions of each fact that says different things in each.
type Pairs = Vec<(Fact, Fact)>;

/// Runs of this many pairs of facts are compared on each core.
const RUN: usize = 4096;

/// The facts both versions have (as pairs of numbers) that say different things, read on
/// every core, a run of pairs at a time.
fn differing(old: &dyn Store, new: &dyn Store, pairs: &[(usize, usize)]) -> Read<Pairs> {
    let runs: Vec<&[(usize, usize)]> = pairs.chunks(RUN).collect();
    let found: Vec<Mutex<Read<Pairs>>> = runs.iter().map(|_| Mutex::new(Ok(Vec::new()))).collect();
    let compare = |run: &[(usize, usize)]| -> Read<Pairs> {
        let mut differ = Vec::new();
        for &(a, b) in run {
            let (fa, fb) = (fact(old, a)?, fact(new, b)?);
            if fa != fb {
                differ.push((fa, fb));
            }
        }
        Ok(differ)
    };
    let threads = crate::load::parallel::cores();
    crate::load::parallel::run_indexed(
        runs.len(),
        threads,
        || (),
        |_, r| {
            let result = compare(runs[r]);
            let ok = result.is_ok();
            if let Ok(mut slot) = found[r].lock() {
                *slot = result;
            }
            ok
        },
    );
    let mut all = Vec::new();
    for slot in found {
        all.extend(slot.into_inner().map_err(|_| Corrupt)??);
    }
    Ok(all)
}

/// The changes from `old` to `new` that `filter` keeps.
pub fn changes(old: &dyn Store, new: &dyn Store, filter: &Filter) -> Read<Changes> {
    let mut g = Gather {
        filter,
        out: Changes::default(),
        added: Vec::new(),
        removed: Vec::new(),
    };

    // Entities.
    let old_entities: HashMap<String, &Entity> = old
        .entities()
        .iter()
        .map(|e| (e.id.to_ascii_lowercase(), e))
        .collect();
    let mut seen = std::collections::HashSet::new();
    for e in new.entities() {
        let key = e.id.to_ascii_lowercase();
        match old_entities.get(&key) {
            Some(o) => {
                seen.insert(key);
                g.both(Version::Entity(o), Version::Entity(e));
            }
            None => g.one(Change::Added, Version::Entity(e)),
        }
    }
    for e in old.entities() {
        if !seen.contains(&e.id.to_ascii_lowercase()) {
            g.one(Change::Removed, Version::Entity(e));
        }
    }

    // Facts.
    let mut old_ids = fact_ids(old)?;
    let mut pairs = Vec::new();
    let mut added = Vec::new();
    new.each_id(
        &mut |n, id| match old_ids.remove(&id.to_ascii_lowercase()) {
            Some(o) => pairs.push((o, n)),
            None => added.push(n),
        },
    )?;
    let mut removed: Vec<usize> = old_ids.into_values().collect();
    removed.sort_unstable();
    for (a, b) in differing(old, new, &pairs)? {
        g.both(Version::Fact(&a), Version::Fact(&b));
    }
    for n in added {
        g.one(Change::Added, Version::Fact(&fact(new, n)?));
    }
    for n in removed {
        g.one(Change::Removed, Version::Fact(&fact(old, n)?));
    }

    // Coverage, by kinds and period.
    let key = |c: &Coverage| (c.kinds.clone(), c.period);
    let mut old_cov: Vec<Option<&Coverage>> = old.coverage().iter().map(Some).collect();
    for c in new.coverage() {
        let found = old_cov
            .iter_mut()
            .find(|o| o.is_some_and(|o| key(o) == key(c)))
            .and_then(Option::take);
        match found {
            Some(o) => g.both(Version::Coverage(o), Version::Coverage(c)),
            None => g.one(Change::Added, Version::Coverage(c)),
        }
    }
    for c in old_cov.into_iter().flatten() {
        g.one(Change::Removed, Version::Coverage(c));
    }
    Ok(g.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    fn store(text: &str) -> MemoryStore {
        let loaded = crate::load::from_text("t.ron", text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        MemoryStore::new(loaded.dataset, true)
    }

    const STATES: &str = r#"State(id: "BLR", name: "Belarus"), State(id: "RUS", name: "Russia"), State(id: "UZB", name: "Uzbekistan"),"#;

    #[test]
    fn added_removed_renamed_and_changed_records_by_kind_then_id() {
        let old = store(&format!(
            r#"[{STATES}
            Sanction(id: "s-old", by: "RUS", against: ["BLR"], measures: [TravelBan], from: "2020", sources: []),
            Sanction(id: "s-keep", by: "RUS", against: ["BLR"], measures: [TravelBan], from: "2020", sources: []),
            Event(id: "e-gone", name: "E", kind: Other, on: "2020", involves: ["BLR"], sources: []),
            Membership(member: "BLR", of: "org", from: "2001", sources: []),
            Organization(id: "org", name: "Org", kind: Other),
            Coverage(kinds: [Sanction], from: "2006"),
        ]"#
        ));
        let new = store(&format!(
            r#"[{STATES}
            Sanction(id: "s-new", by: "RUS", against: ["BLR"], measures: [TravelBan], from: "2020", sources: []),
            Sanction(id: "s-keep", by: "RUS", against: ["BLR", "UZB"], measures: [TravelBan], from: "2020", sources: []),
            Event(id: "e-born", name: "F", kind: Other, on: "2021", involves: ["RUS"], sources: []),
            Membership(member: "BLR", of: "org", from: "2001", sources: []),
            Organization(id: "org", name: "Organisation", kind: Other),
            Coverage(kinds: [Sanction], from: "2006", complete: false),
        ]"#
        ));
        let c = changes(&old, &new, &Filter::default()).expect("reads");
        let listed: Vec<(RecordKind, &str, Change, Option<&str>)> = c
            .records
            .iter()
            .map(|r| (r.kind, r.id.as_str(), r.change, r.was.as_deref()))
            .collect();
        assert_eq!(
            listed,
            [
                (RecordKind::Organization, "org", Change::Changed, None),
                (RecordKind::Sanction, "s-keep", Change::Changed, None),
                (
                    RecordKind::Sanction,
                    "s-new",
                    Change::Renamed,
                    Some("s-old")
                ),
                (RecordKind::Event, "e-born", Change::Added, None),
                (RecordKind::Event, "e-gone", Change::Removed, None),
                (
                    RecordKind::Coverage,
                    "Sanction 2006 –",
                    Change::Changed,
                    None
                ),
            ]
        );
        assert_eq!(c.counts(), [1, 1, 1, 3]);
        assert_eq!(
            c.records[1].fields,
            [FieldChange {
                field: "against".into(),
                old: Some(r#"["BLR"]"#.into()),
                new: Some(r#"["BLR", "UZB"]"#.into()),
            }]
        );
        assert_eq!(
            c.records[3].record.as_deref(),
            Some(
                r#"Event(id: "e-born", name: "F", kind: Other, on: "2021", involves: ["RUS"], sources: [])"#
            )
        );
        assert_eq!(
            c.targets.iter().collect::<Vec<_>>(),
            ["BLR", "UZB"],
            "targets of the sanctions changed"
        );
        let none = changes(&new, &new, &Filter::default()).expect("reads");
        assert!(none.records.is_empty());

        let around = Filter {
            around: Some("uzb".into()),
            kinds: Vec::new(),
        };
        let c = changes(&old, &new, &around).expect("reads");
        assert_eq!(c.records.len(), 1, "{:?}", c.records);
        assert_eq!(c.records[0].id, "s-keep");
        let kinds = Filter {
            around: None,
            kinds: vec![RecordKind::Event],
        };
        let c = changes(&old, &new, &kinds).expect("reads");
        assert_eq!(c.records.len(), 2);
    }
}
