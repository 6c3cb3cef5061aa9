//! `allies X --on D`: the states that are, on D, fellow parties with X to a treaty of an
//! alliance kind, each with the treaties that make it one.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Certainty, Date, FactBody, Window};
use crate::store::{Read, Slot, Store};

/// One treaty that makes a state an ally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Via {
    /// The treaty's id.
    pub id: String,
    /// Its title.
    pub name: String,
    /// Its kind (`Defense`, `Union`, ...).
    pub kind: &'static str,
    /// Whether both states are bound by it on the date.
    pub certainty: Certainty,
}

/// An ally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ally {
    /// The ally's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Certain when some treaty certainly binds both; possible otherwise.
    pub certainty: Certainty,
    /// The ids of the treaties that make it an ally.
    pub via: Vec<String>,
    /// Those treaties, with their own certainty.
    pub treaties: Vec<Via>,
}

/// The allies of entity `of` (an index into the dataset's entities) on `on`, sorted by id.
pub fn allies(store: &dyn Store, of: usize, on: Date) -> Read<Vec<Ally>> {
    let w = Window::of(on);
    let me = &store.entity_at(of).id;
    let mut found: BTreeMap<String, Vec<Via>> = BTreeMap::new();
    // Only the alliance-kind treaties that can bind `of` on the date: the index answers in time
    // proportional to them, and the exact tests below decide.
    for fi in store.tied(of, &[Slot::AlliedParty], w)? {
        let f = store.fact(fi)?;
        let FactBody::Treaty {
            kind,
            name,
            parties,
            ..
        } = &f.body
        else {
            continue;
        };
        if !kind.is_alliance() {
            continue;
        }
        let Some(treaty) = f.interval() else { continue };
        let mine = parties.iter().filter(|p| p.state.eq_ignore_ascii_case(me));
        let my_best = mine
            .map(|p| p.status(treaty, w))
            .max()
            .unwrap_or(Certainty::No);
        if !my_best.holds() {
            continue;
        }
        let mut best_by_state: BTreeMap<String, Certainty> = BTreeMap::new();
        for p in parties.iter().filter(|p| !p.state.eq_ignore_ascii_case(me)) {
            let Some(e) = store.entity(&p.state) else {
                continue;
            };
            let c = p.status(treaty, w).min(my_best);
            let slot = best_by_state.entry(e.id.clone()).or_insert(Certainty::No);
            *slot = (*slot).max(c);
        }
        for (state, c) in best_by_state {
            if c.holds() {
                found.entry(state).or_default().push(Via {
                    id: f.id.clone(),
                    name: name.clone(),
                    kind: kind.as_str(),
                    certainty: c,
                });
            }
        }
    }
    Ok(found
        .into_iter()
        .map(|(id, mut treaties)| {
            treaties.sort_by(|a, b| a.id.cmp(&b.id));
            let certainty = treaties
                .iter()
                .map(|v| v.certainty)
                .max()
                .unwrap_or(Certainty::No);
            let name = store
                .entity(&id)
                .map_or_else(|| id.clone(), |e| e.name.clone());
            Ally {
                via: treaties.iter().map(|v| v.id.clone()).collect(),
                id,
                name,
                certainty,
                treaties,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use Certainty::{Certain, Possible};

    fn world() -> MemoryStore {
        let text = r#"[
            State(id: "RUS", name: "Russia"), State(id: "BLR", name: "Belarus"),
            State(id: "UZB", name: "Uzbekistan"), State(id: "KAZ", name: "Kazakhstan"),
            State(id: "POL", name: "Poland"),
            Treaty(id: "cst", name: "CST", kind: Defense, in_force: "1994-04-20",
                parties: [Party(state: "RUS"), Party(state: "BLR"), Party(state: "KAZ", from: "1994-06"),
                          Party(state: "UZB", until: "1999-04-02"),
                          Party(state: "UZB", from: "2006-08-16", until: "2012")],
                sources: []),
            Treaty(id: "union", name: "Union", kind: Union, in_force: "2000-01-26",
                parties: [Party(state: "RUS"), Party(state: "BLR")], sources: []),
            Treaty(id: "eaeu", name: "EAEU", kind: Economic, in_force: "2015-01-01",
                parties: [Party(state: "RUS"), Party(state: "BLR"), Party(state: "POL")], sources: []),
        ]"#;
        MemoryStore::new(crate::load::from_text("t.ron", text).dataset, true)
    }

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    fn ids(v: &[Ally]) -> Vec<(&str, Certainty)> {
        v.iter().map(|a| (a.id.as_str(), a.certainty)).collect()
    }

    #[test]
    fn allies_follow_each_partys_dates() {
        let g = world();
        let allies = |g: &MemoryStore, of, on| allies(g, of, on).expect("reads");
        let blr = 1;
        assert_eq!(
            ids(&allies(&g, blr, d("2010-01-01"))),
            [("KAZ", Certain), ("RUS", Certain), ("UZB", Certain)]
        );
        // Left 1999, rejoined 2006: not an ally in between.
        assert_eq!(
            ids(&allies(&g, blr, d("2003-01-01"))),
            [("KAZ", Certain), ("RUS", Certain)]
        );
        // A year-precise end leaves the whole year possible.
        assert_eq!(ids(&allies(&g, blr, d("2012-06-01")))[2], ("UZB", Possible));
        // A month-precise join: possible during that month.
        assert_eq!(ids(&allies(&g, blr, d("1994-06-15")))[0], ("KAZ", Possible));
        // Before the treaty was in force: none.
        assert!(allies(&g, blr, d("1994-04-19")).is_empty());
    }

    #[test]
    fn economic_treaties_make_no_allies_and_via_lists_every_treaty() {
        let g = world();
        let allies = |g: &MemoryStore, of, on| allies(g, of, on).expect("reads");
        let a = allies(&g, 1, d("2021-03-15"));
        assert!(a.iter().all(|x| x.id != "POL"));
        let rus = a.iter().find(|x| x.id == "RUS").expect("RUS");
        assert_eq!(rus.via, ["cst", "union"]);
    }
}
