-- sluice-test: mode=parse
-- parse_expr: expressions.  The canonical text shows the tree: it adds
-- parentheses where precedence grouped operands, so each line below pins
-- how an expression associates.

-- arithmetic precedence and associativity
SELECT 1 + 2 * 3, (1 + 2) * 3, 1 - 2 - 3, 1 - (2 - 3), 8 / 4 / 2, 7 % 3 * 2 FROM s;
SELECT -a * b, -(a * b), +a, - -a, a * -b FROM s;
SELECT a || b || c, a || 'x' = 'ax' FROM s;

-- comparison and boolean precedence: NOT binds tighter than AND, AND than OR
SELECT * FROM s WHERE a = 1 OR b = 2 AND c = 3;
SELECT * FROM s WHERE (a = 1 OR b = 2) AND c = 3;
SELECT * FROM s WHERE NOT a = 1 AND b <> 2 OR c != 3;
SELECT * FROM s WHERE NOT (a < 1 OR a <= 2) AND (a > 3 OR a >= 4);
SELECT a + 1 > b * 2 FROM s;

-- literals: integer, decimal, double, string with a quote, boolean, null
SELECT 42, -7, 1.50, .5, 3., 1.5E3, 2e-2, 'it''s', '', TRUE, false, NULL FROM s;
SELECT 9223372036854775807, 123456789012345678901234567890 FROM s;

-- CASE, both forms, with and without ELSE
SELECT CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END FROM s;
SELECT CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END FROM s;
SELECT CASE WHEN a IS NULL THEN CASE b WHEN 1 THEN 'x' ELSE 'y' END END FROM s;

-- CAST to scalar and nested types
SELECT CAST(a AS STRING), CAST('1.5' AS DECIMAL(5, 2)), CAST(x AS ARRAY<INT>) FROM s;
SELECT CAST(m AS MAP<STRING, BIGINT>), CAST(st AS STRUCT<a INT, b STRING>) FROM s;
SELECT CAST(ts AS TIMESTAMP), CAST(d AS DATE), CAST(t AS TIME), CAST(b AS BYTES) FROM s;

-- IN, NOT IN
SELECT * FROM s WHERE a IN (1, 2, 3) AND b NOT IN ('x', 'y');

-- BETWEEN, NOT BETWEEN (the AND inside BETWEEN is not a boolean AND)
SELECT * FROM s WHERE a BETWEEN 1 AND 10 AND b NOT BETWEEN 'a' AND 'm';
SELECT * FROM s WHERE a + 1 BETWEEN b - 1 AND b + 1;

-- LIKE, NOT LIKE, ESCAPE
SELECT * FROM s WHERE name LIKE 'a%' OR name NOT LIKE '%z_';
SELECT * FROM s WHERE name LIKE '100!%' ESCAPE '!';
SELECT * FROM s WHERE name NOT LIKE 'x#_%' ESCAPE '#';

-- IS [NOT] NULL, IS [NOT] DISTINCT FROM
SELECT * FROM s WHERE a IS NULL OR b IS NOT NULL;
SELECT * FROM s WHERE a IS DISTINCT FROM b AND c IS NOT DISTINCT FROM NULL;
SELECT a IS NULL = FALSE FROM s;

-- struct dereference, array and map subscripts, chained
SELECT st->a, st->b->c, arr[1], m['key'], arr[1]->f, st->items[2], m['k'][0] FROM s;
SELECT arr[a + 1], arr[ARRAY_LENGTH(arr)] FROM s;

-- lambdas with one and two parameters
SELECT TRANSFORM(arr, x => x * 2) FROM s;
SELECT FILTER(arr, x => x > 0 AND x < 10) FROM s;
SELECT TRANSFORM(m, (k, v) => UCASE(k), (k, v) => v + 1) FROM s;
SELECT REDUCE(arr, 0, (acc, x) => acc + x) FROM s;
SELECT TRANSFORM(nested, a => TRANSFORM(a, b => b || '!')) FROM s;

-- ARRAY, MAP and STRUCT constructors, empty and nested
SELECT ARRAY[1, 2, 3], ARRAY[], ARRAY[ARRAY['a'], ARRAY['b', 'c']] FROM s;
SELECT MAP('a' := 1, 'b' := 2), MAP(), MAP('k' := ARRAY[1]) FROM s;
SELECT STRUCT(name := 'x', age := 3), STRUCT(), STRUCT(sub := STRUCT(x := 1)) FROM s;

-- function calls: COUNT(*), no arguments, DISTINCT, nested, time-unit arguments
SELECT COUNT(*), COUNT(a), COUNT_DISTINCT(a), UNIX_TIMESTAMP(), ABS(ROUND(a, 2)) FROM s;
SELECT TIMESTAMPADD(SECONDS, 5, ts), TIMESTAMPSUB(DAYS, 1, ts) FROM s;
SELECT LATEST_BY_OFFSET(a, 3), TOPK(a, 2), HISTOGRAM(b) FROM s GROUP BY c;

-- typed literals and AT TIME ZONE
SELECT DATE '2021-01-01', TIME '12:34:56', TIMESTAMP '2021-01-01T00:00:00' FROM s;
SELECT ts AT TIME ZONE 'UTC', FORMAT_TIMESTAMP(ts, 'yyyy') FROM s;

-- variables as values
SELECT ${col_value}, a + ${offset} FROM s;

-- identifiers: quoted keep their case, keywords need quotes
SELECT `a b`, `Select`, "from", `x``y` FROM s;
