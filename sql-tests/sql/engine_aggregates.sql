-- sluice-test: mode=engine
-- engine_aggregates: GROUP BY over streams and tables, HAVING, the three
-- window types with grace and late records, EMIT CHANGES with and without
-- record caching, EMIT FINAL with and without the idle timeout, and the
-- errors of aggregations, with their positions.  Record caching is off
-- unless a test turns it on (every update is emitted, as ksqlDB's test
-- runner has it).

SET 'auto.offset.reset' = 'earliest';

CREATE STREAM clicks (user STRING KEY, page STRING, ms INT)
  WITH (kafka_topic='clicks', value_format='JSON', partitions=1);

INSERT INTO clicks (ROWTIME, user, page, ms) VALUES (1000, 'ann', 'home', 10);
INSERT INTO clicks (ROWTIME, user, page, ms) VALUES (2000, 'bob', 'home', 20);
INSERT INTO clicks (ROWTIME, user, page, ms) VALUES (3000, 'ann', 'cart', 30);
INSERT INTO clicks (ROWTIME, user, page, ms) VALUES (4000, 'ann', 'home', NULL);
INSERT INTO clicks (ROWTIME, user, page, ms) VALUES (12000, 'bob', 'cart', 50);

-- every update of a group is emitted; COUNT(ms) skips the NULL
CREATE TABLE per_user AS
  SELECT user, COUNT(*) AS clicks, COUNT(ms) AS timed, SUM(ms) AS total, AVG(ms) AS mean
  FROM clicks GROUP BY user;
PRINT per_user FROM BEGINNING;

-- a key of two columns, in GROUP BY order; HAVING deletes a row that no
-- longer passes (a tombstone), and never shows one that never passed
CREATE TABLE page_users WITH (key_format='JSON') AS
  SELECT page, user, COUNT(*) AS n FROM clicks GROUP BY page, user HAVING COUNT(*) < 2;
PRINT page_users FROM BEGINNING;

-- tumbling windows: WINDOWSTART and WINDOWEND as values, the windowed key
-- in PRINT as [key@start/end]
CREATE TABLE per_10s AS
  SELECT user, WINDOWSTART AS ws, WINDOWEND AS we, COUNT(*) AS n
  FROM clicks WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY user;
PRINT per_10s FROM BEGINNING;
DESCRIBE per_10s;

