-- Nexmark q1, currency conversion: every bid, its price in euros.
CREATE STREAM q1 AS SELECT auction, bidder, 0.908 * price AS price, date_time, extra FROM bid;
