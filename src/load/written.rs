//! A record of the model as the file format writes it: its kind, and its fields under their
//! names in the file (`from`, `in_force`, `parties`), each value as RON text. What two
//! versions of the data are compared by, field by field, and how a record is printed on one
//! line ([`format::Value`], the one printer of RON text). Fields the file leaves out (an
//! optional field with no value, a derived id, a reading's dates that are its fact's) are left
//! out here too.

use super::format::{self, Value};
use crate::model::{
    Coverage, Date, Entity, EntityKind, Fact, FactBody, Party, Reading, Source, When,
};

/// A value as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Written {
    /// A string, date, number or name, as RON text (`"2012-12-20"`, `Defense`, `370`).
    Atom(String),
    /// `[ ... ]`.
    List(Vec<Written>),
    /// `Name(field: value, ...)`.
    Record(Record),
}

/// A record as written: `Name(field: value, ...)`, its fields in the format's order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    /// The record's name (`Treaty`, `Party`, `Source`).
    pub name: &'static str,
    /// Its fields, in the format's order.
    pub fields: Vec<(&'static str, Written)>,
}

impl Record {
    fn new(name: &'static str) -> Record {
        Record {
            name,
            fields: Vec::new(),
        }
    }

    fn put(&mut self, name: &'static str, value: Written) -> &mut Record {
        self.fields.push((name, value));
        self
    }

    fn string(&mut self, name: &'static str, s: &str) -> &mut Record {
        self.put(name, string(s))
    }

    fn opt_string(&mut self, name: &'static str, s: Option<&str>) -> &mut Record {
        if let Some(s) = s {
            self.string(name, s);
        }
        self
    }

    fn date(&mut self, name: &'static str, d: Option<Date>) -> &mut Record {
        if let Some(d) = d {
            self.put(name, date(d));
        }
        self
    }

    fn strings(&mut self, name: &'static str, items: &[String], always: bool) -> &mut Record {
        if always || !items.is_empty() {
            self.put(
                name,
                Written::List(items.iter().map(|s| string(s)).collect()),
            );
        }
        self
    }

    fn list(&mut self, name: &'static str, items: Vec<Written>, always: bool) -> &mut Record {
        if always || !items.is_empty() {
            self.put(name, Written::List(items));
        }
        self
    }

    /// The value of field `name`, if written.
    pub fn field(&self, name: &str) -> Option<&Written> {
        self.fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The record without its `id` field: what a renamed record keeps.
    pub fn without_id(&self) -> Record {
        Record {
            name: self.name,
            fields: self
                .fields
                .iter()
                .filter(|(k, _)| *k != "id")
                .cloned()
                .collect(),
        }
    }

    /// The record on one line, as RON.
    pub fn line(&self) -> String {
        self.value().line()
    }

    fn value(&self) -> Value<'_> {
        Value::record(self.name, self.fields.iter().map(|(k, v)| (*k, v.value())))
    }
}

impl Written {
    /// The value on one line, as RON.
    pub fn line(&self) -> String {
        self.value().line()
    }

    fn value(&self) -> Value<'_> {
        match self {
            Written::Atom(text) => Value::atom(text.as_str()),
            Written::List(items) => Value::list(items.iter().map(Written::value)),
            Written::Record(r) => r.value(),
        }
    }
}

fn string(s: &str) -> Written {
    Written::Atom(format::string_literal(s))
}

fn date(d: Date) -> Written {
    Written::Atom(format!("\"{d}\""))
}

fn atom(s: &str) -> Written {
    Written::Atom(s.to_string())
}

/// An entity as written.
pub fn entity(e: &Entity) -> Record {
    let mut r = Record::new(e.kind.as_str());
    r.string("id", &e.id).string("name", &e.name);
    r.strings("aliases", &e.aliases, false);
    let (from, until) = match e.kind {
        EntityKind::State => ("from", "until"),
        EntityKind::Organization => ("founded", "dissolved"),
        EntityKind::Person => ("born", "died"),
    };
    if let Some(cow) = e.cow {
        r.put("cow", atom(&cow.to_string()));
    }
    if let Some(k) = e.org_kind {
        r.put("kind", atom(k.as_str()));
    }
    r.date(from, e.existence.from)
        .date(until, e.existence.until);
    r.opt_string("note", e.note.as_deref());
    r
}

