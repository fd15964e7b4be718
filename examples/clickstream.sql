-- Needs aggregations (issue 4) and joins (issue 7), which the engine does
-- not run yet; sluice-test --parse-only checks it today.
-- clickstream.sql: a first tour of sluice with a click-stream.
--
-- A web shop writes one JSON record per page view to the topic "pageviews",
-- and keeps its user accounts in the topic "users". This script declares
-- both, fills them with a few sample records, and builds three continuous
-- views on top: a filtered stream, page views per page per minute, and page
-- views enriched with the user who made them. It ends with a push query and
-- a pull query on the results.
--
-- Check the script with:    sluice-test --parse-only examples/quickstart.sql
-- Run it (once the engine has landed) with the embedded shell, which starts
-- an in-memory Kafka of its own:    sluice -f examples/quickstart.sql
-- Every statement is explained in docs/sql.md; all of it is also valid ksqlDB.

-- Queries started below read their input topics from the beginning, so they
-- also see the sample records written before them.
SET 'auto.offset.reset' = 'earliest';

-- 1. The raw click-stream. The columns are read from the JSON value of each
--    record; the topic is created with one partition. TIMESTAMP makes the
--    view time (milliseconds since the epoch) the event time of each record,
--    so that windows follow when the page was viewed, not when the record
--    reached Kafka.
CREATE STREAM pageviews (
    viewtime    BIGINT,
    userid      VARCHAR,
    pageid      VARCHAR,
    referrer    VARCHAR,
    duration_ms INT
) WITH (
    kafka_topic  = 'pageviews',
    value_format = 'JSON',
    partitions   = 1,
    timestamp    = 'viewtime'
);

-- 2. The users, as a table: the latest record for each key is the current
--    row. The key (userid) is in the Kafka record key, the rest in the value.
CREATE TABLE users (
    userid    VARCHAR PRIMARY KEY,
    name      VARCHAR,
    regionid  VARCHAR,
    interests ARRAY<VARCHAR>
) WITH (
    kafka_topic  = 'users',
    value_format = 'JSON',
    partitions   = 1
);

-- 3. Sample data. The users get an event time (ROWTIME) earlier than the
--    page views, so that the join in step 6, which follows event time, finds
--    them. Dave has no account: his page view keeps a NULL name in step 6.
INSERT INTO users (ROWTIME, userid, name, regionid, interests)
    VALUES (1714550400000, 'alice', 'Alice', 'EU', ARRAY['books', 'jazz']);
INSERT INTO users (ROWTIME, userid, name, regionid, interests)
    VALUES (1714550400000, 'bob', 'Bob', 'US', ARRAY['games']);
INSERT INTO users (ROWTIME, userid, name, regionid, interests)
    VALUES (1714550400000, 'carol', 'Carol', 'EU', ARRAY['music', 'books']);

-- Ten page views between 10:00:05 and 10:01:59 UTC on 1 May 2024.
INSERT INTO pageviews VALUES (1714557605000, 'alice', 'home',     'https://www.google.com/',   4200);
INSERT INTO pageviews VALUES (1714557612000, 'bob',   'home',     'https://www.bing.com/',     1500);
INSERT INTO pageviews VALUES (1714557630000, 'alice', 'products', 'https://shop.example/',    15000);
INSERT INTO pageviews VALUES (1714557641000, 'carol', 'home',     'https://www.google.com/',    800);
INSERT INTO pageviews VALUES (1714557655000, 'bob',   'products', 'https://shop.example/',    22000);
INSERT INTO pageviews VALUES (1714557662000, 'alice', 'cart',     'https://shop.example/p/42', 9000);
INSERT INTO pageviews VALUES (1714557670000, 'carol', 'products', 'https://shop.example/',     3100);
INSERT INTO pageviews VALUES (1714557688000, 'alice', 'checkout', 'https://shop.example/cart', 30500);
INSERT INTO pageviews VALUES (1714557701000, 'dave',  'home',     'https://www.google.com/',   2000);
INSERT INTO pageviews VALUES (1714557719000, 'bob',   'cart',     'https://shop.example/p/7',  7000);

-- 4. A filtered, projected stream: the visits that arrive from a search
--    engine, with the duration in seconds. This starts a persistent query
--    that keeps writing matching views to the topic "pageviews_from_search".
--    With the data above it holds the four views by alice, bob, carol and
--    dave of 'home'.
CREATE STREAM pageviews_from_search
    WITH (kafka_topic = 'pageviews_from_search', value_format = 'JSON') AS
    SELECT userid,
           pageid,
           referrer,
           duration_ms / 1000 AS duration_s
    FROM pageviews
    WHERE referrer LIKE '%google.%' OR referrer LIKE '%bing.%'
    EMIT CHANGES;

-- 5. Page views per page per minute: a windowed aggregation. The result is a
--    table keyed by page and window, updated as views arrive, and kept in
--    SQLite so that pull queries (step 8) can read it. For 10:00 it counts
--    home 3 and products 2; for 10:01 cart 2, products 1, checkout 1, home 1.
CREATE TABLE pageviews_per_minute AS
    SELECT pageid,
           COUNT(*) AS views,
           COUNT_DISTINCT(userid) AS visitors
    FROM pageviews
    WINDOW TUMBLING (SIZE 1 MINUTE)
    GROUP BY pageid
    EMIT CHANGES;

-- 6. Enrichment: a stream-table join adds the user's name and region to
--    each page view. A LEFT JOIN keeps views whose user is unknown (dave),
--    with NULL user columns. The join key, the page view's userid, becomes
--    the key of the new stream.
CREATE STREAM pageviews_enriched AS
    SELECT pv.userid   AS userid,
           pv.pageid   AS pageid,
           pv.viewtime AS viewtime,
           u.name      AS name,
           u.regionid  AS regionid
    FROM pageviews pv
    LEFT JOIN users u ON pv.userid = u.userid
    EMIT CHANGES;

-- 7. A push query: watch the enriched stream. It prints the ten views as
--    rows and ends after LIMIT rows (without a LIMIT it runs until Ctrl-C).
SELECT userid, name, regionid, pageid, viewtime
FROM pageviews_enriched
EMIT CHANGES
LIMIT 10;

-- 8. A pull query: the current per-minute counts of the home page, read
--    from the materialized table at once (two windows: 3 views, then 1).
SELECT pageid, WINDOWSTART, WINDOWEND, views, visitors
FROM pageviews_per_minute
WHERE pageid = 'home';

-- To look around: SHOW STREAMS; SHOW TABLES; SHOW QUERIES;
-- DESCRIBE pageviews_enriched EXTENDED;
