#!/usr/bin/env python3
"""Times `dipgraph changes` between two commits of a synthetic world that differ by 100 facts.

    scripts/bench-changes.py /tmp/w100k --dipgraph target/release/dipgraph --work /tmp/history

Copies the world (`dipgraph synth --facts 100000 --seed 1 --out /tmp/w100k`) into a new git
repository under --work as `graph/`, commits it, changes 100 facts spread over its files (40
statements' quotes and 20 sanctions' source addresses amended, 20 events removed, 20
statements added), commits again, and runs `changes HEAD~1..HEAD` once to build both
revisions' caches (a first call), then times it warm with hyperfine, beside `git diff` of the
same commits and `--as-recorded HEAD~1 allies UKR`, and prints what `changes` found.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path


def git(repo, *args):
    env = dict(
        os.environ,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL="/dev/null",
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.org",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.org",
    )
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env)


def lines_of(files):
    """Every record line of the files: (file, index)."""
    out = []
    for f in files:
        for i, line in enumerate(f.read_text().split("\n")):
            if line.startswith("    ") and line.rstrip().endswith("),"):
                out.append((f, i))
    return out


def amend(graph, seed):
    rng = random.Random(seed)
    texts = {}

    def text(f):
        if f not in texts:
            texts[f] = f.read_text().split("\n")
        return texts[f]

    statements = sorted((graph / "statements").glob("*.ron"))
    sanctions = sorted((graph / "sanctions").glob("*.ron"))
    events = sorted((graph / "events").glob("*.ron"))
    picked_st = rng.sample(lines_of(statements), 60)
    for f, i in picked_st[:40]:
        t = text(f)
        t[i] = t[i].replace('quote: "', 'quote: "Amended: ', 1)
    for n, (f, i) in enumerate(picked_st[40:]):
        t = text(f)
        line = t[i]
        start = line.index('id: "') + 5
        end = line.index('"', start)
        t[i] = line + "\n" + line[:start] + f"st-added-{n}" + line[end:]
    for f, i in rng.sample(lines_of(sanctions), 20):
        t = text(f)
        t[i] = t[i].replace('url: "https://', 'url: "https://archive.example/', 1)
    removed = rng.sample(lines_of(events), 20)
    for f, i in removed:
        text(f)[i] = None
    for f, t in texts.items():
        f.write_text("\n".join(x for x in t if x is not None))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("world")
    p.add_argument("--dipgraph", default="target/release/dipgraph")
    p.add_argument("--work", default="/tmp/dipgraph-history")
    p.add_argument("--runs", type=int, default=10)
    a = p.parse_args()
    dipgraph = str(Path(a.dipgraph).resolve())
    work = Path(a.work)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(a.world, work / "graph")
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "graph")
    git(work, "commit", "-q", "-m", "world")
    amend(work / "graph", 1)
    git(work, "commit", "-q", "-a", "-m", "100 facts")
    env = dict(os.environ, DIPGRAPH_CACHE_DIR=str(work / ".cache"))
    first = subprocess.run(
        ["/usr/bin/time", "-f", "first call: %e s, %M KB", dipgraph, "--format", "csv",
         "changes", "HEAD~1..HEAD"],
        cwd=work, env=env, capture_output=True, text=True,
    )
    sys.stderr.write(first.stderr)
    rows = first.stdout.strip().split("\n")[1:]
    kinds = {}
    for r in rows:
        kinds[(r.split(",")[0], r.split(",")[1])] = kinds.get((r.split(",")[0], r.split(",")[1]), 0) + 1
    print(f"changes rows: {len(rows)}: {kinds}")
    # Side by side in one run, so that a busy machine slows all alike: git's own text diff of
    # the same commits, and a question asked of one of them.
    subprocess.run(
        ["hyperfine", "-N", "--warmup", "2", "--runs", str(a.runs),
         f"{dipgraph} changes HEAD~1..HEAD",
         "git --no-pager diff HEAD~1..HEAD",
         f"{dipgraph} --as-recorded HEAD~1 allies UKR --on 2020-01-01"],
        cwd=work, env=env, check=True,
    )
    subprocess.run(
        ["/usr/bin/time", "-f", "warm: %e s, %M KB", dipgraph, "changes", "HEAD~1..HEAD"],
        cwd=work, env=env, stdout=subprocess.DEVNULL, check=True,
    )


if __name__ == "__main__":
    main()
