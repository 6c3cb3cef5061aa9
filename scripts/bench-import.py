#!/usr/bin/env python3
"""`dipgraph import gdelt` of a million rows, side by side with `sqlite3`'s `.import`.

    scripts/bench-import.py [--dipgraph target/release/dipgraph] [--before OLD_BINARY]
                            [--data graph] [--work /tmp/dipgraph-import-bench] [--runs 3]

Makes (once, in WORK) a million-row GDELT file from the sample the tests use and a later
"15-minute" file of 2,000 rows with the ids that follow (`scripts/gdelt-1m.py`), then, with
dipgraph a release build and the data folder DATA copied afresh for each import:

1. the import of the million rows, and `sqlite3 DB ".mode csv" ".import FILE events"` of the
   same file into a fresh database, alternating, `--runs` times each (and the same import by
   `--before`, an older dipgraph, when given);
2. after it, the load (the first question, `stats`, with an empty cache folder: every file read,
   checked and indexed, the cache written) and a warm question (`statements --by RUS --about
   UKR --format csv`, from the cache), beside SQLite's nearest query on its table;
3. the import of the later file into the folder the million rows made (a fresh copy each run);
4. the import of the million rows again, unchanged, and of the later file again.

Each figure is the median of whole processes: wall time and peak resident memory, as
`/usr/bin/time -f "%e %M"` gives them. It prints the load average before and after, and a
Markdown table.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile


HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_measured(cmd, env):
    """Runs `cmd` under `/usr/bin/time`, its output discarded: its wall time in seconds and its
    peak resident memory in bytes. A failing command stops the benchmark."""
    p = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    if p.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    wall, kib = p.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kib) * 1024


def median(xs):
    return statistics.median(xs)


def mib(b):
    return f"{b / (1 << 20):.0f} MiB"


def secs(t):
    # /usr/bin/time gives hundredths of a second.
    return f"{t:.2f} s" if t >= 0.01 else "< 0.01 s"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dipgraph", default=os.path.join(ROOT, "target", "release", "dipgraph"))
    p.add_argument("--before", help="an older dipgraph, to time its import of the same file")
    p.add_argument("--data", default=os.path.join(ROOT, "graph"), help="the data folder to import into")
    p.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "dipgraph-import-bench"))
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    big = os.path.join(args.work, "gdelt-1m.csv")
    later = os.path.join(args.work, "gdelt-later.csv")
    make = [sys.executable, os.path.join(HERE, "gdelt-1m.py")]
    if not os.path.exists(big):
        subprocess.run(make + [big], check=True)
    if not os.path.exists(later):
        subprocess.run(make + [later, "--rows", "2000", "--first-id", "2001000000"], check=True)
    cache = os.path.join(args.work, "cache")
    env = dict(os.environ, DIPGRAPH_CACHE_DIR=cache)
    world = os.path.join(args.work, "world")
    after_big = os.path.join(args.work, "after-1m")

    def fresh(src, dst):
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(src, dst)

    def import_into(binary, folder, file, extra=()):
        cmd = [binary, "--data", os.path.join(folder, "graph"), "import", "gdelt", file, *extra]
        return run_measured(cmd, env)

    figures = {}
    print("load average before: %.2f %.2f %.2f" % os.getloadavg())

    def note(name, t, m):
        figures.setdefault(name, []).append((t, m))

    for _ in range(args.runs):
        db = os.path.join(args.work, "events.db")
        if os.path.exists(db):
            os.remove(db)
        note("sqlite3 .import", *run_measured(["sqlite3", db, ".mode csv", f".import {big} events"], env))
        os.makedirs(world, exist_ok=True)
        fresh(args.data, os.path.join(world, "graph"))
        note("import gdelt, 1M rows", *import_into(args.dipgraph, world, big))
        if args.before:
            fresh(args.data, os.path.join(world, "graph"))
            note("import gdelt, 1M rows (before)", *import_into(args.before, world, big))
    # The million rows imported: the folder the later steps start from.
    fresh(args.data, os.path.join(world, "graph"))
    import_into(args.dipgraph, world, big)
    fresh(world, after_big)
    graph = os.path.join(after_big, "graph")
    question = [args.dipgraph, "--data", graph, "--format", "csv", "statements", "--by", "RUS", "--about", "UKR"]
    for _ in range(args.runs):
        shutil.rmtree(cache, ignore_errors=True)
        note("load (first question, cache built)", *run_measured([args.dipgraph, "--data", graph, "stats"], env))
        note("warm question (statements RUS about UKR)", *run_measured(question, env))
        note(
            "sqlite3: the same pairs' verbal events",
            *run_measured(
                [
                    "sqlite3",
                    db,
                    "select count(*) from events where Actor1CountryCode = 'RUS' "
                    "and Actor2CountryCode = 'UKR' and QuadClass in ('1', '3')",
                ],
                env,
            ),
        )
    for _ in range(args.runs):
        step = os.path.join(args.work, "step")
        fresh(after_big, step)
        note("import gdelt, a later 2,000-row file", *import_into(args.dipgraph, step, later))
        note("import gdelt, the later file again", *import_into(args.dipgraph, step, later))
        note("import gdelt, the 1M rows again (unchanged)", *import_into(args.dipgraph, step, big))
    with open(os.path.join(after_big, "graph", "imported", "gdelt", "manifest.json")) as f:
        files = f.read().count('"name": "')
    print("load average after: %.2f %.2f %.2f" % os.getloadavg())
    print(f"{files} files in graph/imported/gdelt after the million rows\n")
    print("| step | time | peak memory |")
    print("|---|---|---|")
    for name, xs in figures.items():
        print(f"| {name} | {secs(median([t for t, _ in xs]))} | {mib(median([m for _, m in xs]))} |")


if __name__ == "__main__":
    main()
