#!/usr/bin/env python3
"""A large GDELT events file made from the sample the tests use, for measuring imports.

    scripts/gdelt-1m.py OUT.csv [--rows 1000000] [--first-id 2000000000]
                        [--sample ../shared/data/gdelt/events2samps.csv]

Writes the sample's header, then its data rows over and over, in order, until `--rows` rows
are written. Each row gets a new GLOBALEVENTID, counting up from `--first-id`, so every event
is new to dipgraph and the file is in id order, as GDELT's own files are; nothing else in a row
changes. A later 15-minute file is the same command with fewer rows and a first id past the
last one written:

    scripts/gdelt-1m.py /tmp/gdelt-1m.csv
    scripts/gdelt-1m.py /tmp/gdelt-next.csv --rows 2000 --first-id 2001000000

The sample is GDELT 2.0 data (free to use with citation of the GDELT Project; see
`../shared/data/gdelt/SOURCE.txt`); the files made from it are for measuring, not to commit.
"""

import argparse
import csv
import os
import sys


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", help="the CSV file to write")
    p.add_argument("--rows", type=int, default=1_000_000, help="data rows to write")
    p.add_argument("--first-id", type=int, default=2_000_000_000, help="the first event id")
    p.add_argument(
        "--sample",
        default=os.path.join(here, "..", "..", "shared", "data", "gdelt", "events2samps.csv"),
        help="the GDELT sample to repeat",
    )
    args = p.parse_args()
    with open(args.sample, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    if header[0] != "GLOBALEVENTID" or not rows:
        sys.exit(f"{args.sample}: not GDELT events with a header")
    with open(args.out, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        for n in range(args.rows):
            row = list(rows[n % len(rows)])
            row[0] = str(args.first_id + n)
            w.writerow(row)
    print(f"{args.out}: {args.rows} rows, ids {args.first_id} to {args.first_id + args.rows - 1}")


if __name__ == "__main__":
    main()
