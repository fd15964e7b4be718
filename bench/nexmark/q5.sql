-- Nexmark q5, hot items: in hopping windows of 10 s advancing by 2 s, the
-- auctions with the most bids.
--
-- NEEDS A DIALECT EXTENSION (neither sluice nor ksqlDB has it): aggregating
-- a windowed table by its windows (GROUP BY WINDOWSTART), with MAX over a
-- table (which has to keep every count of the window, as it cannot undo),
-- and a join of the windowed counts to that table on the window start (a
-- foreign-key join).  Proposed syntax:
CREATE TABLE q5_counts AS
  SELECT auction, COUNT(*) AS num FROM bid
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY auction;
CREATE TABLE q5_max AS
  SELECT WINDOWSTART AS starttime, MAX(num) AS maxn FROM q5_counts GROUP BY WINDOWSTART;
CREATE TABLE q5 AS
  SELECT AS_VALUE(c.auction) AS auction, c.WINDOWSTART AS starttime, c.num AS num
  FROM q5_counts c JOIN q5_max m ON c.WINDOWSTART = m.starttime
  WHERE c.num >= m.maxn;
