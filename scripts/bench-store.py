#!/usr/bin/env python3
"""The figures issue 14 asks for, side by side in one run: dipgraph against a flat SQLite
table, a whole call on small data without a cache, and peak memory at 1M in every mode.

    scripts/bench-store.py WORLD_1M WORLD_5K [--dipgraph target/release/dipgraph] [--runs 10]

WORLD_1M is `dipgraph synth --facts 1000000 --seed 42 --out DIR`, WORLD_5K the same with
`--facts 5000`; a folder that does not exist is made so by the binary's `synth`. dipgraph must
be a release build. Every dipgraph call gets `DIPGRAPH_TODAY=2021-03-15` and a cache folder
of the script's own (`DIPGRAPH_CACHE_DIR`, in a temporary folder removed at the end). The
script needs python3 and the sqlite3 shell, and:

1. Makes the SQLite baseline as a user would pick it, for each world (not timed in the
   tables; how long each step took is printed): `dipgraph export csv --all -o FILE` (an edge
   list: one row per fact and pair of entities), cut to the columns `fact, kind, from_id,
   to_id, start, end` (Python's csv module), imported with the sqlite3 shell's `.import` into
   one flat table `f` of a temporary database, empty `end` set to NULL, and two indexes:
   `(kind, to_id, start, end)` for the dated questions and `(from_id)` for `show` and
   `timeline`. No ANALYZE. Dates are compared as text: a start of `2020` or `2020-01` sorts
   before `2020-01-01` (so it counts, as dipgraph counts a possible fact), and an end of a
   year or month is padded past its last day (`-12-32`, `-32`) before it is compared.

2. Times four questions at WORLD_1M as whole commands, dipgraph answering from its warm cache
   against `sqlite3 -csv DB "SQL"` (stdout to /dev/null for both), alternating (dipgraph,
   sqlite3, dipgraph, ...), `--runs` calls each after one untimed call each (which builds the
   cache and gives the row counts): wall time around the whole process. It prints the median
   of each, their ratio, both row counts and SQLite's query plan:
   - `sanctions --against UKR --on 2020-01-01`: the sanction rows with UKR as target in force
     on the date. The counts should be close: dipgraph lists each sanction once, the flat
     table has a row per sender-target tie, which with UKR as target is one per sanction.
     They can differ by a sanction with disputed dates whose readings disagree on the date
     asked: the export's edge has the main reading's dates only, dipgraph counts it possible.
   - `allies UKR --on 2020-01-01`: the other end of the alliance rows with UKR at either end
     in force on the date, distinct. Written as a UNION of the two ends, each served by an
     index (`from_id = X OR to_id = X` gets SQLite to use only the `kind` prefix of the index
     and read every alliance row).
   - `show RUS`: every row with RUS at either end (not ordered); `timeline RUS`: the same,
     ordered by start, the SQL as the issue gives it. Its `to_id = X` half has no index it
     can use (the index begins with `kind`, and without ANALYZE SQLite does no skip-scan), so
     it reads the whole table: the plan printed says so. These counts differ by nature: an
     edge list has a row per pair of entities (a treaty of n parties gives RUS n-1 rows),
     dipgraph a row per fact (`show`) or per dated change (`timeline`: a start and an end).

3. Times a whole call on WORLD_5K with no cache (`--no-cache ... sanctions --against UKR --on
   2020-01-01 --format csv`) against the same SQL on WORLD_5K's flat table, alternating, the
   median of `--runs` calls each (at least 20).

4. Measures peak memory (`/usr/bin/time -f %M`; see `measured` for why not
   `measure.run_measured`, used only when /usr/bin/time is missing) and wall time at
   WORLD_1M of eleven commands in three modes: warm (the cache present; after one untimed
   call), first call (the cache folder emptied first) and `--no-cache`, one call each (the
   largest peak and median time of `--mem-runs`). Every figure over the issue's limit, 400
   MiB, is marked.

5. Prints `nproc` and the load average before and after, so the figures say what the machine
   was doing.

It prints Markdown and exits non-zero only when a command fails to run.
"""

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from measure import run_measured

TODAY = "2021-03-15"
LIMIT = 400 * 2**20  # issue 14: peak memory at 1M, every command, every mode
COLUMNS = ("fact", "kind", "from_id", "to_id", "start", "end")

