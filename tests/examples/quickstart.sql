-- quickstart.sql: what examples/quickstart.sql and its generator give
-- (tests/shell_transcripts.sh runs it after --demo quickstart --demo-events 200).
SHOW STREAMS;
SELECT * FROM pageviews_from_search EMIT CHANGES LIMIT 5;
SELECT pageid, userid FROM pageviews_by_page EMIT CHANGES LIMIT 3;
SELECT userid, pageid FROM pageviews WHERE userid = 'grace' LIMIT 4;
