//! A compact binary form of entities and facts for the cache: little-endian integers,
//! length-prefixed UTF-8, closed vocabularies as their position in `ALL`. Decoding checks every
//! length and value and answers `None` for anything out of place, so bytes that got past the
//! checksums by some bug still never become a wrong record. Origins are not kept: the questions
//! answered from the cache never point into files.

use crate::model::{
    Coverage, Date, Entity, EntityKind, EventKind, Fact, FactBody, FactKind, Interval, Measure,
    OrgKind, Origin, Party, Reading, Source, SourceKind, Stance, TreatyKind, When,
};

/// Appends encoded values to a buffer.
#[derive(Default)]
pub struct Enc(pub Vec<u8>);

impl Enc {
    /// A byte.
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    /// A 32-bit number.
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// A 64-bit number.
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// A count or length, seven bits a byte (LEB128): most take one byte.
    pub fn len(&mut self, mut n: usize) {
        while n >= 0x80 {
            self.0.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }
    /// A string.
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt_str(&mut self, s: &Option<String>) {
        match s {
            None => self.u8(0),
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
        }
    }
    fn strs(&mut self, v: &[String]) {
        self.len(v.len());
        for s in v {
            self.str(s);
        }
    }
    /// A date, or none.
    pub fn date(&mut self, d: Option<Date>) {
        match d {
            None => self.u8(0),
            Some(d) => {
                let (year, month, day) = d.parts();
                self.u8(1);
                self.0.extend_from_slice(&year.to_le_bytes());
                self.u8(month);
                self.u8(day);
            }
        }
    }
    fn interval(&mut self, i: Interval) {
        self.date(i.from);
        self.date(i.until);
    }
    fn sources(&mut self, v: &[Source]) {
        self.len(v.len());
        for s in v {
            self.str(&s.title);
            self.str(&s.url);
            self.opt_str(&s.publisher);
            self.date(s.published);
            self.u8(match s.kind {
                None => 0,
                Some(k) => 1 + SourceKind::ALL.iter().position(|x| *x == k).unwrap_or(0) as u8,
            });
        }
    }
    fn readings(&mut self, v: &[Reading]) {
        self.len(v.len());
        for r in v {
            self.interval(r.interval);
            self.interval(r.own);
            self.date(r.signed);
            self.sources(&r.sources);
            self.opt_str(&r.note);
        }
    }
    fn vocab<T: PartialEq>(&mut self, all: &[T], v: &T) {
        self.u8(all.iter().position(|x| x == v).unwrap_or(0) as u8);
    }

    /// An entity.
    pub fn entity(&mut self, e: &Entity) {
        self.str(&e.id);
        self.u8(match e.kind {
            EntityKind::State => 0,
            EntityKind::Organization => 1,
            EntityKind::Person => 2,
        });
        self.str(&e.name);
        self.strs(&e.aliases);
        self.interval(e.existence);
        match e.cow {
            None => self.u8(0),
            Some(c) => {
                self.u8(1);
                self.u32(c);
            }
        }
        match &e.org_kind {
            None => self.u8(0),
            Some(k) => {
                self.u8(1);
                self.vocab(OrgKind::ALL, k);
            }
        }
        self.opt_str(&e.note);
    }

    /// What the data says it covers.
    pub fn coverage(&mut self, c: &Coverage) {
        self.len(c.kinds.len());
        for k in &c.kinds {
            self.vocab(&FactKind::ALL, k);
        }
        self.interval(c.period);
        self.u8(u8::from(c.complete));
        self.opt_str(&c.note);
    }

    /// A fact.
    pub fn fact(&mut self, f: &Fact) {
        self.str(&f.id);
        self.u8(u8::from(f.id_derived));
        match f.when {
            When::Span(i) => {
                self.u8(0);
                self.interval(i);
            }
            When::On(d) => {
                self.u8(1);
                self.date(Some(d));
            }
        }
        self.readings(&f.disputed);
        self.sources(&f.sources);
        self.opt_str(&f.note);
        match &f.body {
            FactBody::Role { person, of, title } => {
                self.u8(0);
                self.str(person);
                self.str(of);
                self.str(title);
            }
            FactBody::Membership { member, of } => {
                self.u8(1);
                self.str(member);
                self.str(of);
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
                self.u8(2);
                self.str(name);
                self.strs(aliases);
                self.vocab(TreatyKind::ALL, kind);
                self.date(*signed);
                self.date(*in_force);
                self.date(*ended);
                self.opt_str(organization);
                self.len(parties.len());
                for p in parties {
                    self.str(&p.state);
                    self.date(p.signed);
                    self.interval(p.interval);
                    self.readings(&p.disputed);
                    self.sources(&p.sources);
                    self.opt_str(&p.note);
                }
            }
            FactBody::Sanction {
                by,
                against,
                measures,
                legal_act,
                program,
            } => {
                self.u8(3);
                self.str(by);
                self.strs(against);
                self.len(measures.len());
                for m in measures {
                    self.vocab(Measure::ALL, m);
                }
                self.opt_str(legal_act);
                self.opt_str(program);
            }
            FactBody::Statement {
                by,
                on_behalf_of,
                about,
                quote,
                stance,
            } => {
                self.u8(4);
                self.str(by);
                self.opt_str(on_behalf_of);
                self.strs(about);
                self.str(quote);
                self.vocab(Stance::ALL, stance);
            }
            FactBody::Event {
                name,
                kind,
                involves,
                summary,
            } => {
                self.u8(5);
                self.str(name);
                self.vocab(EventKind::ALL, kind);
                self.strs(involves);
                self.opt_str(summary);
            }
        }
    }
}

/// The id of the fact `bytes` hold (its first field), read without decoding the rest.
pub fn id_of(bytes: &[u8]) -> Option<&str> {
    Dec::new(bytes).str_ref()
}

/// The one fact `bytes` hold, every byte of them; `None` when they hold anything else.
pub fn fact_of(bytes: &[u8]) -> Option<Fact> {
    let mut d = Dec::new(bytes);
    let f = d.fact()?;
    d.done().then_some(f)
}

/// Reads encoded values; every method answers `None` when the bytes do not fit.
pub struct Dec<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Dec<'a> {
    /// Reads from the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Dec<'a> {
        Dec { bytes, pos: 0 }
    }
    /// Whether every byte was read.
    pub fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }
    /// A byte.
    pub fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    /// A 32-bit number.
    pub fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_le_bytes)
    }
    /// A 64-bit number.
    pub fn u64(&mut self) -> Option<u64> {
        self.take(8)?.try_into().ok().map(u64::from_le_bytes)
    }
    /// A count or length written by [`Enc::len`].
    fn len(&mut self) -> Option<usize> {
        // Most lengths take one byte.
        let first = *self.bytes.get(self.pos)?;
        if first < 0x80 {
            self.pos += 1;
            return Some(usize::from(first));
        }
        let mut n = 0usize;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }
    /// A string.
    pub fn str(&mut self) -> Option<String> {
        self.str_ref().map(str::to_string)
    }
    /// A string, borrowed from the bytes.
    pub fn str_ref(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        let b = self.take(n)?;
        std::str::from_utf8(b).ok()
    }
    fn flag(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn opt_str(&mut self) -> Option<Option<String>> {
        if self.flag()? {
            self.str().map(Some)
        } else {
            Some(None)
        }
    }
    /// A count of items that cannot be larger than the bytes left.
    pub fn count(&mut self) -> Option<usize> {
        let n = self.len()?;
        (n <= self.bytes.len() - self.pos).then_some(n)
    }
    /// A list: its length, then each item as `item` reads it. The list is allocated at its
    /// length (collecting through `Option` would start at four items, and most lists here hold
    /// one or two: a quarter of a decoded fact's memory went to empty places).
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.count()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(item(self)?);
        }
        Some(out)
    }
    fn strs(&mut self) -> Option<Vec<String>> {
        self.list(Self::str)
    }
    /// A date, or none.
    pub fn date(&mut self) -> Option<Option<Date>> {
        match self.u8()? {
            0 => Some(None),
            1 => {
                let year = u16::from_le_bytes(self.take(2)?.try_into().ok()?);
                let (month, day) = (self.u8()?, self.u8()?);
                Date::from_parts(year, month, day).map(Some)
            }
            _ => None,
        }
    }
    fn interval(&mut self) -> Option<Interval> {
        Some(Interval::new(self.date()?, self.date()?))
    }
    fn sources(&mut self) -> Option<Vec<Source>> {
        self.list(|d| {
            Some(Source {
                title: d.str()?,
                url: d.str()?,
                publisher: d.opt_str()?,
                published: d.date()?,
                kind: match d.u8()? {
                    0 => None,
                    n => Some(*SourceKind::ALL.get(usize::from(n) - 1)?),
                },
            })
        })
    }
    fn readings(&mut self) -> Option<Vec<Reading>> {
        self.list(|d| {
            Some(Reading {
                interval: d.interval()?,
                own: d.interval()?,
                signed: d.date()?,
                sources: d.sources()?,
                note: d.opt_str()?,
                origin: Origin::default(),
            })
        })
    }
    fn vocab<T: Copy>(&mut self, all: &[T]) -> Option<T> {
        all.get(self.u8()? as usize).copied()
    }

    /// An entity.
    pub fn entity(&mut self) -> Option<Entity> {
        let id = self.str()?;
        let kind = match self.u8()? {
            0 => EntityKind::State,
            1 => EntityKind::Organization,
            2 => EntityKind::Person,
            _ => return None,
        };
        let name = self.str()?;
        let aliases = self.strs()?;
        let existence = self.interval()?;
        let cow = if self.flag()? {
            Some(self.u32()?)
        } else {
            None
        };
        let org_kind = if self.flag()? {
            Some(self.vocab(OrgKind::ALL)?)
        } else {
            None
        };
        let note = self.opt_str()?;
        Some(Entity {
            id,
            kind,
            name,
            aliases,
            existence,
            cow,
            org_kind,
            note,
            origin: Origin::default(),
        })
    }

    /// What the data says it covers.
    pub fn coverage(&mut self) -> Option<Coverage> {
        Some(Coverage {
            kinds: self.list(|d| d.vocab(&FactKind::ALL))?,
            period: self.interval()?,
            complete: self.flag()?,
            note: self.opt_str()?,
            origin: Origin::default(),
        })
    }

    /// A fact.
    pub fn fact(&mut self) -> Option<Fact> {
        let id = self.str()?;
        let id_derived = self.flag()?;
        let when = match self.u8()? {
            0 => When::Span(self.interval()?),
            1 => When::On(self.date()??),
            _ => return None,
        };
        let disputed = self.readings()?;
        let sources = self.sources()?;
        let note = self.opt_str()?;
        let body = match self.u8()? {
            0 => FactBody::Role {
                person: self.str()?,
                of: self.str()?,
                title: self.str()?,
            },
            1 => FactBody::Membership {
                member: self.str()?,
                of: self.str()?,
            },
            2 => {
                let name = self.str()?;
                let aliases = self.strs()?;
                let kind = self.vocab(TreatyKind::ALL)?;
                let signed = self.date()?;
                let in_force = self.date()?;
                let ended = self.date()?;
                let organization = self.opt_str()?;
                let parties = self.list(|d| {
                    Some(Party {
                        state: d.str()?,
                        signed: d.date()?,
                        interval: d.interval()?,
                        disputed: d.readings()?,
                        sources: d.sources()?,
                        note: d.opt_str()?,
                        origin: Origin::default(),
                    })
                })?;
                FactBody::Treaty {
                    name,
                    aliases,
                    kind,
                    signed,
                    in_force,
                    ended,
                    organization,
                    parties,
                }
            }
            3 => {
                let by = self.str()?;
                let against = self.strs()?;
                let measures = self.list(|d| d.vocab(Measure::ALL))?;
                FactBody::Sanction {
                    by,
                    against,
                    measures,
                    legal_act: self.opt_str()?,
                    program: self.opt_str()?,
                }
            }
            4 => FactBody::Statement {
                by: self.str()?,
                on_behalf_of: self.opt_str()?,
                about: self.strs()?,
                quote: self.str()?,
                stance: self.vocab(Stance::ALL)?,
            },
            5 => FactBody::Event {
                name: self.str()?,
                kind: self.vocab(EventKind::ALL)?,
                involves: self.strs()?,
                summary: self.opt_str()?,
            },
            _ => return None,
        };
        Some(Fact {
            id,
            id_derived,
            when,
            disputed,
            body,
            sources,
            note,
            origin: Origin::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of the bundled world comes back as it went in (origins aside).
    #[test]
    fn records_round_trip() {
        let loaded = crate::load::load(&crate::load::DataSource::Bundled);
        let data = loaded.dataset;
        assert!(!data.facts.is_empty());
        for e in &data.entities {
            let mut enc = Enc::default();
            enc.entity(e);
            let mut dec = Dec::new(&enc.0);
            let back = dec.entity().expect("decodes");
            assert!(dec.done());
            assert_eq!(
                back,
                Entity {
                    origin: Origin::default(),
                    ..e.clone()
                }
            );
        }
        for f in &data.facts {
            let mut enc = Enc::default();
            enc.fact(f);
            let mut dec = Dec::new(&enc.0);
            let back = dec.fact().expect("decodes");
            assert!(dec.done());
            assert_eq!(back, without_origins(f), "{}", f.id);
        }
        assert!(
            data.facts.iter().any(|f| f.id_derived),
            "derived ids covered"
        );
        assert!(
            data.facts.iter().any(|f| !f.disputed.is_empty()),
            "readings covered"
        );
    }

    /// `f` as the cache keeps it: every field but where it was written.
    fn without_origins(f: &Fact) -> Fact {
        f.clone().without_origins()
    }

    #[test]
    fn short_or_wrong_bytes_decode_to_none() {
        let loaded = crate::load::load(&crate::load::DataSource::Bundled);
        let mut enc = Enc::default();
        enc.fact(&loaded.dataset.facts[0]);
        for cut in 0..enc.0.len() {
            assert!(Dec::new(&enc.0[..cut]).fact().is_none() || cut == enc.0.len());
        }
    }

    #[test]
    fn lengths_take_as_few_bytes_as_they_need_and_come_back() {
        for (n, bytes) in [
            (0usize, 1usize),
            (127, 1),
            (128, 2),
            (16_383, 2),
            (16_384, 3),
        ] {
            let mut enc = Enc::default();
            enc.len(n);
            assert_eq!(enc.0.len(), bytes, "{n}");
            let mut dec = Dec::new(&enc.0);
            assert_eq!(dec.len(), Some(n));
            assert!(dec.done());
        }
        // A length that never ends is refused, not read past.
        assert_eq!(Dec::new(&[0x80; 12]).len(), None);
    }

    #[test]
    fn dates_of_every_precision_come_back_and_impossible_ones_are_refused() {
        for text in [
            "1999",
            "2020-10",
            "2021-03-15",
            "2024-02-29",
            "0001-01-01",
            "9999-12",
        ] {
            let d = Date::parse(text).expect("a date");
            let mut enc = Enc::default();
            enc.date(Some(d));
            assert_eq!(Dec::new(&enc.0).date(), Some(Some(d)), "{text}");
        }
        // Year 2023, month 2, day 29: not a day.
        let feb29 = [1, 0xe7, 0x07, 2, 29];
        assert_eq!(Dec::new(&feb29).date(), None);
        let month13 = [1, 0xe7, 0x07, 13, 0];
        assert_eq!(Dec::new(&month13).date(), None);
        let day_without_month = [1, 0xe7, 0x07, 0, 5];
        assert_eq!(Dec::new(&day_without_month).date(), None);
    }
}
