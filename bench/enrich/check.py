#!/usr/bin/env python3
"""check.py: is sluice's result of the enrich workload right?

usage: check.py TABLE_ROWS EVENTS OUTPUT

TABLE_ROWS and EVENTS are the JSON lines that `bench/gen -w events -o`
wrote for the topics dimsrc and events ({"k":"key417","v":42,"ts":...}),
OUTPUT the records of the topic ENRICHED as kcat wrote them with -f
'%K:%k%S:%s' (key length, key, value length, value; -1 for null).

bench/enrich/join.sql joins each event to the table built from the rows
(LATEST_BY_OFFSET(v) per k, so the last row of each key) on k.  Every
event's key has a row (the rows come from gen --distinct over the same
keys), so ENRICHED must hold exactly one record per event: the event's k
(the record key, or K in the value), V and TS, and ATTR the v of its
key's row.  Compares the two as multisets of (K, V, TS, ATTR); prints
"enrich: ok (N rows)" and exits 0, or prints what differs and exits 1.
"""
import collections
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from records import read_records, report  # noqa: E402


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def row_of(k, v):
    d = json.loads(v)
    if "K" in d:
        key = d["K"]
    elif k is None:
        raise SystemExit("enrich: wrong: a record without K in its key or value: %r" % v[:200])
    else:
        key = k.decode("utf-8", "replace")
        if key.startswith('"'):  # a JSON string key
            key = json.loads(key)
    return (key, d.get("V"), d.get("TS"), d.get("ATTR"))


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__.split("\n\n")[1])
    rows, events, output = sys.argv[1:]
    attr = {}
    for r in read_jsonl(rows):
        attr[r["k"]] = r["v"]
    want = []
    for e in read_jsonl(events):
        if e["k"] not in attr:
            raise SystemExit("enrich: the event key %s has no table row: generate the rows"
                             " with --distinct over the events' keys" % e["k"])
        want.append((e["k"], e["v"], e["ts"], attr[e["k"]]))
    got = [row_of(k, v) for k, v in read_records(output) if v is not None]
    w, g = collections.Counter(want), collections.Counter(got)
    missing, extra = w - g, g - w
    return report("enrich", "%d rows, %d events, %d table rows" % (len(got), len(want), len(attr)),
                  len(got), len(want), missing, extra, "K, V, TS, ATTR")

if __name__ == "__main__":
    sys.exit(main())
