//! `dipgraph add KIND --flag value...`: one record from flags, checked against the whole dataset
//! in memory, then written atomically into the file that holds its kind, keeping that file's
//! comments and layout. Nothing is written when any check fails.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use dipgraph::diag::{self, Diagnostic, Severity, render};
use dipgraph::load::edit::{self, EditError, ListAt};
use dipgraph::load::format::Value;
use dipgraph::load::outline::{self, Body};
use dipgraph::load::{self, DataSource, Input, atomic, lex};
use dipgraph::model::{EventKind, FileId, Measure, OrgKind, Stance, TreatyKind};
use dipgraph::validate;

use super::{Context, Failure};

/// Flags of `add`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    record: Record,
    /// Write into this file (inside the data folder) instead of the one chosen by kind.
    #[arg(long, global = true, value_name = "FILE")]
    file: Option<PathBuf>,
    /// Print the record and where it would go; write nothing.
    #[arg(long, global = true)]
    dry_run: bool,
}

#[derive(Debug, Subcommand)]
enum Record {
    /// A state: --id BLR --name Belarus [--cow 370] [--from DATE].
    State(StateFlags),
    /// An organization: --id CSTO --name "..." --kind Alliance.
    Organization(OrganizationFlags),
    /// A person: --id dmitry-peskov --name "Dmitry Peskov".
    Person(PersonFlags),
    /// A person's role: --person ID --of ID --title "President" [--from DATE].
    Role(RoleFlags),
    /// A membership: --member POL --of EU --from 2004-05-01.
    Membership(MembershipFlags),
    /// A state joining a treaty, added to the treaty's parties: --treaty ID --state ID.
    Party(PartyFlags),
    /// A treaty: --id ID --name "..." --kind Defense [--parties RUS,BLR].
    Treaty(TreatyFlags),
    /// A sanction: --id ID --by EU --against BLR --measures AssetFreeze --from DATE.
    Sanction(SanctionFlags),
    /// A statement: --id ID --by ID --about ID --on DATE --quote "..." --stance Friendly.
    Statement(StatementFlags),
    /// An event: --id ID --name "..." --kind Election --on DATE --involves BLR.
    Event(EventFlags),
}

