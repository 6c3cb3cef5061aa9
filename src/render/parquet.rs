//! The Parquet dataset (`export parquet`): the five tables of [`crate::query::tables`] written
//! with the `arrow` and `parquet` crates, a fact at a time, in hive-style partitions
//! (`facts/kind=Treaty/start_year=1992/`, `ties/kind=Sanction/`). Rows wait in memory per
//! partition and go to a file of their own when a partition has enough or the table holds too
//! many, so memory stays bounded however large the data. The whole folder is written beside
//! its place and renamed into it (`load::atomic::write_dir`). The schema is in
//! `docs/scale-out.md`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Date32Builder, Int32Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::model::date::DayNumber;
use crate::model::{Date, Entity, Fact};
use crate::query::tables::{Dates, EntityRow, FactRows, ReadingRow, SourceRow, TieRow, rows};

/// What a column holds.
#[derive(Debug, Clone, Copy)]
enum Type {
    Text,
    Day,
    Int,
    Bool,
    Texts,
}

/// One value of a row, in its column's order.
enum Value<'a> {
    Text(Option<&'a str>),
    Day(Option<DayNumber>),
    Int(Option<i32>),
    Bool(Option<bool>),
    Texts(&'a [&'a str]),
}

/// A column being filled.
enum Column {
    Text(StringBuilder),
    Day(Date32Builder),
    Int(Int32Builder),
    Bool(BooleanBuilder),
    Texts(ListBuilder<StringBuilder>),
}

/// Days from 0001-01-01 ([`DayNumber`]) to days from 1970-01-01 (Parquet's `DATE`).
const EPOCH: DayNumber = 719_162;

impl Column {
    fn new(t: Type) -> Column {
        match t {
            Type::Text => Column::Text(StringBuilder::new()),
            Type::Day => Column::Day(Date32Builder::new()),
            Type::Int => Column::Int(Int32Builder::new()),
            Type::Bool => Column::Bool(BooleanBuilder::new()),
            Type::Texts => Column::Texts(ListBuilder::new(StringBuilder::new())),
        }
    }

    fn push(&mut self, v: &Value<'_>) {
        match (self, v) {
            (Column::Text(b), Value::Text(x)) => b.append_option(*x),
            (Column::Day(b), Value::Day(x)) => b.append_option(x.map(|d| d - EPOCH)),
            (Column::Int(b), Value::Int(x)) => b.append_option(*x),
            (Column::Bool(b), Value::Bool(x)) => b.append_option(*x),
            (Column::Texts(b), Value::Texts(xs)) => {
                for x in *xs {
                    b.values().append_value(x);
                }
                b.append(true);
            }
            // The tables below give each column its own type of value.
            (c, _) => debug_assert!(
                false,
                "a value of another type in column {:?}",
                c.data_type()
            ),
        }
    }

    fn data_type(&self) -> &'static str {
        match self {
            Column::Text(_) => "text",
            Column::Day(_) => "day",
            Column::Int(_) => "int",
            Column::Bool(_) => "bool",
            Column::Texts(_) => "texts",
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Column::Text(b) => ArrayBuilder::finish(b),
            Column::Day(b) => ArrayBuilder::finish(b),
            Column::Int(b) => ArrayBuilder::finish(b),
            Column::Bool(b) => ArrayBuilder::finish(b),
            Column::Texts(b) => ArrayBuilder::finish(b),
        }
    }
}

fn schema(columns: &[(&str, Type)]) -> Arc<Schema> {
    let field = |&(name, t): &(&str, Type)| {
        let dt = match t {
            Type::Text => DataType::Utf8,
            Type::Day => DataType::Date32,
            Type::Int => DataType::Int32,
            Type::Bool => DataType::Boolean,
            Type::Texts => DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
        };
        Field::new(name, dt, true)
    };
    Arc::new(Schema::new(columns.iter().map(field).collect::<Vec<_>>()))
}

/// The date columns every table has: as written, and the bounds.
const DATES: [(&str, Type); 8] = [
    ("from_text", Type::Text),
    ("until_text", Type::Text),
    ("on_text", Type::Text),
    ("point", Type::Bool),
    ("start_lo", Type::Day),
    ("start_hi", Type::Day),
    ("end_lo", Type::Day),
    ("end_hi", Type::Day),
];

