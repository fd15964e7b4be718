-- enrich, the join (bench/run, second sluiced, after table.sql, once the
-- table holds every row): each event of the topic events looks its key up
-- in the table and is written to ENRICHED with the row's ATTR.  No
-- timestamp='ts': the records' Kafka timestamps (when gen wrote them) put
-- the table's rows before the events, and the join reads its inputs in
-- timestamp order.
CREATE STREAM IF NOT EXISTS events (k VARCHAR, v BIGINT, ts BIGINT)
  WITH (kafka_topic='events', value_format='JSON');
CREATE STREAM IF NOT EXISTS enriched AS
  SELECT e.k, e.v, e.ts, d.attr FROM events e JOIN dim d ON e.k = d.k;
