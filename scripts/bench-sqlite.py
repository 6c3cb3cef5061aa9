#!/usr/bin/env python3
"""dipgraph against SQLite, side by side, on the same facts of a synthetic world.

    scripts/bench-sqlite.py WORLD [--dipgraph target/release/dipgraph] [--runs 10]

WORLD is a folder written by `dipgraph synth`. The script

1. turns its treaty parties and sanctions into CSV (one row per party, per sanction reading,
   per sanction target), with the first and last days every date can mean, as day numbers;
2. imports them into a fresh SQLite database with `sqlite3 .import` and builds the indexes,
   timing that (SQLite's "cold load"), median of three;
3. answers "allies of X on D" and "sanctions against X on D" in SQL, with the same certain /
   possible / no rules as dipgraph (docs/queries.md), and checks that dipgraph gives the same
   answers, id for id and certainty for certainty, for many (X, D);
4. times one question as a whole command with hyperfine: `sqlite3 DB "<query>"` against
   `dipgraph allies|sanctions ...` answered from its warm cache.

It prints a Markdown table of the medians. It needs python3, sqlite3 and hyperfine.
"""

import argparse
import csv
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

MIN = -(2**31)
MAX = 2**31 - 1


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


def both(a, b):
    """Bounds of two intervals holding together (a treaty party within its treaty)."""
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


ALLIANCE = {"Defense", "Neutrality", "NonAggression", "Entente", "Union"}
FIELD = lambda name: re.compile(name + r': "([^"]*)"')
ID, KIND, IN_FORCE, SIGNED, ENDED = (FIELD(n) for n in ("id", "kind", "in_force", "signed", "ended"))
KIND = re.compile(r"kind: (\w+)")
PARTY = re.compile(r"Party\(([^)]*)\)")
STATE, FROM, UNTIL = FIELD("state"), FIELD("from"), FIELD("until")
BY = FIELD("by")
AGAINST = re.compile(r"against: \[([^\]]*)\]")
DATES = re.compile(r'measures: \[[^\]]*\], from: "([^"]+)"(?:, until: "([^"]+)")?')
READING = re.compile(r'Reading\(from: "([^"]+)"')


def to_csv(world, out):
    """Writes party.csv, sanction_target.csv and sanction_reading.csv; returns row counts."""
    party = csv.writer(open(os.path.join(out, "party.csv"), "w", newline=""))
    target = csv.writer(open(os.path.join(out, "sanction_target.csv"), "w", newline=""))
    reading = csv.writer(open(os.path.join(out, "sanction_reading.csv"), "w", newline=""))
    counts = {"party": 0, "sanction_target": 0, "sanction_reading": 0}
    for sub in ("treaties", "sanctions"):
        folder = os.path.join(world, sub)
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            for line in open(os.path.join(folder, name), encoding="utf-8"):
                line = line.strip()
                if line.startswith("Treaty("):
                    tid = ID.search(line).group(1)
                    alliance = int(KIND.search(line).group(1) in ALLIANCE)
                    start = IN_FORCE.search(line) or SIGNED.search(line)
                    ended = ENDED.search(line)
                    t = bounds(start and start.group(1), ended and ended.group(1))
                    tf, tu = start and start.group(1), ended and ended.group(1)
                    for p in PARTY.findall(line):
                        f, u = FROM.search(p), UNTIL.search(p)
                        own = bounds(f.group(1) if f else tf, u.group(1) if u else tu)
                        party.writerow([tid, STATE.search(p).group(1), alliance, *both(t, own)])
                        counts["party"] += 1
                elif line.startswith("Sanction("):
                    sid = ID.search(line).group(1)
                    start, until = DATES.search(line).groups()
                    rs = [bounds(start, until)] + [bounds(r, until) for r in READING.findall(line)]
                    for r in rs:
                        reading.writerow([sid, *r])
                        counts["sanction_reading"] += 1
                    ps, pe = min(r[0] for r in rs), max(r[3] for r in rs)
                    for a in re.findall(r'"([^"]+)"', AGAINST.search(line).group(1)):
                        target.writerow([a, sid, ps, pe])
                        counts["sanction_target"] += 1
    return counts


