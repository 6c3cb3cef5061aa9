//! Facts read by their place, for answers too large to hold every fact they list decoded (a
//! diff of a whole world, every statement of it): a dataset lends its facts; facts kept
//! encoded (`cache::stored`) are decoded on each read.

use std::borrow::Cow;

use crate::model::{Dataset, Fact};

/// Facts read by their place: borrowed where they are held decoded (a dataset), decoded anew
/// on each read where they are held encoded.
pub trait Facts {
    /// The fact at place `k`. Every place an answer was told of must give a fact, the same
    /// one each time it is read.
    fn fact(&self, k: usize) -> Cow<'_, Fact>;
}

impl Facts for Dataset {
    fn fact(&self, k: usize) -> Cow<'_, Fact> {
        Cow::Borrowed(&self.facts[k])
    }
}
