-- enrich, the table (bench/run, first sluiced): the rows of the topic
-- dimsrc, {"k","v","ts"} as bench/gen -w events --distinct writes them,
-- one per key, as a table keyed by k whose ATTR is the row's v.  IF NOT
-- EXISTS: the second sluiced runs these statements again on the same
-- state directory, where they already exist.
CREATE STREAM IF NOT EXISTS dimsrc (k VARCHAR, v BIGINT, ts BIGINT)
  WITH (kafka_topic='dimsrc', value_format='JSON');
CREATE TABLE IF NOT EXISTS dim AS SELECT k, LATEST_BY_OFFSET(v) AS attr FROM dimsrc GROUP BY k;
