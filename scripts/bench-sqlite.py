#!/usr/bin/env python3
"""dipgraph against SQLite, side by side, on the same facts of a synthetic world.

    scripts/bench-sqlite.py WORLD [--dipgraph target/release/dipgraph] [--runs 10] [--checks 40]

WORLD is a folder written by `dipgraph synth`; dipgraph must be a release build. The cache
goes to a temporary folder of the script's own (emptied before each first-call run). The
script needs python3, sqlite3 and hyperfine, and:

1. Turns every fact of the world into CSV files for a normalized schema, as a SQLite user
   would lay it out (not timed; about 40 s of CPU for 1M facts):

       entity(id, kind, name, cow, org_kind, ps, cs, ce, pe)
       fact(id, kind, subkind, name, quote, summary, legal_act, measures, signed, point,
            ps, cs, ce, pe)
       link(entity, fact, role, ps, cs, ce, pe)  -- one row per entity a fact names
       reading(fact, n, ps, cs, ce, pe)          -- disputed readings of a fact's dates
       source(fact, reading, title, url, publisher, published)

   Dates are day numbers (days since 0001-01-01, as dipgraph counts): possible start, certain
   start, certain end, possible end (ends exclusive; -2^31 and 2^31-1 for open ends). `point`
   is 1 for a fact on one date (`on: D`): its ps..pe are then the days D can mean. `link.role`
   is party (a treaty party, one row per `Party`, with its own dates clipped by the treaty's),
   organization, sender and target (sanctions), speaker, on_behalf_of and about (statements),
   involves (events), person and role_of (roles), member and member_of (memberships). A link
   that is not a treaty party carries the fact's dates over all its readings (possible days:
   the union; certain days: the days certain in every reading): enough to find candidates,
   while `fact` and `reading` decide the exact certainty, as dipgraph's interval index does.

2. Imports them into a fresh database with `sqlite3 .import` and builds the indexes (unique on
   entity(id) and fact(id); link(entity, role, ps, pe); link(fact); reading(fact)), timing
   that: SQLite's "cold load" of every fact dipgraph loads, median of three. It also times the
   narrow import the two questions alone need (treaty parties, sanction targets, sanction
   readings: three tables, about half a million rows at 1M facts), as a second reference.

3. Times dipgraph's cold load as a whole command, median of three, with its peak memory: the
   first call on the data (`allies`, no cache yet: read, parse, validate, index, write the
   cache, answer) and a call that neither reads nor writes a cache (`allies --no-cache`: the
   whole dataset held in memory), for the ratio against both imports.

4. Answers "allies of X on D" and "sanctions against X on D" in SQL on the full schema, with
   the same certain / possible / no rules as dipgraph (docs/queries.md), and checks that
   dipgraph (from its warm cache) gives the same answers, id for id and certainty for
   certainty, for `--checks` (X, D) pairs: states of the whole skew, dates of every precision.

5. Times one question of each kind as a whole command with hyperfine: `sqlite3 DB "<query>"`
   (on the full database, and on the narrow one) against dipgraph answering from its warm
   cache.

It prints a Markdown table of the medians and exits 1 when an answer differs.

Why the script parses the RON files rather than reading `dipgraph export csv --all`: that
export is a diagram's edge list (one row per fact and pair of entities: a treaty of n parties
is n(n-1)/2 rows), with one start and end per edge; it has no disputed readings, no per-party
rows with their own dates, no sources and no point-or-span distinction, so the certainty rules
cannot be applied to it, and it is computed by the very code whose answers are checked. Reading
the files independently (the one-record-per-line layout `synth` writes) makes the comparison
an independent cross-check of dipgraph's loader, index and rules. Each line is turned into JSON
by one compiled regular expression and read by `json.loads`; a record kind, field or form the
script does not know (a party's disputed readings, an escaped string, ...) stops it with an
error rather than being imported wrongly.
"""

import argparse
import csv
import datetime
import functools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from measure import run_measured