# The sqlite3 shell script that makes the flat table: {csv} is the cut export.
IMPORT = """.bail on
.import --csv {csv} f
UPDATE f SET "end" = NULL WHERE "end" = '';
CREATE INDEX f_kind_to_start_end ON f(kind, to_id, start, "end");
CREATE INDEX f_from ON f(from_id);
"""

# "In force on D" on the flat table, for dates of any precision compared as text.
IN_FORCE = ("start <= '{d}' and (end is null or (case length(end) when 4 then end || '-12-32' "
            "when 7 then end || '-32' else end end) > '{d}')")

SANCTIONS_SQL = "select fact, from_id, start, end from f where kind = 'sanction' and to_id = '{x}' and " + IN_FORCE
ALLIES_SQL = ("select to_id from f where kind = 'alliance' and from_id = '{x}' and " + IN_FORCE +
              " union select from_id from f where kind = 'alliance' and to_id = '{x}' and " + IN_FORCE)
SHOW_SQL = "select * from f where to_id = '{x}' union all select * from f where from_id = '{x}' and to_id <> '{x}'"
TIMELINE_SQL = SHOW_SQL + " order by start"

# (dipgraph's arguments, the SQL) of each question timed side by side.
QUESTIONS = [
    (["sanctions", "--against", "UKR", "--on", "2020-01-01"], SANCTIONS_SQL.format(x="UKR", d="2020-01-01")),
    (["allies", "UKR", "--on", "2020-01-01"], ALLIES_SQL.format(x="UKR", d="2020-01-01")),
    (["show", "RUS"], SHOW_SQL.format(x="RUS")),
    (["timeline", "RUS"], TIMELINE_SQL.format(x="RUS")),
]

# The commands whose peak memory is measured (output discarded; `export` to /dev/null).
MEMORY = [
    ["allies", "UKR", "--on", "2020-01-01"],
    ["sanctions", "--against", "UKR", "--on", "2020-01-01"],
    ["show", "RUS"],
    ["timeline", "RUS"],
    ["relations", "RUS", "BLR"],
    ["statements"],
    ["diff", "1900", "2030"],
    ["path", "POL", "CHN", "--on", "2018-06-01"],
    ["stats"],
    ["validate"],
    ["export", "csv", "--all"],
]


# ---------------------------------------------------------------------------------------------
# Running


def run(cmd, env=None, capture=False, out=None):
    """Runs `cmd`; its stdout when `capture`, else written to the file named `out`, else
    discarded. A failing command stops the script, with its stderr."""
    with open(out, "w") if out else open(os.devnull, "w") as sink:
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE if capture else sink,
                               stderr=subprocess.PIPE, text=True, env=env)
        except OSError as e:
            raise SystemExit(f"cannot run {cmd[0]}: {e}")
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}")
    return p.stdout


def timed(cmd, env):
    """The wall time of one whole call of `cmd` in seconds, stdout to /dev/null."""
    t = time.perf_counter()
    run(cmd, env)
    return time.perf_counter() - t


def alternate(a, b, runs, env):
    """Times `a` and `b` in turn, `runs` calls each; returns the two lists of seconds."""
    ta, tb = [], []
    for _ in range(runs):
        ta.append(timed(a, env))
        tb.append(timed(b, env))
    return ta, tb


def csv_records(path):
    """The number of CSV records in the file `path` (a field may hold a line break), read
    as a stream: the script itself stays small (see `measured`)."""
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f))


def measured(cmd, env):
    """(wall seconds, peak resident bytes) of one whole call of `cmd`, stdout discarded.

    Through `/usr/bin/time -f %M`, which forks the command from its own small process:
    `measure.run_measured` reads ru_maxrss from `os.wait4`, and a child that Python starts
    (vfork, then exec) keeps the high-water mark of the Python process's memory, so it reads
    at least this script's own peak (13 MiB at the least, and more after a large answer was
    read). Without /usr/bin/time, `run_measured` is used (the table's heading says so)."""
    if not os.path.exists("/usr/bin/time"):
        return run_measured(cmd, env)
    with tempfile.NamedTemporaryFile(mode="r", suffix=".maxrss") as rss:
        t = time.perf_counter()
        run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *cmd], env)
        elapsed = time.perf_counter() - t
        return elapsed, int(rss.read().split()[-1]) * 1024


