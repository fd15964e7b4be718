-- quickstart.sql: a first look at sluice, on the embedded Kafka.
--
--   ./sluice --demo quickstart
--
-- declares a stream of page views, starts two continuous queries over it
-- and writes a few events; with --demo, the shell then starts a generator
-- that keeps writing page views. Watch the results arrive:
--
--   SELECT * FROM pageviews_from_search EMIT CHANGES;   -- Ctrl-C stops it
--   SELECT pageid, userid FROM pageviews_by_page EMIT CHANGES;
--   SELECT * FROM pageviews WHERE userid = 'alice';      -- a scan, at once
--
-- The script also runs headless on the server (./sluiced --queries-file
-- examples/quickstart.sql); read its output there with any Kafka client,
-- e.g. kcat (sluiced prints the embedded Kafka's address on start-up):
--
--   kcat -b 127.0.0.1:PORT -C -t PAGEVIEWS_FROM_SEARCH -o beginning

-- read every topic from its start, so the events below are seen too
SET 'auto.offset.reset' = 'earliest';

-- 1. a stream over a topic (PARTITIONS creates the topic); event time
--    comes from the viewtime column
CREATE STREAM pageviews (
    userid      VARCHAR KEY,
    viewtime    BIGINT,
    pageid      VARCHAR,
    referrer    VARCHAR,
    duration_ms INT
) WITH (
    kafka_topic  = 'pageviews',
    value_format = 'JSON',
    partitions   = 1,
    timestamp    = 'viewtime'
);

-- 2. a continuous filter and projection: views that came from a search
CREATE STREAM pageviews_from_search AS
    SELECT userid,
           pageid,
           referrer,
           duration_ms / 1000 AS duration_s,
           UCASE(SPLIT(referrer, '/')[3]) AS engine
    FROM pageviews
    WHERE referrer LIKE '%google.%' OR referrer LIKE '%bing.%'
    EMIT CHANGES;

-- 3. re-keying: the same views keyed by page, as CSV
CREATE STREAM pageviews_by_page
    WITH (value_format = 'DELIMITED') AS
    SELECT pageid, userid, viewtime
    FROM pageviews
    PARTITION BY pageid
    EMIT CHANGES;

-- 4. some events (ROWTIME comes from viewtime)
INSERT INTO pageviews VALUES ('alice', 1714557605000, 'home',     'https://www.google.com/',   4200);
INSERT INTO pageviews VALUES ('bob',   1714557612000, 'home',     'https://www.bing.com/',     1500);
INSERT INTO pageviews VALUES ('alice', 1714557630000, 'products', 'https://shop.example/',    15000);
INSERT INTO pageviews VALUES ('carol', 1714557641000, 'home',     'https://www.google.com/',    800);
INSERT INTO pageviews VALUES ('bob',   1714557655000, 'products', 'https://shop.example/',    22000);
INSERT INTO pageviews VALUES ('alice', 1714557662000, 'cart',     'https://shop.example/p/42', 9000);

-- what is running
SHOW STREAMS;
SHOW QUERIES;
