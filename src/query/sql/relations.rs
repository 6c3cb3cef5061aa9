//! `sql relations A B [--from D] [--to D]`: the timeline of what ties two entities, as
//! [`crate::query::timeline::relations`] lists it: one row per start, point or end of a fact
//! between them, with its date as written and whether it falls within the window.
//!
//! Each entry is first drafted with its own date (empty where only another reading gives one)
//! and the readings that may date it otherwise (a fact's or a treaty party's, in `readings`);
//! the window is tested once, on the texts, at the end. Dates are compared as text, which
//! orders them as dipgraph does (`2004` < `2004-05` < `2004-05-01` < `2004-06`), so that "the
//! later of two starts" and "the earlier of two ends" pick the same date as
//! [`later_start`] and [`earlier_end`].
//!
//! [`later_start`]: crate::model::interval::later_start
//! [`earlier_end`]: crate::model::interval::earlier_end

use super::{Days, Tables, certain, comment, first_day, holds, level_at, text, word};
use crate::model::{Date, Window};

/// The later of two start dates (text), an open start (NULL) being the earliest.
fn later(x: &str, y: &str) -> String {
    format!("CASE WHEN {x} IS NULL THEN {y} WHEN {y} IS NULL OR {x} >= {y} THEN {x} ELSE {y} END")
}

/// The earlier of two end dates (text), an open end (NULL) being the latest.
fn earlier(x: &str, y: &str) -> String {
    format!("CASE WHEN {x} IS NULL THEN {y} WHEN {y} IS NULL OR {x} <= {y} THEN {x} ELSE {y} END")
}

/// Whether `[from, until)` (date texts, NULL open) leaves a day on which it can hold
/// ([`crate::model::Interval::is_satisfiable`]): the first day of `from` comes before a
/// day-precise `until`, or lies within or before the month or year of a coarser one.
fn satisfiable(from: &str, until: &str) -> String {
    let start = first_day(from);
    format!(
        "({from} IS NULL OR {until} IS NULL OR CASE WHEN length({until}) = 10 THEN {start} < {until} \
         ELSE substr({start}, 1, length({until})) <= {until} END)"
    )
}

/// Whether treaty party `x` (`p` or `q` in `together`) signed on its own on the later of the
/// two signatures `sg`.
fn own_signature(x: &str) -> String {
    format!("({x}s IS NOT NULL AND {x}s = sg AND (ts IS NULL OR {x}s <> ts))")
}

/// The party whose own change it is: `p`'s when only `p` made it, `q`'s when only `q` did.
fn cause(p: &str, q: &str, pv: &str, qv: &str, none: &str) -> String {
    format!(
        "CASE WHEN ({p}) AND NOT ({q}) THEN {pv} WHEN ({q}) AND NOT ({p}) THEN {qv} ELSE {none} END"
    )
}

