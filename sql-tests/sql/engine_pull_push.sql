-- sluice-test: mode=engine
-- engine_pull_push: push and pull queries (SELECT on its own).  Pull
-- queries on an aggregation's table (key lookups, IN, ranges, OR with a
-- value column, LIKE, ORDER BY, OFFSET, LIMIT), on a windowed table (window
-- bounds), on a source table and on a stream (a bounded scan); push
-- queries from the start with LIMIT, with a projection that leaves the key
-- out, and with their own aggregation; and ksqlDB's pull-query errors.

SET 'auto.offset.reset' = 'earliest';

CREATE STREAM orders (customer STRING KEY, item STRING, amount INT)
  WITH (kafka_topic='orders', value_format='JSON', partitions=1);

INSERT INTO orders (ROWTIME, customer, item, amount) VALUES (1000, 'ann', 'tea', 3);
INSERT INTO orders (ROWTIME, customer, item, amount) VALUES (1500, 'bob', 'cake', 5);
INSERT INTO orders (ROWTIME, customer, item, amount) VALUES (2500, 'ann', 'cake', 5);
INSERT INTO orders (ROWTIME, customer, item, amount) VALUES (2600, 'cy', 'tea', 3);
INSERT INTO orders (ROWTIME, customer, item, amount) VALUES (2700, 'dee', 'pie', 9);

CREATE TABLE spend AS
  SELECT customer, COUNT(*) AS n, SUM(amount) AS total FROM orders GROUP BY customer;

CREATE TABLE spend_per_second AS
  SELECT customer, COUNT(*) AS n FROM orders WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY customer;

-- the whole table, in key order
SELECT * FROM spend;

-- key lookups: =, IN, a key that is not there
SELECT * FROM spend WHERE customer = 'ann';
SELECT customer, total FROM spend WHERE customer IN ('bob', 'dee', 'zed');
SELECT * FROM spend WHERE customer = 'zed';

-- ranges on the key, OR with a value column, LIKE, functions
SELECT customer FROM spend WHERE customer > 'b' AND customer <= 'cy';
SELECT customer, total FROM spend WHERE customer = 'ann' OR total > 8;
SELECT customer FROM spend WHERE customer LIKE '%e%';
SELECT UCASE(customer) AS who, total * 2 AS doubled FROM spend WHERE customer BETWEEN 'a' AND 'c';

-- beyond ksqlDB: ORDER BY (an alias, DESC), OFFSET and LIMIT
SELECT customer, total AS t FROM spend ORDER BY t DESC, customer;
SELECT customer FROM spend ORDER BY customer LIMIT 2 OFFSET 1;

-- a windowed table: every window, then bounds on the window start
SELECT * FROM spend_per_second WHERE customer = 'ann';
SELECT customer, WINDOWSTART, n FROM spend_per_second WHERE WINDOWSTART >= 2000 ORDER BY customer;

-- a stream: a bounded scan of what it holds now
SELECT item, amount FROM orders WHERE amount >= 5;
SELECT item FROM orders LIMIT 2;

-- push queries from the start: LIMIT ends them; they need not show the key
SELECT customer, item FROM orders WHERE amount < 5 EMIT CHANGES LIMIT 2;
SELECT item, amount * 10 AS cents FROM orders EMIT CHANGES LIMIT 3;
SELECT item, COUNT(*) AS sold FROM orders GROUP BY item EMIT CHANGES LIMIT 5;
-- a push query may aggregate its whole input (no GROUP BY)
SELECT COUNT(*) AS n, SUM(amount) AS total FROM orders EMIT CHANGES LIMIT 5;

-- errors, as ksqlDB words them
SELECT * FROM spend GROUP BY customer;
SELECT ROWOFFSET FROM spend;
SELECT * FROM spend WHERE customer = 1;
SELECT * FROM spend WHERE WINDOWSTART > 0;
SELECT * FROM spend WHERE customer = NULL;
SELECT customer, customer FROM spend;
SELECT * FROM orders ORDER BY item;
SELECT * FROM orders ORDER BY item EMIT CHANGES;
SET 'ksql.query.pull.table.scan.enabled' = 'false';
SELECT * FROM spend WHERE total > 3;
SELECT * FROM spend WHERE customer != 'ann';
SELECT * FROM spend WHERE customer = 'ann';
SET 'ksql.query.pull.table.scan.enabled' = 'true';

-- a table that no query keeps cannot be pulled from
CREATE TABLE plain (id INT PRIMARY KEY, x INT)
  WITH (kafka_topic='plain', value_format='JSON', partitions=1);
SELECT * FROM plain;
