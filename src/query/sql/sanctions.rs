//! `sql sanctions [--against X [--tied]] [--by Y] --on D`: the sanctions in force, as
//! [`crate::query::sanctions::sanctions`] finds them.

use super::{Tables, comment, days_of, text, tie_levels, word};
use crate::model::Date;

/// What to ask, with entity ids resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanctionsSql {
    /// Only sanctions naming this entity.
    pub against: Option<String>,
    /// Also those on people and organizations tied to it on the date (a role in it, a
    /// membership of it).
    pub tied: bool,
    /// Only sanctions by this sender.
    pub by: Option<String>,
    /// The date.
    pub on: Date,
}

/// The SQL of `sanctions`: `id`, `by`, `from`, `until`, `certainty`, by start then id.
pub fn sanctions(tables: &Tables, q: &SanctionsSql) -> String {
    let d = days_of(q.on);
    let mut ask = String::from("dipgraph sanctions");
    if let Some(a) = &q.against {
        ask.push_str(&format!(" --against {a}"));
        if q.tied {
            ask.push_str(" --tied");
        }
    }
    if let Some(b) = &q.by {
        ask.push_str(&format!(" --by {b}"));
    }
    ask.push_str(&format!(" --on {}", q.on));
    // The ties read: every tie of a sanction, and with --tied the roles and memberships too.
    let kinds = if q.tied {
        "t.kind IN ('Sanction', 'Role', 'Membership')"
    } else {
        "t.kind = 'Sanction'"
    };
    let mut ctes = vec![tie_levels(tables, &d, kinds)];
    // Each sanction in force, with its sender (one `sender` tie a sanction, on its dates).
    ctes.push(
        "held AS (\n  SELECT fact, entity AS sender, from_text, until_text, start_lo, level\n  FROM tc WHERE role = 'sender' AND level >= 1\n)"
            .to_string(),
    );
    let mut joins = String::new();
    let mut least = "s.level".to_string();
    if let Some(a) = &q.against {
        let me = text(a);
        let mut targets = format!("  SELECT {me} AS id, 2 AS level");
        if q.tied {
            targets.push_str(&format!(
                "\n  UNION ALL\n  \
                 SELECT who.entity AS id, x.level FROM tc x JOIN tc who ON who.fact = x.fact AND who.role = 'holds role'\n  \
                 WHERE x.role = 'role in' AND x.entity = {me} AND x.level >= 1\n  UNION ALL\n  \
                 SELECT who.entity AS id, x.level FROM tc x JOIN tc who ON who.fact = x.fact AND who.role = 'member'\n  \
                 WHERE x.role = 'has member' AND x.entity = {me} AND x.level >= 1"
            ));
        }
        ctes.push(format!("targets AS (\n{targets}\n)"));
        ctes.push(
            "hits AS (\n  SELECT g.fact, MAX(tg.level) AS best\n  FROM tc g JOIN targets tg ON tg.id = g.entity\n  WHERE g.role = 'target'\n  GROUP BY g.fact\n)"
                .to_string(),
        );
        joins.push_str("\nJOIN hits h ON h.fact = s.fact");
        least = "LEAST(s.level, h.best)".to_string();
    }
    let sender = match &q.by {
        Some(b) => format!("\nWHERE s.sender = {}", text(b)),
        None => String::new(),
    };
    format!(
        "{pre}-- {ask}\nWITH {ctes}\n\
         SELECT s.fact AS id, s.sender AS {by}, s.from_text AS {from}, s.until_text AS {until}, {certainty} AS certainty\n\
         FROM held s{joins}{sender}\n\
         ORDER BY s.start_lo NULLS FIRST, id;\n",
        pre = tables.preamble(),
        ask = comment(&ask),
        ctes = ctes.join(",\n"),
        by = tables.quote("by"),
        from = tables.quote("from"),
        until = tables.quote("until"),
        certainty = word(&least),
    )
}
