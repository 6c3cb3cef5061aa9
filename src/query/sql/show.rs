//! `sql show X --on D`: the facts tied to entity X that held on D, one row per tie as
//! [`crate::query::show::show_entity`] makes them: one per treaty party entry, and one for the
//! other ties of a fact together (`speaker, subject`).

use super::{Tables, comment, days_of, text, tie_levels, word};
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
