"""records.py: what the bench checks share.

bench/nexmark/check.py and bench/enrich/check.py read the output topics
that bench/run dumped with kcat -f '%K:%k%S:%s' (each key and value
prefixed by its length, -1 for a Kafka null), and report the rows missing
and unexpected in the same words.
"""


def read_records(path):
    """(key bytes or None, value bytes or None) of each record."""
    data = open(path, "rb").read()
    out, i = [], 0

    def field():
        nonlocal i
        j = data.index(b":", i)
        n = int(data[i:j])
        i = j + 1
        if n < 0:
            return None
        b = data[i:i + n]
        i += n
        return b

    while i < len(data):
        k = field()
        v = field()
        out.append((k, v))
    return out


def report(name, ok_detail, ngot, nwant, missing, extra, columns):
    """Prints the verdict of a check (missing, extra: Counters of rows);
    returns the exit status."""
    if not missing and not extra:
        print("%s: ok (%s)" % (name, ok_detail))
        return 0
    print("%s: wrong: %d rows, %d expected; %d missing, %d unexpected (%s)"
          % (name, ngot, nwant, sum(missing.values()), sum(extra.values()), columns))
    for r in list(missing)[:3]:
        print("  missing:    %r" % (r,))
    for r in list(extra)[:3]:
        print("  unexpected: %r" % (r,))
    return 1
