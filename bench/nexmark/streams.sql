-- The Nexmark sources (/work/shared/nexmark/QUERIES.md): three topics of
-- flat JSON written by bench/gen, event time in the field date_time (ms).
-- bench/run puts this file before each qN.sql.
CREATE STREAM person (id BIGINT, name VARCHAR, email_address VARCHAR,
  credit_card VARCHAR, city VARCHAR, state VARCHAR, date_time BIGINT, extra VARCHAR)
  WITH (kafka_topic='nexmark-person', value_format='JSON', timestamp='date_time');
CREATE STREAM auction (id BIGINT, item_name VARCHAR, description VARCHAR,
  initial_bid BIGINT, reserve BIGINT, date_time BIGINT, expires BIGINT,
  seller BIGINT, category BIGINT, extra VARCHAR)
  WITH (kafka_topic='nexmark-auction', value_format='JSON', timestamp='date_time');
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,
  url VARCHAR, date_time BIGINT, extra VARCHAR)
  WITH (kafka_topic='nexmark-bid', value_format='JSON', timestamp='date_time');