fn text(d: &Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// The date columns' values (`texts` holds the written dates, to be borrowed).
fn date_values<'a>(d: &Dates, texts: &'a [Option<String>; 3]) -> [Value<'a>; 8] {
    [
        Value::Text(texts[0].as_deref()),
        Value::Text(texts[1].as_deref()),
        Value::Text(texts[2].as_deref()),
        Value::Bool(Some(d.point)),
        Value::Day(d.edges.start_lo),
        Value::Day(d.edges.start_hi),
        Value::Day(d.edges.end_lo),
        Value::Day(d.edges.end_hi),
    ]
}

fn date_texts(d: &Dates) -> [Option<String>; 3] {
    [text(&d.from), text(&d.until), text(&d.on)]
}

/// A table's columns, before the date columns and after them.
struct Layout {
    name: &'static str,
    head: &'static [(&'static str, Type)],
    /// Whether the date columns come between.
    dated: bool,
    tail: &'static [(&'static str, Type)],
}

impl Layout {
    fn columns(&self) -> Vec<(&'static str, Type)> {
        let mut v = self.head.to_vec();
        if self.dated {
            v.extend(DATES);
        }
        v.extend(self.tail);
        v
    }
}

const ENTITIES: Layout = Layout {
    name: "entities",
    head: &[
        ("id", Type::Text),
        ("kind", Type::Text),
        ("name", Type::Text),
        ("aliases", Type::Texts),
    ],
    dated: true,
    tail: &[
        ("cow", Type::Int),
        ("organization_kind", Type::Text),
        ("note", Type::Text),
    ],
};

const FACTS: Layout = Layout {
    name: "facts",
    head: &[("id", Type::Text), ("title", Type::Text)],
    dated: true,
    tail: &[
        ("disputed", Type::Bool),
        ("signed", Type::Text),
        ("in_force", Type::Text),
        ("treaty_kind", Type::Text),
        ("alliance", Type::Bool),
        ("measures", Type::Texts),
        ("legal_act", Type::Text),
        ("program", Type::Text),
        ("stance", Type::Text),
        ("quote", Type::Text),
        ("event_kind", Type::Text),
        ("note", Type::Text),
    ],
};

const TIES: Layout = Layout {
    name: "ties",
    head: &[
        ("fact", Type::Text),
        ("entity", Type::Text),
        ("role", Type::Text),
        ("party", Type::Int),
        ("treaty_kind", Type::Text),
    ],
    dated: true,
    tail: &[("signed", Type::Text), ("state", Type::Text)],
};

const READINGS: Layout = Layout {
    name: "readings",
    head: &[
        ("fact", Type::Text),
        ("kind", Type::Text),
        ("party", Type::Int),
        ("entity", Type::Text),
        ("reading", Type::Int),
    ],
    dated: true,
    tail: &[("signed", Type::Text), ("note", Type::Text)],
};

const SOURCES: Layout = Layout {
    name: "sources",
    head: &[
        ("fact", Type::Text),
        ("party", Type::Int),
        ("reading", Type::Int),
        ("position", Type::Int),
        ("title", Type::Text),
        ("url", Type::Text),
        ("publisher", Type::Text),
        ("published", Type::Text),
        ("source_kind", Type::Text),
    ],
    dated: false,
    tail: &[],
};

/// One partition of a table: rows waiting in columns, and the file they go to.
struct Partition {
    columns: Vec<Column>,
    rows: usize,
    /// The open file, with the rows it holds.
    file: Option<(ArrowWriter<File>, usize)>,
    /// How many files it has.
    files: usize,
}

/// Rows gathered before they are encoded into their file's current row group.
const BATCH: usize = 8192;
/// Rows a table gathers at most, over all its partitions.
const MOST_GATHERED: usize = 64 * 1024;
/// Bytes of encoded row groups a table holds at most before ending the largest.
const MOST_ENCODED: usize = 32 << 20;
/// Rows a row group takes at most, and a file.
const ROW_GROUP: usize = 128 * 1024;
const PER_FILE: usize = 2 * 1024 * 1024;
/// Files a table keeps open at most.
const MOST_OPEN: usize = 256;

/// A table being written: its partitions, each with its gathered rows and open file.
struct Table {
    dir: PathBuf,
    schema: Arc<Schema>,
    types: Vec<Type>,
    partitions: BTreeMap<String, Partition>,
    gathered: usize,
}

