//! Writes results as one JSON object: `{"query": ..., "on": ..., "results": [...]}`, with
//! `"notes": [...]` when the answer has something to say of its limits.

use serde::Serialize;

use crate::model::Date;

#[derive(Serialize)]
struct Envelope<'a, T: Serialize + ?Sized> {
    query: &'a str,
    on: Option<Date>,
    results: &'a T,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

/// Pretty JSON for `results` of command `query`, asked about date `on`, ending in a newline.
pub fn to_json<T: Serialize + ?Sized>(
    query: &str,
    on: Option<Date>,
    results: &T,
) -> Result<String, serde_json::Error> {
    let mut v = Vec::new();
    write_json(&mut v, query, on, results, &[])?;
    Ok(String::from_utf8_lossy(&v).into_owned())
}

/// Writes [`to_json`]'s text to `w` as it is made, with `notes` on the answer's limits (left
/// out when there are none).
pub fn write_json<T: Serialize + ?Sized>(
    w: &mut impl std::io::Write,
    query: &str,
    on: Option<Date>,
    results: &T,
    notes: &[String],
) -> Result<(), serde_json::Error> {
    let envelope = Envelope {
        query,
        on,
        results,
        notes,
    };
    serde_json::to_writer_pretty(&mut *w, &envelope)?;
    w.write_all(b"\n").map_err(serde_json::Error::io)
}
