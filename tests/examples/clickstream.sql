-- clickstream.sql: what examples/clickstream.sql and its generator give
-- (tests/shell_transcripts.sh runs it after --demo clickstream --demo-events 200).
-- sessions: a shopper's clicks until 30 seconds without one
SELECT * FROM user_sessions WHERE userid = 'alice' ORDER BY WINDOWSTART;
SELECT * FROM user_sessions EMIT CHANGES LIMIT 3;
-- the funnel of the first two minutes
SELECT * FROM funnel_per_minute WHERE WINDOWSTART < 1714557720000
  ORDER BY WINDOWSTART, action;
SELECT * FROM purchases EMIT CHANGES LIMIT 3;
-- purchases with the shopper's country and tier (a stream-table join)
SELECT * FROM purchases_enriched EMIT CHANGES LIMIT 4;
SELECT * FROM revenue_per_country ORDER BY country;
