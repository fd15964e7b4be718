-- sluice-test: mode=parse
-- parse_statements: every statement that is not CREATE or a bare query.

-- INSERT INTO ... SELECT and INSERT INTO ... VALUES
INSERT INTO pv_copy SELECT * FROM pageviews;
INSERT INTO pv_copy WITH (query_id='INSERTQUERY_1') SELECT * FROM pageviews EMIT CHANGES;
INSERT INTO pageviews (viewtime, userid, pageid) VALUES (1, 'u1', 'home');
INSERT INTO pageviews VALUES (2, 'u2', NULL);
INSERT INTO nested (arr, m, st) VALUES (ARRAY[1, 2], MAP('a' := 1.5), STRUCT(name := 'x'));

-- DROP forms
DROP STREAM pageviews;
DROP TABLE users;
DROP STREAM IF EXISTS pageviews;
DROP TABLE IF EXISTS users DELETE TOPIC;
DROP STREAM s1 DELETE TOPIC;
DROP TYPE address;
DROP TYPE IF EXISTS tags;

-- SHOW and LIST, every kind, EXTENDED where it applies
SHOW STREAMS;
LIST STREAMS EXTENDED;
SHOW TABLES;
SHOW TABLES EXTENDED;
SHOW QUERIES;
LIST QUERIES EXTENDED;
SHOW TOPICS;
SHOW ALL TOPICS;
SHOW TOPICS EXTENDED;
LIST ALL TOPICS EXTENDED;
SHOW PROPERTIES;
SHOW FUNCTIONS;
LIST FUNCTIONS;
SHOW VARIABLES;
LIST VARIABLES;
SHOW TYPES;
list types;

-- DESCRIBE
DESCRIBE pageviews;
DESCRIBE pageviews EXTENDED;
DESCRIBE `MixedCase`;
DESCRIBE STREAMS;
DESCRIBE STREAMS EXTENDED;
DESCRIBE TABLES;
DESCRIBE TABLES EXTENDED;
DESCRIBE FUNCTION substring;
DESCRIBE FUNCTION COUNT;

-- EXPLAIN a query id or a statement
EXPLAIN CSAS_PV_COPY_1;
EXPLAIN SELECT * FROM pageviews EMIT CHANGES;
EXPLAIN CREATE STREAM x AS SELECT * FROM pageviews;

-- TERMINATE, PAUSE, RESUME
TERMINATE CSAS_PV_COPY_1;
TERMINATE ALL;
PAUSE CTAS_PV_COUNTS_3;
PAUSE ALL;
RESUME CTAS_PV_COUNTS_3;
RESUME ALL;

-- PRINT a topic: identifier or string, FROM BEGINNING, INTERVAL, LIMIT
PRINT pageviews;
PRINT 'pageviews' FROM BEGINNING;
PRINT `Mixed_Topic` FROM BEGINNING INTERVAL 2 LIMIT 10;
PRINT 'my-topic' INTERVAL 5;
PRINT pageviews LIMIT 1;

-- SET and UNSET session properties, ALTER SYSTEM
SET 'auto.offset.reset'='earliest';
SET 'ksql.streams.cache.max.bytes.buffering' = '0';
UNSET 'auto.offset.reset';
ALTER SYSTEM 'ksql.persistent.prefix'='query_';

-- DEFINE, UNDEFINE, and ${var} in names and values
DEFINE topic_name = 'orders';
DEFINE format='JSON';
UNDEFINE topic_name;
CREATE STREAM ${stream_name} (id INT) WITH (kafka_topic='${topic_name}', value_format=${format});
SELECT * FROM ${stream_name} WHERE id = ${min_id};
INSERT INTO ${stream_name} VALUES (${min_id});
DROP STREAM ${stream_name};

-- RUN SCRIPT
RUN SCRIPT '/tmp/setup.sql';

-- ALTER STREAM / TABLE ADD [COLUMN]
ALTER STREAM pageviews ADD COLUMN referrer STRING;
ALTER TABLE users ADD COLUMN age INT, ADD COLUMN tags ARRAY<STRING>;
ALTER STREAM pageviews ADD extra MAP<STRING, INT>;

-- ASSERT forms (ksqlDB's migration tool)
ASSERT TOPIC pageviews;
ASSERT TOPIC 'page-views' WITH (partitions=1, replicas=1) TIMEOUT 10 SECONDS;
ASSERT NOT EXISTS TOPIC gone_topic;
ASSERT SCHEMA SUBJECT 'pageviews-value';
ASSERT SCHEMA ID 42 TIMEOUT 1 MINUTE;
ASSERT NOT EXISTS SCHEMA SUBJECT 'old-value' ID 7;
ASSERT VALUES pageviews (viewtime, userid) VALUES (1, 'u1');
ASSERT NULL VALUES users (id) KEY ('u1');
ASSERT STREAM pageviews (viewtime BIGINT, userid STRING KEY) WITH (kafka_topic='pageviews', value_format='JSON');
ASSERT TABLE users (id STRING PRIMARY KEY) WITH (kafka_topic='users', value_format='JSON');
