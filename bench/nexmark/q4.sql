-- Nexmark q4, average closing price per category: the highest bid of each
-- auction among the bids placed between its start and its expiry, then the
-- average of those per category.
--
-- Nothing beyond ksqlDB's dialect: a windowed stream-stream join (WITHIN
-- only bounds the join's state: an auction lasts 2 * 1666 events at most,
-- 0.33 s of event time at Nexmark's 10,000 events/s; the WHERE is the real
-- condition), MAX per auction over the joined stream (two key columns,
-- hence a JSON key), and AVG over that table (a table aggregation: when an
-- auction's maximum rises, AVG takes the old one back out).  QUERIES.md
-- expected an extension; Nexmark's own form, a subquery in FROM, would be
-- one:
--   SELECT category, AVG(final) FROM (SELECT ... GROUP BY a.id, a.category)
--   GROUP BY category
CREATE TABLE q4_max WITH (key_format='JSON') AS
  SELECT a.id AS id, a.category AS category, MAX(b.price) AS final
  FROM auction a JOIN bid b WITHIN (0 SECONDS, 10 SECONDS) ON a.id = b.auction
  WHERE b.date_time BETWEEN a.date_time AND a.expires
  GROUP BY a.id, a.category;
CREATE TABLE q4 AS
  SELECT category, AVG(final) AS avg_price
  FROM q4_max GROUP BY category;
