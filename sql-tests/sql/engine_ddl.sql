-- sluice-test: mode=engine
-- engine_ddl: streams and tables declared, listed, described and dropped
-- on the engine; the errors DDL gives, with their positions.

-- a stream and a table over new topics (PARTITIONS creates them)
CREATE STREAM pageviews (viewtime BIGINT, userid VARCHAR KEY, pageid STRING)
  WITH (kafka_topic='pageviews', value_format='JSON', partitions=1);
CREATE TABLE users (id STRING PRIMARY KEY, registertime BIGINT, gender STRING)
  WITH (kafka_topic='users', value_format='JSON', partitions=2);

-- formats: KAFKA key by default, DELIMITED values, FORMAT for both
CREATE STREAM csv (k INT KEY, a STRING, b DOUBLE)
  WITH (kafka_topic='csv', value_format='DELIMITED', partitions=1);
CREATE STREAM both_json (k STRING KEY, v BIGINT)
  WITH (kafka_topic='both_json', format='JSON', partitions=1);

SHOW STREAMS;
SHOW TABLES;
DESCRIBE pageviews;
DESCRIBE users;
DESCRIBE csv;
SHOW TOPICS;

-- composite types
CREATE STREAM nested (k STRING KEY, tags ARRAY<STRING>, attrs MAP<STRING, INT>,
  addr STRUCT<street STRING, zip INT>, amount DECIMAL(10, 2))
  WITH (kafka_topic='nested', value_format='JSON', partitions=1);
DESCRIBE nested;

-- a second stream over an existing topic needs no PARTITIONS
CREATE STREAM pageviews2 (viewtime BIGINT, userid VARCHAR KEY, pageid STRING)
  WITH (kafka_topic='pageviews', value_format='JSON');

-- IF NOT EXISTS and OR REPLACE
CREATE STREAM IF NOT EXISTS pageviews (x INT) WITH (kafka_topic='pageviews', value_format='JSON');
CREATE OR REPLACE STREAM pageviews2 (viewtime BIGINT, userid VARCHAR KEY, pageid STRING, extra INT)
  WITH (kafka_topic='pageviews', value_format='JSON');
DESCRIBE pageviews2;

-- rows in
INSERT INTO pageviews (viewtime, userid, pageid) VALUES (1, 'u1', 'p1');
INSERT INTO users (id, registertime, gender) VALUES ('u1', 10, 'F');

-- drops
DROP STREAM pageviews2;
DROP STREAM IF EXISTS pageviews2;
SHOW STREAMS;

-- errors
CREATE STREAM pageviews (a INT) WITH (kafka_topic='pageviews', value_format='JSON');
CREATE STREAM nosuchtopic (a INT) WITH (kafka_topic='nosuchtopic', value_format='JSON');
CREATE STREAM badformat (a INT) WITH (kafka_topic='pageviews', value_format='FOO');
CREATE TABLE nokey (a INT) WITH (kafka_topic='users', value_format='JSON');
CREATE STREAM twice (a INT, a STRING) WITH (kafka_topic='pageviews', value_format='JSON');
DESCRIBE nonesuch;
DROP TABLE nonesuch;
DROP TABLE pageviews;
