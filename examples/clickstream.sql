-- clickstream.sql: shoppers' sessions from a click-stream.
--
--   sluice --demo clickstream
--
-- A web shop writes one JSON record per click to the topic "clicks": who
-- clicked, when, on which page, and what it was (a view, an add to cart, a
-- purchase with its amount). This script declares the stream and builds
-- three continuous views on it: sessions per shopper (clicks until 30
-- seconds of silence; a real shop would take 30 minutes), the shop's funnel
-- per minute, and the purchases on their own. `--demo clickstream` runs it
-- and starts a generator of shoppers; then try
--
--   SELECT * FROM user_sessions EMIT CHANGES;      -- sessions as they grow
--   SELECT * FROM funnel_per_minute;               -- the funnel right now
--   SELECT * FROM purchases EMIT CHANGES;
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
