//! Sources: every fact should cite at least one (a warning, not an error).

use super::Part;
use crate::diag::{Code, Diagnostic};

/// Warns about facts with no source.
pub fn check(part: &Part<'_>, out: &mut Vec<Diagnostic>) {
    let data = part.data;
    for f in &data.facts {
        if f.sources.is_empty() {
            out.push(
                Diagnostic::at(
                    Code::NoSource,
                    f.origin.file,
                    f.origin.head,
                    format!("`{}` cites no source", f.id),
                )
                .label("no `sources`")
                .hint("add `sources: [Source(title: \"...\", url: \"...\", publisher: \"...\", published: \"YYYY-MM-DD\")]`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;
    use crate::validate::testing::*;

    #[test]
    fn facts_without_sources_warn() {
        let text = format!("[{STATES} Membership(member: \"BLR\", of: \"EU\", sources: [])]");
        assert_eq!(codes(&text), [Code::NoSource]);
        assert_eq!(pointed(&text, Code::NoSource), "Membership");
    }
}
