#!/usr/bin/env python3
"""Whole-command timings and peak memory of every question command on one world.

Runs each question warm (the cache already built: median wall time of --runs calls, and the
largest peak resident memory among them), and once with --no-cache (checked and indexed file
by file in memory, no cache file), and prints a Markdown table. The questions are for
`dipgraph synth --seed 1` worlds: typical entities and the heaviest hubs (Russia, Belarus) side
by side, questions whose answer is much of the world, and `query` and `check` of five saved
queries (written to a temporary folder).

    scripts/bench-commands.py /tmp/w1m --dipgraph target/release/dipgraph
"""

import argparse
import os
import statistics
import tempfile

from measure import run_measured

QUESTIONS = [
    ("show", ["show", "POL"]),
    ("show (hub)", ["show", "RUS"]),
    ("show --on", ["show", "UKR", "--on", "2020-01-01"]),
    ("show a fact", ["show", "tr-17"]),
    ("timeline", ["timeline", "POL", "--from", "2015"]),
    ("timeline (hub)", ["timeline", "RUS"]),
    ("relations", ["relations", "POL", "DEU"]),
    ("relations (hubs)", ["relations", "RUS", "BLR"]),
    ("statements --about, a quarter", ["statements", "--about", "POL", "--from", "2020-01", "--to", "2020-03"]),
    ("statements --by --roles, a year", ["statements", "--by", "FRA", "--roles", "--from", "2019", "--to", "2019"]),
    ("statements --by --roles (hub)", ["statements", "--by", "RUS", "--roles"]),
    ("statements, every one", ["statements"]),
    ("diff, a month", ["diff", "2020-01", "2020-02"]),
    ("diff, all time", ["diff", "1900", "2030"]),
    ("diff --around, a year", ["diff", "2019", "2020", "--around", "POL"]),
    ("path", ["path", "POL", "CHN", "--on", "2018-06-01"]),
    ("path, two kinds", ["path", "FRA", "BLR", "--on", "2005", "--kinds", "treaty,membership"]),
    ("allies", ["allies", "UKR", "--on", "2020-01-01"]),
    ("sanctions", ["sanctions", "--against", "UKR", "--on", "2020-01-01"]),
    ("stats", ["stats"]),
    ("validate", ["validate"]),
    ("query, five saved queries", ["query", "{queries}"]),
    ("check, the same five", ["check", "--queries", "{queries}"]),
]

# The saved queries of `query` and `check`: one of each of five commands, as typed by a user.
SAVED = {
    "allies.ron": 'Query(title: "Allies of Ukraine", ask: Allies(of: "UKR", on: "2020-01-01"))',
    "sanctions.ron": 'Query(title: "Sanctions on Ukraine", ask: Sanctions(against: "UKR", on: "2020-01-01"))',
    "timeline.ron": 'Query(title: "Poland since 2015", ask: Timeline(of: "POL", from: "2015"))',
    "relations.ron": 'Query(title: "Poland and Germany", ask: Relations(a: "POL", b: "DEU"))',
    "path.ron": 'Query(title: "Poland to China", ask: Path(a: "POL", b: "CHN", on: "2018-06-01"))',
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("world")
    ap.add_argument("--dipgraph", default="target/release/dipgraph")
    ap.add_argument("--runs", type=int, default=5, help="warm calls per question")
    ap.add_argument("--no-cache-too", action="store_true", help="also time one full load per question")
    args = ap.parse_args()
    env = dict(os.environ)
    env.setdefault("DIPGRAPH_CACHE_DIR", tempfile.mkdtemp(prefix="dipgraph-cache-"))
    queries = tempfile.mkdtemp(prefix="dipgraph-queries-")
    for name, text in SAVED.items():
        with open(os.path.join(queries, name), "w") as f:
            f.write(text + "\n")
    base = [args.dipgraph, "--data", args.world]
    secs, peak = run_measured(base + QUESTIONS[0][1], env)
    print(f"first call (builds the cache if needed): {secs:.2f} s, {peak / 2**20:.0f} MiB\n")
    head = "| question | command | warm: median | warm: peak memory |"
    rule = "|---|---|---|---|"
    if args.no_cache_too:
        head += " `--no-cache` | `--no-cache` memory |"
        rule += "---|---|"
    print(head)
    print(rule)
    for name, q in QUESTIONS:
        q = [a.replace("{queries}", queries) for a in q]
        runs = [run_measured(base + q, env) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        shown = " ".join(q).replace(queries, "QUERIES")
        line = f"| {name} | `{shown}` | {wall * 1000:.0f} ms | {peak / 2**20:.0f} MiB |"
        if args.no_cache_too:
            s, k = run_measured([args.dipgraph, "--no-cache", "--data", args.world] + q, env)
            line += f" {s:.2f} s | {k / 2**20:.0f} MiB |"
        print(line, flush=True)


if __name__ == "__main__":
    main()
