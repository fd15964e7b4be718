-- sluice-test: mode=parse
-- parse_create: every form of CREATE STREAM / TABLE / TYPE, printed back in
-- canonical form.  Unquoted names are upper-cased; quoted ones keep case.

-- a stream with a key column and the basic scalar types
CREATE STREAM pageviews (viewtime BIGINT, userid VARCHAR KEY, pageid STRING)
  WITH (kafka_topic='pageviews', value_format='JSON', partitions=1);

-- a table with a primary key
CREATE TABLE users (id STRING PRIMARY KEY, registertime BIGINT, gender STRING, regionid STRING)
  WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON');

-- OR REPLACE, IF NOT EXISTS, SOURCE, and their combinations
CREATE OR REPLACE STREAM s1 (a INT) WITH (kafka_topic='s1', format='JSON');
CREATE STREAM IF NOT EXISTS s2 (a INT) WITH (kafka_topic='s2', format='KAFKA');
CREATE SOURCE STREAM s3 (k STRING KEY, v INT) WITH (kafka_topic='s3', value_format='DELIMITED');
CREATE SOURCE TABLE t3 (k STRING PRIMARY KEY, v INT) WITH (kafka_topic='t3', value_format='JSON');
CREATE OR REPLACE SOURCE TABLE IF NOT EXISTS t4 (k INT PRIMARY KEY) WITH (kafka_topic='t4', format='JSON');
CREATE TABLE IF NOT EXISTS t5 (k BIGINT PRIMARY KEY, v DOUBLE) WITH (kafka_topic='t5', value_format='JSON');

-- no column list: the schema comes from the registry (AVRO, PROTOBUF)
CREATE STREAM inferred WITH (kafka_topic='inferred', value_format='AVRO');
CREATE SOURCE TABLE inferred_t WITH (kafka_topic='inferred_t', format='PROTOBUF');

-- every scalar type
CREATE STREAM scalars (
  b BOOLEAN, i INT, i2 INTEGER, l BIGINT, d DOUBLE, dec DECIMAL(10, 2),
  s STRING, v VARCHAR, bs BYTES, ts TIMESTAMP, dt DATE, tm TIME
) WITH (kafka_topic='scalars', value_format='JSON');

-- nested ARRAY, MAP and STRUCT, and a DECIMAL inside them
CREATE STREAM nested (
  arr ARRAY<INT>,
  arr2 ARRAY<ARRAY<STRING>>,
  m MAP<STRING, DOUBLE>,
  m2 MAP<STRING, ARRAY<DECIMAL(4, 2)>>,
  st STRUCT<name STRING, `Mixed` INT, deep STRUCT<x BIGINT, tags ARRAY<STRING>>>,
  empty STRUCT< >,
  ms MAP<INT, STRUCT<a BOOLEAN>>
) WITH (kafka_topic='nested', value_format='JSON');

-- HEADERS and HEADER('key') columns
CREATE STREAM with_headers (k STRING KEY, h ARRAY<STRUCT<key STRING, value BYTES>> HEADERS, v INT)
  WITH (kafka_topic='wh', value_format='JSON');
CREATE STREAM with_header (k STRING KEY, trace BYTES HEADER('trace-id'), v INT)
  WITH (kafka_topic='wh1', value_format='JSON');

-- quoted identifiers keep their case; a keyword can be a column when quoted
CREATE STREAM `MixedCase` (`lower` INT, `SELECT` STRING, "dq" BIGINT)
  WITH (kafka_topic='mc', value_format='JSON');

-- non-reserved keywords as names
CREATE STREAM key_words (key STRING KEY, type INT, time BIGINT, session INT, source STRING)
  WITH (kafka_topic='kw', value_format='JSON');

-- every WITH property, with string, number and boolean values
CREATE STREAM props (k STRING KEY, v INT, t BIGINT) WITH (
  KAFKA_TOPIC='props', PARTITIONS=4, REPLICAS=1, KEY_FORMAT='KAFKA',
  VALUE_FORMAT='DELIMITED', TIMESTAMP='t', TIMESTAMP_FORMAT='yyyy-MM-dd HH:mm:ss',
  VALUE_DELIMITER='|', KEY_DELIMITER=';', WRAP_SINGLE_VALUE=false, RETENTION_MS=86400000
);
CREATE TABLE windowed (k STRING PRIMARY KEY, n BIGINT)
  WITH (kafka_topic='w', format='JSON', window_type='Tumbling', window_size='1 SECOND');

-- a user-defined type used as a column type
CREATE TYPE address AS STRUCT<street STRING, city STRING, zip INT>;
CREATE TYPE IF NOT EXISTS tags AS ARRAY<STRING>;
CREATE TYPE money AS DECIMAL(12, 2);
CREATE STREAM people (name STRING, home ADDRESS, t TAGS) WITH (kafka_topic='people', value_format='JSON');

-- CREATE ... AS SELECT
CREATE STREAM pv_copy AS SELECT * FROM pageviews EMIT CHANGES;
CREATE STREAM pv_json WITH (kafka_topic='pv_json', value_format='JSON') AS
  SELECT viewtime, userid FROM pageviews;
CREATE OR REPLACE STREAM IF NOT EXISTS pv_filtered AS
  SELECT * FROM pageviews WHERE pageid <> 'home';
CREATE TABLE pv_counts AS SELECT userid, COUNT(*) AS n FROM pageviews GROUP BY userid EMIT CHANGES;
CREATE TABLE IF NOT EXISTS pv_windowed WITH (partitions=2) AS
  SELECT userid, COUNT(*) FROM pageviews WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY userid;
CREATE OR REPLACE TABLE user_copy AS SELECT * FROM users;
