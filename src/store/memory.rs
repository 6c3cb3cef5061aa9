//! The store over a dataset loaded whole: its facts lent as they are, its interval index built
//! when it is made.

use std::borrow::Cow;

use super::index::{Index, Lists};
use super::{EntityIds, Read, Slot, Store, Summary, Tally};
use crate::model::{Coverage, Dataset, Entity, Fact, FactKind, SourceFile, Target, Window};

/// A dataset loaded whole, with its index and summary.
pub struct MemoryStore {
    data: Dataset,
    index: Index,
    summary: Summary,
}

impl MemoryStore {
    /// The store of `data`, which loaded without errors (`clean`: without warnings either).
    /// References that name no entity are left out of the index.
    pub fn new(data: Dataset, clean: bool) -> MemoryStore {
        let index = {
            let ids = EntityIds::new(&data);
            Index::build(&data, |id| ids.get(id))
        };
        let summary = Summary {
            clean,
            tally: Tally::of(&data.facts),
        };
        MemoryStore {
            data,
            index,
            summary,
        }
    }

    /// The dataset.
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// The interval index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    fn lists(&self) -> Lists<'_> {
        self.index.lists()
    }
}

impl Store for MemoryStore {
    fn files(&self) -> &[SourceFile] {
        &self.data.files
    }
    fn entities(&self) -> &[Entity] {
        &self.data.entities
    }
    fn entity_count(&self) -> usize {
        self.data.entities.len()
    }
    fn entity_at(&self, i: usize) -> &Entity {
        &self.data.entities[i]
    }
    fn entity_of(&self, id: &str) -> Option<usize> {
        match self.data.lookup(id)? {
            Target::Entity(i) => Some(i),
            Target::Fact(_) => None,
        }
    }
    fn fact_count(&self) -> usize {
        self.data.facts.len()
    }
    fn fact(&self, n: usize) -> Read<Cow<'_, Fact>> {
        self.data
            .facts
            .get(n)
            .map(Cow::Borrowed)
            .ok_or(super::Corrupt)
    }
    fn fact_of(&self, id: &str) -> Read<Option<usize>> {
        Ok(match self.data.lookup(id) {
            Some(Target::Fact(i)) => Some(i),
            _ => None,
        })
    }
    fn tied(&self, entity: usize, slots: &[Slot], w: Window) -> Read<Vec<usize>> {
        Ok(self.lists().tied(entity, slots, w)?)
    }
    fn named(&self, entity: usize) -> Read<Vec<usize>> {
        Ok(self.lists().named(entity)?)
    }
    fn of_kind(&self, kind: FactKind, w: Window) -> Read<Vec<usize>> {
        Ok(self.lists().of_kind(kind, w)?)
    }
    fn dated_within(&self, w: Window) -> Read<Vec<usize>> {
        Ok(self.lists().dated_within(w)?)
    }
    fn each_id(&self, each: &mut dyn FnMut(usize, &str)) -> Read<()> {
        self.data
            .facts
            .iter()
            .enumerate()
            .for_each(|(i, f)| each(i, &f.id));
        Ok(())
    }
    fn summary(&self) -> &Summary {
        &self.summary
    }
    fn coverage(&self) -> &[Coverage] {
        &self.data.coverage
    }
    fn damaged(&self) -> bool {
        false
    }
    fn mark_damaged(&self) {}
}
