#!/usr/bin/env python3
"""Data with a problem at scale: before/after timings, peak memory and byte-for-byte output.

Copies a synthetic world (`dipgraph synth --seed 1`) once per case and breaks each copy:

  a  one syntax error in one file (a comma dropped)
  b  one reference to an unknown entity
  c  one fact id used again in another file
  d  one warning only (a fact without sources)
  e  several problems in several files (syntax, unknown references, a repeated id, a bad
     date, a fact where an entity belongs, a warning)
  f  an organization named by thousands of facts in almost every file, removed

then runs each command on each case with each binary given (interleaved, a fresh cache folder
each run), and prints a Markdown table of median wall and CPU times and the largest peak
memory. With --before, every run's stdout, stderr and exit status must equal the first
binary's.

    scripts/bench-problems.py /tmp/w1m --dipgraph target/release/dipgraph \\
        --before /tmp/before/release/dipgraph --work /tmp/broken
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import time

COMMANDS = [
    ["validate"],
    ["--format", "json", "validate"],
    ["allies", "UKR", "--on", "2020-01-01"],
]


def edit(root, rel, at, change):
    """Changes the first record line of `rel` from line `at` on that `change` changes."""
    path = os.path.join(root, rel)
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n in range(at, len(lines)):
        new = change(lines[n])
        if lines[n].startswith("    ") and new != lines[n]:
            lines[n] = new
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            return
    raise SystemExit(f"nothing to change in {rel} after line {at}")


def syntax(line):
    return line.replace('", ', '" ', 1)


def unknown(line):
    return re.sub(r'by: "([A-Za-z-]+)"', r'by: "\1X"', line, count=1)


def repeated(line):
    return re.sub(r'id: "[^"]+"', 'id: "ev-10000"', line, count=1)


def sourceless(line):
    return re.sub(r"sources: \[.*\]\)", "sources: [])", line, count=1)


def bad_date(line):
    return re.sub(r'from: "(\d{4})-0', r'from: "\1-', line, count=1)


def a_fact(line):
    return re.sub(r'by: "[^"]+"', 'by: "tr-5"', line, count=1)


def removed(line):
    return "" if 'Organization(id: "lanvar-council"' in line else line


CASES = {
    "a": [("sanctions/0005.ron", 5000, syntax)],
    "b": [("sanctions/0003.ron", 4000, unknown)],
    "c": [("sanctions/0007.ron", 100, repeated)],
    "d": [("statements/0010.ron", 700, sourceless)],
    "e": [
        ("events/0004.ron", 10, syntax),
        ("sanctions/0002.ron", 2000, unknown),
        ("sanctions/0002.ron", 2500, repeated),
        ("statements/0003.ron", 3000, unknown),
        ("statements/0020.ron", 77, sourceless),
        ("sanctions/0009.ron", 9000, bad_date),
        ("sanctions/0004.ron", 40, a_fact),
    ],
    "f": [("entities/organizations.ron", 1, removed)],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("world")
    ap.add_argument("--dipgraph", default="target/release/dipgraph")
    ap.add_argument("--before", help="another dipgraph to compare with, byte for byte")
    ap.add_argument("--work", default="/tmp/dipgraph-problems")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cases", default="".join(CASES))
    args = ap.parse_args()
    binaries = [("after", args.dipgraph)] + ([("before", args.before)] if args.before else [])
    rows = []
    for case in args.cases:
        data = os.path.join(args.work, case)
        if not os.path.isdir(data):
            shutil.copytree(args.world, data)
            for rel, at, change in CASES[case]:
                edit(data, rel, at, change)
        for cmd in COMMANDS:
            times = {name: [] for name, _ in binaries}
            cpus = {name: [] for name, _ in binaries}
            peaks = {name: 0 for name, _ in binaries}
            said = {}
            for _ in range(args.runs):
                for name, binary in binaries:
                    cache = os.path.join(args.work, f"cache-{name}")
                    elapsed, cpu, peak, code, out, err = measured(binary, data, cmd, cache)
                    times[name].append(elapsed)
                    cpus[name].append(cpu)
                    peaks[name] = max(peaks[name], peak)
                    said.setdefault(name, (code, out, err))
                    if said[name] != (code, out, err):
                        raise SystemExit(f"{name} said something else on another run: {case} {cmd}")
            if args.before and said["before"] != said["after"]:
                raise SystemExit(f"different output: {case} {' '.join(cmd)}")
            cells = [
                f"{statistics.median(times[n]):.2f} s ({statistics.median(cpus[n]):.2f} s CPU), "
                f"{peaks[n] / 2**20:.0f} MiB"
                for n, _ in binaries
            ]
            rows.append((case, " ".join(cmd), said["after"][0], cells))
    names = [n for n, _ in binaries]
    print("| case | command | exit | " + " | ".join(names) + " |")
    print("|---|---|---|" + "---|" * len(names))
    for case, cmd, code, cells in rows:
        print(f"| {case} | `{cmd}` | {code} | " + " | ".join(cells) + " |")
    print(f"\nload average at the end: {open('/proc/loadavg').read().split()[0]}")


def measured(binary, data, args, cache):
    """One call with a fresh cache folder: wall time, CPU time (user and system), peak memory in
    bytes, exit code, output."""
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, DIPGRAPH_CACHE_DIR=cache, DIPGRAPH_TODAY="2021-03-15")
    out_path, err_path = cache + ".out", cache + ".err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t = time.perf_counter()
        p = subprocess.Popen([binary, "--data", data, *args], stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - t
    with open(out_path, "rb") as out, open(err_path, "rb") as err:
        said = (os.waitstatus_to_exitcode(status), out.read(), err.read())
    cpu = usage.ru_utime + usage.ru_stime
    return (elapsed, cpu, usage.ru_maxrss * 1024, *said)


if __name__ == "__main__":
    main()
