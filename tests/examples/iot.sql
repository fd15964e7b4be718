-- iot.sql: what examples/iot.sql and its generator give
-- (tests/shell_transcripts.sh runs it after --demo iot --demo-events 200).
-- every sensor's first window, once closed
SELECT * FROM sensor_stats EMIT CHANGES LIMIT 8;
SELECT * FROM sensor_latest WHERE sensor_id = 'sensor-3';
SELECT * FROM overheating EMIT CHANGES LIMIT 3;