def load():
    """The load average over 1, 5 and 15 minutes, as text."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def ms(seconds):
    """Seconds as milliseconds, for a table."""
    return f"{seconds * 1000:.1f} ms"


def mib(size):
    """Bytes as MiB, for a table."""
    return f"{size / 2**20:.0f} MiB"


# ---------------------------------------------------------------------------------------------
# The worlds and the flat table


def ensure_world(exe, world, facts):
    """Makes `world` with `synth --facts N --seed 42` when the folder does not exist."""
    if os.path.exists(world):
        return
    t = time.perf_counter()
    run([exe, "synth", "--facts", str(facts), "--seed", "42", "--out", world])
    print(f"made {world} (`synth --facts {facts} --seed 42`) in {time.perf_counter() - t:.1f} s")


def flat_table(exe, world, work, name, env):
    """Exports every fact of `world` as CSV, cuts it to COLUMNS and imports it into a new
    database `work/name.db` with its two indexes; returns (db, rows, seconds of each step)."""
    full = os.path.join(work, name + "-export.csv")
    cut = os.path.join(work, name + "-flat.csv")
    db = os.path.join(work, name + ".db")
    steps = {}
    t = time.perf_counter()
    run([exe, "--data", world, "export", "csv", "--all", "-o", full], env)
    steps["export"] = time.perf_counter() - t
    t = time.perf_counter()
    rows = 0
    with open(full, newline="", encoding="utf-8") as src, open(cut, "w", newline="", encoding="utf-8") as dst:
        reader = csv.reader(src)
        header = next(reader)
        if header[:len(COLUMNS)] != list(COLUMNS):
            raise SystemExit(f"unexpected header of `export csv --all`: {header}")
        out = csv.writer(dst)
        out.writerow(COLUMNS)
        for r in reader:
            out.writerow(r[:len(COLUMNS)])
            rows += 1
    os.remove(full)
    steps["cut"] = time.perf_counter() - t
    t = time.perf_counter()
    p = subprocess.run(["sqlite3", db], input=IMPORT.format(csv=cut), text=True, capture_output=True)
    if p.returncode != 0 or p.stderr.strip():
        sys.stderr.write(p.stderr)
        raise SystemExit(f"sqlite3 could not import {cut}")
    steps["import + index"] = time.perf_counter() - t
    os.remove(cut)
    return db, rows, steps


def query_plan(db, sql):
    """SQLite's plan for `sql`, its SEARCH and SCAN steps on one line."""
    out = run(["sqlite3", db, "explain query plan " + sql], capture=True)
    steps = [line.lstrip("|`- ").strip() for line in out.splitlines()]
    return "; ".join(s for s in steps if s.startswith(("SEARCH", "SCAN", "USE TEMP")))


# ---------------------------------------------------------------------------------------------
# The three measures


def side_by_side(exe, world, db, args, sql, runs, env, no_cache=False):
    """One question to dipgraph (`--format csv`) and to sqlite3, `runs` calls each in turn,
    after one untimed call each; returns (dipgraph's seconds, sqlite3's seconds, dipgraph's
    rows, sqlite3's rows)."""
    dg = [exe, *(["--no-cache"] if no_cache else []), "--data", world, *args, "--format", "csv"]
    sq = ["sqlite3", "-csv", db, sql]
    out = os.path.join(os.path.dirname(db), "answer.csv")
    run(dg, env, out=out)
    dg_rows = csv_records(out) - 1  # the header
    run(sq, env, out=out)
    sq_rows = csv_records(out)
    os.remove(out)
    dg_times, sq_times = alternate(dg, sq, runs, env)
    return dg_times, sq_times, dg_rows, sq_rows


