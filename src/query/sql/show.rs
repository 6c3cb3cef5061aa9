//! `sql show X --on D`: the facts tied to entity X that held on D, one row per tie as
//! [`crate::query::show::show_entity`] makes them: one per treaty party entry, and one for the
//! other ties of a fact together (`speaker, subject`); or of fact X, whether it and each of
//! its treaty parties held.

use super::{Tables, comment, days_of, level, text, tie_levels, word};
use crate::model::Date;

/// The ties other than a treaty party's, in the order `show` names them.
const PLAIN: [&str; 11] = [
    "holds role",
    "role in",
    "member",
    "has member",
    "organization",
    "sender",
    "target",
    "speaker",
    "spoken for",
    "subject",
    "involved",
];

/// The SQL of `show` of the entity with id `id` on `on`: `id` (the fact's), `kind`, `tie`,
/// `certainty`, by id then tie.
pub fn show(tables: &Tables, id: &str, on: Date) -> String {
    let d = days_of(on);
    let filter = format!("t.entity = {}", text(id));
    let ties: Vec<String> = PLAIN
        .iter()
        .map(|r| format!("MAX(CASE WHEN role = {} THEN role END)", text(r)))
        .collect();
    format!(
        "{pre}-- dipgraph show {ask} --on {on}\nWITH {levels}\n\
         SELECT fact AS id, kind, role AS tie, {party} AS certainty\n\
         FROM tc WHERE role = 'party' AND level >= 1\n\
         UNION ALL\n\
         SELECT fact AS id, kind, concat_ws(', ', {ties}) AS tie, {plain} AS certainty\n\
         FROM tc WHERE role <> 'party'\n\
         GROUP BY fact, kind HAVING MAX(level) >= 1\n\
         ORDER BY id, tie, certainty;\n",
        pre = tables.preamble(),
        ask = comment(id),
        levels = tie_levels(tables, &d, &filter),
        party = word("level"),
        ties = ties.join(", "),
        plain = word("MAX(level)"),
    )
}

/// The SQL of `show` of the fact with id `id` on `on`: first the fact (`entity` and `tie`
/// empty, `party` -1), then each treaty party entry in the treaty's order: `id`, `entity`,
/// `tie`, `party`, `certainty`, as the fact's and its parties' certainty in `dipgraph show`.
pub fn show_fact(tables: &Tables, id: &str, on: Date) -> String {
    let d = days_of(on);
    let fact = text(id);
    let filter = format!("t.fact = {fact} AND t.role = 'party'");
    let none = format!("CAST(NULL AS {})", tables.text_type());
    format!(
        "{pre}-- dipgraph show {ask} --on {on}\nWITH {levels},\n\
         fl AS (\n  SELECT f.id, {own} AS own FROM {facts} f WHERE f.id = {fact}\n),\n\
         fc AS (\n  SELECT fl.id,\n         CASE WHEN fl.own = 2 AND COALESCE(rl.lo, 2) = 2 THEN 2\n              WHEN fl.own >= 1 OR COALESCE(rl.hi, 0) >= 1 THEN 1 ELSE 0 END AS level\n  FROM fl LEFT JOIN rl ON rl.fact = fl.id AND rl.party = -1\n)\n\
         SELECT id, {none} AS entity, {none} AS tie, -1 AS party, {fact_word} AS certainty FROM fc\n\
         UNION ALL\n\
         SELECT fact AS id, entity, role AS tie, party, {party_word} AS certainty FROM tc\n\
         ORDER BY party;\n",
        pre = tables.preamble(),
        ask = comment(id),
        levels = tie_levels(tables, &d, &filter),
        own = level("f", &d),
        facts = tables.get("facts"),
        fact_word = word("level"),
        party_word = word("level"),
    )
}
