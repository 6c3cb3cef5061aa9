//! A synthetic world in dipgraph's own format, for benchmarks and demos: states,
//! organizations and people (more of them as the world grows), treaties whose parties join,
//! leave and rejoin, sanctions with several targets, and many statements and events on skewed
//! targets, with dates of every precision.
//!
//! The output depends only on the options: the same `facts` and `seed` write the same bytes,
//! on any machine and with any version of the dependencies (the random numbers come from a
//! small generator written here, not from a crate whose streams may change). Every world is
//! valid: `dipgraph validate` finds no error and no warning in it.
//!
//! Records are printed by the formatter's printer ([`crate::load::format`]), one record a line
//! whatever its width: benchmark scripts and tests read these files a line at a time.

use std::io;
use std::path::Path;

use crate::load::format::{DataFile, Line};
use crate::model::{Date, Interval, date::day_number};

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How many facts (roles, memberships, treaties, sanctions, statements, events).
    pub facts: u64,
    /// The seed: the same seed writes the same bytes.
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Files written.
    pub files: usize,
    /// States, organizations and people.
    pub entities: u64,
    /// Facts.
    pub facts: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// Facts per data file: files are parsed in parallel, so a big world is many files.
pub const FACTS_PER_FILE: u64 = 10_000;

/// SplitMix64: small, fast, and fixed forever, so that a seed always means the same world
/// (and the benchmarks' samples the same questions).
pub struct Rng(u64);

impl Rng {
    /// The generator of `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n.max(1))) >> 64) as u64
    }

    fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// A uniform float in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `true` with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }
}

/// Skewed choice: item `k` of a pool is picked with weight `1 / (k + 1)^s` (a Zipf law), so a
/// few targets (the first states) draw most statements, events and sanctions.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|k| {
                total += 1.0 / ((k + 1) as f64).powf(s);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// Real states first (they draw the most facts), then made-up ones with user-assigned codes.
const REAL_STATES: &[(&str, &str)] = &[
    ("RUS", "Russia"),
    ("USA", "United States"),
    ("CHN", "China"),
    ("BLR", "Belarus"),
    ("UKR", "Ukraine"),
    ("GBR", "United Kingdom"),
    ("FRA", "France"),
    ("DEU", "Germany"),
    ("POL", "Poland"),
    ("IRN", "Iran"),
    ("TUR", "Turkey"),
    ("IND", "India"),
    ("JPN", "Japan"),
    ("KAZ", "Kazakhstan"),
    ("ARM", "Armenia"),
    ("AZE", "Azerbaijan"),
    ("GEO", "Georgia"),
    ("KGZ", "Kyrgyzstan"),
    ("TJK", "Tajikistan"),
    ("UZB", "Uzbekistan"),
    ("LTU", "Lithuania"),
    ("LVA", "Latvia"),
    ("EST", "Estonia"),
    ("ITA", "Italy"),
    ("ESP", "Spain"),
    ("CAN", "Canada"),
    ("BRA", "Brazil"),
    ("ZAF", "South Africa"),
    ("ISR", "Israel"),
    ("SAU", "Saudi Arabia"),
    ("EGY", "Egypt"),
    ("SYR", "Syria"),
    ("PRK", "North Korea"),
    ("KOR", "South Korea"),
    ("VEN", "Venezuela"),
    ("CUB", "Cuba"),
    ("SRB", "Serbia"),
    ("HUN", "Hungary"),
    ("MDA", "Moldova"),
    ("NOR", "Norway"),
];

const SYLLABLES: &[&str] = &[
    "var", "no", "ka", "tel", "mi", "ros", "dan", "ul", "be", "shi", "or", "lan", "te", "ma", "vo",
    "rik", "sa", "po", "len", "gar", "ti", "zu", "mon", "el",
];

const FIRST_NAMES: &[&str] = &[
    "Anna", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Irina", "Jonas",
    "Katya", "Lev", "Maria", "Nikolai", "Olga", "Pavel", "Rosa", "Sergei", "Tamara", "Viktor",
    "Yulia", "Zofia", "Amir", "Ines", "Tomas", "Lena", "Oskar", "Vera", "Marek", "Nadia",
];