impl Table {
    fn new(root: &Path, layout: &Layout) -> Table {
        let columns = layout.columns();
        Table {
            dir: root.join(layout.name),
            schema: schema(&columns),
            types: columns.iter().map(|c| c.1).collect(),
            partitions: BTreeMap::new(),
            gathered: 0,
        }
    }

    fn push(&mut self, partition: &str, values: &[Value<'_>]) -> io::Result<()> {
        let types = &self.types;
        let p = match self.partitions.get_mut(partition) {
            Some(p) => p,
            None => self
                .partitions
                .entry(partition.to_string())
                .or_insert_with(|| Partition {
                    columns: types.iter().map(|t| Column::new(*t)).collect(),
                    rows: 0,
                    file: None,
                    files: 0,
                }),
        };
        for (c, v) in p.columns.iter_mut().zip(values) {
            c.push(v);
        }
        p.rows += 1;
        self.gathered += 1;
        if p.rows >= BATCH {
            self.encode(partition.to_string())?;
        }
        // Too many rows gathered: the largest gatherings are encoded.
        while self.gathered > MOST_GATHERED {
            let Some(largest) = self.largest(|p| p.rows) else {
                break;
            };
            self.encode(largest)?;
        }
        Ok(())
    }

    /// The partition with the most of `what`.
    fn largest(&self, what: impl Fn(&Partition) -> usize) -> Option<String> {
        self.partitions
            .iter()
            .filter(|(_, p)| what(p) > 0)
            .max_by_key(|(_, p)| what(p))
            .map(|(k, _)| k.clone())
    }

    /// Encodes partition `key`'s gathered rows into its file (opened when it has none), then
    /// keeps the encoded row groups held and the files open within bounds.
    fn encode(&mut self, key: String) -> io::Result<()> {
        let dir = if key.is_empty() {
            self.dir.clone()
        } else {
            self.dir.join(&key)
        };
        let schema = self.schema.clone();
        let Some(p) = self.partitions.get_mut(&key) else {
            return Ok(());
        };
        self.gathered -= p.rows;
        let arrays: Vec<ArrayRef> = p.columns.iter_mut().map(Column::finish).collect();
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(io::Error::other)?;
        p.rows = 0;
        if p.file.is_none() {
            std::fs::create_dir_all(&dir)?;
            let path = dir.join(format!("part-{:05}.parquet", p.files));
            p.files += 1;
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_max_row_group_row_count(Some(ROW_GROUP))
                .set_created_by(format!("dipgraph {}", env!("CARGO_PKG_VERSION")))
                .build();
            let w = ArrowWriter::try_new(File::create(&path)?, schema, Some(props))
                .map_err(io::Error::other)?;
            p.file = Some((w, 0));
        }
        if let Some((w, n)) = &mut p.file {
            w.write(&batch).map_err(io::Error::other)?;
            *n += batch.num_rows();
            if *n >= PER_FILE {
                close(&mut p.file)?;
            }
        }
        // Encoded row groups wait in memory until full: past the bound, the largest end.
        let encoded = |p: &Partition| p.file.as_ref().map_or(0, |(w, _)| w.in_progress_size());
        while self.partitions.values().map(encoded).sum::<usize>() > MOST_ENCODED {
            let Some(k) = self.largest(encoded) else {
                break;
            };
            if let Some((w, _)) = self.partitions.get_mut(&k).and_then(|p| p.file.as_mut()) {
                w.flush().map_err(io::Error::other)?;
            }
        }
        // Too many files open: the one with the most rows is finished.
        let open = |p: &Partition| p.file.as_ref().map_or(0, |(_, n)| *n);
        while self
            .partitions
            .values()
            .filter(|p| p.file.is_some())
            .count()
            > MOST_OPEN
        {
            let Some(k) = self.largest(open) else { break };
            if let Some(p) = self.partitions.get_mut(&k) {
                close(&mut p.file)?;
            }
        }
        Ok(())
    }

    /// Writes every partition's rows and finishes its file; a table with no row still gets
    /// one (empty) file, so that engines find its columns.
    fn finish(mut self) -> io::Result<()> {
        if self.partitions.is_empty() {
            self.partitions.insert(
                String::new(),
                Partition {
                    columns: self.types.iter().map(|t| Column::new(*t)).collect(),
                    rows: 0,
                    file: None,
                    files: 0,
                },
            );
        }
        let keys: Vec<String> = self.partitions.keys().cloned().collect();
        for k in keys {
            let gathered = self
                .partitions
                .get(&k)
                .is_some_and(|p| p.rows > 0 || p.files == 0);
            if gathered {
                self.encode(k.clone())?;
            }
            if let Some(p) = self.partitions.get_mut(&k) {
                close(&mut p.file)?;
            }
        }
        Ok(())
    }
}

/// Finishes an open file: its footer written, its bytes synced.
fn close(file: &mut Option<(ArrowWriter<File>, usize)>) -> io::Result<()> {
    if let Some((w, _)) = file.take() {
        let f = w.into_inner().map_err(io::Error::other)?;
        f.sync_all()?;
    }
    Ok(())
}

/// How many rows of each table an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Entities.
    pub entities: u64,
    /// Facts.
    pub facts: u64,
    /// Ties.
    pub ties: u64,
    /// Readings.
    pub readings: u64,
    /// Sources.
    pub sources: u64,
}