MIN = -(2**31)
MAX = 2**31 - 1
ALLIANCE = ("Defense", "Neutrality", "NonAggression", "Entente", "Union")


# ---------------------------------------------------------------------------------------------
# Dates


@functools.lru_cache(maxsize=None)
def first_last(text):
    """First and last day numbers (days since 0001-01-01) a date of any precision can mean."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        a = datetime.date(parts[0], 1, 1)
        b = datetime.date(parts[0], 12, 31)
    elif len(parts) == 2:
        a = datetime.date(parts[0], parts[1], 1)
        nxt = datetime.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        b = nxt - datetime.timedelta(days=1)
    else:
        a = b = datetime.date(*parts)
    return a.toordinal() - 1, b.toordinal() - 1


def bounds(start, until):
    """(possible start, certain start, certain end, possible end) of [start, until)."""
    if start is None:
        ps = cs = MIN
    else:
        ps, cs = first_last(start)
    if until is None:
        ce = pe = MAX
    else:
        f, l = first_last(until)
        ce, pe = (f, f) if until.count("-") == 2 else (f, l + 1)
    return ps, cs, ce, pe


def point(on):
    """The days a point date can mean, in the same four columns."""
    f, l = first_last(on)
    return f, f, l + 1, l + 1


def both(a, b):
    """Bounds of two intervals holding together (a treaty party within its treaty)."""
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def envelope(readings):
    """Possible days of any reading, certain days of every reading."""
    return (min(r[0] for r in readings), max(r[1] for r in readings),
            min(r[2] for r in readings), max(r[3] for r in readings))


# ---------------------------------------------------------------------------------------------
# RON records -> Python values

# A record line becomes JSON: split on the quotes (string contents are kept as they are: JSON
# strings are RON strings as long as they have no escape), and each piece between strings is
# rewritten by one compiled regular expression: record names become a "$" member, field names
# are quoted, bare identifiers (enum variants) become strings, trailing commas are dropped.
# Those pieces (`, kind: Election, on: `, `)]),` ...) repeat from record to record, so each is
# rewritten once and then looked up.
TOKEN = re.compile(
    r"(?P<empty>[A-Za-z_]\w*)\(\s*\)"
    r"|(?P<rec>[A-Za-z_]\w*)\("
    r"|(?P<key>[A-Za-z_]\w*)\s*:"
    r"|(?P<word>[A-Za-z_]\w*)"
    r"|(?P<close>\))"
    r"|,(?P<trail>\s*[\]\)])"
    r"|(?P<bad>[{}'])"
)
REWRITTEN = {}


def _token(m):
    kind = m.lastgroup
    text = m.group(kind)
    if kind == "empty":
        return '{"$":"%s"}' % text
    if kind == "rec":
        return '{"$":"%s",' % text
    if kind == "key":
        return '"%s":' % text
    if kind == "word":
        return text if text in ("true", "false") else '"%s"' % text
    if kind == "close":
        return "}"
    if kind == "trail":
        return text.replace(")", "}")
    raise ValueError(f"unsupported form {text!r}")


def parse_record(line):
    """A record line of the synth layout (`    Kind(field: value, ...),`) as a dict."""
    if "\\" in line:
        raise ValueError("a string with an escape")
    parts = line.strip().rstrip(",").split('"')
    if len(parts) % 2 == 0:
        raise ValueError("an unclosed string")
    for i in range(0, len(parts), 2):
        piece = parts[i]
        json_piece = REWRITTEN.get(piece)
        if json_piece is None:
            json_piece = REWRITTEN[piece] = TOKEN.sub(_token, piece)
        parts[i] = json_piece
    return json.loads('"'.join(parts))


# ---------------------------------------------------------------------------------------------
# Records -> rows

FIELDS = {
    "State": {"id", "name", "cow", "from", "until"},
    "Organization": {"id", "name", "kind", "founded", "dissolved"},
    "Person": {"id", "name", "born", "died"},
    "Treaty": {"id", "name", "kind", "signed", "in_force", "ended", "organization", "parties", "sources"},
    "Sanction": {"id", "by", "against", "measures", "from", "until", "legal_act", "disputed", "sources"},
    "Statement": {"id", "by", "on_behalf_of", "about", "on", "from", "until", "quote", "stance", "sources"},
    "Event": {"id", "name", "kind", "on", "from", "until", "involves", "summary", "sources"},
    "Membership": {"id", "member", "of", "from", "until", "sources"},
    "Role": {"id", "person", "of", "title", "from", "until", "sources"},
}
PARTY_FIELDS = {"$", "state", "from", "until", "signed"}
READING_FIELDS = {"$", "from", "until", "sources"}
SOURCE_FIELDS = {"$", "title", "url", "publisher", "published"}


def check_fields(rec, allowed, where):
    """Stops on a field the script would otherwise silently leave out."""
    unknown = set(rec) - allowed - {"$"}
    if unknown:
        raise ValueError(f"{where}: fields the script does not import: {sorted(unknown)}")


class Tables:
    """CSV writers for every table, the full schema and the narrow one."""

    FULL = ("entity", "fact", "link", "reading", "source")
    NARROW = ("party", "sanction_target", "sanction_reading")

    def __init__(self, out):
        self.files = {}
        self.writers = {}
        self.counts = {}
        for name in self.FULL + self.NARROW:
            f = open(os.path.join(out, name + ".csv"), "w", newline="", encoding="utf-8")
            self.files[name] = f
            self.writers[name] = csv.writer(f).writerow
            self.counts[name] = 0

    def row(self, table, *values):
        self.writers[table](values)
        self.counts[table] += 1

    def close(self):
        for f in self.files.values():
            f.close()


def add_sources(t, fact, sources, reading=""):
    """The sources of a fact (`reading` empty) or of one of its disputed readings."""
    for s in sources:
        check_fields(s, SOURCE_FIELDS, f"{fact}: Source")
        t.row("source", fact, reading, s["title"], s["url"], s.get("publisher", ""), s.get("published", ""))


def add_entity(t, r):
    """One state, organization or person, with the days it existed."""
    kind = r["$"]
    check_fields(r, FIELDS[kind], r["id"])
    start, end = {
        "State": ("from", "until"), "Organization": ("founded", "dissolved"), "Person": ("born", "died"),
    }[kind]
    t.row("entity", r["id"], kind, r["name"], r.get("cow", ""),
          r.get("kind", ""), *bounds(r.get(start), r.get(end)))


def fact_dates(r):
    """The fact's own four day columns and whether it is a point fact."""
    if "on" in r:
        return point(r["on"]), 1
    return bounds(r.get("from"), r.get("until")), 0


