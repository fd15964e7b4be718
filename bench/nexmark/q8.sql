-- Nexmark q8, new users: the people who registered and opened an auction
-- in the same tumbling 10 s window.  In ksqlDB's dialect: a windowed
-- stream-stream join (WITHIN 10 SECONDS holds every pair of one tumbling
-- window), restricted to the pairs in the same window.  Needs joins.
-- Nexmark groups the auctions by seller and window first, so it writes one
-- row per person and window; this writes one per (person, auction) pair.
CREATE STREAM q8 AS
  SELECT p.id AS id, p.name AS name, p.date_time / 10000 * 10000 AS starttime
  FROM person p JOIN auction a WITHIN 10 SECONDS ON p.id = a.seller
  WHERE p.date_time / 10000 = a.date_time / 10000;
