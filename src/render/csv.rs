//! Writes the main table of a [`Doc`] as CSV (RFC 4180, header row first).

use super::doc::Doc;

/// CSV text of the document's first table (empty with no table).
pub fn to_csv(doc: &Doc) -> Result<String, csv::Error> {
    let mut bytes = Vec::new();
    write_csv(doc, &mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Writes [`to_csv`]'s text to `out` as it is made.
pub fn write_csv(doc: &Doc, out: &mut impl std::io::Write) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    if let Some((headers, rows)) = doc.main_table() {
        w.write_record(headers)?;
        rows.try_each(|r| w.write_record(r.iter().map(|c| c.value())))?;
    }
    w.flush()?;
    Ok(())
}