def add_fact(t, r):
    """One fact: its row, links, readings and sources (and the narrow tables' rows)."""
    kind, fid = r["$"], r["id"]
    check_fields(r, FIELDS[kind], fid)
    link = lambda entity, role, days: t.row("link", entity, fid, role, *days)
    subkind = name = quote = summary = act = measures = signed = ""
    is_point = 0
    if kind == "Treaty":
        subkind, name, signed = r["kind"], r["name"], r.get("signed", "")
        start = r.get("in_force") or r.get("signed")
        own = bounds(start, r.get("ended"))
        alliance = int(subkind in ALLIANCE)
        if "organization" in r:
            link(r["organization"], "organization", own)
        for p in r["parties"]:
            check_fields(p, PARTY_FIELDS, f"{fid}: Party")
            days = both(own, bounds(p.get("from", start), p.get("until", r.get("ended"))))
            link(p["state"], "party", days)
            t.row("party", fid, p["state"], alliance, *days)
    else:
        own, is_point = fact_dates(r)
        if is_point and r.get("disputed"):
            raise ValueError(f"{fid}: disputed readings of a point fact (`on`) are not imported")
        readings = [own]
        for n, d in enumerate(r.get("disputed", []), 1):
            check_fields(d, READING_FIELDS, f"{fid}: Reading")
            days = bounds(d.get("from", r.get("from")), d.get("until", r.get("until")))
            readings.append(days)
            t.row("reading", fid, n, *days)
            add_sources(t, fid, d.get("sources", []), n)
        days = envelope(readings)
        if kind == "Sanction":
            act, measures = r.get("legal_act", ""), ",".join(r["measures"])
            link(r["by"], "sender", days)
            for a in r["against"]:
                link(a, "target", days)
                t.row("sanction_target", a, fid, days[0], days[3])
            for rd in readings:
                t.row("sanction_reading", fid, *rd)
        elif kind == "Statement":
            subkind, quote = r["stance"], r["quote"]
            link(r["by"], "speaker", days)
            if "on_behalf_of" in r:
                link(r["on_behalf_of"], "on_behalf_of", days)
            for a in r["about"]:
                link(a, "about", days)
        elif kind == "Event":
            subkind, name, summary = r["kind"], r["name"], r.get("summary", "")
            for a in r["involves"]:
                link(a, "involves", days)
        elif kind == "Role":
            name = r["title"]
            link(r["person"], "person", days)
            link(r["of"], "role_of", days)
        elif kind == "Membership":
            link(r["member"], "member", days)
            link(r["of"], "member_of", days)
        else:
            raise ValueError(f"{fid}: unknown fact kind {kind}")
    t.row("fact", fid, kind, subkind, name, quote, summary, act, measures, signed, is_point, *own)
    add_sources(t, fid, r.get("sources", []))


