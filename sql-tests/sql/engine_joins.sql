-- sluice-test: mode=engine
-- engine_joins: every kind of join, with ksqlDB's result columns, keys
-- and timestamps: stream-stream (INNER, LEFT, RIGHT, FULL; WITHIN with
-- one size and with (before, after); with and without GRACE PERIOD, out
-- of order and late records), stream-table, table-table (INNER, LEFT,
-- FULL, with WHERE), a foreign-key join, N-way joins, joins on
-- expressions (re-keyed), aggregation of a join, push and pull queries on
-- joins, EXPLAIN, and the errors, with their positions.

SET 'auto.offset.reset' = 'earliest';

CREATE STREAM orders (id INT KEY, item STRING, qty INT)
  WITH (kafka_topic='orders', value_format='JSON', partitions=1);
CREATE STREAM shipments (id INT KEY, carrier STRING)
  WITH (kafka_topic='shipments', value_format='JSON', partitions=1);

-- an order and a shipment join when their times are at most 10 s apart;
-- the result has the later of the two timestamps; L is unmatched
INSERT INTO orders (ROWTIME, id, item, qty) VALUES (1000, 1, 'pen', 2);
INSERT INTO shipments (ROWTIME, id, carrier) VALUES (5000, 1, 'ups');
INSERT INTO orders (ROWTIME, id, item, qty) VALUES (6000, 2, 'ink', 1);
INSERT INTO shipments (ROWTIME, id, carrier) VALUES (30000, 2, 'dhl');
INSERT INTO orders (ROWTIME, id, item, qty) VALUES (2000, 1, 'cap', 5);
CREATE STREAM shipped AS
  SELECT o.id, item, qty, carrier, o.ROWTIME AS ordered, s.ROWTIME AS sent
  FROM orders o JOIN shipments s WITHIN 10 SECONDS ON o.id = s.id;
PRINT shipped FROM BEGINNING;
DESCRIBE shipped;