/// The sources of a fact. Repeat the group for each source: a flag given again starts the
/// next source.
#[derive(Debug, Clone, clap::Args)]
struct SourceFlags {
    /// A source's title.
    #[arg(long, value_name = "TITLE")]
    source_title: Vec<String>,
    /// A source's address.
    #[arg(long, value_name = "URL")]
    source_url: Vec<String>,
    /// Who published the source.
    #[arg(long, value_name = "NAME")]
    source_publisher: Vec<String>,
    /// When the source was published.
    #[arg(long, value_name = "DATE")]
    source_published: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct StateFlags {
    /// ISO 3166-1 alpha-3 code.
    #[arg(long)]
    id: String,
    /// Common English name.
    #[arg(long)]
    name: String,
    /// Another name (repeatable).
    #[arg(long, visible_alias = "alias", value_name = "NAME")]
    aliases: Vec<String>,
    /// Correlates of War state code.
    #[arg(long)]
    cow: Option<u32>,
    /// When the state came to exist.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// When it ceased to exist.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Free text.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, clap::Args)]
struct OrganizationFlags {
    /// Slug.
    #[arg(long)]
    id: String,
    /// Full name.
    #[arg(long)]
    name: String,
    /// Another name (repeatable).
    #[arg(long, visible_alias = "alias", value_name = "NAME")]
    aliases: Vec<String>,
    /// Supranational, Intergovernmental, Alliance, Government, ...
    #[arg(long)]
    kind: String,
    /// Date founded.
    #[arg(long, value_name = "DATE")]
    founded: Option<String>,
    /// Date dissolved.
    #[arg(long, value_name = "DATE")]
    dissolved: Option<String>,
    /// Free text.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, clap::Args)]
struct PersonFlags {
    /// Slug.
    #[arg(long)]
    id: String,
    /// Name as usually written in English.
    #[arg(long)]
    name: String,
    /// Another spelling (repeatable).
    #[arg(long, visible_alias = "alias", value_name = "NAME")]
    aliases: Vec<String>,
    /// Date of birth.
    #[arg(long, value_name = "DATE")]
    born: Option<String>,
    /// Date of death.
    #[arg(long, value_name = "DATE")]
    died: Option<String>,
    /// Free text.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, clap::Args)]
struct RoleFlags {
    /// Id (default: role:<person>:<of>:<from>).
    #[arg(long)]
    id: Option<String>,
    /// The person.
    #[arg(long, value_name = "ID")]
    person: String,
    /// The state or organization.
    #[arg(long, value_name = "ID")]
    of: String,
    /// "President", "Press Secretary of the President", ...
    #[arg(long)]
    title: String,
    /// Start.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// End.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    #[command(flatten)]
    sources: SourceFlags,
    /// Free text.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, clap::Args)]
struct MembershipFlags {
    /// Id (default: membership:<member>:<of>:<from>).
    #[arg(long)]
    id: Option<String>,
    /// The member state or organization.
    #[arg(long, value_name = "ID")]
    member: String,
    /// The organization.
    #[arg(long, value_name = "ID")]
    of: String,
    /// Start.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// End.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    #[command(flatten)]
    sources: SourceFlags,
    /// Free text.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, clap::Args)]
struct PartyFlags {
    /// The treaty's id.
    #[arg(long, value_name = "ID")]
    treaty: String,
    /// The state.
    #[arg(long, value_name = "ID")]
    state: String,
    /// When this state signed.
    #[arg(long, value_name = "DATE")]
    signed: Option<String>,
    /// When it became bound (default: the treaty's start).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// When it left.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    #[command(flatten)]
    sources: SourceFlags,
    /// Free text.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, clap::Args)]
struct TreatyFlags {
    /// Slug.
    #[arg(long)]
    id: String,
    /// Title of the treaty.
    #[arg(long)]
    name: String,
    /// Another name (repeatable).
    #[arg(long, visible_alias = "alias", value_name = "NAME")]
    aliases: Vec<String>,
    /// Defense, Neutrality, NonAggression, Entente, Union, Economic, Political, Other.
    #[arg(long)]
    kind: String,
    /// Date of signature.
    #[arg(long, value_name = "DATE")]
    signed: Option<String>,
    /// Date it entered into force.
    #[arg(long, value_name = "DATE")]
    in_force: Option<String>,
    /// Date it ended.
    #[arg(long, value_name = "DATE")]
    ended: Option<String>,
    /// The organization it founds or runs under.
    #[arg(long, value_name = "ID")]
    organization: Option<String>,
    /// Party states (repeatable or comma-separated); add dated parties with `add party`.
    #[arg(
        long,
        visible_alias = "party",
        value_name = "ID",
        value_delimiter = ','
    )]
    parties: Vec<String>,
    #[command(flatten)]
    sources: SourceFlags,
    /// Free text.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, clap::Args)]
struct SanctionFlags {
    /// Slug.
    #[arg(long)]
    id: String,
    /// The sender: a state or organization.
    #[arg(long, value_name = "ID")]
    by: String,
    /// Targets (repeatable or comma-separated).
    #[arg(long, value_name = "ID", value_delimiter = ',', required = true)]
    against: Vec<String>,
    /// AssetFreeze, TravelBan, ArmsEmbargo, ... (repeatable or comma-separated).
    #[arg(
        long,
        visible_alias = "measure",
        value_delimiter = ',',
        required = true
    )]
    measures: Vec<String>,
    /// When it took effect.
    #[arg(long, value_name = "DATE")]
    from: String,
    /// When it was lifted.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// The legal instrument.
    #[arg(long, value_name = "TEXT")]
    legal_act: Option<String>,
    /// The sanctions programme.
    #[arg(long, value_name = "TEXT")]
    program: Option<String>,
    #[command(flatten)]
    sources: SourceFlags,
    /// Free text.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, clap::Args)]
struct StatementFlags {
    /// Slug.
    #[arg(long)]
    id: String,
    /// Who spoke: a person, state or organization.
    #[arg(long, value_name = "ID")]
    by: String,
    /// The state or organization the speaker spoke for.
    #[arg(long, value_name = "ID")]
    on_behalf_of: Option<String>,
    /// What it is about (repeatable or comma-separated).
    #[arg(long, value_name = "ID", value_delimiter = ',', required = true)]
    about: Vec<String>,
    /// The day it was said (or --from/--until).
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// Start of a campaign of statements.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Its end.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// The words, in English.
    #[arg(long)]
    quote: String,
    /// Friendly, Hostile, Neutral or Mixed.
    #[arg(long)]
    stance: String,
    #[command(flatten)]
    sources: SourceFlags,
    /// Free text.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, clap::Args)]
struct EventFlags {
    /// Slug.
    #[arg(long)]
    id: String,
    /// Short title.
    #[arg(long)]
    name: String,
    /// Election, Protest, Meeting, Summit, Incident, Poll, Crackdown, Other.
    #[arg(long)]
    kind: String,
    /// The day it happened (or --from/--until).
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// Start of its period.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// End of its period.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Entities involved (repeatable or comma-separated).
    #[arg(long, value_name = "ID", value_delimiter = ',', required = true)]
    involves: Vec<String>,
    /// What happened.
    #[arg(long)]
    summary: Option<String>,
    #[command(flatten)]
    sources: SourceFlags,
    /// Free text.
    #[arg(long)]
    note: Option<String>,
}

/// A record built field by field in the documented order, printed by the formatter's printer.
struct Fields {
    kind: &'static str,
    fields: Vec<(&'static str, Value<'static>)>,
}

impl Fields {
    fn new(kind: &'static str) -> Fields {
        Fields {
            kind,
            fields: Vec::new(),
        }
    }

    fn value(&mut self, name: &'static str, value: Value<'static>) -> &mut Fields {
        self.fields.push((name, value));
        self
    }

    /// A name or number, written as it is (a variant such as `Defense`, a COW code).
    fn atom(&mut self, name: &'static str, value: String) -> &mut Fields {
        self.value(name, Value::atom(value))
    }

    fn str(&mut self, name: &'static str, value: &str) -> &mut Fields {
        self.value(name, Value::string(value.to_string()))
    }

    fn opt(&mut self, name: &'static str, value: &Option<String>) -> &mut Fields {
        if let Some(v) = value {
            self.str(name, v);
        }
        self
    }

    fn list(&mut self, name: &'static str, values: &[String]) -> &mut Fields {
        if !values.is_empty() {
            self.value(name, strings(values));
        }
        self
    }

    fn into_value(self) -> Value<'static> {
        Value::record(self.kind, self.fields)
    }
}

/// A list of strings.
fn strings(values: &[String]) -> Value<'static> {
    Value::list(values.iter().map(|v| Value::string(v.clone())))
}

/// The name of a variant as written in files: matched ignoring case against the known ones, or
/// passed through (the loader then reports it like any unknown variant). Anything that is not
/// a name is refused here, so that no flag can break the file's syntax.
fn variant(flag: &str, value: &str, known: &[&'static str]) -> Result<String, Failure> {
    if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(value)) {
        return Ok(k.to_string());
    }
    let is_name = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && value.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
    if is_name {
        Ok(value.to_string())
    } else {
        Err(Failure::Usage(format!(
            "`--{flag} {value}` is not one of {}",
            known.join(", ")
        )))
    }
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&k| name(k)).collect()
}

/// The argv positions of each source flag's values, to group them into sources.
fn source_positions() -> Option<[Vec<usize>; 4]> {
    let m = super::command()
        .try_get_matches_from(std::env::args_os())
        .ok()?;
    let (_, add) = m.subcommand()?;
    let (_, kind) = add.subcommand()?;
    // Every kind with sources has these four flags.
    let get = |id: &str| -> Option<Vec<usize>> {
        Some(kind.indices_of(id).map(|i| i.collect()).unwrap_or_default())
    };
    Some([
        get("source_title")?,
        get("source_url")?,
        get("source_publisher")?,
        get("source_published")?,
    ])
}

/// `sources: [Source(...), ...]` from the flags; a flag given again starts the next source.
fn sources(f: &mut Fields, flags: &SourceFlags) -> Result<(), Failure> {
    let values = [
        &flags.source_title,
        &flags.source_url,
        &flags.source_publisher,
        &flags.source_published,
    ];
    let positions = source_positions()
        .filter(|p| p.iter().zip(values).all(|(p, v)| p.len() == v.len()))
        // Without argv positions (never in practice), the n-th of each flag go together.
        .unwrap_or_else(|| {
            let mut which = 0;
            values.map(|v| {
                which += 1;
                (0..v.len()).map(|i| i * 4 + which).collect()
            })
        });
    let mut all: Vec<(usize, usize, &String)> = Vec::new();
    for (which, (pos, vals)) in positions.iter().zip(values).enumerate() {
        for (p, v) in pos.iter().zip(vals) {
            all.push((*p, which, v));
        }
    }
    all.sort();
    let mut groups: Vec<[Option<&String>; 4]> = Vec::new();
    for (_, which, v) in all {
        match groups.last_mut() {
            Some(g) if g[which].is_none() => g[which] = Some(v),
            _ => {
                let mut g = [None; 4];
                g[which] = Some(v);
                groups.push(g);
            }
        }
    }
    let mut items = Vec::new();
    for (n, [title, url, publisher, published]) in groups.into_iter().enumerate() {
        let missing = |flag: &str| {
            Failure::Usage(format!(
                "source {} has no {flag}; every source needs --source-title and --source-url",
                n + 1
            ))
        };
        let mut s = Fields::new("Source");
        s.str("title", title.ok_or_else(|| missing("--source-title"))?);
        s.str("url", url.ok_or_else(|| missing("--source-url"))?);
        s.opt("publisher", &publisher.cloned());
        s.opt("published", &published.cloned());
        items.push(s.into_value());
    }
    if !items.is_empty() {
        f.value("sources", Value::list(items));
    }
    Ok(())
}

/// What to add, and where it tends to go.
struct Built {
    kind: &'static str,
    text: String,
    /// A field whose value groups records into files (sanctions by sender, ...).
    affinity: Option<(&'static str, String)>,
    /// For a party: the treaty.
    treaty: Option<String>,
}

fn build(record: &Record) -> Result<Built, Failure> {
    let mut affinity = None;
    let mut treaty = None;
    let f = match record {
        Record::State(a) => {
            let mut f = Fields::new("State");
            f.str("id", &a.id)
                .str("name", &a.name)
                .list("aliases", &a.aliases);
            if let Some(c) = a.cow {
                f.atom("cow", c.to_string());
            }
            f.opt("from", &a.from)
                .opt("until", &a.until)
                .opt("note", &a.note);
            f
        }
        Record::Organization(a) => {
            let mut f = Fields::new("Organization");
            let kind = variant("kind", &a.kind, &names(OrgKind::ALL, OrgKind::as_str))?;
            f.str("id", &a.id)
                .str("name", &a.name)
                .list("aliases", &a.aliases)
                .atom("kind", kind)
                .opt("founded", &a.founded)
                .opt("dissolved", &a.dissolved)
                .opt("note", &a.note);
            f
        }
        Record::Person(a) => {
            let mut f = Fields::new("Person");
            f.str("id", &a.id)
                .str("name", &a.name)
                .list("aliases", &a.aliases)
                .opt("born", &a.born)
                .opt("died", &a.died)
                .opt("note", &a.note);
            f
        }
        Record::Role(a) => {
            let mut f = Fields::new("Role");
            f.opt("id", &a.id)
                .str("person", &a.person)
                .str("of", &a.of)
                .str("title", &a.title)
                .opt("from", &a.from)
                .opt("until", &a.until);
            sources(&mut f, &a.sources)?;
            f.opt("note", &a.note);
            affinity = Some(("person", a.person.clone()));
            f
        }
        Record::Membership(a) => {
            let mut f = Fields::new("Membership");
            f.opt("id", &a.id)
                .str("member", &a.member)
                .str("of", &a.of)
                .opt("from", &a.from)
                .opt("until", &a.until);
            sources(&mut f, &a.sources)?;
            f.opt("note", &a.note);
            affinity = Some(("of", a.of.clone()));
            f
        }
        Record::Party(a) => {
            let mut f = Fields::new("Party");
            f.str("state", &a.state)
                .opt("signed", &a.signed)
                .opt("from", &a.from)
                .opt("until", &a.until);
            sources(&mut f, &a.sources)?;
            f.opt("note", &a.note);
            treaty = Some(a.treaty.clone());
            f
        }
        Record::Treaty(a) => {
            let mut f = Fields::new("Treaty");
            let kind = variant("kind", &a.kind, &names(TreatyKind::ALL, TreatyKind::as_str))?;
            let parties = a
                .parties
                .iter()
                .map(|s| Value::record("Party", [("state", Value::string(s.clone()))]));
            f.str("id", &a.id)
                .str("name", &a.name)
                .list("aliases", &a.aliases)
                .atom("kind", kind)
                .opt("signed", &a.signed)
                .opt("in_force", &a.in_force)
                .opt("ended", &a.ended)
                .opt("organization", &a.organization)
                .value("parties", Value::list(parties));
            sources(&mut f, &a.sources)?;
            f.opt("note", &a.note);
            affinity = a.organization.clone().map(|o| ("organization", o));
            f
        }
        Record::Sanction(a) => {
            let mut f = Fields::new("Sanction");
            let known = names(Measure::ALL, Measure::as_str);
            let measures = a
                .measures
                .iter()
                .map(|m| variant("measures", m, &known))
                .collect::<Result<Vec<_>, _>>()?;
            f.str("id", &a.id)
                .str("by", &a.by)
                .list("against", &a.against)
                .value(
                    "measures",
                    Value::list(measures.into_iter().map(Value::atom)),
                )
                .str("from", &a.from)
                .opt("until", &a.until)
                .opt("legal_act", &a.legal_act)
                .opt("program", &a.program);
            sources(&mut f, &a.sources)?;
            f.opt("note", &a.note);
            affinity = Some(("by", a.by.clone()));
            f
        }
        Record::Statement(a) => {
            let mut f = Fields::new("Statement");
            let stance = variant("stance", &a.stance, &names(Stance::ALL, Stance::as_str))?;
            f.str("id", &a.id)
                .str("by", &a.by)
                .opt("on_behalf_of", &a.on_behalf_of)
                .list("about", &a.about)
                .opt("on", &a.on)
                .opt("from", &a.from)
                .opt("until", &a.until)
                .str("quote", &a.quote)
                .atom("stance", stance);
            sources(&mut f, &a.sources)?;
            f.opt("note", &a.note);
            affinity = Some(("by", a.by.clone()));
            f
        }
        Record::Event(a) => {
            let mut f = Fields::new("Event");
            let kind = variant("kind", &a.kind, &names(EventKind::ALL, EventKind::as_str))?;
            f.str("id", &a.id)
                .str("name", &a.name)
                .atom("kind", kind)
                .opt("on", &a.on)
                .opt("from", &a.from)
                .opt("until", &a.until)
                .list("involves", &a.involves)
                .opt("summary", &a.summary);
            sources(&mut f, &a.sources)?;
            f.opt("note", &a.note);
            f
        }
    };
    Ok(Built {
        kind: f.kind,
        text: f.into_value().line(),
        affinity,
        treaty,
    })
}

/// The file a record goes into.
enum Target {
    /// One of the dataset's files, by index.
    Existing(usize),
    /// A new file at this path (as shown).
    New(String),
}

/// The file name for a kind with no file yet.
fn plural(kind: &str) -> &'static str {
    match kind {
        "State" => "states",
        "Organization" => "organizations",
        "Person" => "people",
        "Role" => "roles",
        "Membership" => "memberships",
        "Treaty" => "treaties",
        "Sanction" => "sanctions",
        "Statement" => "statements",
        _ => "events",
    }
}

fn text_of(input: &Input) -> Option<String> {
    let bytes = input.bytes.as_ref().ok()?.clone();
    load::decode(bytes, FileId(0)).ok()
}

/// The records of a file's text, with their outline (none for a file that does not parse).
fn records(text: &str) -> Vec<outline::Node> {
    let Ok(tokens) = lex::tokenize(text) else {
        return Vec::new();
    };
    match outline::parse(text, &tokens) {
        Ok(Some(outline::Node {
            body: Body::List(items),
            ..
        })) => items,
        _ => Vec::new(),
    }
}

/// The file holding most records of the kind with the same affinity value, else most records
/// of the kind (the first such file in path order on a tie).
fn by_kind(inputs: &[Input], built: &Built) -> Option<usize> {
    let mut best: Option<((usize, usize), usize)> = None;
    for (i, input) in inputs.iter().enumerate() {
        let Some(text) = text_of(input) else { continue };
        let mut score = (0, 0);
        for r in records(&text) {
            if r.name.is_none_or(|n| &text[n.range()] != built.kind) {
                continue;
            }
            score.1 += 1;
            if let Some((field, value)) = &built.affinity {
                let same = edit::field_value(&text, &r, field)
                    .and_then(|v| edit::string_value(&text[v.span.range()]))
                    .is_some_and(|v| v.eq_ignore_ascii_case(value));
                score.0 += usize::from(same);
            }
        }
        if score.1 > 0 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| i)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// The path `--file` names, as the dataset's files are shown, after checking that it is a
/// `.ron` file inside the data folder.
fn named_file(root: &Path, file: &Path) -> Result<PathBuf, Failure> {
    if file.extension().is_none_or(|x| x != "ron") {
        return Err(Failure::Usage(format!(
            "--file `{}` must be a `.ron` file, or the record would not be read",
            file.display()
        )));
    }
    if root.is_file() {
        return if same_file(root, file) {
            Ok(root.to_path_buf())
        } else {
            Err(Failure::Usage(format!(
                "the data is the single file `{}`; --file cannot name another",
                root.display()
            )))
        };
    }
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let folder = std::fs::canonicalize(parent)
        .ok()
        .filter(|p| p.is_dir())
        .ok_or_else(|| {
            Failure::Usage(format!(
                "cannot write `{}`: `{}` is not a folder",
                file.display(),
                parent.display()
            ))
        })?;
    let root_abs = std::fs::canonicalize(root)
        .map_err(|e| Failure::Usage(format!("cannot read `{}`: {e}", root.display())))?;
    let rel = folder.strip_prefix(&root_abs).map_err(|_| {
        Failure::Usage(format!(
            "`{}` is outside the data folder `{}`, so the record would not be part of the dataset",
            file.display(),
            root.display()
        ))
    })?;
    let name = file.file_name().unwrap_or_default();
    let path = root.join(rel).join(name);
    inside(root, &path)?;
    Ok(path)
}

/// Refuses `path` when its real place (through every link) is outside the data folder's real
/// place: `add` writes through links, and must never write a file that is not data.
fn inside(root: &Path, path: &Path) -> Result<(), Failure> {
    if root.is_file() {
        return Ok(());
    }
    let root_real = std::fs::canonicalize(root)
        .map_err(|e| Failure::Usage(format!("cannot read `{}`: {e}", root.display())))?;
    // A file not yet there is created in a folder already checked.
    let Ok(real) = std::fs::canonicalize(path) else {
        return Ok(());
    };
    if real.starts_with(&root_real) {
        Ok(())
    } else {
        Err(Failure::Usage(format!(
            "`{}` is a link to `{}`, outside the data folder `{}`; add writes only files inside it (copy the file in, or choose another with --file)",
            path.display(),
            real.display(),
            root.display()
        )))
    }
}

/// A line of a path-ordered list of files, placed where discovery would have put it.
fn insert_sorted(inputs: &mut Vec<Input>, input: Input) -> usize {
    let key = PathBuf::from(&input.path);
    let at = inputs
        .iter()
        .position(|i| Path::new(&i.path).components().gt(key.components()))
        .unwrap_or(inputs.len());
    inputs.insert(at, input);
    at
}

/// Runs `add`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let root = match cx.source.clone().map_err(Failure::Usage)? {
        DataSource::Path(p) => p,
        DataSource::Bundled | DataSource::Revision(_) => {
            return Err(Failure::Usage(
                "add writes into a data folder: run it where ./graph exists, or give --data DIR"
                    .into(),
            ));
        }
    };
    let built = build(&args.record)?;
    let (mut inputs, found) = load::discover(&root);

    // Where the record goes.
    let target = if let Some(treaty) = &built.treaty {
        if args.file.is_some() {
            return Err(Failure::Usage(
                "--file does not apply to a party: it goes into its treaty's file".into(),
            ));
        }
        let found = inputs.iter().position(|i| {
            text_of(i).is_some_and(|t| {
                treaty_ids(&t)
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case(treaty))
            })
        });
        match found {
            Some(i) => Target::Existing(i),
            None => return Err(no_treaty(treaty, &inputs)),
        }
    } else if let Some(file) = &args.file {
        let path = named_file(&root, file)?;
        match inputs
            .iter()
            .position(|i| same_file(Path::new(&i.path), &path))
        {
            Some(i) => Target::Existing(i),
            None => Target::New(path.to_string_lossy().into_owned()),
        }
    } else if root.is_file() {
        Target::Existing(0)
    } else {
        match by_kind(&inputs, &built) {
            Some(i) => Target::Existing(i),
            None => {
                let path = root.join(format!("{}.ron", plural(built.kind)));
                match inputs.iter().position(|i| Path::new(&i.path) == path) {
                    Some(i) => Target::Existing(i),
                    None => Target::New(path.to_string_lossy().into_owned()),
                }
            }
        }
    };

    // The file's new text.
    let at = match &built.treaty {
        Some(id) => ListAt::Field {
            kind: "Treaty",
            id,
            field: "parties",
        },
        None => ListAt::Records,
    };
    let (index, bom, edited) = match target {
        Target::Existing(i) => {
            let bytes = inputs[i]
                .bytes
                .clone()
                .map_err(|e| Failure::Usage(format!("cannot read `{}`: {e}", inputs[i].path)))?;
            let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
            let Some(text) = text_of(&inputs[i]) else {
                return Err(refused_unchanged(inputs, found));
            };
            match edit::append(&text, at, &built.text) {
                Ok(e) => {
                    inputs[i].bytes = Ok(e.text.clone().into_bytes());
                    (i, bom, e)
                }
                Err(EditError::Format(_)) => return Err(refused_unchanged(inputs, found)),
                Err(EditError::NotFound(m)) => {
                    return Err(Failure::Usage(format!("{}: {m}", inputs[i].path)));
                }
            }
        }
        Target::New(path) => {
            let text = edit::new_file(&built.text)
                .map_err(|e| Failure::Usage(format!("cannot build the record: {e}")))?;
            let span = records(&text).first().map(|r| r.span).unwrap_or_default();
            let i = insert_sorted(
                &mut inputs,
                Input {
                    path,
                    bytes: Ok(text.clone().into_bytes()),
                },
            );
            let edited = edit::Edited {
                text,
                span,
                reformatted: true,
            };
            (i, false, edited)
        }
    };
    let path = inputs[index].path.clone();
    inside(&root, Path::new(&path))?;

    // Check the whole dataset with the new text in place.
    let mut loaded = load::load_inputs(inputs, found);
    loaded.diagnostics.extend(validate::check(&loaded.dataset));
    diag::sort(&mut loaded.diagnostics);
    let files = &loaded.dataset.files;
    let file = FileId(u32::try_from(index).unwrap_or(u32::MAX));
    let line = render::line_col(&edited.text, edited.span.start as usize).0;
    let errors: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .cloned()
        .collect();
    if !errors.is_empty() {
        let n = errors.len();
        let mut text = super::context::for_stderr(&errors, files);
        text.push_str(&format!(
            "error: the {} was not added ({n} error{}); nothing was written to {}\n",
            built.kind,
            if n == 1 { "" } else { "s" },
            diag::escape::one_line(&path.to_string())
        ));
        return Err(Failure::Data(text));
    }
    // Warnings about the new record (a fact without sources) are shown; others are not news.
    let own: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| {
            d.primary.as_ref().is_some_and(|p| {
                p.file == file && p.span.start >= edited.span.start && p.span.end <= edited.span.end
            })
        })
        .cloned()
        .collect();
    if !own.is_empty() {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            super::context::for_stderr(&own, files).as_bytes(),
        );
    }

    let what = describe(&loaded.dataset, &built, file, &edited);
    if args.dry_run {
        let start = edited.text[..edited.span.start as usize]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let end = edited.text[edited.span.end as usize..]
            .find('\n')
            .map_or(edited.text.len(), |i| edited.span.end as usize + i + 1);
        return cx.out(&format!(
            "would add {what} to {path}:{line} (dry run: nothing written)\n{}",
            &edited.text[start..end]
        ));
    }
    let mut bytes = Vec::with_capacity(edited.text.len() + 3);
    if bom {
        bytes.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
    }
    bytes.extend_from_slice(edited.text.as_bytes());
    atomic::write(Path::new(&path), &bytes)
        .map_err(|e| Failure::Usage(format!("cannot write `{path}` (left unchanged): {e}")))?;
    cx.out(&format!("added {what} to {path}:{line}\n"))
}

