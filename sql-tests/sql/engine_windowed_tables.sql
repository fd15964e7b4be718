-- sluice-test: mode=engine
-- engine_windowed_tables: beyond ksqlDB, a windowed table can be
-- aggregated (GROUP BY WINDOWSTART: one row per window over every key,
-- changes taking their old values back out, MIN and MAX over a table) and
-- joined by a foreign key to an unwindowed table (each row keeping its
-- key and window); the result of that join is a windowed table that pull
-- queries read.  Copying a windowed table is still refused, as in ksqlDB.
-- This is Nexmark q5 (bench/nexmark/q5.sql) on a few bids.

SET 'auto.offset.reset' = 'earliest';

CREATE STREAM bids (auction BIGINT, price BIGINT, ts BIGINT)
  WITH (kafka_topic='bids', value_format='JSON', partitions=1, timestamp='ts');
CREATE TABLE counts AS
  SELECT auction, COUNT(*) AS num, MAX(price) AS top FROM bids
  WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY auction;

-- window 0: auction 1 twice, auction 2 once; window 10000: auction 2
INSERT INTO bids (auction, price, ts) VALUES (1, 10, 1000);
INSERT INTO bids (auction, price, ts) VALUES (1, 30, 2000);
INSERT INTO bids (auction, price, ts) VALUES (2, 20, 3000);
INSERT INTO bids (auction, price, ts) VALUES (2, 5, 13000);

-- one row per window over every auction; MAX and MIN over the counts
CREATE TABLE per_window AS
  SELECT WINDOWSTART AS starttime, COUNT(*) AS auctions, SUM(num) AS bids,
         MAX(num) AS maxn, MIN(num) AS minn, MAX(top) AS best
  FROM counts GROUP BY WINDOWSTART;
SELECT * FROM per_window;

-- the auctions with the most bids in each window (a foreign-key join on
-- the window start); auction 2 is not among them in window 0
CREATE TABLE hot AS
  SELECT c.auction AS auction, c.WINDOWSTART AS starttime, c.num AS num, m.maxn AS maxn
  FROM counts c JOIN per_window m ON c.WINDOWSTART = m.starttime
  WHERE c.num >= m.maxn;
SELECT * FROM hot;

-- auction 2 catches up in window 0 (its count 1 leaves MIN and MAX and
-- comes back as 2): both are hot; then auction 3 overtakes them, and the
-- rows of 1 and 2 in window 0 are deleted
INSERT INTO bids (auction, price, ts) VALUES (2, 40, 4000);
SELECT * FROM per_window WHERE starttime = 0;
SELECT * FROM hot WHERE WINDOWSTART = 0;
INSERT INTO bids (auction, price, ts) VALUES (3, 1, 5000);
INSERT INTO bids (auction, price, ts) VALUES (3, 1, 6000);
INSERT INTO bids (auction, price, ts) VALUES (3, 1, 7000);
SELECT * FROM per_window;
SELECT * FROM hot;
PRINT hot FROM BEGINNING;
DESCRIBE hot;

-- a windowed table joined by its key to an unwindowed one is refused, as
-- is copying a windowed table or windowing a table aggregation
CREATE TABLE auctions (id BIGINT PRIMARY KEY, seller STRING)
  WITH (kafka_topic='auctions', value_format='JSON', partitions=1);
CREATE TABLE bad1 AS SELECT c.auction, num, seller FROM counts c JOIN auctions a ON c.auction = a.id;
CREATE TABLE bad2 AS SELECT * FROM counts;
CREATE TABLE bad3 AS SELECT WINDOWSTART AS s, COUNT(*) AS n FROM counts
  WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY WINDOWSTART;