const ORG_KINDS: &[(&str, &str)] = &[
    ("Supranational", "Union"),
    ("Intergovernmental", "Council"),
    ("Alliance", "Pact Organization"),
    ("Government", "Ministry"),
    ("Agency", "Agency"),
    ("Media", "News"),
    ("Pollster", "Polling"),
    ("Company", "Holdings"),
    ("Party", "Party"),
    ("Ngo", "Foundation"),
];

const TREATY_KINDS: &[&str] = &[
    "Defense",
    "Neutrality",
    "NonAggression",
    "Entente",
    "Union",
    "Economic",
    "Political",
    "Other",
];

const MEASURES: &[&str] = &[
    "AssetFreeze",
    "TravelBan",
    "ArmsEmbargo",
    "TradeRestriction",
    "FinancialRestriction",
    "AviationBan",
    "SectoralSanctions",
    "Other",
];

const STANCES: &[&str] = &["Friendly", "Hostile", "Neutral", "Mixed"];

const EVENT_KINDS: &[&str] = &[
    "Election",
    "Protest",
    "Meeting",
    "Summit",
    "Incident",
    "Poll",
    "Crackdown",
    "Other",
];

const WORDS: &[&str] = &[
    "we",
    "will",
    "not",
    "accept",
    "the",
    "pressure",
    "our",
    "partners",
    "stand",
    "together",
    "this",
    "is",
    "a",
    "matter",
    "of",
    "security",
    "dialogue",
    "remains",
    "open",
    "sanctions",
    "are",
    "unlawful",
    "cooperation",
    "grows",
    "borders",
    "talks",
    "continue",
    "friends",
    "brothers",
    "respect",
    "sovereignty",
    "demand",
    "release",
    "elections",
    "were",
    "free",
];

const PUBLISHERS: &[&str] = &[
    "Wire Service",
    "Daily Courier",
    "State Gazette",
    "Evening Post",
    "Policy Review",
];

/// A name made of syllables, unique for each `n`.
fn coined(mut n: usize, min_syllables: usize) -> String {
    let mut s = String::new();
    let mut count = 0;
    loop {
        s.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        count += 1;
        if n == 0 && count >= min_syllables {
            break;
        }
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// The first day dated facts fall on (1992-01-01) and how many days they span (to 2024).
fn fact_days() -> (i32, i32) {
    let first = date_of(1992, 1, 1);
    let last = date_of(2024, 12, 31);
    (first, last - first + 1)
}

fn date_of(y: i32, m: u32, d: u32) -> i32 {
    chrono::NaiveDate::from_ymd_opt(y, m, d).map_or(0, day_number)
}

/// A day number written at a precision: 0 day, 1 month, 2 year.
fn write_date(day: i32, precision: u8) -> String {
    let d = chrono::NaiveDate::from_num_days_from_ce_opt(day + 1).unwrap_or_default();
    let full = Date::from_naive(d).to_string();
    match precision {
        0 => full,
        1 => full[..7].to_string(),
        _ => full[..4].to_string(),
    }
}

/// Mostly day-precise; some month- and year-precise dates.
fn precision(rng: &mut Rng) -> u8 {
    match rng.below(100) {
        0..=79 => 0,
        80..=94 => 1,
        _ => 2,
    }
}

/// `from` and `until` texts for an interval, made day-precise where coarser dates would not
/// leave `until` after `from`.
fn span_texts(rng: &mut Rng, from: i32, until: i32) -> (String, String) {
    let (pf, pu) = (precision(rng), precision(rng));
    let (f, u) = (write_date(from, pf), write_date(until, pu));
    let parsed = (Date::parse(&f), Date::parse(&u));
    if let (Ok(fd), Ok(ud)) = parsed
        && Interval::new(Some(fd), Some(ud)).is_satisfiable()
        && ud.first() > fd.last()
    {
        return (f, u);
    }
    (write_date(from, 0), write_date(until, 0))
}

struct Entities {
    states: Vec<String>,
    orgs: Vec<String>,
    people: Vec<String>,
}

/// How many of each entity kind a world of `facts` facts has.
fn entity_counts(facts: u64) -> (usize, usize, usize) {
    let root = (facts as f64).sqrt() as usize;
    let states = (20 + root / 4).min(REAL_STATES.len() + 26 * 26);
    let states = states.min(300);
    let orgs = 10 + root / 2;
    let people = 50 + root * 5;
    (states, orgs, people)
}

/// Where the files go, and what was written.
struct Out<'s> {
    sink: &'s mut dyn FnMut(&str, &str) -> io::Result<()>,
    summary: Summary,
    opts: Options,
}

impl Out<'_> {
    /// A new data file of `what`, with a line saying where it comes from.
    fn file(&self, what: &str) -> DataFile {
        let line = format!(
            "Synthetic {what}, written by `dipgraph synth --facts {} --seed {}`. Not real data.",
            self.opts.facts, self.opts.seed
        );
        DataFile::new([line.as_str()])
    }

    fn emit(&mut self, path: &str, file: DataFile) -> io::Result<()> {
        let text = file.finish();
        self.summary.files += 1;
        self.summary.bytes += text.len() as u64;
        (self.sink)(path, &text)
    }
}

