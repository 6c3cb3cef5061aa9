//! Writes results as one JSON object: `{"query": ..., "on": ..., "results": [...]}`.

use serde::Serialize;

use crate::model::Date;

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    query: &'a str,
    on: Option<Date>,
    results: &'a [T],
}

/// Pretty JSON for `results` of command `query`, asked about date `on`, ending in a newline.
pub fn to_json<T: Serialize>(
    query: &str,
    on: Option<Date>,
    results: &[T],
) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(&Envelope { query, on, results })?;
    s.push('\n');
    Ok(s)
}
