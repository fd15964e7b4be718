-- sluice-test: mode=engine
-- engine_queries: continuous queries end to end (CREATE ... AS SELECT,
-- INSERT INTO ... SELECT, INSERT INTO ... VALUES, PARTITION BY, table
-- functions, queries over tables), what PRINT shows of their output, the
-- query lifecycle (SHOW QUERIES, EXPLAIN, PAUSE, RESUME, TERMINATE),
-- variables, and the errors these statements give, with their positions.

SET 'auto.offset.reset' = 'earliest';

CREATE STREAM orders (id INT KEY, customer STRING, amount DECIMAL(10, 2),
  items ARRAY<STRING>)
  WITH (kafka_topic='orders', value_format='JSON', partitions=1);

INSERT INTO orders (ROWTIME, id, customer, amount, items)
  VALUES (1000, 1, 'alice', 10.50, ARRAY['apple', 'pear']);
INSERT INTO orders (ROWTIME, id, customer, amount, items)
  VALUES (2000, 2, 'bob', 99.99, ARRAY['tv']);
INSERT INTO orders (ROWTIME, id, customer, amount, items)
  VALUES (3000, 3, 'alice', 25.00, ARRAY['book', 'pen', 'ink']);

-- a filter and projection: keys follow the source
CREATE STREAM big_orders AS
  SELECT id, UCASE(customer) AS customer, amount * 2 AS doubled
  FROM orders WHERE amount > 20;
PRINT big_orders FROM BEGINNING;

-- a table function: one row per element
CREATE STREAM order_items AS SELECT id, EXPLODE(items) AS item FROM orders;
PRINT 'ORDER_ITEMS' FROM BEGINNING LIMIT 4;

-- re-keying, to CSV
CREATE STREAM by_customer WITH (value_format='DELIMITED') AS
  SELECT customer, id, amount FROM orders PARTITION BY customer;
PRINT by_customer FROM BEGINNING;

-- a second query writing into the same stream
CREATE STREAM more_orders (id INT KEY, customer STRING, amount DECIMAL(10, 2),
  items ARRAY<STRING>)
  WITH (kafka_topic='more_orders', value_format='JSON', partitions=1);
INSERT INTO orders SELECT * FROM more_orders;
INSERT INTO more_orders (ROWTIME, id, customer, amount, items)
  VALUES (4000, 4, 'carol', 70.00, ARRAY['lamp']);
PRINT big_orders FROM BEGINNING;

-- a table and a stateless query over it: its changelog, key by key
CREATE TABLE customers (name STRING PRIMARY KEY, city STRING, vip BOOLEAN)
  WITH (kafka_topic='customers', value_format='JSON', partitions=1);
CREATE TABLE vips AS SELECT name, city FROM customers WHERE vip;
INSERT INTO customers (ROWTIME, name, city, vip) VALUES (5000, 'alice', 'Lyon', true);
INSERT INTO customers (ROWTIME, name, city, vip) VALUES (6000, 'bob', 'Oslo', false);
INSERT INTO customers (ROWTIME, name, city, vip) VALUES (7000, 'alice', 'Nice', false);
PRINT vips FROM BEGINNING;

-- the queries and their plans
SHOW QUERIES;
EXPLAIN CSAS_BIG_ORDERS_0;
EXPLAIN SELECT id, amount FROM orders WHERE amount > 1;
PAUSE CSAS_ORDER_ITEMS_1;
RESUME CSAS_ORDER_ITEMS_1;
TERMINATE CSAS_ORDER_ITEMS_1;

-- variables
DEFINE min_amount = '50';
CREATE STREAM huge AS SELECT * FROM orders WHERE amount > ${min_amount};
SHOW VARIABLES;
PRINT huge FROM BEGINNING;
UNDEFINE min_amount;

-- errors, with their positions
CREATE STREAM bad AS SELECT id, nonesuch FROM orders;
CREATE STREAM bad AS SELECT customer FROM orders;
CREATE STREAM bad AS SELECT id, customer + 1 AS x FROM orders;
CREATE TABLE bad AS SELECT id, customer FROM orders;
CREATE STREAM bad AS SELECT id, amount FROM orders LIMIT 3;
INSERT INTO orders (id, nope) VALUES (1, 2);
INSERT INTO orders (id, customer) VALUES (1);
INSERT INTO orders (id, customer) VALUES ('one', 'x');
INSERT INTO big_orders SELECT id, amount FROM orders;
TERMINATE no_such_query;
UNDEFINE never_defined;
SELECT * FROM orders EMIT CHANGES LIMIT 2;
PRINT no_such_topic;
DROP STREAM orders;