def data_files(world):
    """Every .ron file of the world, in dipgraph's load order (sorted paths)."""
    out = []
    for root, dirs, files in os.walk(world):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [os.path.join(root, f) for f in sorted(files) if f.endswith(".ron")]
    return sorted(out, key=lambda p: os.path.relpath(p, world))


def to_csv(world, out):
    """Writes one CSV file per table into `out`; returns the row counts."""
    t = Tables(out)
    try:
        for path in data_files(world):
            for number, line in enumerate(open(path, encoding="utf-8"), 1):
                stripped = line.strip()
                if not stripped or stripped in ("[", "]") or stripped.startswith("//"):
                    continue
                try:
                    r = parse_record(stripped)
                    (add_entity if r["$"] in ("State", "Organization", "Person") else add_fact)(t, r)
                except (ValueError, KeyError) as e:
                    raise SystemExit(f"{path}:{number}: cannot import this record: {e}")
    finally:
        t.close()
    return t.counts


# ---------------------------------------------------------------------------------------------
# SQLite

DAYS = "ps INT, cs INT, ce INT, pe INT"
FULL_IMPORT = f"""
CREATE TABLE entity(id TEXT, kind TEXT, name TEXT, cow INT, org_kind TEXT, {DAYS});
CREATE TABLE fact(id TEXT, kind TEXT, subkind TEXT, name TEXT, quote TEXT, summary TEXT,
  legal_act TEXT, measures TEXT, signed TEXT, point INT, {DAYS});
CREATE TABLE link(entity TEXT, fact TEXT, role TEXT, {DAYS});
CREATE TABLE reading(fact TEXT, n INT, {DAYS});
CREATE TABLE source(fact TEXT, reading INT, title TEXT, url TEXT, publisher TEXT, published TEXT);
.mode csv
.import {{dir}}/entity.csv entity
.import {{dir}}/fact.csv fact
.import {{dir}}/link.csv link
.import {{dir}}/reading.csv reading
.import {{dir}}/source.csv source
CREATE UNIQUE INDEX entity_id ON entity(id);
CREATE UNIQUE INDEX fact_id ON fact(id);
CREATE INDEX link_entity ON link(entity, role, ps, pe);
CREATE INDEX link_fact ON link(fact);
CREATE INDEX reading_fact ON reading(fact);
"""