/// `["a", "b"]`.
fn strings(line: &mut Line, items: &[&str]) {
    line.list();
    for item in items {
        line.string(item);
    }
    line.end_list();
}

/// `sources: [Source(...)]`.
fn sources(rng: &mut Rng, line: &mut Line, facts: u64, day: i32) {
    // A pool of reports that several facts cite, as real wire reports are; now and then with
    // a publisher and date.
    let n = rng.below(facts / 4 + 10);
    let publisher = *rng.pick(PUBLISHERS);
    line.field("sources").list().record("Source");
    line.field("title").string(&format!("{publisher} {n}"));
    line.field("url")
        .string(&format!("https://news.example/{n}"));
    if rng.chance(0.1) {
        line.field("publisher").string(publisher);
        line.field("published").string(&write_date(day, 0));
    }
    line.end_record().end_list();
}

/// When a fact holds: on a day, or from a day (until another).
enum When {
    On(String),
    From(String, Option<String>),
}

impl When {
    /// `from` and `until` texts for an interval (see [`span_texts`]).
    fn span(rng: &mut Rng, from: i32, until: i32) -> When {
        let (f, u) = span_texts(rng, from, until);
        When::From(f, Some(u))
    }

    fn write(&self, line: &mut Line) {
        match self {
            When::On(d) => {
                line.field("on").string(d);
            }
            When::From(f, u) => {
                line.field("from").string(f);
                if let Some(u) = u {
                    line.field("until").string(u);
                }
            }
        }
    }
}

