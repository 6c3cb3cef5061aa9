//! The typed dataset: ids, entities, facts, dates and intervals. Imports nothing else of the
//! crate; everything else builds on it.

pub mod dataset;
pub mod date;
pub mod interval;
pub mod kinds;
pub mod origin;
pub mod record;

pub use dataset::{Dataset, SourceFile, Target, id_hash, id_key};
pub use date::{Date, DateError, Precision};
pub use interval::{Certainty, Edges, Interval, Window};
pub use kinds::{EventKind, Measure, OrgKind, SourceKind, Stance, TreatyKind};
pub use origin::{FieldSpan, FileId, Origin, Span};
pub use record::{
    Coverage, Entity, EntityKind, Fact, FactBody, FactKind, Party, Reading, Source, Title, When,
};