NARROW_IMPORT = """
CREATE TABLE party(treaty TEXT, state TEXT, alliance INT, ps INT, cs INT, ce INT, pe INT);
CREATE TABLE sanction_target(target TEXT, fact TEXT, ps INT, pe INT);
CREATE TABLE sanction_reading(fact TEXT, ps INT, cs INT, ce INT, pe INT);
.mode csv
.import {dir}/party.csv party
.import {dir}/sanction_target.csv sanction_target
.import {dir}/sanction_reading.csv sanction_reading
CREATE INDEX party_state ON party(state, alliance, ps, pe);
CREATE INDEX party_treaty ON party(treaty);
CREATE INDEX target_dates ON sanction_target(target, ps, pe);
CREATE INDEX reading_fact ON sanction_reading(fact);
"""

# Certainty on the window [f, l]: 2 certain, 1 possible, 0 no (docs/queries.md).
STATUS = ("(CASE WHEN {f} >= {t}.cs AND {l} < {t}.ce THEN 2 "
          "WHEN max({f}, {t}.ps) <= {l} AND max({f}, {t}.ps) < {t}.pe THEN 1 ELSE 0 END)")


def allies_sql(x, f, l):
    """Allies of x on [f, l], on the full schema: fellow parties to an alliance-kind treaty."""
    mine = STATUS.format(f=f, l=l, t="m")
    other = STATUS.format(f=f, l=l, t="p")
    kinds = ", ".join(f"'{k}'" for k in ALLIANCE)
    return (
        f"WITH mine AS (SELECT m.fact, max({mine}) AS s FROM link m JOIN fact t ON t.id = m.fact "
        f"WHERE m.entity = '{x}' AND m.role = 'party' AND m.ps <= {l} AND m.pe > {f} "
        f"AND t.subkind IN ({kinds}) GROUP BY m.fact) "
        f"SELECT p.entity, max(min(mine.s, {other})) AS c FROM mine JOIN link p ON p.fact = mine.fact "
        f"WHERE mine.s > 0 AND p.role = 'party' AND p.entity != '{x}' "
        f"GROUP BY p.entity HAVING c > 0 ORDER BY p.entity;"
    )


def sanctions_sql(x, f, l):
    """Sanctions against x on [f, l], on the full schema: certain when every reading is."""
    own = STATUS.format(f=f, l=l, t="s")
    other = f"(CASE WHEN r.fact IS NULL THEN {own} ELSE {STATUS.format(f=f, l=l, t='r')} END)"
    return (
        f"SELECT t.fact, CASE WHEN min(min({own}, {other})) = 2 THEN 2 ELSE 1 END FROM link t "
        f"JOIN fact s ON s.id = t.fact LEFT JOIN reading r ON r.fact = t.fact "
        f"WHERE t.entity = '{x}' AND t.role = 'target' AND t.ps <= {l} AND t.pe > {f} "
        f"GROUP BY t.fact HAVING max(max({own}, {other})) > 0 ORDER BY t.fact;"
    )


def narrow_allies_sql(x, f, l):
    """Allies of x on [f, l], on the narrow tables."""
    mine = STATUS.format(f=f, l=l, t="m")
    other = STATUS.format(f=f, l=l, t="p")
    return (
        f"WITH mine AS (SELECT m.treaty, max({mine}) AS s FROM party m "
        f"WHERE m.state = '{x}' AND m.alliance = 1 AND m.ps <= {l} AND m.pe > {f} GROUP BY m.treaty) "
        f"SELECT p.state, max(min(mine.s, {other})) AS c FROM mine JOIN party p ON p.treaty = mine.treaty "
        f"WHERE mine.s > 0 AND p.state != '{x}' GROUP BY p.state HAVING c > 0 ORDER BY p.state;"
    )


def narrow_sanctions_sql(x, f, l):
    """Sanctions against x on [f, l], on the narrow tables."""
    st = STATUS.format(f=f, l=l, t="r")
    return (
        f"SELECT t.fact, CASE WHEN min({st}) = 2 THEN 2 ELSE 1 END FROM sanction_target t "
        f"JOIN sanction_reading r ON r.fact = t.fact WHERE t.target = '{x}' AND t.ps <= {l} AND t.pe > {f} "
        f"GROUP BY t.fact HAVING max({st}) > 0 ORDER BY t.fact;"
    )