/// Writes a synthetic world through `sink` (relative path, file text), files in sorted path
/// order.
pub fn generate(
    opts: &Options,
    sink: &mut dyn FnMut(&str, &str) -> io::Result<()>,
) -> io::Result<Summary> {
    let mut rng = Rng(opts.seed ^ 0x6469_7067_7261_7068);
    let mut out = Out {
        sink,
        summary: Summary::default(),
        opts: *opts,
    };
    let (n_states, n_orgs, n_people) = entity_counts(opts.facts);
    let mut ents = Entities {
        states: Vec::new(),
        orgs: Vec::new(),
        people: Vec::new(),
    };

    // Entities: states, organizations, people. They exist before any fact (1992 on).
    let mut states = out.file("states");
    for i in 0..n_states {
        let (id, name) = match REAL_STATES.get(i) {
            Some((id, name)) => (id.to_string(), name.to_string()),
            None => {
                let k = i - REAL_STATES.len();
                let letters = [b'Q', b'A' + (k / 26) as u8, b'A' + (k % 26) as u8];
                let id = String::from_utf8_lossy(&letters).into_owned();
                (id, format!("{}ia", coined(k, 2)))
            }
        };
        let from = write_date(date_of(1800 + rng.below(190) as i32, 1, 1), 2);
        states.record_on_one_line(|line| {
            line.record("State");
            line.field("id").string(&id).field("name").string(&name);
            line.field("cow").atom(&(100 + i).to_string());
            line.field("from").string(&from).end_record();
        });
        ents.states.push(id);
    }

    let mut file = out.file("organizations");
    for i in 0..n_orgs {
        let (kind, word) = ORG_KINDS[i % ORG_KINDS.len()];
        let name = format!("{} {word}", coined(i, 2));
        let id = slug(&name);
        let founded = write_date(
            date_of(1945 + rng.below(45) as i32, 1, 1),
            precision(&mut rng),
        );
        file.record_on_one_line(|line| {
            line.record("Organization");
            line.field("id").string(&id).field("name").string(&name);
            line.field("kind").atom(kind);
            line.field("founded").string(&founded).end_record();
        });
        ents.orgs.push(id);
    }
    out.emit("entities/organizations.ron", file)?;

    let mut file = out.file("people");
    for i in 0..n_people {
        let first = FIRST_NAMES[i % FIRST_NAMES.len()];
        let last = coined(i / FIRST_NAMES.len(), 2);
        let name = format!("{first} {last}");
        let id = slug(&name);
        let born = write_date(
            date_of(1930 + rng.below(50) as i32, 1 + rng.below(12) as u32, 1),
            precision(&mut rng).min(1),
        );
        file.record_on_one_line(|line| {
            line.record("Person");
            line.field("id").string(&id).field("name").string(&name);
            line.field("born").string(&born).end_record();
        });
        ents.people.push(id);
    }
    out.emit("entities/people.ron", file)?;
    out.emit("entities/states.ron", states)?;
    out.summary.entities = (n_states + n_orgs + n_people) as u64;

    // Facts, by kind, in files of FACTS_PER_FILE.
    let n = opts.facts;
    let treaties = (n / 200).max(u64::from(n > 0));
    let memberships = n * 3 / 100;
    let roles = n * 2 / 100;
    let sanctions = n / 10;
    let events = n * 40 / 100;
    let statements = n - treaties - memberships - roles - sanctions - events;
    let kinds: [(&str, u64, FactWriter); 6] = [
        ("events", events, event),
        ("memberships", memberships, membership),
        ("roles", roles, role),
        ("sanctions", sanctions, sanction),
        ("statements", statements, statement),
        ("treaties", treaties, treaty),
    ];
    let zipf = Pools::new(&ents);
    for (dir, count, write) in kinds {
        let mut written = 0;
        let mut part = 0;
        while written < count {
            let mut file = out.file(dir);
            let end = (written + FACTS_PER_FILE).min(count);
            for k in written..end {
                file.record_on_one_line(|line| write(&mut rng, &ents, &zipf, k, n, line));
            }
            part += 1;
            out.emit(&format!("{dir}/{part:04}.ron"), file)?;
            written = end;
        }
        out.summary.facts += count;
    }
    Ok(out.summary)
}

/// Writes every file of the world under `dir` (created if missing).
pub fn write(opts: &Options, dir: &Path) -> io::Result<Summary> {
    std::fs::create_dir_all(dir)?;
    generate(opts, &mut |path, text| {
        let p = dir.join(path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, text)
    })
}

/// Writes fact number `k` of a world of `n` facts.
type FactWriter = fn(&mut Rng, &Entities, &Pools, u64, u64, &mut Line);

/// Skewed samplers over each pool of entities.
struct Pools {
    states: Zipf,
    orgs: Zipf,
    people: Zipf,
}

impl Pools {
    fn new(e: &Entities) -> Pools {
        Pools {
            states: Zipf::new(e.states.len(), 1.1),
            orgs: Zipf::new(e.orgs.len(), 1.0),
            people: Zipf::new(e.people.len(), 0.9),
        }
    }
}

impl Entities {
    fn state<'a>(&'a self, z: &Pools, rng: &mut Rng) -> &'a str {
        &self.states[z.states.sample(rng)]
    }
    fn org<'a>(&'a self, z: &Pools, rng: &mut Rng) -> &'a str {
        &self.orgs[z.orgs.sample(rng)]
    }
    fn person<'a>(&'a self, z: &Pools, rng: &mut Rng) -> &'a str {
        &self.people[z.people.sample(rng)]
    }
    /// States most of the time, then people, then organizations.
    fn anyone<'a>(&'a self, z: &Pools, rng: &mut Rng, states: u64, people: u64) -> &'a str {
        let r = rng.below(100);
        if r < states {
            self.state(z, rng)
        } else if r < states + people {
            self.person(z, rng)
        } else {
            self.org(z, rng)
        }
    }
    fn state_or_org<'a>(&'a self, z: &Pools, rng: &mut Rng, states: u64) -> &'a str {
        if rng.below(100) < states {
            self.state(z, rng)
        } else {
            self.org(z, rng)
        }
    }
}

