//! Ids: unique across the dataset (ignoring case), and of the right shape.

use super::{Named, Part};
use crate::diag::{Code, Diagnostic};
use crate::model::{EntityKind, Target};

fn state_id_ok(id: &str) -> bool {
    id.len() == 3 && id.bytes().all(|b| b.is_ascii_uppercase())
}

fn slug_ok(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphanumeric())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn derived_ok(id: &str) -> bool {
    // Derived ids of roles and memberships join slugs and dates with `:`.
    id.split(':').all(|part| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// Reports repeated ids (pointing at both records) and ids of the wrong shape. A batch of a
/// larger whole leaves its entities to the check of the entities alone.
pub fn check(part: &Part<'_>, out: &mut Vec<Diagnostic>) {
    let data = part.data;
    let entities = if part.batch.is_none() {
        &data.entities[..]
    } else {
        &[]
    };
    // The first record of each id (entities first, in load order) is the one the whole
    // dataset's id index holds: any other record with that id repeats it.
    let records = entities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (
                Target::Entity(i),
                e.id.as_str(),
                &e.origin,
                Some(e.kind),
                true,
            )
        })
        .chain(data.facts.iter().enumerate().map(|(i, f)| {
            (
                Target::Fact(part.number(i)),
                f.id.as_str(),
                &f.origin,
                None,
                !f.id_derived,
            )
        }));
    for (me, id, origin, kind, written) in records {
        let span = origin.value_or_head("id");
        let shape_ok = match kind {
            Some(EntityKind::State) => state_id_ok(id),
            _ if !written => derived_ok(id),
            _ => slug_ok(id),
        };
        if !shape_ok {
            let (message, hint) = if kind == Some(EntityKind::State) {
                (
                    format!("state id `{id}` is not an ISO 3166-1 alpha-3 code"),
                    "state ids are three upper-case letters, e.g. `BLR`",
                )
            } else {
                (
                    format!("id `{id}` is not a slug"),
                    "ids use letters, digits and `-`, starting with a letter or digit, e.g. `eu-blr-2020-10`",
                )
            };
            out.push(
                Diagnostic::at(Code::BadId, origin.file, span, message)
                    .label("bad id")
                    .hint(hint),
            );
        }
        // The first record's id as written, and where it is.
        let first = match part.named(id) {
            Some(Named::Entity(j)) if Target::Entity(j) != me => data
                .entities
                .get(j)
                .map(|e| (e.id.clone(), e.origin.file, e.origin.value_or_head("id"))),
            Some(Named::Fact(n, f)) if Target::Fact(n) != me => {
                Some((f.id.clone(), f.origin.file, f.origin.value_or_head("id")))
            }
            _ => None,
        };
        if let Some((prev_id, prev_file, prev_span)) = first {
            let same = if prev_id == id {
                format!("the id `{id}` is used twice")
            } else {
                format!("the id `{id}` is used twice (ids ignore case: `{prev_id}`)")
            };
            out.push(
                Diagnostic::at(Code::DuplicateId, origin.file, span, same)
                    .label("used again here")
                    .also(prev_file, prev_span, "first used here")
                    .hint(if written {
                        "give one of the records another id"
                    } else {
                        "this role or membership repeats another with the same dates; remove one, or give it an `id`"
                    }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;
    use crate::validate::testing::*;

    #[test]
    fn duplicate_ids_point_at_both() {
        let text = format!(
            "[{STATES} State(id: \"BLR\", name: \"Belarus again\"), Person(id: \"blr\", name: \"x\")]"
        );
        let ps = problems(&text);
        let dups: Vec<_> = ps.iter().filter(|d| d.code == Code::DuplicateId).collect();
        assert_eq!(dups.len(), 2);
        assert_eq!(dups[0].secondary.len(), 1);
        assert!(
            dups[1].message.contains("ignore case"),
            "{}",
            dups[1].message
        );
    }

    #[test]
    fn id_shapes() {
        let text = "[State(id: \"Blr\", name: \"B\"), Person(id: \"a b\", name: \"x\"), Organization(id: \"EU\", name: \"E\", kind: Other)]";
        assert_eq!(codes(text), [Code::BadId, Code::BadId]);
        assert_eq!(pointed(text, Code::BadId), "\"Blr\"");
    }

    #[test]
    fn repeated_derived_ids_are_caught() {
        let text = format!(
            "[{STATES} Membership(member: \"BLR\", of: \"EU\", from: \"2004\", {SRC}), Membership(member: \"BLR\", of: \"EU\", from: \"2004\", {SRC})]"
        );
        assert_eq!(codes(&text), [Code::DuplicateId]);
    }
}
