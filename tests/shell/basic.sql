-- basic.sql: the shell's transcript test (tests/shell_script.sh runs it
-- with -a, embedded and against sluiced, with -v who=bob; both must give
-- basic.out).
SET 'auto.offset.reset' = 'earliest';
CREATE STREAM orders (id INT KEY, customer STRING, amount DECIMAL(10, 2),
  note STRING)
  WITH (kafka_topic='orders', value_format='JSON', partitions=1);
INSERT INTO orders VALUES (1, 'alice', 10.50, 'a; b');
INSERT INTO orders VALUES (2, 'bob', 99.99, NULL);
INSERT INTO orders VALUES (3, 'carol', 25.00, 'say "hi", ok');

-- a pull query (a scan of the stream) and a push query that LIMIT ends
SELECT * FROM orders;
SELECT id, customer FROM orders EMIT CHANGES LIMIT 2;

-- variables: -v who=bob, DEFINE, \set
SELECT * FROM orders WHERE customer = '${who}';
DEFINE big = '50';
SELECT id, amount FROM orders WHERE amount > ${big};
\set small 20
SELECT id FROM orders WHERE amount < ${small};
UNDEFINE big;

-- output formats; NULL shown distinctly
\pset format csv
SELECT * FROM orders;
SHOW STREAMS;
\pset format json
SELECT * FROM orders;
\pset format table
\x
SELECT * FROM orders WHERE id = 2;
\x off
\pset null (null)
SELECT id, note FROM orders;

-- errors: the message, the line of the statement and a caret
SELECT nonesuch
  FROM orders;
DESCRIBE nowhere;
UNSET 'never.set';

-- scripts: RUN SCRIPT and \i; \d
RUN SCRIPT 'sub.sql';
\i sub.sql
\d
\d orders
