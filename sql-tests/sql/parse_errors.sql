-- sluice-test: mode=parse
-- parse_errors: syntax errors pin their message and position; the LINE
-- shown is the line of the statement holding the error, the caret under
-- the offending token.  Positions are relative to the statement.

-- missing FROM target
SELECT * FROM;
SELECT * FROM
  WHERE a = 1;

-- a character that starts no token
SELECT a # b FROM s;
SELECT a FROM s WHERE a = ?;

-- missing ')'
SELECT COUNT(a FROM s;
CREATE STREAM s (a INT, b STRING WITH (kafka_topic='s');
SELECT * FROM s WHERE (a = 1 OR b = 2;

-- reserved keywords as names without quotes
SELECT from FROM s;
CREATE STREAM s (select INT) WITH (kafka_topic='s');
SELECT a FROM s WHERE group = 1;
CREATE STREAM table (a INT);

-- the error is on line 2 (or 3) of a multi-line statement
SELECT a,
       b c d
  FROM s;
CREATE TABLE t (
  id STRING PRIMARY KEY,
  v MAP<STRING INT>
) WITH (kafka_topic='t');

-- tabs before the error keep the caret aligned
SELECT	a,	b,	FROM s;

-- multi-byte characters count as one column
SELECT 'héllo wörld' FROM s WHERE;

-- a missing comma between column definitions
CREATE STREAM s (a INT b INT) WITH (kafka_topic='s');

-- DECIMAL needs precision and scale
CREATE STREAM s (d DECIMAL(10)) WITH (kafka_topic='s');

-- windows: SIZE is required for TUMBLING, ADVANCE BY for HOPPING
SELECT a, COUNT(*) FROM s WINDOW TUMBLING (1 SECOND) GROUP BY a;
SELECT a, COUNT(*) FROM s WINDOW HOPPING (SIZE 1 SECOND) GROUP BY a;

-- an unknown time unit
SELECT * FROM a JOIN b WITHIN 1 FORTNIGHT ON a.id = b.id;

-- clauses out of order
SELECT a, COUNT(*) FROM s GROUP BY a WHERE a > 1;
SELECT * FROM s LIMIT 1 EMIT CHANGES;

-- incomplete clauses
SELECT * FROM s EMIT;
SELECT * FROM s WHERE;
SELECT * FROM s LIMIT 'x';
SELECT * FROM a JOIN b;

-- trailing tokens
SHOW STREAMS foo;
DROP STREAM a b;

-- INSERT VALUES needs parentheses
INSERT INTO s VALUES 1, 2;

-- MAP and STRUCT constructors take := not =
SELECT MAP('a' = 1) FROM s;
SELECT STRUCT(a = 1) FROM s;

-- a parenthesized list is only a lambda's parameters
SELECT (a, b) FROM s;

-- a lambda parameter must be a name
SELECT TRANSFORM(arr, 1 => 2) FROM s;

-- CREATE OR REPLACE is not allowed for types
CREATE OR REPLACE TYPE t AS STRUCT<a INT>;

-- SELECT DISTINCT is not ksqlDB syntax
SELECT DISTINCT a FROM s;

-- an unterminated string runs to the end of the script (so it comes last)
SELECT 'abc FROM s;
SELECT 1 FROM s;