def memory(exe, world, args, mode, env, runs):
    """(median seconds, largest peak bytes) of `runs` calls of one command in one mode: warm
    (after an untimed call that leaves the cache there), first (the cache folder emptied
    before each call) or no-cache."""
    cache = env["DIPGRAPH_CACHE_DIR"]
    flag = ["--no-cache"] if mode == "no-cache" else []
    cmd = [exe, *flag, "--data", world, *args]
    if mode == "warm":
        run(cmd, env)
    out = []
    for _ in range(runs):
        if mode == "first":
            shutil.rmtree(cache, ignore_errors=True)
        out.append(measured(cmd, env))
    return statistics.median(r[0] for r in out), max(r[1] for r in out)


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("world_1m", metavar="WORLD_1M")
    ap.add_argument("world_5k", metavar="WORLD_5K")
    ap.add_argument("--dipgraph", default="target/release/dipgraph")
    ap.add_argument("--runs", type=int, default=10, help="timed calls of each side (at least 20 for the 5k call)")
    ap.add_argument("--mem-runs", type=int, default=1, help="calls of each command in each mode for memory")
    args = ap.parse_args()
    exe = os.path.abspath(args.dipgraph)
    big, small = os.path.abspath(args.world_1m), os.path.abspath(args.world_5k)
    work = tempfile.mkdtemp(prefix="dipgraph-store-")
    env = dict(os.environ)
    env["DIPGRAPH_CACHE_DIR"] = os.path.join(work, "cache")
    env["DIPGRAPH_TODAY"] = TODAY
    try:
        nproc = run(["nproc"], capture=True).strip()
        print(f"machine: nproc {nproc}; load average before: {load()}")
        print(f"dipgraph: {run([exe, '--version'], capture=True).strip()} ({exe})")
        print(f"sqlite3: {run(['sqlite3', '--version'], capture=True).split()[0]}")
        ensure_world(exe, big, 1_000_000)
        ensure_world(exe, small, 5000)

        # 1. The flat tables.
        tables = {}
        for name, world in (("WORLD_1M", big), ("WORLD_5K", small)):
            db, rows, steps = flat_table(exe, world, work, name, env)
            tables[name] = db
            took = ", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
            print(f"{name} = {world}: flat table `f`, {rows} rows ({took}; not timed below)")
        print()

        # 2. Warm questions at 1M, side by side.
        print(f"## Warm questions on WORLD_1M, whole commands (median of {args.runs}, alternating)")
        print()
        print("| question | dipgraph, warm cache | sqlite3, flat table | dipgraph / sqlite3 | rows: dipgraph / sqlite3 |")
        print("|---|---|---|---|---|")
        plans = []
        for dg_args, sql in QUESTIONS:
            dg, sq, dg_rows, sq_rows = side_by_side(exe, big, tables["WORLD_1M"], dg_args, sql, args.runs, env)
            a, b = statistics.median(dg), statistics.median(sq)
            shown = " ".join(dg_args)
            print(f"| `{shown} --format csv` | {ms(a)} | {ms(b)} | {a / b:.2f} | {dg_rows} / {sq_rows} |", flush=True)
            plans.append((shown, query_plan(tables["WORLD_1M"], sql), sql))
        print()
        print("SQL and SQLite's plan of each:")
        print()
        for shown, plan, sql in plans:
            print(f"- `{shown}`: {plan}  \n  `{sql}`")
        print()

        # 3. A whole call on 5k, no cache.
        runs = max(args.runs, 20)
        q_args, q_sql = QUESTIONS[0]
        dg, sq, dg_rows, sq_rows = side_by_side(exe, small, tables["WORLD_5K"], q_args, q_sql, runs, env, no_cache=True)
        a, b = statistics.median(dg), statistics.median(sq)
        print(f"## A whole call on WORLD_5K, no cache (median of {runs}, alternating)")
        print()
        print("| question | dipgraph `--no-cache` | sqlite3, flat table | dipgraph / sqlite3 | rows: dipgraph / sqlite3 |")
        print("|---|---|---|---|---|")
        print(f"| `{' '.join(q_args)} --format csv` | {ms(a)} | {ms(b)} | {a / b:.2f} | {dg_rows} / {sq_rows} |")
        print()

        # 4. Peak memory at 1M.
        modes = (("warm", "warm (cache present)"), ("first", "first call (cache emptied)"), ("no-cache", "`--no-cache`"))
        how = "/usr/bin/time -f %M" if os.path.exists("/usr/bin/time") else \
            "os.wait4 ru_maxrss: at least this script's own peak, no /usr/bin/time"
        print(f"## Peak memory on WORLD_1M ({how}; limit {mib(LIMIT)}, **over** marks a figure above it)")
        print()
        print("| command | " + " | ".join(title for _, title in modes) + " |")
        print("|---|" + "---|" * len(modes))
        over = 0
        for cmd in MEMORY:
            cells = []
            for mode, _ in modes:
                secs, peak = memory(exe, big, cmd, mode, env, args.mem_runs)
                mark = " **over**" if peak > LIMIT else ""
                over += peak > LIMIT
                cells.append(f"{mib(peak)}{mark}, {secs:.3f} s")
            print(f"| `{' '.join(cmd)}` | " + " | ".join(cells) + " |", flush=True)
        print()
        print(f"over {mib(LIMIT)}: {over} of {len(MEMORY) * len(modes)} figures")
        print(f"load average after: {load()} (nproc {nproc})")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
