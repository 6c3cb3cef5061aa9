//! The facts an export or a picture draws, read from a cache (the file, or one built in memory)
//! a batch at a time rather than as one dataset, so that a diagram of a whole world never holds
//! every fact decoded; a cache built in memory for the call is let go as it is read.

use super::{Encoded, Opened, Unusable};
use crate::model::{Dataset, Fact};
use crate::query::export::FactSource;

/// What a diagram is drawn from, picked from a cache (see [`super::pick::for_export`]).
pub struct Drawable<'c> {
    /// The facts it can draw.
    pub facts: DrawnFacts<'c>,
    /// Every entity, in load order.
    pub names: Dataset,
    /// The entity its focus names.
    pub focus: Option<usize>,
}

/// The facts of a cache a diagram can draw: those its dates can reach (a superset of those it
/// draws).
pub struct DrawnFacts<'c> {
    /// `None` once a cache built for the call has been read through (see
    /// [`FactSource::finish`]).
    cache: Option<Opened<'c>>,
    /// One bit a fact, by number: whether it can be drawn.
    drawable: Vec<u64>,
}

impl<'c> DrawnFacts<'c> {
    /// Facts `numbers` of `cache`.
    pub fn new(cache: Opened<'c>, numbers: &[usize]) -> DrawnFacts<'c> {
        let mut drawable = vec![0u64; numbers.iter().max().map_or(0, |m| m / 64 + 1)];
        for &i in numbers {
            drawable[i / 64] |= 1 << (i % 64);
        }
        DrawnFacts {
            cache: Some(cache),
            drawable,
        }
    }

    fn can_draw(&self, i: usize) -> bool {
        self.drawable
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Every fact that can be drawn, by number, in order.
    fn numbers(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for (k, &w) in self.drawable.iter().enumerate() {
            let mut w = w;
            while w != 0 {
                out.push(k * 64 + w.trailing_zeros() as usize);
                w &= w - 1;
            }
        }
        out
    }

    fn cache(&self) -> Result<&Opened<'c>, Unusable> {
        self.cache.as_ref().ok_or(Unusable::Missing)
    }
}

/// Calls `each` with facts `numbers` (sorted) of `batches` (in load order), letting each batch
/// go once read.
fn read_through(
    batches: Vec<Encoded>,
    numbers: &[usize],
    each: &mut dyn FnMut(usize, &Fact),
) -> Result<(), Unusable> {
    read_owned(batches, numbers, &mut |i, f| each(i, &f))
}

/// [`read_through`], giving each fact to `each` to keep.
pub(super) fn read_owned(
    batches: Vec<Encoded>,
    numbers: &[usize],
    each: &mut dyn FnMut(usize, Fact),
) -> Result<(), Unusable> {
    let (mut first, mut k) = (0, 0);
    for batch in batches {
        let end = first + batch.ends.len();
        while let Some(&i) = numbers.get(k).filter(|&&i| i < end) {
            each(i, batch.decode_one(i - first).ok_or(Unusable::Corrupt)?);
            k += 1;
        }
        first = end;
    }
    match k == numbers.len() {
        true => Ok(()),
        false => Err(Unusable::Corrupt),
    }
}

impl FactSource for DrawnFacts<'_> {
    type Error = Unusable;

    fn naming(&self, entity: usize) -> Result<Vec<usize>, Unusable> {
        let mut named = self.cache()?.source().named(entity)?;
        named.retain(|&i| self.can_draw(i));
        Ok(named)
    }

    fn read(&self, numbers: &[usize], each: &mut dyn FnMut(usize, &Fact)) -> Result<(), Unusable> {
        let source = self.cache()?.source();
        for &i in numbers {
            each(i, &source.fact(i)?);
        }
        Ok(())
    }

    /// A cache built for the call is let go as it is read: its index and id table first, then
    /// each batch of facts once read. A cache file is read fact by fact.
    fn finish(
        &mut self,
        numbers: Option<&[usize]>,
        each: &mut dyn FnMut(usize, &Fact),
    ) -> Result<(), Unusable> {
        let all;
        let numbers = match numbers {
            Some(n) => n,
            None => {
                all = self.numbers();
                &all
            }
        };
        match self.cache.take() {
            Some(Opened::Built(checked)) => read_through(checked.into_batches(), numbers, each),
            Some(borrowed) => {
                self.cache = Some(borrowed);
                self.read(numbers, each)
            }
            None => Err(Unusable::Missing),
        }
    }
}