/// A day for a fact, skewed toward recent years as event data is.
fn recent_day(rng: &mut Rng) -> i32 {
    let (first, span) = fact_days();
    let u = rng.unit().powf(0.6);
    first + (u * f64::from(span - 1)) as i32
}

/// Up to `max` distinct ids drawn by `draw`, never `not`.
fn distinct<'a>(
    rng: &mut Rng,
    max: usize,
    not: Option<&str>,
    mut draw: impl FnMut(&mut Rng) -> &'a str,
) -> Vec<&'a str> {
    let mut v: Vec<&str> = Vec::new();
    for _ in 0..max * 3 {
        if v.len() == max {
            break;
        }
        let x = draw(rng);
        if Some(x) != not && !v.contains(&x) {
            v.push(x);
        }
    }
    v
}

/// [`distinct`], but never empty: when every draw hit `not`, one of `fallback` that is not.
fn some_distinct<'a>(
    rng: &mut Rng,
    max: usize,
    not: Option<&str>,
    fallback: &'a [String],
    draw: impl FnMut(&mut Rng) -> &'a str,
) -> Vec<&'a str> {
    let mut v = distinct(rng, max, not, draw);
    if v.is_empty()
        && let Some(x) = fallback.iter().find(|x| Some(x.as_str()) != not)
    {
        v.push(x);
    }
    v
}

fn phrase(rng: &mut Rng) -> String {
    let n = 4 + rng.index(8);
    let words: Vec<&str> = (0..n).map(|_| *rng.pick(WORDS)).collect();
    let mut s = words.join(" ");
    if let Some(f) = s.get(..1) {
        s = f.to_uppercase() + &s[1..];
    }
    s.push('.');
    s
}

fn event(rng: &mut Rng, e: &Entities, z: &Pools, k: u64, n: u64, line: &mut Line) {
    let day = recent_day(rng);
    let kind = *rng.pick(EVENT_KINDS);
    let max = 1 + rng.index(4);
    let involves = some_distinct(rng, max, None, &e.states, |r| e.anyone(z, r, 70, 20));
    let when = if rng.chance(0.05) {
        let until = day + 1 + rng.below(60) as i32;
        When::span(rng, day, until)
    } else {
        When::On(write_date(day, precision(rng)))
    };
    let first = involves.first().copied().unwrap_or("?");
    line.record("Event");
    line.field("id").string(&format!("ev-{k}"));
    line.field("name").string(&format!("{kind} in {first}"));
    line.field("kind").atom(kind);
    when.write(line);
    strings(line.field("involves"), &involves);
    sources(rng, line, n, day);
    line.end_record();
}

fn statement(rng: &mut Rng, e: &Entities, z: &Pools, k: u64, n: u64, line: &mut Line) {
    let day = recent_day(rng);
    let by = match rng.below(10) {
        0..=6 => e.person(z, rng),
        7..=8 => e.state(z, rng),
        _ => e.org(z, rng),
    };
    let max = 1 + rng.index(3);
    let about = some_distinct(rng, max, Some(by), &e.states, |r| e.anyone(z, r, 60, 25));
    let behalf = rng.chance(0.2).then(|| e.state(z, rng));
    let when = if rng.chance(0.05) {
        let until = day + 30 + rng.below(300) as i32;
        When::span(rng, day, until)
    } else {
        When::On(write_date(day, precision(rng)))
    };
    let quote = phrase(rng);
    let stance = *rng.pick(STANCES);
    line.record("Statement");
    line.field("id").string(&format!("st-{k}"));
    line.field("by").string(by);
    if let Some(b) = behalf {
        line.field("on_behalf_of").string(b);
    }
    strings(line.field("about"), &about);
    when.write(line);
    line.field("quote").string(&quote);
    line.field("stance").atom(stance);
    sources(rng, line, n, day);
    line.end_record();
}

