//! Where a record came from: a file and byte spans, so that problems point at the record and
//! field that have them.

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
    /// The field name.
    pub name: String,
    /// The `name` token.
    pub key: Span,
    /// The whole value.
    pub value: Span,
    /// The items, when the value is a list.
    pub items: Vec<Span>,
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
