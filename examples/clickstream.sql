-- clickstream.sql: shoppers' sessions from a click-stream.
--
--   sluice --demo clickstream
--
-- A web shop writes one JSON record per click to the topic "clicks": who
-- clicked, when, on which page, and what it was (a view, an add to cart, a
-- purchase with its amount). This script declares the stream and builds
-- three continuous views on it: sessions per shopper (clicks until 30
-- seconds of silence; a real shop would take 30 minutes), the shop's funnel
-- per minute, the purchases on their own, and the purchases joined with
-- the shoppers' table (their country and loyalty tier), with the revenue
-- per country. `--demo clickstream` runs it and starts a generator of
-- shoppers; then try
--
--   SELECT * FROM user_sessions EMIT CHANGES;      -- sessions as they grow
--   SELECT * FROM funnel_per_minute;               -- the funnel right now
--   SELECT * FROM purchases EMIT CHANGES;
--   SELECT * FROM purchases_enriched EMIT CHANGES; -- with who bought
--   SELECT * FROM revenue_per_country;
--
-- Every statement is explained in docs/sql.md; all of it is valid ksqlDB.

-- read every topic from its start, so that the views see every click
SET 'auto.offset.reset' = 'earliest';

-- 1. the clicks; event time is the ts column (milliseconds since 1970)
CREATE STREAM clicks (
    userid VARCHAR KEY,
    ts     BIGINT,
    page   VARCHAR,
    action VARCHAR,
    amount DOUBLE
) WITH (
    kafka_topic  = 'clicks',
    value_format = 'JSON',
    partitions   = 1,
    timestamp    = 'ts'
);

-- 2. sessions: one row per shopper and session, updated with every click;
--    a session ends after 30 seconds without a click
CREATE TABLE user_sessions AS
    SELECT userid,
           COUNT(*)               AS clicks,
           COUNT_DISTINCT(page)   AS pages,
           SUM(CASE WHEN action = 'purchase' THEN 1 ELSE 0 END) AS purchases
    FROM clicks
    WINDOW SESSION (30 SECONDS)
    GROUP BY userid
    EMIT CHANGES;

-- 3. the funnel: how many views, adds to cart and purchases per minute
CREATE TABLE funnel_per_minute AS
    SELECT action,
           COUNT(*) AS events
    FROM clicks
    WINDOW TUMBLING (SIZE 1 MINUTE)
    GROUP BY action
    EMIT CHANGES;

-- 4. the purchases, as a stream of their own
CREATE STREAM purchases AS
    SELECT userid, ts, amount
    FROM clicks
    WHERE action = 'purchase'
    EMIT CHANGES;

-- 5. the shoppers: a table keyed by userid (a real shop would fill its
--    topic from its user database).  The rows are dated at the start of
--    the click log (ROWTIME, in milliseconds): a join processes its inputs
--    in event-time order, so a replay from the start sees them first.
CREATE TABLE shoppers (
    userid  VARCHAR PRIMARY KEY,
    country VARCHAR,
    tier    VARCHAR
) WITH (
    kafka_topic  = 'shoppers',
    value_format = 'JSON',
    partitions   = 1
);
INSERT INTO shoppers (ROWTIME, userid, country, tier) VALUES (1714557600000, 'alice', 'FR', 'gold');
INSERT INTO shoppers (ROWTIME, userid, country, tier) VALUES (1714557600000, 'bob',   'DE', 'silver');
INSERT INTO shoppers (ROWTIME, userid, country, tier) VALUES (1714557600000, 'carol', 'FR', 'silver');
INSERT INTO shoppers (ROWTIME, userid, country, tier) VALUES (1714557600000, 'dave',  'US', 'gold');
INSERT INTO shoppers (ROWTIME, userid, country, tier) VALUES (1714557600000, 'erin',  'US', 'bronze');
INSERT INTO shoppers (ROWTIME, userid, country, tier) VALUES (1714557600000, 'frank', 'DE', 'bronze');
INSERT INTO shoppers (ROWTIME, userid, country, tier) VALUES (1714557600000, 'grace', 'JP', 'gold');
INSERT INTO shoppers (ROWTIME, userid, country, tier) VALUES (1714557600000, 'heidi', 'DE', 'silver');

-- 6. each purchase with who made it: a stream-table join; ivan and judy
--    are not in the table, and a LEFT JOIN keeps their purchases
CREATE STREAM purchases_enriched AS
    SELECT p.userid, p.ts, p.amount, s.country, s.tier
    FROM purchases p
    LEFT JOIN shoppers s ON p.userid = s.userid
    EMIT CHANGES;

-- 7. the revenue per country, from the joined stream
CREATE TABLE revenue_per_country AS
    SELECT COALESCE(country, 'unknown') AS country,
           COUNT(*)    AS purchases,
           SUM(amount) AS revenue
    FROM purchases_enriched
    GROUP BY COALESCE(country, 'unknown')
    EMIT CHANGES;