fn sanction(rng: &mut Rng, e: &Entities, z: &Pools, k: u64, n: u64, line: &mut Line) {
    let day = recent_day(rng);
    let by = e.state_or_org(z, rng, 60);
    let max = 1 + rng.index(6);
    let against = some_distinct(rng, max, Some(by), &e.states, |r| e.anyone(z, r, 40, 40));
    let m = 1 + rng.index(3);
    let mut measures: Vec<&str> = (0..m).map(|_| *rng.pick(MEASURES)).collect();
    measures.sort_unstable();
    measures.dedup();
    let when = if rng.chance(0.35) {
        let until = day + 60 + rng.below(2500) as i32;
        When::span(rng, day, until)
    } else {
        When::From(write_date(day, precision(rng)), None)
    };
    let disputed = rng
        .chance(0.02)
        .then(|| write_date(day + 1 + rng.below(40) as i32, 0));
    let act = rng
        .chance(0.5)
        .then(|| format!("Regulation {}/{k}", 1992 + rng.below(33)));
    line.record("Sanction");
    line.field("id").string(&format!("sa-{k}"));
    line.field("by").string(by);
    strings(line.field("against"), &against);
    line.field("measures").list();
    for m in measures {
        line.atom(m);
    }
    line.end_list();
    when.write(line);
    if let Some(act) = act {
        line.field("legal_act").string(&act);
    }
    if let Some(other) = disputed {
        line.field("disputed").list().record("Reading");
        line.field("from").string(&other);
        line.field("sources").list().record("Source");
        line.field("title")
            .string(&format!("Dissenting report {k}"));
        line.field("url")
            .string(&format!("https://news.example/dissent/{k}"));
        line.end_record().end_list().end_record().end_list();
    }
    sources(rng, line, n, day);
    line.end_record();
}

fn membership(rng: &mut Rng, e: &Entities, z: &Pools, k: u64, n: u64, line: &mut Line) {
    let day = recent_day(rng);
    let of = e.org(z, rng);
    let mut member = e.state_or_org(z, rng, 85);
    if member == of {
        member = e.state(z, rng);
    }
    let when = if rng.chance(0.3) {
        let until = day + 200 + rng.below(4000) as i32;
        When::span(rng, day, until)
    } else {
        When::From(write_date(day, precision(rng)), None)
    };
    line.record("Membership");
    line.field("id").string(&format!("mb-{k}"));
    line.field("member").string(member).field("of").string(of);
    when.write(line);
    sources(rng, line, n, day);
    line.end_record();
}

const TITLES: &[&str] = &[
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Press Secretary",
    "Ambassador",
    "Chair",
    "Spokesperson",
];

fn role(rng: &mut Rng, e: &Entities, z: &Pools, k: u64, n: u64, line: &mut Line) {
    let day = recent_day(rng);
    let person = e.person(z, rng);
    let of = e.state_or_org(z, rng, 70);
    let title = *rng.pick(TITLES);
    let when = if rng.chance(0.6) {
        let until = day + 100 + rng.below(3000) as i32;
        When::span(rng, day, until)
    } else {
        When::From(write_date(day, precision(rng)), None)
    };
    line.record("Role");
    line.field("id").string(&format!("ro-{k}"));
    line.field("person").string(person).field("of").string(of);
    line.field("title").string(title);
    when.write(line);
    sources(rng, line, n, day);
    line.end_record();
}

/// A treaty party: its state, and its own dates when it has them.
struct Party<'e> {
    state: &'e str,
    from: Option<String>,
    until: Option<String>,
}

