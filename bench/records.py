"""records.py: reading the records kcat wrote, for the bench checks.

bench/nexmark/check.py and bench/enrich/check.py read the output topics
that bench/run dumped with kcat -f '%K:%k%S:%s' (each key and value
prefixed by its length, -1 for a Kafka null).
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
