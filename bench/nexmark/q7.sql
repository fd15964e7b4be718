-- Nexmark q7, highest bid: in tumbling windows of 10 s, the bids whose
-- price is the window's highest.
--
-- Beyond ksqlDB's dialect, with the extensions q5 uses (a windowed table
-- aggregated, a foreign-key join from a windowed table):
-- * q7_bids: the bids of each window, a windowed table keyed by the bid
--   (two equal bids, same auction, bidder, price and time, are one row);
-- * q7_max: the highest price of each window (one group per window);
-- * q7_tops: the windows whose highest price each price is (the windowed
--   q7_max aggregated by its value: a table keyed by the price);
-- * q7: each bid joined by its price (a foreign key) to the windows whose
--   highest price it is, kept when its own window is one of them.
-- The result is a table keyed by the bid and its window: when a window's
-- highest price rises, the bids at the old one are deleted.  Joining on
-- the price, not the window, keeps that cheap: a new highest price touches
-- the few bids at that price, not every bid of the window.
CREATE TABLE q7_bids WITH (key_format='JSON') AS
  SELECT auction, bidder, price, date_time, LATEST_BY_OFFSET(extra) AS extra
  FROM bid WINDOW TUMBLING (SIZE 10 SECONDS)
  GROUP BY auction, bidder, price, date_time;
CREATE TABLE q7_max AS
  SELECT 0 AS k, MAX(price) AS maxprice FROM bid
  WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY 0;
CREATE TABLE q7_tops AS
  SELECT maxprice, COLLECT_LIST(WINDOWSTART) AS windows FROM q7_max GROUP BY maxprice;
CREATE TABLE q7 AS
  SELECT b.auction AS auction, b.bidder AS bidder, b.price AS price,
         b.date_time AS date_time, b.extra AS extra
  FROM q7_bids b JOIN q7_tops t ON b.price = t.maxprice
  WHERE ARRAY_CONTAINS(t.windows, b.WINDOWSTART);