fn treaty(rng: &mut Rng, e: &Entities, z: &Pools, k: u64, n: u64, line: &mut Line) {
    let (first, span) = fact_days();
    let start = first + rng.below(span as u64 / 2) as i32;
    let kind = *rng.pick(TREATY_KINDS);
    let signed = start - 30 - rng.below(300) as i32;
    // Treaties start day-precise (parties are checked against the start), may end later.
    let ended = rng
        .chance(0.2)
        .then(|| start + 2000 + rng.below(4000) as i32);
    let size = 2 + (rng.unit().powi(3) * 30.0) as usize;
    let states = distinct(rng, size.min(e.states.len()), None, |r| e.state(z, r));
    let horizon = ended.unwrap_or(first + span);
    let mut parties = Vec::new();
    for state in states {
        let party = |from, until| Party { state, from, until };
        let join = if rng.chance(0.3) {
            start + 1 + rng.below(1500) as i32
        } else {
            start
        };
        if join + 400 >= horizon {
            parties.push(party(None, None));
            continue;
        }
        let from = (join != start).then(|| write_date(join, 0));
        if rng.chance(0.2) {
            // Leaves, and sometimes rejoins later.
            let leave = join + 200 + rng.below(1500) as i32;
            if leave < horizon {
                parties.push(party(from, Some(write_date(leave, 0))));
                let back = leave + 100 + rng.below(1500) as i32;
                if rng.chance(0.4) && back + 10 < horizon {
                    parties.push(party(Some(write_date(back, 0)), None));
                }
                continue;
            }
        }
        parties.push(party(from, None));
    }
    let signed = write_date(signed, precision(rng));
    line.record("Treaty");
    line.field("id").string(&format!("tr-{k}"));
    line.field("name")
        .string(&format!("{kind} Treaty of {}", coined(k as usize + 7, 2)));
    line.field("kind").atom(kind);
    line.field("signed").string(&signed);
    line.field("in_force").string(&write_date(start, 0));
    if let Some(d) = ended {
        line.field("ended").string(&write_date(d, 0));
    }
    line.field("parties").list();
    for p in &parties {
        line.record("Party").field("state").string(p.state);
        if let Some(f) = &p.from {
            line.field("from").string(f);
        }
        if let Some(u) = &p.until {
            line.field("until").string(u);
        }
        line.end_record();
    }
    line.end_list();
    sources(rng, line, n, start);
    line.end_record();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(facts: u64, seed: u64) -> Vec<(String, String)> {
        let mut files = Vec::new();
        generate(&Options { facts, seed }, &mut |p, t| {
            files.push((p.to_string(), t.to_string()));
            Ok(())
        })
        .expect("in memory");
        files
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        assert_eq!(world(3000, 7), world(3000, 7));
        assert_ne!(world(3000, 7), world(3000, 8));
    }

    #[test]
    fn files_come_in_sorted_path_order() {
        let files = world(25_000, 1);
        let paths: Vec<&String> = files.iter().map(|(p, _)| p).collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
        assert!(paths.iter().any(|p| p.as_str() == "statements/0002.ron"));
    }

    #[test]
    fn records_are_the_formatters_one_line_form_and_fmt_only_breaks_lines() {
        use crate::load::format;
        for (path, text) in world(3000, 4) {
            let lines: Vec<&str> = text.lines().collect();
            assert!(lines[0].starts_with("// Synthetic "), "{path}");
            assert_eq!(lines[1], "[", "{path}");
            assert_eq!(lines.last(), Some(&"]"), "{path}");
            let mut expanded = format!("{}\n[\n", lines[0]);
            for line in &lines[2..lines.len() - 1] {
                let record = line
                    .strip_prefix("    ")
                    .and_then(|r| r.strip_suffix(','))
                    .unwrap_or_else(|| panic!("{path}: not a record line: {line}"));
                let flat = format::flat_value(record).expect("RON");
                assert_eq!(flat.as_deref(), Some(record), "{path}");
                expanded.push_str(&format::format_item(record, format::INDENT).expect("RON"));
            }
            expanded.push_str("]\n");
            assert_eq!(
                format::format_source(&text).expect("formats"),
                expanded,
                "{path}"
            );
        }
    }

    #[test]
    fn skewed_choice_favours_the_first_items() {
        let z = Zipf::new(100, 1.1);
        let mut rng = Rng(1);
        let hits = (0..10_000).filter(|_| z.sample(&mut rng) == 0).count();
        assert!(hits > 1000, "{hits}");
    }
}
