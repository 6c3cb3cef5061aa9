//! What a change does to answers: for given dates, the `allies` of every state party to a
//! treaty that changed, and the `sanctions` against every target of a sanction that changed,
//! asked of both versions of the data through [`ask::answer`], and compared. "After this
//! change, UZB is no longer BLR's ally on 2012-06-01."

use serde::Serialize;

use super::Changes;
use crate::model::{Certainty, Date, Target};
use crate::query::answer::Answer;
use crate::query::ask::{self, AnswerFacts, Ask, Name, Resolved};
use crate::store::{Read, Store};

/// The question whose answer changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Question {
    /// `allies ID --on D`.
    Allies,
    /// `sanctions --against ID --on D`.
    Sanctions,
}

impl Question {
    /// The command, as typed.
    pub fn command(self, of: &str, on: Date) -> String {
        match self {
            Question::Allies => format!("allies {of} --on {on}"),
            Question::Sanctions => format!("sanctions --against {of} --on {on}"),
        }
    }
}

/// One row of an answer that the change adds, takes away, or makes more or less certain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Effect {
    /// The date asked about.
    pub on: Date,
    /// The question.
    pub question: Question,
    /// The entity it asks about.
    pub of: String,
    /// The row: an ally's id, a sanction's id.
    pub id: String,
    /// Its certainty in the old answer; `None` where the row was not in it.
    pub before: Option<Certainty>,
    /// Its certainty in the new answer.
    pub after: Option<Certainty>,
}

impl Effect {
    /// In words: `UZB is no longer BLR's ally`, `eu-blr-2020-10 is now in force against
    /// BLR`, `RUS is BLR's ally: certain, was possible`.
    pub fn sentence(&self) -> String {
        let (of, id) = (&self.of, &self.id);
        let was = Certainty::as_str;
        match (self.question, self.before, self.after) {
            (Question::Allies, None, Some(c)) => format!("{id} becomes {of}'s ally ({})", was(c)),
            (Question::Allies, Some(_), None) => format!("{id} is no longer {of}'s ally"),
            (Question::Allies, Some(b), Some(a)) => {
                format!("{id} is {of}'s ally: {}, was {}", was(a), was(b))
            }
            (Question::Sanctions, None, Some(c)) => {
                format!("{id} is now in force against {of} ({})", was(c))
            }
            (Question::Sanctions, Some(_), None) => {
                format!("{id} is no longer in force against {of}")
            }
            (Question::Sanctions, Some(b), Some(a)) => {
                format!("{id} is in force against {of}: {}, was {}", was(a), was(b))
            }
            (_, None, None) => String::new(),
        }
    }
}

/// The rows of `question` about `of` on `on` in `store`, each with its certainty; none when
/// `of` names nothing there.
fn rows(
    store: &dyn Store,
    question: Question,
    of: &str,
    on: Date,
) -> Read<Vec<(String, Certainty)>> {
    let Some(e) = store.entity_of(of) else {
        return Ok(Vec::new());
    };
    let name = Name::Resolved(Target::Entity(e));
    let ask = match question {
        Question::Allies => Ask::Allies {
            of: name,
            on: Some(on),
        },
        Question::Sanctions => Ask::Sanctions {
            against: Some(name),
            tied: false,
            by: None,
            members: false,
            on: Some(on),
        },
    };
    let Ok(resolved) = Resolved::new(ask) else {
        return Ok(Vec::new());
    };
    Ok(
        match ask::answer(store, &AnswerFacts::default(), &resolved, on)? {
            Answer::Allies(allies) => allies.into_iter().map(|a| (a.id, a.certainty)).collect(),
            Answer::Sanctions(rows) => rows.into_iter().map(|r| (r.id, r.certainty)).collect(),
            _ => Vec::new(),
        },
    )
}

/// The rows that differ between the old and the new answers to `allies` of every state party
/// to a treaty in `changes`, and to `sanctions --against` every target of a sanction in it, on
/// each of `dates`; only the questions about `around` (an id) when it is given.
pub fn effects(
    old: &dyn Store,
    new: &dyn Store,
    changes: &Changes,
    dates: &[Date],
    around: Option<&str>,
) -> Read<Vec<Effect>> {
    let asked = |id: &String| around.is_none_or(|a| a.eq_ignore_ascii_case(id));
    let questions: Vec<(Question, &String)> = changes
        .parties
        .iter()
        .filter(|id| asked(id))
        .map(|id| (Question::Allies, id))
        .chain(
            changes
                .targets
                .iter()
                .filter(|id| asked(id))
                .map(|id| (Question::Sanctions, id)),
        )
        .collect();
    let mut out = Vec::new();
    for &on in dates {
        for &(question, of) in &questions {
            let before = rows(old, question, of, on)?;
            let after = rows(new, question, of, on)?;
            let find = |rows: &[(String, Certainty)], id: &str| {
                rows.iter().find(|(r, _)| r == id).map(|(_, c)| *c)
            };
            let mut ids: Vec<&String> = before.iter().chain(&after).map(|(id, _)| id).collect();
            ids.sort();
            ids.dedup();
            for id in ids {
                let (b, a) = (find(&before, id), find(&after, id));
                if b != a {
                    out.push(Effect {
                        on,
                        question,
                        of: of.clone(),
                        id: id.clone(),
                        before: b,
                        after: a,
                    });
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::changes::{Filter, changes};
    use crate::store::MemoryStore;

    fn store(cst_uzb_until: &str) -> MemoryStore {
        let text = format!(
            r#"[
            State(id: "BLR", name: "Belarus"), State(id: "UZB", name: "Uzbekistan"), State(id: "RUS", name: "Russia"),
            Treaty(id: "cst", name: "CST", kind: Defense, in_force: "1994-04-20",
                   parties: [Party(state: "BLR"), Party(state: "RUS"), Party(state: "UZB", until: "{cst_uzb_until}")]),
        ]"#
        );
        let loaded = crate::load::from_text("t.ron", &text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        MemoryStore::new(loaded.dataset, true)
    }

    #[test]
    fn a_moved_party_date_ends_an_alliance_earlier_for_both_sides() {
        let (old, new) = (store("2012-12-20"), store("2012-06-01"));
        let c = changes(&old, &new, &Filter::default()).expect("reads");
        let on = Date::parse("2012-06-01").expect("date");
        let before = Date::parse("2012-05-31").expect("date");
        let e = effects(&old, &new, &c, &[before, on], None).expect("reads");
        let listed: Vec<String> = e
            .iter()
            .map(|e| format!("{} {}", e.on, e.sentence()))
            .collect();
        assert_eq!(
            listed,
            [
                "2012-06-01 UZB is no longer BLR's ally",
                "2012-06-01 UZB is no longer RUS's ally",
                "2012-06-01 BLR is no longer UZB's ally",
                "2012-06-01 RUS is no longer UZB's ally",
            ]
        );
        let e = effects(&old, &new, &c, &[on], Some("blr")).expect("reads");
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].question.command(&e[0].of, e[0].on),
            "allies BLR --on 2012-06-01"
        );
    }
}
