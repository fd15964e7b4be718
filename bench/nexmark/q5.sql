-- Nexmark q5, hot items: in hopping windows of 10 s advancing by 2 s, the
-- auctions with the most bids.
--
-- Beyond ksqlDB's dialect (docs/aggregations.md, docs/joins.md): a
-- windowed table aggregated by its windows (GROUP BY WINDOWSTART), MAX
-- over a table (it keeps every count of the window, so that a count that
-- grows takes its old value back out), and a foreign-key join from the
-- windowed counts to those maxima on the window start.  The result is a
-- table keyed by auction and window: when a window's maximum rises, the
-- auctions that no longer reach it are deleted.
CREATE TABLE q5_counts AS
  SELECT auction, COUNT(*) AS num FROM bid
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY auction;
CREATE TABLE q5_max AS
  SELECT WINDOWSTART AS starttime, MAX(num) AS maxn FROM q5_counts GROUP BY WINDOWSTART;
CREATE TABLE q5 AS
  SELECT c.auction AS auction, c.WINDOWSTART AS starttime, c.num AS num
  FROM q5_counts c JOIN q5_max m ON c.WINDOWSTART = m.starttime
  WHERE c.num >= m.maxn;