/// The SQL of `relations` of the entities with ids `a` and `b` (different) from `from` through
/// `to`: `date` (as written), `change` (`start`, `point`, `end`), `id` (the fact's), `party` (the
/// treaty party whose own joining, leaving or signing it is), `certainty`; by first day, then
/// start, point, end, then id.
pub fn relations(
    tables: &Tables,
    a: &str,
    b: &str,
    from: Option<Date>,
    to: Option<Date>,
) -> String {
    let w = Days::of(Window::between(from, to));
    let mut ask = format!("dipgraph relations {a} {b}");
    if let Some(f) = from {
        ask.push_str(&format!(" --from {f}"));
    }
    if let Some(t) = to {
        ask.push_str(&format!(" --to {t}"));
    }
    let (ea, eb) = (text(a), text(b));
    let none = format!("CAST(NULL AS {})", tables.text_type());
    let ties = tables.get("ties");
    let facts = tables.get("facts");
    let readings = tables.get("readings");
    let other = "o IS NOT NULL AND (d IS NULL OR o <> d)";
    let (pj, qj, pl, ql) = ("pj = 1", "qj = 1", "pl = 1", "ql = 1");
    let (po, qo) = (own_signature("p"), own_signature("q"));
    format!(
        r#"{pre}-- {ask}
WITH pt AS (
  SELECT fact, kind, entity, role, party, from_text, until_text, signed, state
  FROM {ties} WHERE entity IN ({ea}, {eb})
),
-- A role or membership of one in the other, a sanction by one against the other, an event of both.
direct AS (
  SELECT DISTINCT x.fact, 2 AS cap
  FROM pt x JOIN pt y ON y.fact = x.fact
  WHERE x.entity = {ea} AND y.entity = {eb}
    AND ((x.role = 'holds role' AND y.role = 'role in') OR (x.role = 'role in' AND y.role = 'holds role')
      OR (x.role = 'member' AND y.role = 'has member') OR (x.role = 'has member' AND y.role = 'member')
      OR (x.role = 'sender' AND y.role = 'target') OR (x.role = 'target' AND y.role = 'sender')
      OR (x.role = 'involved' AND y.role = 'involved'))
),
-- Statements by one about the other: by it, for it, or by a person holding a role of it on the
-- statement's days (then only as certain as that role).
stf AS (
  SELECT fact,
         MAX(CASE WHEN role = 'subject' AND entity = {ea} THEN 1 ELSE 0 END) AS about_a,
         MAX(CASE WHEN role = 'subject' AND entity = {eb} THEN 1 ELSE 0 END) AS about_b,
         MAX(CASE WHEN role IN ('speaker', 'spoken for') AND entity = {ea} THEN 1 ELSE 0 END) AS by_a,
         MAX(CASE WHEN role IN ('speaker', 'spoken for') AND entity = {eb} THEN 1 ELSE 0 END) AS by_b
  FROM pt WHERE kind = 'Statement'
  GROUP BY fact
),
spk AS (
  SELECT s.fact, k.entity AS speaker,
         COALESCE(f.start_lo, DATE '0001-01-01') AS wf, COALESCE(f.start_hi, DATE '9999-12-31') AS wl
  FROM stf s
  JOIN {ties} k ON k.kind = 'Statement' AND k.fact = s.fact AND k.role = 'speaker'
  JOIN {facts} f ON f.kind = 'Statement' AND f.id = s.fact
  WHERE (s.about_b = 1 AND s.by_a = 0) OR (s.about_a = 1 AND s.by_b = 0)
),
held AS (
  SELECT k.fact, o.entity AS side, h.fact AS role, k.wf, k.wl, {held_own} AS own
  FROM spk k
  JOIN {ties} h ON h.kind = 'Role' AND h.role = 'holds role' AND h.entity = k.speaker
  JOIN {ties} o ON o.kind = 'Role' AND o.fact = h.fact AND o.role = 'role in' AND o.entity IN ({ea}, {eb})
),
heldr AS (
  SELECT h.fact, h.side, h.role, h.own, CASE WHEN r.fact IS NOT NULL THEN {held_reading} END AS rl
  FROM held h LEFT JOIN {readings} r ON r.fact = h.role AND r.party = -1
),
rolel AS (
  SELECT fact, side, role,
         CASE WHEN MIN(own) = 2 AND COALESCE(MIN(rl), 2) = 2 THEN 2
              WHEN MAX(own) >= 1 OR COALESCE(MAX(rl), 0) >= 1 THEN 1 ELSE 0 END AS level
  FROM heldr GROUP BY fact, side, role
),
roles AS (
  SELECT fact, side, MAX(level) AS level FROM rolel GROUP BY fact, side
),
spoken AS (
  SELECT s.fact,
         CASE WHEN s.about_b = 1 AND s.by_a = 1 THEN 2 WHEN s.about_b = 1 THEN COALESCE(ra.level, 0) ELSE 0 END AS cap_a,
         CASE WHEN s.about_a = 1 AND s.by_b = 1 THEN 2 WHEN s.about_a = 1 THEN COALESCE(rb.level, 0) ELSE 0 END AS cap_b
  FROM stf s
  LEFT JOIN roles ra ON ra.fact = s.fact AND ra.side = {ea}
  LEFT JOIN roles rb ON rb.fact = s.fact AND rb.side = {eb}
),
plain AS (
  SELECT fact, cap FROM direct
  UNION ALL
  SELECT fact, CASE WHEN cap_a >= 1 THEN cap_a ELSE cap_b END FROM spoken WHERE cap_a >= 1 OR cap_b >= 1
),
-- Treaties both are parties to: for each pair of their party entries, the later start, the earlier
-- end and the later signature.
tr AS (
  SELECT id, from_text AS tf, until_text AS tu, signed AS ts, in_force AS ti FROM {facts} WHERE kind = 'Treaty'
),
tflags AS (
  SELECT fact,
         MAX(CASE WHEN role = 'party' AND entity = {ea} THEN 1 ELSE 0 END) AS pa,
         MAX(CASE WHEN role = 'party' AND entity = {eb} THEN 1 ELSE 0 END) AS pb,
         MAX(CASE WHEN role = 'organization' AND entity = {ea} THEN 1 ELSE 0 END) AS oa,
         MAX(CASE WHEN role = 'organization' AND entity = {eb} THEN 1 ELSE 0 END) AS ob
  FROM pt WHERE kind = 'Treaty'
  GROUP BY fact
),
fellow AS (
  SELECT p.fact, p.state AS pe, p.party AS pk, p.from_text AS pf, p.until_text AS pu, p.signed AS ps,
         q.state AS qe, q.party AS qk, q.from_text AS qf, q.until_text AS qu, q.signed AS qs,
         t.tf, t.tu, t.ts, t.ti,
         {fellow_from} AS sf,
         {fellow_until} AS su,
         COALESCE(p.signed, CASE WHEN p.from_text IS NULL OR p.from_text = t.tf THEN t.ts END) AS sp,
         COALESCE(q.signed, CASE WHEN q.from_text IS NULL OR q.from_text = t.tf THEN t.ts END) AS sq
  FROM pt p JOIN pt q ON q.fact = p.fact JOIN tr t ON t.id = p.fact
  WHERE p.kind = 'Treaty' AND p.role = 'party' AND p.entity = {ea}
    AND q.kind = 'Treaty' AND q.role = 'party' AND q.entity = {eb}
),
together AS (
  SELECT fellow.*,
         CASE WHEN pf IS NOT NULL AND pf = sf AND (tf IS NULL OR sf <> tf) THEN 1 ELSE 0 END AS pj,
         CASE WHEN qf IS NOT NULL AND qf = sf AND (tf IS NULL OR sf <> tf) THEN 1 ELSE 0 END AS qj,
         CASE WHEN pu IS NOT NULL AND pu = su AND (tu IS NULL OR su <> tu) THEN 1 ELSE 0 END AS pl,
         CASE WHEN qu IS NOT NULL AND qu = su AND (tu IS NULL OR su <> tu) THEN 1 ELSE 0 END AS ql,
         {signed_later} AS sg
  FROM fellow WHERE {fellow_ok}
),
-- An organization's treaty that the other is party to, seen from that party.
seen AS (
  SELECT fact, CASE WHEN oa = 1 AND pb = 1 AND pa = 0 THEN {eb} ELSE {ea} END AS seen_by
  FROM tflags WHERE (oa = 1 AND pb = 1 AND pa = 0) OR (ob = 1 AND pa = 1 AND pb = 0)
),
seenp AS (
  SELECT p.fact, p.state, p.party, p.from_text, p.until_text, p.signed, t.tf, t.tu, t.ts, t.ti
  FROM seen s
  JOIN pt p ON p.fact = s.fact AND p.kind = 'Treaty' AND p.role = 'party' AND p.entity = s.seen_by
  JOIN tr t ON t.id = s.fact
),
seent AS (
  SELECT fact, tf, tu, ts, ti,
         MAX(CASE WHEN from_text IS NULL OR from_text = tf THEN 1 ELSE 0 END) AS at_start,
         MAX(CASE WHEN until_text IS NULL OR until_text = tu THEN 1 ELSE 0 END) AS at_end
  FROM seenp GROUP BY fact, tf, tu, ts, ti
),
-- Memberships of both in one organization: the later join, the earlier leave.
mem AS (
  SELECT m.fact, m.entity AS member, o.entity AS org, m.from_text, m.until_text
  FROM pt m JOIN {ties} o ON o.kind = 'Membership' AND o.fact = m.fact AND o.role = 'has member'
  WHERE m.kind = 'Membership' AND m.role = 'member'
),
mpair AS (
  SELECT x.fact AS fa, y.fact AS fb, x.from_text AS af, y.from_text AS bf, x.until_text AS au, y.until_text AS bu,
         {shared_from} AS sf,
         {shared_until} AS su
  FROM mem x JOIN mem y ON y.org = x.org
  WHERE x.member = {ea} AND x.org <> {eb} AND y.member = {eb}
),
shared AS (
  SELECT * FROM mpair WHERE {shared_ok}
),
-- Each entry's own date (empty where only another reading gives one), the readings that may date
-- it otherwise (party -1: the fact's), and the date a treaty party's own change must differ from.
drafts AS (
  SELECT f.id AS fact, 'point' AS change, {none} AS who, f.on_text AS d, -2 AS rp, p.cap, {none} AS edge, 0 AS differ
  FROM plain p JOIN {facts} f ON f.id = p.fact WHERE f.point
  UNION ALL SELECT f.id, 'start', {none}, f.from_text, -1, p.cap, {none}, 0 FROM plain p JOIN {facts} f ON f.id = p.fact WHERE NOT f.point
  UNION ALL SELECT f.id, 'end', {none}, f.until_text, -1, p.cap, {none}, 0 FROM plain p JOIN {facts} f ON f.id = p.fact WHERE NOT f.point
  UNION ALL SELECT fact, 'start', {join_who}, sf, {join_rp}, 2, {none}, 0 FROM together WHERE sf IS NOT NULL
  UNION ALL SELECT fact, 'end', {leave_who}, su, {leave_rp}, 2, {none}, 0 FROM together WHERE su IS NOT NULL
  UNION ALL SELECT fact, 'point', {sign_who}, sg, -2, 2, {none}, 0 FROM together
    WHERE ti IS NOT NULL AND sp IS NOT NULL AND sq IS NOT NULL AND (tf IS NULL OR sg <> tf)
  UNION ALL SELECT fact, 'start', {none}, tf, -1, 2, {none}, 0 FROM seent WHERE at_start = 1
  UNION ALL SELECT fact, 'end', {none}, tu, -1, 2, {none}, 0 FROM seent WHERE at_end = 1
  UNION ALL SELECT fact, 'point', {none}, ts, -2, 2, {none}, 0 FROM seent
    WHERE at_start = 1 AND ti IS NOT NULL AND ts IS NOT NULL AND (tf IS NULL OR ts <> tf)
  UNION ALL SELECT fact, 'start', state, from_text, party, 2, tf, 1 FROM seenp
  UNION ALL SELECT fact, 'end', state, until_text, party, 2, tu, 1 FROM seenp
  UNION ALL SELECT fact, 'point', state, signed, -2, 2, {none}, 0 FROM seenp
    WHERE signed IS NOT NULL AND (ts IS NULL OR signed <> ts)
  UNION ALL SELECT CASE WHEN af = bf OR af = sf THEN fa ELSE fb END, 'start', {none}, sf, -1, 2, {none}, 0
    FROM shared WHERE sf IS NOT NULL
  UNION ALL SELECT CASE WHEN au = bu OR au = su THEN fa ELSE fb END, 'end', {none}, su, -1, 2, {none}, 0
    FROM shared WHERE su IS NOT NULL
),
-- The window: certain when every day the date can mean lies within it, possible when some does or
-- another reading's date can.
dr AS (
  SELECT dd.fact, dd.change, dd.who, dd.d, dd.rp, dd.cap, dd.edge, dd.differ,
         CASE dd.change WHEN 'start' THEN r.from_text WHEN 'end' THEN r.until_text END AS o
  FROM drafts dd LEFT JOIN {readings} r ON r.fact = dd.fact AND r.party = dd.rp
),
grouped AS (
  SELECT fact, change, who, d, cap, edge, differ,
         MAX(CASE WHEN {other} THEN 1 ELSE 0 END) AS others,
         MAX(CASE WHEN {other} AND {other_holds} THEN 1 ELSE 0 END) AS other_holds,
         MIN(CASE WHEN {other} THEN o END) AS first_other
  FROM dr GROUP BY fact, change, who, d, rp, cap, edge, differ
),
entries AS (
  SELECT COALESCE(d, first_other) AS dt, change, fact, who,
         LEAST(CASE WHEN others = 1 OR d IS NULL THEN 1 WHEN {own_certain} THEN 2 ELSE 1 END, cap) AS level
  FROM grouped
  WHERE ((d IS NOT NULL AND {own_holds}) OR other_holds = 1)
    AND (differ = 0 OR others = 1 OR d IS NULL OR edge IS NULL OR d <> edge)
),
answer AS (
  SELECT DISTINCT dt, change, fact, who, {certainty} AS certainty FROM entries
)
SELECT dt AS {date}, change, fact AS id, who AS party, certainty
FROM answer
ORDER BY {first}, CASE change WHEN 'start' THEN 0 WHEN 'point' THEN 1 ELSE 2 END, fact, who NULLS FIRST, dt;
"#,
        pre = tables.preamble(),
        ask = comment(&ask),
        held_own = level_at("h", "k.wf", "k.wl"),
        held_reading = level_at("r", "h.wf", "h.wl"),
        fellow_from = later("COALESCE(p.from_text, t.tf)", "COALESCE(q.from_text, t.tf)"),
        fellow_until = earlier(
            "COALESCE(p.until_text, t.tu)",
            "COALESCE(q.until_text, t.tu)"
        ),
        signed_later = later("sp", "sq"),
        fellow_ok = satisfiable("sf", "su"),
        shared_from = later("x.from_text", "y.from_text"),
        shared_until = earlier("x.until_text", "y.until_text"),
        shared_ok = satisfiable("sf", "su"),
        join_who = cause(pj, qj, "pe", "qe", &none),
        join_rp = cause(pj, qj, "pk", "qk", "-2"),
        leave_who = cause(pl, ql, "pe", "qe", &none),
        leave_rp = cause(pl, ql, "pk", "qk", "-2"),
        sign_who = cause(&po, &qo, "pe", "qe", &none),
        other_holds = holds("o", &w),
        own_certain = certain("d", &w),
        own_holds = holds("d", &w),
        certainty = word("level"),
        date = tables.quote("date"),
        first = first_day("dt"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Interval;
    use crate::model::interval::{earlier_end, later_start};

    /// What [`later`], [`earlier`] and [`satisfiable`] compute, done on the texts as an engine
    /// does them.
    fn later_text<'t>(x: Option<&'t str>, y: Option<&'t str>) -> Option<&'t str> {
        match (x, y) {
            (None, y) => y,
            (Some(x), None) => Some(x),
            (Some(x), Some(y)) => Some(if x >= y { x } else { y }),
        }
    }

    fn earlier_text<'t>(x: Option<&'t str>, y: Option<&'t str>) -> Option<&'t str> {
        match (x, y) {
            (None, y) => y,
            (Some(x), None) => Some(x),
            (Some(x), Some(y)) => Some(if x <= y { x } else { y }),
        }
    }

    fn satisfiable_text(from: Option<&str>, until: Option<&str>) -> bool {
        let (Some(f), Some(u)) = (from, until) else {
            return true;
        };
        let start = format!(
            "{f}{}",
            match f.len() {
                4 => "-01-01",
                7 => "-01",
                _ => "",
            }
        );
        if u.len() == 10 {
            start.as_str() < u
        } else {
            &start[..u.len()] <= u
        }
    }

    /// The text tests pick the same dates as the model's on dates of every precision, open
    /// ends included.
    #[test]
    fn text_comparisons_agree_with_the_model() {
        let dates = [
            None,
            Some("1999"),
            Some("2000"),
            Some("2000-01"),
            Some("2000-02"),
            Some("2000-12"),
            Some("2000-01-01"),
            Some("2000-01-31"),
            Some("2000-02-01"),
            Some("2000-12-31"),
            Some("2001-01-01"),
            Some("2001"),
        ];
        let date = |s: Option<&str>| s.map(|s| Date::parse(s).expect("date"));
        for x in dates {
            for y in dates {
                let (dx, dy) = (date(x), date(y));
                assert_eq!(date(later_text(x, y)), later_start(dx, dy), "{x:?} {y:?}");
                assert_eq!(date(earlier_text(x, y)), earlier_end(dx, dy), "{x:?} {y:?}");
                assert_eq!(
                    satisfiable_text(x, y),
                    Interval::new(dx, dy).is_satisfiable(),
                    "{x:?} until {y:?}"
                );
            }
        }
    }

    #[test]
    fn the_sql_names_both_entities_and_the_window() {
        let tables = Tables {
            dialect: super::super::Dialect::Spark,
            parquet: None,
        };
        let d = |s: &str| Date::parse(s).ok();
        let sql = relations(&tables, "BLR", "O'Neill", d("2019"), d("2021-03"));
        assert!(sql.starts_with("SET spark"), "{sql}");
        assert!(sql.contains("-- dipgraph relations BLR O'Neill --from 2019 --to 2021-03"));
        assert!(sql.contains("WHERE entity IN ('BLR', 'O''Neill')"));
        // The window's days, and no day after it past its end.
        assert!(sql.contains("substr('2019-01-01', 1, length(d))"));
        assert!(sql.contains("substr('2021-04-01', 1, length(d))"));
        let open = relations(&tables, "BLR", "RUS", None, None);
        assert!(open.contains("substr('0001-01-01', 1, length(d))"));
        assert!(!open.contains("substr('10000"));
    }
}
