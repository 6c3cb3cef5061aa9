//! `sql allies X --on D`: fellow parties with X to a treaty of an alliance kind, as
//! [`crate::query::allies::allies`] finds them.

use super::{Tables, comment, days_of, text, tie_levels, word};
use crate::model::{Date, TreatyKind};

/// The SQL of `allies` of the entity with id `of` on `on`: `id`, `name`, `certainty`, `via`.
pub fn allies(tables: &Tables, of: &str, on: Date) -> String {
    let d = days_of(on);
    let kinds: Vec<String> = TreatyKind::ALL
        .iter()
        .filter(|k| k.is_alliance())
        .map(|k| text(k.as_str()))
        .collect();
    let filter = format!(
        "t.kind = 'Treaty' AND t.role = 'party' AND t.treaty_kind IN ({})",
        kinds.join(", ")
    );
    let me = text(of);
    format!(
        "{pre}-- dipgraph allies {ask} --on {on}\nWITH {levels},\n\
         mine AS (\n  SELECT fact, MAX(level) AS level FROM tc WHERE entity = {me}\n  GROUP BY fact HAVING MAX(level) >= 1\n),\n\
         pairs AS (\n  SELECT tc.entity, tc.fact, MAX(LEAST(tc.level, mine.level)) AS level\n  FROM tc JOIN mine ON mine.fact = tc.fact\n  WHERE tc.entity <> {me}\n  GROUP BY tc.entity, tc.fact\n  HAVING MAX(LEAST(tc.level, mine.level)) >= 1\n)\n\
         SELECT p.entity AS id, e.name AS name, {certainty} AS certainty, array_sort(array_agg(p.fact)) AS via\n\
         FROM pairs p JOIN {entities} e ON e.id = p.entity\n\
         GROUP BY p.entity, e.name\nORDER BY id;\n",
        pre = tables.preamble(),
        ask = comment(of),
        levels = tie_levels(tables, &d, &filter),
        certainty = word("MAX(p.level)"),
        entities = tables.get("entities"),
    )
}