-- hopping windows: a record counts in every window that holds it
CREATE TABLE hops AS
  SELECT user, COUNT(*) AS n FROM clicks
  WINDOW HOPPING (SIZE 4 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY user;
PRINT hops FROM BEGINNING LIMIT 6;

-- session windows: a record within the gap grows the session; the old
-- session is deleted (a tombstone) and the merged one written
CREATE TABLE sessions AS
  SELECT user, COUNT(*) AS n, WINDOWSTART AS s, WINDOWEND AS e
  FROM clicks WINDOW SESSION (5 SECONDS) GROUP BY user;
PRINT sessions FROM BEGINNING;

-- late records: with a grace period of 1 second, a record for a window
-- that closed is dropped and goes to the processing log
CREATE STREAM readings (sensor STRING KEY, temp DOUBLE)
  WITH (kafka_topic='readings', value_format='JSON', partitions=1);
INSERT INTO readings (ROWTIME, sensor, temp) VALUES (1000, 's1', 20.5);
INSERT INTO readings (ROWTIME, sensor, temp) VALUES (6000, 's1', 21.0);
INSERT INTO readings (ROWTIME, sensor, temp) VALUES (12500, 's1', 22.0);
INSERT INTO readings (ROWTIME, sensor, temp) VALUES (4000, 's1', 99.0);
INSERT INTO readings (ROWTIME, sensor, temp) VALUES (11000, 's1', 23.0);
CREATE TABLE temps AS
  SELECT sensor, MAX(temp) AS hi, MIN(temp) AS lo FROM readings
  WINDOW TUMBLING (SIZE 5 SECONDS, GRACE PERIOD 1 SECOND) GROUP BY sensor;
PRINT temps FROM BEGINNING;

-- EMIT FINAL: each window once, when stream time passes its end + grace;
-- the last window stays open (nothing has passed its end yet)
CREATE TABLE temps_final AS
  SELECT sensor, COUNT(*) AS n, MAX(temp) AS hi FROM readings
  WINDOW TUMBLING (SIZE 5 SECONDS, GRACE PERIOD 1 SECOND) GROUP BY sensor EMIT FINAL;
PRINT temps_final FROM BEGINNING;

-- beyond ksqlDB: with sluice.emit.final.idle.ms, once no record has come
-- for that long, stream time moves on with the wall clock, so the last
-- window closes too (here after about 100 ms of quiet)
CREATE STREAM pings (host STRING KEY, up BOOLEAN)
  WITH (kafka_topic='pings', value_format='JSON', partitions=1);
INSERT INTO pings (ROWTIME, host, up) VALUES (1000, 'h1', true);
INSERT INTO pings (ROWTIME, host, up) VALUES (1050, 'h1', false);
INSERT INTO pings (ROWTIME, host, up) VALUES (1120, 'h1', true);
SET 'sluice.emit.final.idle.ms' = '200';
CREATE TABLE pings_final AS
  SELECT host, COUNT(*) AS n FROM pings
  WINDOW TUMBLING (SIZE 100 MILLISECONDS, GRACE PERIOD 0 SECONDS) GROUP BY host EMIT FINAL;
PRINT pings_final FROM BEGINNING;
UNSET 'sluice.emit.final.idle.ms';

-- aggregating a table: a changed row leaves its old group and joins the
-- new one; a deleted row leaves its group
CREATE TABLE accounts (id INT PRIMARY KEY, region STRING, balance INT)
  WITH (kafka_topic='accounts', value_format='JSON', partitions=1);
INSERT INTO accounts (ROWTIME, id, region, balance) VALUES (1000, 1, 'eu', 100);
INSERT INTO accounts (ROWTIME, id, region, balance) VALUES (2000, 2, 'eu', 50);
INSERT INTO accounts (ROWTIME, id, region, balance) VALUES (3000, 3, 'us', 70);
INSERT INTO accounts (ROWTIME, id, region, balance) VALUES (4000, 1, 'us', 120);
CREATE TABLE regions AS
  SELECT region, COUNT(*) AS accounts, SUM(balance) AS total
  FROM accounts GROUP BY region;
PRINT regions FROM BEGINNING;

-- a deleted row leaves its group: account 1 moving to 'us' deletes it
-- from eu_accounts (a tombstone), and the count of 'eu' goes down
CREATE TABLE eu_accounts AS SELECT * FROM accounts WHERE region = 'eu';
CREATE TABLE eu_count AS
  SELECT region, COUNT(*) AS accounts, SUM(balance) AS total
  FROM eu_accounts GROUP BY region;
PRINT eu_count FROM BEGINNING;

-- record caching on: the updates of one commit interval collapse into the
-- last one per key
SET 'cache.max.bytes.buffering' = '10000000';
CREATE TABLE per_user_cached AS SELECT user, COUNT(*) AS clicks FROM clicks GROUP BY user;
PRINT per_user_cached FROM BEGINNING;
UNSET 'cache.max.bytes.buffering';

-- a cache of one group: every other group is written to SQLite and read
-- back when its next record comes; the results are the same as above
SET 'sluice.state.cache.rows' = '1';
CREATE TABLE per_user_small AS
  SELECT user, COUNT(*) AS clicks, COUNT(ms) AS timed, SUM(ms) AS total, AVG(ms) AS mean
  FROM clicks GROUP BY user;
PRINT per_user_small FROM BEGINNING;
CREATE TABLE sessions_small AS
  SELECT user, COUNT(*) AS n, WINDOWSTART AS s, WINDOWEND AS e
  FROM clicks WINDOW SESSION (5 SECONDS) GROUP BY user;
PRINT sessions_small FROM BEGINNING;
CREATE TABLE hops_small AS
  SELECT user, COUNT(*) AS n FROM clicks
  WINDOW HOPPING (SIZE 4 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY user;
PRINT hops_small FROM BEGINNING LIMIT 6;
CREATE TABLE regions_small AS
  SELECT region, COUNT(*) AS accounts, SUM(balance) AS total
  FROM accounts GROUP BY region;
PRINT regions_small FROM BEGINNING;
UNSET 'sluice.state.cache.rows';

EXPLAIN CREATE TABLE x AS SELECT user, COUNT(*) AS n FROM clicks
  WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY user HAVING COUNT(*) > 1;

-- beyond ksqlDB: MIN and MAX over a table keep each value of the group
-- with how many rows hold it.  A changed row takes its old value out (a
-- maximum held by two rows stays), a row leaving live_offers (a
-- tombstone) takes its value out and the next one shows, NULL prices are
-- skipped, and a group left without a value gives NULL
CREATE TABLE offers (id INT PRIMARY KEY, shop STRING, price DECIMAL(6, 2), item STRING,
                     live BOOLEAN)
  WITH (kafka_topic='offers', value_format='JSON', partitions=1);
INSERT INTO offers (ROWTIME, id, shop, price, item, live) VALUES (1000, 1, 'a', 10.50, 'pen', true);
INSERT INTO offers (ROWTIME, id, shop, price, item, live) VALUES (2000, 2, 'a', 30.00, 'ink', true);
INSERT INTO offers (ROWTIME, id, shop, price, item, live) VALUES (3000, 3, 'a', 30.00, 'cap', true);
INSERT INTO offers (ROWTIME, id, shop, price, item, live) VALUES (4000, 2, 'a', 5.00, 'ink', true);
INSERT INTO offers (ROWTIME, id, shop, price, item, live) VALUES (5000, 3, 'a', 30.00, 'cap', false);
INSERT INTO offers (ROWTIME, id, shop, price, item, live) VALUES (6000, 4, 'b', NULL, 'box', true);
INSERT INTO offers (ROWTIME, id, shop, price, item, live) VALUES (7000, 1, 'b', 10.50, 'pen', true);
INSERT INTO offers (ROWTIME, id, shop, price, item, live) VALUES (8000, 2, 'a', 5.00, 'ink', false);
CREATE TABLE live_offers AS SELECT * FROM offers WHERE live;
CREATE TABLE shop_prices AS
  SELECT shop, COUNT(*) AS n, MAX(price) AS hi, MIN(price) AS lo, MAX(item) AS last_item,
         MIN(item) AS first_item
  FROM live_offers GROUP BY shop;
PRINT shop_prices FROM BEGINNING;
SELECT * FROM shop_prices WHERE shop = 'b';
-- the same with a cache of one group: the multisets go through SQLite
SET 'sluice.state.cache.rows' = '1';
CREATE TABLE shop_prices_small AS
  SELECT shop, MAX(price) AS hi, MIN(item) AS first_item FROM live_offers GROUP BY shop;
PRINT shop_prices_small FROM BEGINNING;
UNSET 'sluice.state.cache.rows';

-- errors
CREATE TABLE bad AS SELECT user, page, COUNT(*) AS n FROM clicks GROUP BY user;
CREATE TABLE bad AS SELECT page, COUNT(*) AS n FROM clicks GROUP BY user;
CREATE TABLE bad AS SELECT user, COUNT(*) AS n FROM clicks WINDOW TUMBLING (SIZE 1 SECOND);
CREATE TABLE bad AS SELECT user, COUNT(*) AS n FROM clicks GROUP BY user EMIT FINAL;
CREATE TABLE bad AS SELECT user, SUM(COUNT(*)) AS n FROM clicks GROUP BY user;
CREATE TABLE bad AS SELECT user, COUNT(*) AS n FROM clicks GROUP BY user, clicks.user;
CREATE STREAM bad AS SELECT user, COUNT(*) AS n FROM clicks GROUP BY user;
CREATE TABLE bad AS SELECT user, COUNT(*) AS n FROM clicks WHERE COUNT(*) > 1 GROUP BY user;
CREATE TABLE bad AS SELECT user, COUNT(*) AS n FROM clicks
  WINDOW HOPPING (SIZE 1 SECOND, ADVANCE BY 2 SECONDS) GROUP BY user;
CREATE TABLE bad AS SELECT region, COLLECT_SET(balance) AS hi FROM accounts GROUP BY region;
CREATE TABLE bad AS SELECT user, WINDOWSTART AS ws, COUNT(*) AS n FROM clicks GROUP BY user;