/// The dataset being written into a folder: entities first, then fact after fact.
pub struct Dataset {
    facts: Table,
    ties: Table,
    readings: Table,
    sources: Table,
    written: Written,
}

impl Dataset {
    /// Writes `entities` into `root` (an empty folder) and readies the other tables.
    pub fn new(root: &Path, entities: &[Entity]) -> io::Result<Dataset> {
        let mut table = Table::new(root, &ENTITIES);
        for e in entities {
            let row = EntityRow::of(e);
            let texts = date_texts(&row.dates);
            let aliases: Vec<&str> = e.aliases.iter().map(String::as_str).collect();
            let mut v = vec![
                Value::Text(Some(&e.id)),
                Value::Text(Some(e.kind.as_str())),
                Value::Text(Some(&e.name)),
                Value::Texts(&aliases),
            ];
            v.extend(date_values(&row.dates, &texts));
            v.push(Value::Int(e.cow.map(|c| c as i32)));
            v.push(Value::Text(e.org_kind.map(|k| k.as_str())));
            v.push(Value::Text(e.note.as_deref()));
            table.push("", &v)?;
        }
        table.finish()?;
        Ok(Dataset {
            facts: Table::new(root, &FACTS),
            ties: Table::new(root, &TIES),
            readings: Table::new(root, &READINGS),
            sources: Table::new(root, &SOURCES),
            written: Written {
                entities: entities.len() as u64,
                ..Written::default()
            },
        })
    }

    /// Adds the rows of `fact`, with entity ids as `canonical` gives them.
    pub fn add(
        &mut self,
        fact: &Fact,
        canonical: &dyn Fn(&str) -> Option<String>,
    ) -> io::Result<()> {
        let r: FactRows<'_> = rows(fact, canonical);
        let f = &r.fact;
        let kind = f.kind.as_str();
        let texts = date_texts(&f.dates);
        let signed = text(&f.signed);
        let in_force = text(&f.in_force);
        let mut v = vec![Value::Text(Some(&f.id)), Value::Text(Some(&f.title))];
        v.extend(date_values(&f.dates, &texts));
        v.extend([
            Value::Bool(Some(f.disputed)),
            Value::Text(signed.as_deref()),
            Value::Text(in_force.as_deref()),
            Value::Text(f.treaty_kind),
            Value::Bool(f.alliance),
            Value::Texts(&f.measures),
            Value::Text(f.legal_act.as_deref()),
            Value::Text(f.program.as_deref()),
            Value::Text(f.stance),
            Value::Text(f.quote.as_deref()),
            Value::Text(f.event_kind),
            Value::Text(f.note.as_deref()),
        ]);
        let partition = format!("kind={kind}/start_year={}", f.start_year);
        self.facts.push(&partition, &v)?;
        let tie_partition = format!("kind={kind}");
        for t in &r.ties {
            self.tie(&tie_partition, t)?;
        }
        for rd in &r.readings {
            self.reading(rd)?;
        }
        for s in &r.sources {
            self.source(s)?;
        }
        self.written.facts += 1;
        self.written.ties += r.ties.len() as u64;
        self.written.readings += r.readings.len() as u64;
        self.written.sources += r.sources.len() as u64;
        Ok(())
    }

