#!/usr/bin/env python3
"""check.py: is sluice's result of a Nexmark query right?

usage: check.py QUERY EVENTS OUTPUT

Computes the result of QUERY (q0 ... q8, as bench/nexmark/QUERY.sql
defines it) from EVENTS, the JSON lines that `bench/gen -o` wrote
({"event_type":2,"bid":{...}}), independently of sluice, and compares it
with OUTPUT, the records of the query's output topic as kcat wrote them
with -f '%K:%k%S:%s' (key length, key, value length, value; -1 for null).

A stream's result is the multiset of its rows; a table's is its final
state: the last record of each key (a null value deletes it).  Rows are
compared on the columns that the check computes, by their upper-case
names in the JSON value (a column only in the key is read from the key:
JSON, or an 8-byte big-endian BIGINT).  Prints "QUERY: ok (N rows)" and
exits 0, or prints what differs and exits 1.
"""
import collections
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from records import read_records, report  # noqa: E402
from decimal import Decimal

WINDOW_MS = 10000


def load_events(path):
    ev = {"person": [], "auction": [], "bid": []}
    with open(path) as f:
        for line in f:
            d = json.loads(line)
            for kind in ev:
                if kind in d:
                    ev[kind].append(d[kind])
    return ev


def key_value(k, windowed=False):
    """A key's columns: JSON, or an 8-byte BIGINT; a time-windowed key
    ends with its 8-byte window start, which is dropped."""
    if k is None:
        return None
    if windowed:
        k = k[:-8]
    try:
        return json.loads(k, parse_float=Decimal)
    except ValueError:
        if len(k) == 8:
            return int.from_bytes(k, "big", signed=True)
        return k


def rows_of(records, cols, table, windowed):
    """The rows (tuples of cols) of a stream, or of a table's final state."""
    if table:
        last = {}
        for k, v in records:
            if v is None:
                last.pop(k, None)
            else:
                last[k] = v
        records = list(last.items())
    rows = []
    for k, v in records:
        if v is None:
            continue
        d = json.loads(v, parse_float=Decimal)
        row = []
        for c in cols:
            if c in d:
                row.append(d[c])
            else:
                kv = key_value(k, windowed)
                if isinstance(kv, dict) and c in kv:
                    row.append(kv[c])
                elif kv is not None and not isinstance(kv, dict):
                    row.append(kv)
                else:
                    raise SystemExit("column %s is neither in the value nor the key of %r"
                                     % (c, v[:200]))
        rows.append(tuple(row))
    return rows


def norm(x):
    """Numbers compare by value (DECIMAL 3159.840 == 3159.84)."""
    if isinstance(x, float):
        x = Decimal(repr(x))
    if isinstance(x, Decimal):
        return int(x) if x == x.to_integral_value() else x.normalize()
    return x


def window_of(t, size=WINDOW_MS):
    return t - t % size


def expect(q, ev):
    """(columns, is a table, expected rows) of query q."""
    bids, persons, auctions = ev["bid"], ev["person"], ev["auction"]
    if q == "q0":
        cols = ("AUCTION", "BIDDER", "PRICE", "DATE_TIME", "EXTRA")
        return cols, False, [(b["auction"], b["bidder"], b["price"], b["date_time"], b["extra"])
                             for b in bids]
    if q == "q1":
        cols = ("AUCTION", "BIDDER", "PRICE", "DATE_TIME", "EXTRA")
        return cols, False, [(b["auction"], b["bidder"], Decimal("0.908") * b["price"],
                              b["date_time"], b["extra"]) for b in bids]
    if q == "q2":
        return ("AUCTION", "PRICE"), False, [(b["auction"], b["price"]) for b in bids
                                              if b["auction"] % 123 == 0]
    if q == "q3":
        # the persons are written, and consumed, before the auctions
        person = {p["id"]: p for p in persons}
        rows = []
        for a in auctions:
            p = person.get(a["seller"])
            if a["category"] == 10 and p is not None and p["state"] in ("OR", "ID", "CA"):
                rows.append((p["name"], p["city"], p["state"], a["id"]))
        return ("NAME", "CITY", "STATE", "ID"), False, rows
    if q == "q4":
        auction = {a["id"]: a for a in auctions}
        final = {}
        for b in bids:
            a = auction.get(b["auction"])
            if a is not None and a["date_time"] <= b["date_time"] <= a["expires"]:
                final[a["id"]] = max(final.get(a["id"], b["price"]), b["price"])
        per_cat = collections.defaultdict(list)
        for aid, price in final.items():
            per_cat[auction[aid]["category"]].append(price)
        return ("CATEGORY", "AVG_PRICE"), True, [
            (c, Decimal(sum(v)) / len(v)) for c, v in per_cat.items()]
    if q == "q5":
        counts = collections.Counter()
        for b in bids:
            t = b["date_time"]
            start = window_of(t, 2000)
            while start > t - WINDOW_MS:
                counts[(start, b["auction"])] += 1
                start -= 2000
        top = collections.defaultdict(int)
        for (start, _), n in counts.items():
            top[start] = max(top[start], n)
        return ("AUCTION", "STARTTIME", "NUM"), True, [
            (a, start, n) for (start, a), n in counts.items() if n == top[start]]
    if q == "q7":
        top = {}
        for b in bids:
            w = window_of(b["date_time"])
            top[w] = max(top.get(w, b["price"]), b["price"])
        # a table keyed by the bid (auction, bidder, price, date_time): two
        # equal bids are one row, with the later one's extra
        cols = ("AUCTION", "PRICE", "BIDDER", "DATE_TIME", "EXTRA")
        rows = {}
        for b in bids:
            if b["price"] == top[window_of(b["date_time"])]:
                rows[(b["auction"], b["price"], b["bidder"], b["date_time"])] = b["extra"]
        return cols, True, [k + (x,) for k, x in rows.items()]
    if q == "q8":
        # one row per (person, auction) pair in the same 10 s window
        by_seller = collections.defaultdict(list)
        for a in auctions:
            by_seller[a["seller"]].append(window_of(a["date_time"]))
        rows = []
        for p in persons:
            w = window_of(p["date_time"])
            rows += [(p["id"], p["name"], w)] * by_seller[p["id"]].count(w)
        return ("ID", "NAME", "STARTTIME"), False, rows
    raise SystemExit("check.py: no check for %s" % q)


def close(a, b):
    if isinstance(a, Decimal) and isinstance(b, Decimal) and a != b:
        return abs(a - b) <= abs(b) * Decimal("1e-9")
    return a == b


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__.split("\n\n")[1])
    q, events, output = sys.argv[1:]
    cols, table, want = expect(q, load_events(events))
    got = rows_of(read_records(output), cols, table, q in ("q5", "q7"))
    w = collections.Counter(tuple(norm(x) for x in r) for r in want)
    g = collections.Counter(tuple(norm(x) for x in r) for r in got)
    missing, extra = w - g, g - w
    if q == "q4":  # averages: equal to within rounding
        for r in list(missing):
            m = [e for e in extra if e[0] == r[0] and close(e[1], r[1])]
            if m:
                del missing[r]
                del extra[m[0]]
    return report(q, "%d rows" % len(got), len(got), len(want), missing, extra,
                  "columns " + ", ".join(cols))

if __name__ == "__main__":
    sys.exit(main())
