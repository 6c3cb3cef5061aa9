//! `sql diff D1 D2 [--around X]`: every start, end and point entry whose date falls after D1
//! and up to D2, as [`crate::query::diff::diff`] lists them. A change's date is tested
//! on its text as written, against the window's days as text: `"2020-10"` falls within a window
//! certainly when its first day (`2020-10-01`) is on or after the window's first and its month
//! comes before the month of the day after the window's last; possibly when its month reaches
//! the window at all.

use super::{Days, Tables, certain, comment, holds, text, word};
use crate::model::Date;
use crate::query::diff::diff_window;

/// The SQL of `diff D1 D2 [--around X]`: `id`, `change` (`start`, `point`, `end`), `party` (a
/// treaty party's own change: the state as the treaty writes it, as in `dipgraph diff`), `date`, `certainty`. Around entity `around` (its id): only the
/// facts naming it, only its own party changes, and a treaty's own start, signature and end
/// only where one of its party entries was bound from the start or to the end.
pub fn diff(tables: &Tables, d1: Date, d2: Date, around: Option<&str>) -> String {
    let w = Days::of(diff_window(d1, d2));
    let facts = tables.get("facts");
    let ties = tables.get("ties");
    let readings = tables.get("readings");
    let none = format!("CAST(NULL AS {})", tables.text_type());
    let other = "own = 0 AND (own_d IS NULL OR d <> own_d)";
    let (ask, around_ctes, around_joins, around_filter) = match around {
        None => (String::new(), String::new(), String::new(), String::new()),
        Some(x) => {
            let x = text(x);
            (
                format!(" --around {}", comment(around.unwrap_or_default())),
                format!(
                    "named AS (\n  SELECT DISTINCT fact FROM {ties} WHERE entity = {x}\n),\n\
                     edges AS (\n  SELECT p.fact,\n\
                     MAX(CASE WHEN p.from_text IS NULL OR p.from_text = t.from_text THEN 1 ELSE 0 END) AS at_start,\n\
                     MAX(CASE WHEN p.until_text IS NULL OR p.until_text = t.until_text THEN 1 ELSE 0 END) AS at_end\n\
                     FROM {ties} p JOIN treaty t ON t.id = p.fact\n\
                     WHERE p.kind = 'Treaty' AND p.role = 'party' AND p.entity = {x}\n  GROUP BY p.fact\n),\n"
                ),
                "\nJOIN named n ON n.fact = e.fact\nLEFT JOIN edges x ON x.fact = e.fact"
                    .to_string(),
                format!(
                    "\n  AND ((e.party < 0 AND COALESCE(CASE e.change WHEN 'end' THEN x.at_end ELSE x.at_start END, 1) = 1)\n\
                     OR (e.party >= 0 AND e.who = {x}))"
                ),
            )
        }
    };
    format!(
        "{pre}-- dipgraph diff {d1} {d2}{ask}\nWITH treaty AS (\n  SELECT id, from_text, until_text, signed FROM {facts} WHERE kind = 'Treaty'\n),\n{around_ctes}\
cand AS (\n\
  SELECT id AS fact, 'start' AS change, -1 AS party, {none} AS who, from_text AS d, 1 AS own, {none} AS shown FROM {facts} WHERE NOT point AND from_text IS NOT NULL\n\
  UNION ALL SELECT id, 'end', -1, {none}, until_text, 1, {none} FROM {facts} WHERE NOT point AND until_text IS NOT NULL\n\
  UNION ALL SELECT id, 'point', -1, {none}, on_text, 1, {none} FROM {facts} WHERE point\n\
  UNION ALL SELECT id, 'point', -1, {none}, signed, 1, {none} FROM {facts} WHERE kind = 'Treaty' AND signed <> from_text\n\
  UNION ALL SELECT fact, 'start', -1, {none}, from_text, 0, {none} FROM {readings} WHERE party = -1 AND from_text IS NOT NULL\n\
  UNION ALL SELECT fact, 'end', -1, {none}, until_text, 0, {none} FROM {readings} WHERE party = -1 AND until_text IS NOT NULL\n\
  UNION ALL SELECT fact, 'start', party, entity, from_text, 1, state FROM {ties} WHERE kind = 'Treaty' AND role = 'party' AND from_text IS NOT NULL\n\
  UNION ALL SELECT fact, 'end', party, entity, until_text, 1, state FROM {ties} WHERE kind = 'Treaty' AND role = 'party' AND until_text IS NOT NULL\n\
  UNION ALL SELECT fact, 'point', party, entity, signed, 1, state FROM {ties} WHERE kind = 'Treaty' AND role = 'party' AND signed IS NOT NULL\n\
  UNION ALL SELECT fact, 'start', party, entity, from_text, 0, {none} FROM {readings} WHERE party >= 0 AND from_text IS NOT NULL\n\
  UNION ALL SELECT fact, 'end', party, entity, until_text, 0, {none} FROM {readings} WHERE party >= 0 AND until_text IS NOT NULL\n\
),\n\
marked AS (\n  SELECT c.*, MAX(CASE WHEN c.own = 1 THEN c.d END) OVER (PARTITION BY c.fact, c.change, c.party) AS own_d\n  FROM cand c\n),\n\
grouped AS (\n  SELECT fact, change, party, MAX(who) AS who, MAX(shown) AS shown, MAX(own_d) AS own_d,\n\
         MAX(CASE WHEN {other} THEN 1 ELSE 0 END) AS others,\n\
         MAX(CASE WHEN {other} AND {other_holds} THEN 1 ELSE 0 END) AS other_holds,\n\
         MIN(CASE WHEN {other} THEN d END) AS first_other\n  FROM marked GROUP BY fact, change, party\n),\n\
entries AS (\n  SELECT g.*, COALESCE(g.own_d, g.first_other) AS d,\n\
         CASE WHEN g.others = 1 THEN 1 WHEN {own_certain} THEN 2 ELSE 1 END AS level,\n\
         CASE g.change WHEN 'start' THEN t.from_text WHEN 'end' THEN t.until_text ELSE t.signed END AS treaty_d\n\
  FROM grouped g LEFT JOIN treaty t ON g.party >= 0 AND t.id = g.fact\n\
  WHERE (g.own_d IS NOT NULL AND {own_holds}) OR g.other_holds = 1\n)\n\
SELECT DISTINCT e.fact AS id, e.change AS change, e.shown AS party, e.d AS {date}, {certainty} AS certainty\n\
FROM entries e{around_joins}\n\
WHERE (e.party < 0 OR e.others = 1 OR e.own_d IS NULL OR e.treaty_d IS NULL OR e.own_d <> e.treaty_d){around_filter}\n\
ORDER BY id, change, party, {date};\n",
        pre = tables.preamble(),
        other_holds = holds("d", &w),
        own_certain = certain("g.own_d", &w),
        own_holds = holds("g.own_d", &w),
        date = tables.quote("date"),
        certainty = word("e.level"),
    )
}