/// `Sanction `eu-blr-2022-02``, or `Party `UZB` of Treaty `cst-1992``: the id is read back
/// from the loaded record, so derived ids show too.
fn describe(
    data: &dipgraph::model::Dataset,
    built: &Built,
    file: FileId,
    edited: &edit::Edited,
) -> String {
    let at = |o: &dipgraph::model::Origin| o.file == file && o.span == edited.span;
    if let Some(treaty) = &built.treaty {
        let found = data.facts.iter().find_map(|f| {
            f.parties()
                .iter()
                .find(|p| at(&p.origin))
                .map(|p| (f.id.as_str(), p.state.as_str()))
        });
        let (treaty, state) = found.unwrap_or((treaty, ""));
        return format!("Party `{state}` of Treaty `{treaty}`");
    }
    let id = data
        .entities
        .iter()
        .find(|e| at(&e.origin))
        .map(|e| e.id.clone())
        .or_else(|| {
            data.facts
                .iter()
                .find(|f| at(&f.origin))
                .map(|f| f.id.clone())
        })
        .unwrap_or_default();
    format!("{} `{id}`", built.kind)
}

/// The dataset's own problems, when the target file cannot take the record as it stands.
fn refused_unchanged(inputs: Vec<Input>, found: Vec<Diagnostic>) -> Failure {
    let mut loaded = load::load_inputs(inputs, found);
    loaded.diagnostics.extend(validate::check(&loaded.dataset));
    diag::sort(&mut loaded.diagnostics);
    let errors: Vec<Diagnostic> = loaded
        .diagnostics
        .into_iter()
        .filter(|d| d.severity() == Severity::Error)
        .collect();
    let mut text = super::context::for_stderr(&errors, &loaded.dataset.files);
    text.push_str(
        "error: the data has errors to fix first (see `dipgraph validate`); nothing was written\n",
    );
    Failure::Data(text)
}

/// No treaty with that id: say so, with the near ids.
fn no_treaty(id: &str, inputs: &[Input]) -> Failure {
    let ids: Vec<String> = inputs
        .iter()
        .filter_map(text_of)
        .flat_map(|t| treaty_ids(&t))
        .collect();
    let near = diag::nearest(id, ids.iter().map(String::as_str), 3);
    let mut text = format!(
        "error: there is no treaty `{}` in the data\n",
        diag::escape::value(id)
    );
    if let Some(h) = diag::did_you_mean(&near) {
        text.push_str(&format!("  = hint: {}\n", diag::escape::hint(&h)));
    }
    Failure::Data(text)
}

/// The ids of the treaties in a file's text.
fn treaty_ids(text: &str) -> Vec<String> {
    records(text)
        .iter()
        .filter(|r| r.name.is_some_and(|n| &text[n.range()] == "Treaty"))
        .filter_map(|r| edit::field_value(text, r, "id"))
        .filter_map(|v| edit::string_value(&text[v.span.range()]))
        .collect()
}
