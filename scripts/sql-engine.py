#!/usr/bin/env python3
"""Runs SQL texts in DuckDB or in Spark's local mode and prints each one's rows as JSON.

    scripts/sql-engine.py duckdb|spark < texts.json > rows.json

The input is a JSON list of SQL texts, each one or more statements ending with `;` (as
`dipgraph sql` prints them). The output is a JSON list with, for each text, the rows of its
last statement (each a list of values; arrays as lists), or {"error": "..."}. The tests of
`dipgraph sql` (tests/cli/engines.rs) use it to compare the engines' answers with dipgraph's.
"""

import json
import sys


def statements(text):
    """The statements of a text, without their `;`."""
    out = []
    for part in text.split(";\n"):
        body = "\n".join(l for l in part.splitlines() if not l.startswith("--")).strip()
        if body.endswith(";"):
            body = body[:-1]
        if body:
            out.append(body)
    return out


def plain(value):
    """A value as JSON takes it."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def run_duckdb(texts):
    import duckdb

    con = duckdb.connect()
    out = []
    for text in texts:
        try:
            rows = []
            for st in statements(text):
                rel = con.sql(st)
                rows = rel.fetchall() if rel is not None else []
            out.append([plain(list(r)) for r in rows])
        except Exception as e:  # one failed text is reported, the others still run
            out.append({"error": str(e)})
    return out


def run_spark(texts):
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("dipgraph-sql")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    out = []
    for text in texts:
        try:
            rows = []
            for st in statements(text):
                rows = spark.sql(st).collect()
            out.append([plain(list(r)) for r in rows])
        except Exception as e:
            out.append({"error": str(e)[:2000]})
    spark.stop()
    return out


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("duckdb", "spark"):
        sys.exit("usage: sql-engine.py duckdb|spark < texts.json")
    texts = json.load(sys.stdin)
    run = run_duckdb if sys.argv[1] == "duckdb" else run_spark
    json.dump(run(texts), sys.stdout)


if __name__ == "__main__":
    main()