def timed_import(db, script, csv_dir, times=3):
    """Imports into a fresh `db` `times` times; returns the wall times in seconds."""
    out = []
    for _ in range(times):
        if os.path.exists(db):
            os.remove(db)
        t = time.perf_counter()
        subprocess.run(["sqlite3", db], input=script.format(dir=csv_dir), text=True, check=True)
        out.append(time.perf_counter() - t)
    return out


def sqlite(db, sql):
    """The rows `sqlite3` prints for `sql`, sorted."""
    out = subprocess.run(["sqlite3", "-csv", db, sql], capture_output=True, text=True, check=True)
    return sorted(tuple(r) for r in csv.reader(out.stdout.splitlines()))


# ---------------------------------------------------------------------------------------------
# dipgraph


def dipgraph_rows(exe, world, args, env):
    """(id, certainty) of every result of a dipgraph question, sorted; 2 certain, 1 possible."""
    out = subprocess.run([exe, "--data", world, "--format", "json", *args],
                         capture_output=True, text=True, env=env, check=True)
    level = {"certain": "2", "possible": "1"}
    return sorted((r["id"], level[r["certainty"]]) for r in json.loads(out.stdout)["results"])


def timed_cold(exe, world, env, no_cache, times=3):
    """(wall time, peak memory) of whole cold `allies` calls: with `no_cache`, the data checked
    and indexed in memory and let go; else the first call on the data, which builds the cache
    (removed first)."""
    out = []
    for _ in range(times):
        cache = env["DIPGRAPH_CACHE_DIR"]
        shutil.rmtree(cache, ignore_errors=True)
        flag = ["--no-cache"] if no_cache else []
        out.append(run_measured([exe, *flag, "--data", world, "allies", "UKR", "--on", "2020-01-01"], env))
    return out


def hyperfine(commands, runs, env):
    """The median wall time of each command, in seconds."""
    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        subprocess.run(
            ["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json", tmp.name, *commands],
            capture_output=True, env=env, check=True)
        data = json.load(open(tmp.name))
    return [statistics.median(r["times"]) for r in data["results"]]


# ---------------------------------------------------------------------------------------------


