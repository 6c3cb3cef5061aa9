#!/usr/bin/env python3
"""Figures of docs/scale-out.md for one synthetic world: the Parquet export's time and memory,
the RON and Parquet sizes, and `sanctions --against UKR --on 2020-01-01` timed in DuckDB over
the export next to dipgraph's warm call (hyperfine).

    cargo build --release --features parquet
    target/release/dipgraph synth --facts 1000000 --seed 42 --out /tmp/w1m
    scripts/bench-scale-out.py /tmp/w1m /tmp/w1m.parquet [--runs 5]

Needs python3 with duckdb, and hyperfine. The export is timed warm (the cache of the world
built first). Memory is the peak resident size (`/usr/bin/time -f %M`, which counts the pages
of the mapped cache file read) and the peak of anonymous memory (RssAnon, sampled every 50 ms:
what the export holds itself).
"""

import argparse
import os
import subprocess
import sys
import time

DIPGRAPH = os.environ.get(
    "DIPGRAPH", os.path.join(os.path.dirname(__file__), "..", "target", "release", "dipgraph")
)


def size(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def timed(args):
    """Runs args; returns seconds, peak RSS (KiB) and peak RssAnon (KiB)."""
    start = time.monotonic()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M"] + args, stderr=subprocess.PIPE)
    anon = 0
    while p.poll() is None:
        try:
            children = open(f"/proc/{p.pid}/task/{p.pid}/children").read().split()
            for c in children:
                for line in open(f"/proc/{c}/status"):
                    if line.startswith("RssAnon:"):
                        anon = max(anon, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.05)
    err = p.stderr.read().decode()
    if p.returncode != 0:
        sys.exit(f"{args} failed: {err}")
    peak = int(err.strip().splitlines()[-1])
    return time.monotonic() - start, peak, anon


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("world")
    ap.add_argument("out")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    d = os.path.abspath(DIPGRAPH)
    data = ["--data", a.world]
    q = ["sanctions", "--against", "UKR", "--on", "2020-01-01"]
    subprocess.run([d] + data + ["stats"], check=True, stdout=subprocess.DEVNULL)  # the cache
    runs = [timed([d] + data + ["export", "parquet", "--all", "-o", a.out]) for _ in range(a.runs)]
    runs.sort()
    secs, peak, anon = runs[len(runs) // 2]
    print(f"export: median {secs:.1f} s of {a.runs} ({', '.join(f'{r[0]:.1f}' for r in runs)}), "
          f"peak RSS {peak / 1024:.0f} MiB, peak anonymous {anon / 1024:.0f} MiB")
    ron = size(a.world)
    pq = size(a.out)
    print(f"sizes: RON {ron / 2**20:.0f} MiB, Parquet {pq / 2**20:.0f} MiB ({pq / ron:.2f} x)")
    for t in ["facts", "ties", "readings", "sources", "entities"]:
        print(f"  {t}: {size(os.path.join(a.out, t)) / 2**20:.1f} MiB")
    sql = subprocess.run([d] + data + ["sql"] + q + ["--parquet", a.out],
                         check=True, capture_output=True, text=True).stdout
    with open("/tmp/scale-out-question.sql", "w") as f:
        f.write(sql)
    rows = subprocess.run([sys.executable, "-c",
                           "import duckdb; print(len(duckdb.sql(open('/tmp/scale-out-question.sql').read()).fetchall()))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    ours = subprocess.run([d] + data + ["--format", "csv"] + q, check=True, capture_output=True, text=True).stdout
    print(f"rows: DuckDB {rows}, dipgraph {len(ours.splitlines()) - 1} (CSV lines, header off)")
    duck = f"{sys.executable} -c \"import duckdb; duckdb.sql(open('/tmp/scale-out-question.sql').read()).fetchall()\""
    subprocess.run(["hyperfine", "-N", "--warmup", "2", "--runs", "10",
                    "-n", "dipgraph (warm)", " ".join([d] + data + ["--format", "csv"] + q),
                    "-n", "duckdb (python, over Parquet)", duck,
                    "-n", "python3 + import duckdb alone", f"{sys.executable} -c \"import duckdb\""],
                   check=True)


if __name__ == "__main__":
    main()
