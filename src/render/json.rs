//! Writes results as one JSON object: `{"query": ..., "on": ..., "results": [...]}`, with
//! `"notes": [...]` when the answer has something to say of its limits, and `"recorded":
//! {"commit", "date"}` when it was answered from the data as a git commit recorded it.

use serde::Serialize;

use crate::load::git::Commit;
use crate::model::Date;

#[derive(Serialize)]
struct Envelope<'a, T: Serialize + ?Sized> {
    query: &'a str,
    on: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded: Option<&'a Commit>,
    results: &'a T,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

/// What an answer says besides its results: its notes, and the commit it was read from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extra<'a> {
    /// Notes on the answer's limits.
    pub notes: &'a [String],
    /// The commit the data was read from (`--as-recorded`).
    pub recorded: Option<&'a Commit>,
}

/// Pretty JSON for `results` of command `query`, asked about date `on`, ending in a newline.
pub fn to_json<T: Serialize + ?Sized>(
    query: &str,
    on: Option<Date>,
    results: &T,
) -> Result<String, serde_json::Error> {
    let mut v = Vec::new();
    write_json(&mut v, query, on, results, Extra::default())?;
    Ok(String::from_utf8_lossy(&v).into_owned())
}

/// Writes [`to_json`]'s text to `w` as it is made, with `extra`'s notes on the answer's
/// limits and the commit it was read from (each left out when there is none).
pub fn write_json<T: Serialize + ?Sized>(
    w: &mut impl std::io::Write,
    query: &str,
    on: Option<Date>,
    results: &T,
    extra: Extra<'_>,
) -> Result<(), serde_json::Error> {
    let envelope = Envelope {
        query,
        on,
        recorded: extra.recorded,
        results,
        notes: extra.notes,
    };
    serde_json::to_writer_pretty(&mut *w, &envelope)?;
    w.write_all(b"\n").map_err(serde_json::Error::io)
}
