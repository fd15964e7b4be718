-- Nexmark q0, pass-through: every bid, projected.
CREATE STREAM q0 AS SELECT auction, bidder, price, date_time, extra FROM bid;
