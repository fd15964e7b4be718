-- Nexmark q7, highest bid: in tumbling windows of 10 s, the bids whose
-- price is the window's highest.
--
-- NEEDS A DIALECT EXTENSION (neither sluice nor ksqlDB has it): a subquery
-- in FROM, here a windowed aggregate without GROUP BY that emits each
-- window once when it closes (EMIT FINAL), joined back to the stream it
-- aggregates (each bid waits in the join's window until its own window's
-- maximum is known).  Proposed syntax:
CREATE STREAM q7 AS
  SELECT b.auction AS auction, b.price AS price, b.bidder AS bidder,
         b.date_time AS date_time, b.extra AS extra
  FROM bid b
  JOIN (SELECT MAX(price) AS maxprice FROM bid
          WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL) m
    WITHIN 10 SECONDS ON b.price = m.maxprice
  WHERE b.date_time >= m.WINDOWSTART AND b.date_time < m.WINDOWEND;
