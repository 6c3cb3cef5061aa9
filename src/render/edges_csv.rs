//! A diagram's edges as CSV: one row per fact and pair of entities it ties (a treaty one row
//! per pair of parties, a sanction one per target), with the columns
//! `fact,kind,from_id,to_id,start,end` first and more after them.

use crate::query::export::Diagram;

/// The header row.
pub const COLUMNS: [&str; 13] = [
    "fact",
    "kind",
    "from_id",
    "to_id",
    "start",
    "end",
    "directed",
    "certainty",
    "status",
    "from_name",
    "to_name",
    "fact_kind",
    "title",
];

/// CSV text (RFC 4180, header first) of the diagram's edges, in their order.
pub fn to_csv(dg: &Diagram) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    let name = |id: &str| dg.node(id).map_or_else(String::new, |n| n.name.clone());
    let opt = |d: Option<crate::model::Date>| d.map_or_else(String::new, |d| d.to_string());
    for e in &dg.edges {
        w.write_record([
            e.fact.clone(),
            e.kind.as_str().to_string(),
            e.from.clone(),
            e.to.clone(),
            opt(e.start),
            opt(e.end),
            e.directed.to_string(),
            e.certainty.map_or_else(String::new, |c| c.to_string()),
            e.status.map_or("", |s| s.as_str()).to_string(),
            name(&e.from),
            name(&e.to),
            e.fact_kind.as_str().to_string(),
            e.title.clone(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
