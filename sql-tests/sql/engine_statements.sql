-- sluice-test: mode=engine
-- engine_statements: the remaining statement kinds: types, ALTER, read-only
-- sources, DROP ... DELETE TOPIC, session and system properties, the
-- function registry, RUN SCRIPT, and their errors.

-- named types
CREATE TYPE address AS STRUCT<street STRING, zip INT>;
CREATE TYPE IF NOT EXISTS address AS STRUCT<street STRING>;
SHOW TYPES;
CREATE STREAM people (id INT KEY, name STRING, home address)
  WITH (kafka_topic='people', value_format='JSON', partitions=1);
DESCRIBE people;
DROP TYPE no_such_type;
DROP TYPE IF EXISTS no_such_type;
CREATE STREAM bad (id INT KEY, where_ nowhere)
  WITH (kafka_topic='people', value_format='JSON');

-- ALTER adds value columns
ALTER STREAM people ADD COLUMN age INT, ADD COLUMN email STRING;
DESCRIBE people EXTENDED;
ALTER STREAM people ADD COLUMN name STRING;
ALTER TABLE people ADD COLUMN x INT;

-- read-only sources
CREATE SOURCE STREAM audit (id INT KEY, what STRING)
  WITH (kafka_topic='audit', value_format='JSON', partitions=1);
INSERT INTO audit (id, what) VALUES (1, 'x');
DROP STREAM audit DELETE TOPIC;
DROP STREAM audit;
DESCRIBE STREAMS;

-- DROP ... DELETE TOPIC removes the topic too
CREATE STREAM scratch (id INT KEY, v INT)
  WITH (kafka_topic='scratch', value_format='JSON', partitions=1);
DROP STREAM scratch DELETE TOPIC;
PRINT scratch FROM BEGINNING;
DROP TABLE people;

-- properties
SET 'auto.offset.reset' = 'earliest';
SET 'ksql.persistence.wrap.single.values' = 'false';
UNSET 'ksql.persistence.wrap.single.values';
UNSET 'never.set';
ALTER SYSTEM 'commit.interval.ms' = '1000';

-- the function registry
DESCRIBE FUNCTION substring;
DESCRIBE FUNCTION explode;
DESCRIBE FUNCTION no_such_function;
SHOW FUNCTIONS;

-- scripts
RUN SCRIPT '/nonexistent/script.sql';

-- unknown names and bad WITH clauses
DESCRIBE nothing_here;
CREATE STREAM s2 (id INT KEY) WITH (kafka_topic='s2', value_format='JSON', partitions=1, colour='red');
CREATE STREAM s3 (id INT KEY, v INT) WITH (kafka_topic='no_topic', value_format='JSON');
CREATE STREAM s4 (id INT KEY, v INT) WITH (kafka_topic='s4', value_format='AVRO', partitions=1);
CREATE STREAM s5 (id INT KEY, v STRUCT<a INT>) WITH (kafka_topic='s5', value_format='DELIMITED', partitions=1);
CREATE TABLE t1 (id INT KEY, v INT) WITH (kafka_topic='t1', value_format='JSON', partitions=1);
CREATE TABLE t2 (id INT, v INT) WITH (kafka_topic='t2', value_format='JSON', partitions=1);
