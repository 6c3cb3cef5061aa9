//! Where a record came from: a file and byte spans, so that problems point at the record and
//! field that have them.

use std::borrow::Cow;
use std::ops::Range;

/// Index of a loaded file in [`crate::model::Dataset::files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range in a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from byte offsets.
    pub fn new(start: usize, end: usize) -> Span {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// As a `Range<usize>`.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Moved right by `offset` bytes.
    pub fn shift(self, offset: usize) -> Span {
        Span::new(self.start as usize + offset, self.end as usize + offset)
    }
}

/// A located field of a record: its name's span, its value's span, and the spans of the value's
/// items when it is a list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSpan {
    /// The field name: borrowed from [`FIELD_NAMES`] for the format's own names (no allocation
    /// per field of every record), owned only for a name the format does not know.
    pub name: Cow<'static, str>,
    /// The `name` token.
    pub key: Span,
    /// The whole value.
    pub value: Span,
    /// The items, when the value is a list (empty, and unallocated, otherwise).
    pub items: Box<[Span]>,
}

/// Every field name of the file and saved-query formats, so that origins can name their fields
/// without an allocation each.
pub const FIELD_NAMES: &[&str] = &[
    "about",
    "against",
    "aliases",
    "at",
    "born",
    "by",
    "cow",
    "died",
    "disputed",
    "dissolved",
    "ended",
    "expect",
    "founded",
    "from",
    "id",
    "in_force",
    "involves",
    "kind",
    "legal_act",
    "measures",
    "member",
    "name",
    "note",
    "of",
    "on",
    "on_behalf_of",
    "organization",
    "parties",
    "person",
    "program",
    "publisher",
    "published",
    "quote",
    "signed",
    "sources",
    "stance",
    "state",
    "summary",
    "title",
    "until",
    "url",
];

impl FieldSpan {
    /// The name `text` as a field name: borrowed from [`FIELD_NAMES`] when it is one.
    pub fn name_of(text: &str) -> Cow<'static, str> {
        let first = text.as_bytes().first();
        let known = FIELD_NAMES
            .iter()
            .find(|n| n.len() == text.len() && n.as_bytes().first() == first && **n == text);
        match known {
            Some(n) => Cow::Borrowed(n),
            None => Cow::Owned(text.to_string()),
        }
    }
}

/// Where a record (or a nested record such as a `Party`) stands in its file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The file.
    pub file: FileId,
    /// The record's kind name, e.g. `Sanction`.
    pub head: Span,
    /// The whole record.
    pub span: Span,
    /// Its fields in written order.
    pub fields: Vec<FieldSpan>,
}

impl Origin {
    /// The field named `name`, if written.
    pub fn field(&self, name: &str) -> Option<&FieldSpan> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The span of field `name`'s value, or of the record head when the field is absent.
    pub fn value_or_head(&self, name: &str) -> Span {
        self.field(name).map_or(self.head, |f| f.value)
    }

    /// The span of item `index` of list field `name`, falling back to the field, then the head.
    pub fn item(&self, name: &str, index: usize) -> Span {
        match self.field(name) {
            Some(f) => f.items.get(index).copied().unwrap_or(f.value),
            None => self.head,
        }
    }
}