    fn tie(&mut self, partition: &str, t: &TieRow) -> io::Result<()> {
        let texts = date_texts(&t.dates);
        let signed = text(&t.signed);
        let mut v = vec![
            Value::Text(Some(&t.fact)),
            Value::Text(Some(&t.entity)),
            Value::Text(Some(t.role)),
            Value::Int(Some(t.party)),
            Value::Text(t.treaty_kind),
        ];
        v.extend(date_values(&t.dates, &texts));
        v.push(Value::Text(signed.as_deref()));
        v.push(Value::Text(t.state.as_deref()));
        self.ties.push(partition, &v)
    }

    fn reading(&mut self, r: &ReadingRow) -> io::Result<()> {
        let texts = date_texts(&r.dates);
        let signed = text(&r.signed);
        let mut v = vec![
            Value::Text(Some(&r.fact)),
            Value::Text(Some(r.kind.as_str())),
            Value::Int(Some(r.party)),
            Value::Text(r.entity.as_deref()),
            Value::Int(Some(r.reading)),
        ];
        v.extend(date_values(&r.dates, &texts));
        v.push(Value::Text(signed.as_deref()));
        v.push(Value::Text(r.note.as_deref()));
        self.readings.push("", &v)
    }

    fn source(&mut self, s: &SourceRow<'_>) -> io::Result<()> {
        let published = text(&s.source.published);
        let v = [
            Value::Text(Some(s.fact)),
            Value::Int(Some(s.party)),
            Value::Int(Some(s.reading)),
            Value::Int(Some(s.position)),
            Value::Text(Some(&s.source.title)),
            Value::Text(Some(&s.source.url)),
            Value::Text(s.source.publisher.as_deref()),
            Value::Text(published.as_deref()),
            Value::Text(s.source.kind.map(|k| k.as_str())),
        ];
        self.sources.push("", &v)
    }

    /// Writes what is left; says how many rows each table got.
    pub fn finish(self) -> io::Result<Written> {
        self.facts.finish()?;
        self.ties.finish()?;
        self.readings.finish()?;
        self.sources.finish()?;
        Ok(self.written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_unix_epoch() {
        let d = Date::parse("1970-01-01").expect("date");
        assert_eq!(d.first() - EPOCH, 0);
        let d = Date::parse("2021-03-15").expect("date");
        assert_eq!(d.first() - EPOCH, 18_701);
    }

    /// Rows in every Parquet file under `dir`.
    fn rows_in(dir: &Path) -> usize {
        let mut n = 0;
        for e in walkdir::WalkDir::new(dir) {
            let e = e.expect("walk");
            if e.path().extension().is_some_and(|x| x == "parquet") {
                let file = File::open(e.path()).expect("open");
                let reader =
                    parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
                        .expect("a Parquet file");
                n += reader.metadata().file_metadata().num_rows() as usize;
            }
        }
        n
    }

    #[test]
    fn the_bundled_world_is_written_whole_in_partitions() {
        let data = crate::load::load(&crate::load::DataSource::Bundled).dataset;
        let dir = tempfile::tempdir().expect("temp dir");
        let mut out = Dataset::new(dir.path(), &data.entities).expect("entities");
        let canonical = |id: &str| data.entity(id).map(|e| e.id.clone());
        for f in &data.facts {
            out.add(f, &canonical).expect("a fact");
        }
        let written = out.finish().expect("written");
        assert_eq!(written.facts as usize, data.facts.len());
        assert_eq!(rows_in(&dir.path().join("facts")), data.facts.len());
        assert_eq!(rows_in(&dir.path().join("entities")), data.entities.len());
        assert_eq!(rows_in(&dir.path().join("ties")) as u64, written.ties);
        assert_eq!(rows_in(&dir.path().join("sources")) as u64, written.sources);
        assert_eq!(
            rows_in(&dir.path().join("readings")) as u64,
            written.readings
        );
        assert!(written.readings > 0 && written.ties > written.facts);
        assert!(
            dir.path()
                .join("facts/kind=Treaty/start_year=1992")
                .is_dir()
        );
        assert!(dir.path().join("ties/kind=Sanction").is_dir());
    }

    #[test]
    fn every_table_lists_each_column_once() {
        for l in [&ENTITIES, &FACTS, &TIES, &READINGS, &SOURCES] {
            let cols = l.columns();
            let mut names: Vec<&str> = cols.iter().map(|c| c.0).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), cols.len(), "{}", l.name);
        }
    }
}