-- LEFT without GRACE PERIOD: an order without a shipment is emitted at
-- once with NULLs (ksqlDB's behaviour), and again when one arrives
CREATE STREAM shipped_or_not AS
  SELECT o.id, item, carrier
  FROM orders o LEFT JOIN shipments s WITHIN 10 SECONDS ON o.id = s.id;
PRINT shipped_or_not FROM BEGINNING;

-- WITHIN (before, after): the shipment may come up to 5 s after the
-- order, never before it
CREATE STREAM shipped_after AS
  SELECT o.id, item, carrier
  FROM orders o JOIN shipments s WITHIN (0 SECONDS, 5 SECONDS) ON o.id = s.id;
PRINT shipped_after FROM BEGINNING;

-- FULL OUTER with a GRACE PERIOD: an unmatched row is emitted once, when
-- its window closes (stream time past ts + 2 s + 1 s); the synthetic key
-- ROWKEY holds the join key of whichever side is present
CREATE STREAM a (k STRING KEY, x INT) WITH (kafka_topic='a', value_format='JSON', partitions=1);
CREATE STREAM b (k STRING KEY, y INT) WITH (kafka_topic='b', value_format='JSON', partitions=1);
CREATE STREAM ab AS
  SELECT ROWKEY AS k, a.k AS ak, b.k AS bk, x, y
  FROM a FULL OUTER JOIN b WITHIN 2 SECONDS GRACE PERIOD 1 SECOND ON a.k = b.k;
INSERT INTO a (ROWTIME, k, x) VALUES (1000, 'p', 1);
INSERT INTO b (ROWTIME, k, y) VALUES (2000, 'p', 10);
INSERT INTO a (ROWTIME, k, x) VALUES (3000, 'q', 2);
INSERT INTO b (ROWTIME, k, y) VALUES (4000, 'r', 20);
-- stream time 9000: q (3000) and r (4000) are closed and come out now
INSERT INTO a (ROWTIME, k, x) VALUES (9000, 's', 3);
-- late: its window closed long ago; it joins nothing and comes out alone
INSERT INTO b (ROWTIME, k, y) VALUES (1500, 'p', 30);
PRINT ab FROM BEGINNING;

-- RIGHT join: the key is the join key even when the left side is absent
CREATE STREAM ba AS
  SELECT a.k, x, y FROM a RIGHT JOIN b WITHIN 2 SECONDS ON a.k = b.k;
PRINT ba FROM BEGINNING;

-- stream-table: each order looks up the item's current price; table
-- changes emit nothing; LEFT keeps orders of unknown items
CREATE TABLE prices (item STRING PRIMARY KEY, price DOUBLE)
  WITH (kafka_topic='prices', value_format='JSON', partitions=1);
CREATE STREAM purchases (buyer STRING KEY, item STRING, qty INT)
  WITH (kafka_topic='purchases', value_format='JSON', partitions=1);
INSERT INTO prices (ROWTIME, item, price) VALUES (0, 'pen', 1.5);
INSERT INTO purchases (ROWTIME, buyer, item, qty) VALUES (1000, 'ann', 'pen', 2);
INSERT INTO prices (ROWTIME, item, price) VALUES (2000, 'pen', 2.0);
INSERT INTO purchases (ROWTIME, buyer, item, qty) VALUES (3000, 'bob', 'pen', 1);
INSERT INTO purchases (ROWTIME, buyer, item, qty) VALUES (4000, 'cy', 'cup', 1);
-- the join is on a value column of the stream: the stream is re-keyed by
-- it, and the result's key is the item
CREATE STREAM bills AS
  SELECT p.item, buyer, qty, price, qty * price AS total
  FROM purchases p LEFT JOIN prices ON p.item = prices.item;
PRINT bills FROM BEGINNING;
EXPLAIN SELECT p.item, buyer, price FROM purchases p JOIN prices ON p.item = prices.item EMIT CHANGES;

-- table-table on the key: INNER, LEFT and FULL; deletes (tombstones)
-- delete the results that existed; WHERE drops rows without deleting
-- results that never existed
CREATE TABLE users (id INT PRIMARY KEY, name STRING)
  WITH (kafka_topic='users', value_format='JSON', partitions=1);
CREATE TABLE scores (id INT PRIMARY KEY, score INT)
  WITH (kafka_topic='scores', value_format='JSON', partitions=1);
INSERT INTO users (ROWTIME, id, name) VALUES (100, 1, 'ann');
INSERT INTO scores (ROWTIME, id, score) VALUES (200, 1, 7);
INSERT INTO scores (ROWTIME, id, score) VALUES (300, 2, 3);
INSERT INTO users (ROWTIME, id, name) VALUES (400, 2, 'bob');
INSERT INTO scores (ROWTIME, id, score) VALUES (500, 1, 12);
CREATE TABLE user_scores AS
  SELECT u.id, name, score FROM users u JOIN scores s ON u.id = s.id;
CREATE TABLE users_left AS
  SELECT u.id, name, score FROM users u LEFT JOIN scores s ON u.id = s.id;
CREATE TABLE users_full AS
  SELECT ROWKEY AS id, name, score FROM users u FULL OUTER JOIN scores s ON u.id = s.id;
CREATE TABLE high_scores AS
  SELECT u.id, name, score FROM users u JOIN scores s ON u.id = s.id WHERE score > 10;
PRINT user_scores FROM BEGINNING;
PRINT users_left FROM BEGINNING;
PRINT users_full FROM BEGINNING;
PRINT high_scores FROM BEGINNING;

-- pull queries read the joined table's state
SELECT * FROM user_scores WHERE u_id = 1;
SELECT * FROM users_full ORDER BY id;

-- a foreign-key join: each employee with the name of their department;
-- a department change reaches every employee pointing at it
CREATE TABLE depts (dept_id INT PRIMARY KEY, dept STRING)
  WITH (kafka_topic='depts', value_format='JSON', partitions=1);
CREATE TABLE emps (emp_id INT PRIMARY KEY, ename STRING, dept_id INT)
  WITH (kafka_topic='emps', value_format='JSON', partitions=1);
INSERT INTO depts (ROWTIME, dept_id, dept) VALUES (0, 10, 'sales');
INSERT INTO emps (ROWTIME, emp_id, ename, dept_id) VALUES (10, 1, 'ann', 10);
INSERT INTO emps (ROWTIME, emp_id, ename, dept_id) VALUES (20, 2, 'bob', 20);
INSERT INTO emps (ROWTIME, emp_id, ename, dept_id) VALUES (30, 3, 'cy', 10);
INSERT INTO depts (ROWTIME, dept_id, dept) VALUES (40, 10, 'revenue');
INSERT INTO depts (ROWTIME, dept_id, dept) VALUES (50, 20, 'ops');
CREATE TABLE emp_depts AS
  SELECT emp_id, ename, dept FROM emps e JOIN depts d ON e.dept_id = d.dept_id;
PRINT emp_depts FROM BEGINNING;

-- N-way: a stream, then two tables; the second join reuses the key
CREATE TABLE stock (item STRING PRIMARY KEY, units INT)
  WITH (kafka_topic='stock', value_format='JSON', partitions=1);
INSERT INTO stock (ROWTIME, item, units) VALUES (0, 'pen', 40);
CREATE STREAM enriched AS
  SELECT p.item, buyer, price, units
  FROM purchases p JOIN prices ON p.item = prices.item JOIN stock ON p.item = stock.item;
PRINT enriched FROM BEGINNING;

-- aggregating a join: revenue per item
CREATE TABLE revenue AS
  SELECT p.item, SUM(qty * price) AS revenue, COUNT(*) AS n
  FROM purchases p JOIN prices ON p.item = prices.item GROUP BY p.item;
PRINT revenue FROM BEGINNING;

-- a push query on a join, from the start
SELECT p.item, buyer, price FROM purchases p JOIN prices ON p.item = prices.item EMIT CHANGES LIMIT 2;

-- errors
CREATE STREAM bad1 AS SELECT o.id FROM orders o JOIN shipments s ON o.id = s.id;
CREATE STREAM bad2 AS SELECT * FROM prices p JOIN purchases s ON p.item = s.item;
CREATE STREAM bad3 AS SELECT * FROM purchases p FULL OUTER JOIN prices ON p.item = prices.item;
CREATE STREAM bad4 AS SELECT * FROM purchases p JOIN prices ON p.qty = prices.item;
CREATE STREAM bad5 AS SELECT o.item FROM orders o JOIN shipments s WITHIN 1 SECOND ON o.id = s.id;
CREATE STREAM bad6 AS SELECT * FROM orders o JOIN shipments s WITHIN 1 SECOND ON o.id = 3;
CREATE TABLE bad7 AS SELECT * FROM users u JOIN scores s ON u.name = s.score;
CREATE STREAM bad8 AS SELECT * FROM orders o JOIN orders p WITHIN 1 SECOND ON o.id = p.id;
