-- Nexmark q3, local item suggestion: the auctions of category 10 whose
-- seller lives in Oregon, Idaho or California, with the seller's name,
-- city and state.  In ksqlDB's dialect: the people as a table keyed by id
-- (the latest record of each), and a stream-table join.  Needs joins.
CREATE TABLE persons AS
  SELECT id, LATEST_BY_OFFSET(name) AS name, LATEST_BY_OFFSET(city) AS city,
         LATEST_BY_OFFSET(state) AS state
  FROM person GROUP BY id;
CREATE STREAM q3 AS
  SELECT a.seller AS seller, p.name AS name, p.city AS city, p.state AS state, a.id AS id
  FROM auction a JOIN persons p ON a.seller = p.id
  WHERE a.category = 10 AND (p.state = 'OR' OR p.state = 'ID' OR p.state = 'CA');