/// A fact as written.
pub fn fact(f: &Fact) -> Record {
    let mut r = Record::new(f.kind().as_str());
    if !f.id_derived {
        r.string("id", &f.id);
    }
    match &f.body {
        FactBody::Role { person, of, title } => {
            r.string("person", person)
                .string("of", of)
                .string("title", title);
            when(&mut r, f.when);
        }
        FactBody::Membership { member, of } => {
            r.string("member", member).string("of", of);
            when(&mut r, f.when);
        }
        FactBody::Treaty {
            name,
            aliases,
            kind,
            signed,
            in_force,
            ended,
            organization,
            parties,
        } => {
            r.string("name", name);
            r.strings("aliases", aliases, false);
            r.put("kind", atom(kind.as_str()));
            r.date("signed", *signed)
                .date("in_force", *in_force)
                .date("ended", *ended);
            r.opt_string("organization", organization.as_deref());
            r.list(
                "parties",
                parties.iter().map(|p| Written::Record(party(p))).collect(),
                true,
            );
        }
        FactBody::Sanction {
            by,
            against,
            measures,
            legal_act,
            program,
        } => {
            r.string("by", by);
            r.strings("against", against, true);
            r.list(
                "measures",
                measures.iter().map(|m| atom(m.as_str())).collect(),
                true,
            );
            when(&mut r, f.when);
            r.opt_string("legal_act", legal_act.as_deref());
            r.opt_string("program", program.as_deref());
        }
        FactBody::Statement {
            by,
            on_behalf_of,
            about,
            quote,
            stance,
        } => {
            r.string("by", by);
            r.opt_string("on_behalf_of", on_behalf_of.as_deref());
            r.strings("about", about, true);
            when(&mut r, f.when);
            r.string("quote", quote);
            r.put("stance", atom(stance.as_str()));
        }
        FactBody::Event {
            name,
            kind,
            involves,
            summary,
        } => {
            r.string("name", name);
            r.put("kind", atom(kind.as_str()));
            when(&mut r, f.when);
            r.strings("involves", involves, true);
            r.opt_string("summary", summary.as_deref());
        }
    }
    readings(&mut r, &f.disputed);
    sources(&mut r, &f.sources, true);
    r.opt_string("note", f.note.as_deref());
    r
}

/// What the data says it covers, as written.
pub fn coverage(c: &Coverage) -> Record {
    let mut r = Record::new("Coverage");
    r.list(
        "kinds",
        c.kinds.iter().map(|k| atom(k.as_str())).collect(),
        true,
    );
    r.date("from", c.period.from).date("until", c.period.until);
    if !c.complete {
        r.put("complete", atom("false"));
    }
    r.opt_string("note", c.note.as_deref());
    r
}

fn when(r: &mut Record, w: When) {
    match w {
        When::On(d) => {
            r.put("on", date(d));
        }
        When::Span(i) => {
            r.date("from", i.from).date("until", i.until);
        }
    }
}

fn party(p: &Party) -> Record {
    let mut r = Record::new("Party");
    r.string("state", &p.state);
    r.date("signed", p.signed)
        .date("from", p.interval.from)
        .date("until", p.interval.until);
    readings(&mut r, &p.disputed);
    sources(&mut r, &p.sources, false);
    r.opt_string("note", p.note.as_deref());
    r
}

/// A fact's or party's other readings, with the dates they write themselves.
fn readings(r: &mut Record, disputed: &[Reading]) {
    let items = disputed
        .iter()
        .map(|d| {
            let mut w = Record::new("Reading");
            w.date("signed", d.signed);
            w.date("from", d.own.from).date("until", d.own.until);
            sources(&mut w, &d.sources, true);
            w.opt_string("note", d.note.as_deref());
            Written::Record(w)
        })
        .collect();
    r.list("disputed", items, false);
}

fn sources(r: &mut Record, sources: &[Source], always: bool) {
    let items = sources
        .iter()
        .map(|s| {
            let mut w = Record::new("Source");
            w.string("title", &s.title).string("url", &s.url);
            w.opt_string("publisher", s.publisher.as_deref());
            w.date("published", s.published);
            if let Some(k) = s.kind {
                w.put("kind", atom(k.as_str()));
            }
            Written::Record(w)
        })
        .collect();
    r.list("sources", items, always);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{DataSource, load};

    #[test]
    fn every_record_written_again_loads_as_the_same_record() {
        let data = load(&DataSource::Bundled).dataset;
        let mut text = String::from("[\n");
        for e in &data.entities {
            text.push_str(&format!("    {},\n", entity(e).line()));
        }
        for f in &data.facts {
            text.push_str(&format!("    {},\n", fact(f).line()));
        }
        for c in &data.coverage {
            text.push_str(&format!("    {},\n", coverage(c).line()));
        }
        text.push_str("]\n");
        let again = crate::load::from_text("again.ron", &text);
        assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
        let again = again.dataset;
        assert_eq!(again.entities.len(), data.entities.len());
        assert_eq!(again.facts.len(), data.facts.len());
        for (a, b) in data.facts.iter().zip(&again.facts) {
            assert_eq!(fact(a), fact(b), "{}", a.id);
            assert_eq!(a.clone().without_origins(), b.clone().without_origins());
        }
        for (a, b) in data.entities.iter().zip(&again.entities) {
            assert_eq!(entity(a), entity(b), "{}", a.id);
        }
        for (a, b) in data.coverage.iter().zip(&again.coverage) {
            assert_eq!(coverage(a), coverage(b));
        }
    }
}
