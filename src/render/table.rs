//! Writes a [`Doc`] for a terminal: aligned columns, fields and notes.

use comfy_table::{ContentArrangement, Table, presets};

use super::doc::{Block, Doc};

/// The text of a document, ending in a newline.
pub fn to_text(doc: &Doc) -> String {
    let mut out = String::new();
    for (i, b) in doc.blocks.iter().enumerate() {
        if i > 0 && matches!(b, Block::Heading(_) | Block::Table { .. }) {
            out.push('\n');
        }
        match b {
            Block::Heading(h) => {
                out.push_str(h);
                out.push('\n');
            }
            Block::Text(t) => {
                out.push_str(t);
                out.push('\n');
            }
            Block::Fields(fields) => {
                let width = fields
                    .iter()
                    .map(|(k, _)| k.chars().count())
                    .max()
                    .unwrap_or(0);
                for (k, v) in fields {
                    let mut lines = v.lines();
                    let first = lines.next().unwrap_or("");
                    out.push_str(&format!("  {k:<width$}  {first}\n"));
                    for more in lines {
                        out.push_str(&format!("  {:<width$}  {more}\n", ""));
                    }
                }
            }
            Block::Table { headers, rows } => {
                if rows.is_empty() {
                    out.push_str("  (none)\n");
                    continue;
                }
                let mut t = Table::new();
                t.load_preset(presets::NOTHING)
                    .set_content_arrangement(ContentArrangement::Disabled)
                    .set_header(headers.clone());
                let rule: Vec<String> = headers
                    .iter()
                    .map(|h| "-".repeat(h.chars().count()))
                    .collect();
                t.add_row(rule);
                for r in rows {
                    t.add_row(r.iter().map(|c| c.text.as_str()).collect::<Vec<_>>());
                }
                for line in t.to_string().lines() {
                    out.push_str(line.trim_end());
                    out.push('\n');
                }
            }
        }
    }
    out
}
