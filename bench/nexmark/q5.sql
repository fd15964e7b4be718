-- Nexmark q5, hot items: in hopping windows of 10 s advancing by 2 s, the
-- auctions with the most bids.
--
-- Beyond ksqlDB's dialect (docs/aggregations.md, docs/joins.md): a
-- windowed table aggregated by its windows (GROUP BY WINDOWSTART), MAX over
-- a table (it keeps every count of the window, so that a count that grows
-- takes its old value back out), and a foreign-key join from a windowed
-- table.
-- * q5_counts: bids per auction per window (a windowed table);
-- * q5_max: the highest count of each window;
-- * q5_top: the same, keyed by window start and count together
--   ('start/count'; N is 0 once the window's highest count has moved on);
-- * q5: each auction's count joined by its window start and count (a
--   foreign key) to the window's highest count, kept when it is it.
-- The result is a table keyed by auction and window: when a window's
-- highest count rises, the auctions at the old one are deleted.  Joining
-- on the window and the count, not the window alone, keeps that cheap: a
-- new highest count touches the auctions that reach it, not every auction
-- of the window.
CREATE TABLE q5_counts AS
  SELECT auction, COUNT(*) AS num FROM bid
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY auction;
CREATE TABLE q5_max AS
  SELECT WINDOWSTART AS starttime, MAX(num) AS maxn FROM q5_counts GROUP BY WINDOWSTART;
CREATE TABLE q5_top AS
  SELECT CONCAT(CAST(starttime AS STRING), '/', CAST(maxn AS STRING)) AS top, COUNT(*) AS n
  FROM q5_max GROUP BY CONCAT(CAST(starttime AS STRING), '/', CAST(maxn AS STRING));
CREATE TABLE q5 AS
  SELECT c.auction AS auction, c.WINDOWSTART AS starttime, c.num AS num
  FROM q5_counts c
  JOIN q5_top t ON CONCAT(CAST(c.WINDOWSTART AS STRING), '/', CAST(c.num AS STRING)) = t.top
  WHERE t.n > 0;