def compare_answers(db, exe, world, env, checks):
    """Asks both the same questions; returns (questions, mismatches)."""
    wanted = ["RUS", "USA", "CHN", "BLR", "UKR", "POL", "KAZ", "ARM", "UZB", "NOR", "QAB", "QAK"]
    # A smaller world has fewer states: those it lacks are left out (a name dipgraph does not
    # know is a usage error, not an answer to compare).
    present = {r[0] for r in sqlite(db, "SELECT id FROM entity")}
    states = [x for x in wanted if x in present]
    if not states:
        sys.exit("none of the states compared is in this world: " + " ".join(wanted))
    days = ["1995-03-01", "2000-01-26", "2004-05", "2008", "2012-12-20", "2016-07-04",
            "2020-01-01", "2021-03-15", "2023-11"]
    checked = mismatches = 0
    for k in range(checks):
        x, d = states[k % len(states)], days[(k * 7) % len(days)]
        f, l = first_last(d)
        for kind, sql in (("allies", allies_sql(x, f, l)), ("sanctions", sanctions_sql(x, f, l))):
            dg_args = ["allies", x, "--on", d] if kind == "allies" else ["sanctions", "--against", x, "--on", d]
            a, b = sqlite(db, sql), dipgraph_rows(exe, world, dg_args, env)
            checked += 1
            if a != b:
                mismatches += 1
                print(f"MISMATCH {kind} {x} {d}: sqlite {len(a)} rows, dipgraph {len(b)} rows", file=sys.stderr)
    return checked, mismatches


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("world")
    ap.add_argument("--dipgraph", default="target/release/dipgraph")
    ap.add_argument("--runs", type=int, default=10, help="hyperfine runs per whole command")
    ap.add_argument("--checks", type=int, default=40, help="(X, D) pairs whose answers are compared")
    args = ap.parse_args()
    world, exe = os.path.abspath(args.world), os.path.abspath(args.dipgraph)
    work = tempfile.mkdtemp(prefix="dipgraph-sqlite-")
    env = dict(os.environ)
    # A cache folder of the script's own: the first-call runs empty it.
    env["DIPGRAPH_CACHE_DIR"] = os.path.join(work, "cache")
    try:
        t = time.perf_counter()
        counts = to_csv(world, work)
        convert = time.perf_counter() - t
        full_db, narrow_db = os.path.join(work, "full.db"), os.path.join(work, "narrow.db")
        full = timed_import(full_db, FULL_IMPORT, work)
        narrow = timed_import(narrow_db, NARROW_IMPORT, work)
        no_cache = timed_cold(exe, world, env, no_cache=True)
        # The last of these leaves the cache written, for the warm calls below.
        first = timed_cold(exe, world, env, no_cache=False)
        checked, mismatches = compare_answers(full_db, exe, world, env, args.checks)
        x, d = "UKR", "2020-01-01"
        f, l = first_last(d)
        times = hyperfine([
            f'sqlite3 {full_db} "{allies_sql(x, f, l)}"',
            f'sqlite3 {narrow_db} "{narrow_allies_sql(x, f, l)}"',
            f"{exe} --data {world} allies {x} --on {d}",
            f'sqlite3 {full_db} "{sanctions_sql(x, f, l)}"',
            f'sqlite3 {narrow_db} "{narrow_sanctions_sql(x, f, l)}"',
            f"{exe} --data {world} sanctions --against {x} --on {d}",
        ], args.runs, env)
        ms = lambda s: f"{s * 1000:.1f} ms"
        sec = lambda s: f"{s:.2f} s"
        full_rows = sum(counts[n] for n in Tables.FULL)
        narrow_rows = sum(counts[n] for n in Tables.NARROW)
        full_s, narrow_s = statistics.median(full), statistics.median(narrow)
        mib = lambda b: f"{b / 2**20:.0f} MiB"
        colds = [(f"first call (`allies`, builds the cache)", first), ("`allies --no-cache`", no_cache)]
        print(f"world: {world}")
        print("full schema: " + ", ".join(f"{counts[n]} {n}" for n in Tables.FULL) + f" ({full_rows} rows)")
        print("narrow schema: " + ", ".join(f"{counts[n]} {n}" for n in Tables.NARROW) + f" ({narrow_rows} rows)")
        print(f"RON to CSV (not timed in the table): {convert:.1f} s")
        print(f"answers compared (full schema): {checked} questions, {mismatches} different")
        print()
        print("| measure | SQLite | dipgraph | dipgraph / SQLite |")
        print("|---|---|---|---|")
        for name, runs in colds:
            t = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            print(f"| cold load: every fact (full schema, {full_rows} rows) import + index vs {name}, median of 3; "
                  f"dipgraph's peak memory {mib(peak)} | {sec(full_s)} | {sec(t)} | {t / full_s:.2f} |")
            print(f"| cold load: only the two questions' tables ({narrow_rows} rows) vs {name} "
                  f"| {sec(narrow_s)} | {sec(t)} | {t / narrow_s:.2f} |")
        print(f"| `allies {x} --on {d}`, whole command, full schema | {ms(times[0])} | {ms(times[2])} (warm cache) | {times[2] / times[0]:.2f} |")
        print(f"| `allies {x} --on {d}`, whole command, narrow tables | {ms(times[1])} | {ms(times[2])} (warm cache) | {times[2] / times[1]:.2f} |")
        print(f"| `sanctions --against {x} --on {d}`, whole command, full schema | {ms(times[3])} | {ms(times[5])} (warm cache) | {times[5] / times[3]:.2f} |")
        print(f"| `sanctions --against {x} --on {d}`, whole command, narrow tables | {ms(times[4])} | {ms(times[5])} (warm cache) | {times[5] / times[4]:.2f} |")
        return 1 if mismatches else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