IMPORT = """
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
STATUS = "(CASE WHEN {f} >= {t}.cs AND {l} < {t}.ce THEN 2 WHEN max({f}, {t}.ps) <= {l} AND max({f}, {t}.ps) < {t}.pe THEN 1 ELSE 0 END)"


def allies_sql(x, f, l):
    mine = STATUS.format(f=f, l=l, t="m")
    other = STATUS.format(f=f, l=l, t="p")
    return (
        f"WITH mine AS (SELECT m.treaty, max({mine}) AS s FROM party m "
        f"WHERE m.state = '{x}' AND m.alliance = 1 AND m.ps <= {l} AND m.pe > {f} GROUP BY m.treaty) "
        f"SELECT p.state, max(min(mine.s, {other})) AS c FROM mine JOIN party p ON p.treaty = mine.treaty "
        f"WHERE mine.s > 0 AND p.state != '{x}' GROUP BY p.state HAVING c > 0 ORDER BY p.state;"
    )


def sanctions_sql(x, f, l):
    st = STATUS.format(f=f, l=l, t="r")
    return (
        f"SELECT t.fact, CASE WHEN min({st}) = 2 THEN 2 ELSE 1 END FROM sanction_target t "
        f"JOIN sanction_reading r ON r.fact = t.fact WHERE t.target = '{x}' AND t.ps <= {l} AND t.pe > {f} "
        f"GROUP BY t.fact HAVING max({st}) > 0 ORDER BY t.fact;"
    )


def sqlite(db, sql):
    out = subprocess.run(["sqlite3", "-csv", db, sql], capture_output=True, text=True, check=True)
    return sorted(tuple(r) for r in csv.reader(out.stdout.splitlines()))


def dipgraph_rows(exe, world, args, env):
    out = subprocess.run([exe, "--data", world, "--format", "json", *args], capture_output=True, text=True, env=env, check=True)
    level = {"certain": "2", "possible": "1"}
    return sorted((r["id"], level[r["certainty"]]) for r in json.loads(out.stdout)["results"])


def hyperfine(commands, runs, env):
    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        subprocess.run(
            ["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json", tmp.name, *commands],
            capture_output=True, env=env, check=True)
        data = json.load(open(tmp.name))
    return [statistics.median(r["times"]) for r in data["results"]]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("world")
    ap.add_argument("--dipgraph", default="target/release/dipgraph")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--checks", type=int, default=40, help="(X, D) pairs whose answers are compared")
    args = ap.parse_args()
    world, exe = os.path.abspath(args.world), os.path.abspath(args.dipgraph)
    work = tempfile.mkdtemp(prefix="dipgraph-sqlite-")
    env = dict(os.environ, DIPGRAPH_CACHE_DIR=os.path.join(work, "cache"))
    try:
        counts = to_csv(world, work)
        imports = []
        for _ in range(3):
            db = os.path.join(work, "facts.db")
            if os.path.exists(db):
                os.remove(db)
            t = time.perf_counter()
            subprocess.run(["sqlite3", db], input=IMPORT.format(dir=work), text=True, check=True)
            imports.append(time.perf_counter() - t)
        # The same answers, for states and dates across the data.
        states = [s for s in ("RUS", "USA", "CHN", "BLR", "UKR", "POL", "KAZ", "ARM", "UZB", "NOR", "QAB", "QAK")]
        days = ["1995-03-01", "2000-01-26", "2004-05", "2008", "2012-12-20", "2016-07-04", "2020-01-01", "2021-03-15", "2023-11"]
        # Warm the cache once.
        subprocess.run([exe, "--data", world, "allies", "RUS", "--on", "2020-01-01"], capture_output=True, env=env, check=True)
        checked = mismatches = 0
        for k in range(args.checks):
            x, d = states[k % len(states)], days[(k * 7) % len(days)]
            f, l = first_last(d)
            for kind, sql in (("allies", allies_sql(x, f, l)), ("sanctions", sanctions_sql(x, f, l))):
                dg_args = ["allies", x, "--on", d] if kind == "allies" else ["sanctions", "--against", x, "--on", d]
                a, b = sqlite(db, sql), dipgraph_rows(exe, world, dg_args, env)
                checked += 1
                if a != b:
                    mismatches += 1
                    print(f"MISMATCH {kind} {x} {d}: sqlite {len(a)} rows, dipgraph {len(b)} rows", file=sys.stderr)
        x, d = "UKR", "2020-01-01"
        f, l = first_last(d)
        times = hyperfine([
            f'sqlite3 {db} "{allies_sql(x, f, l)}"',
            f"{exe} --data {world} allies {x} --on {d}",
            f'sqlite3 {db} "{sanctions_sql(x, f, l)}"',
            f"{exe} --data {world} sanctions --against {x} --on {d}",
        ], args.runs, env)
        ms = lambda s: f"{s * 1000:.1f} ms"
        print(f"world: {world} ({counts['party']} party rows, {counts['sanction_reading']} sanction readings, {counts['sanction_target']} sanction targets)")
        print(f"answers compared: {checked} questions, {mismatches} different")
        print()
        print("| measure | SQLite | dipgraph | ratio |")
        print("|---|---|---|---|")
        print(f"| import + index (SQLite), median of 3 | {ms(statistics.median(imports))} | | |")
        print(f"| `allies {x} --on {d}`, whole command | {ms(times[0])} | {ms(times[1])} (warm cache) | {times[1] / times[0]:.2f} |")
        print(f"| `sanctions --against {x} --on {d}`, whole command | {ms(times[2])} | {ms(times[3])} (warm cache) | {times[3] / times[2]:.2f} |")
        return 1 if mismatches else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
