-- iot.sql: windows over sensor readings.
--
--   sluice --demo iot
--
-- Eight sensors in a warehouse report temperature (degrees Celsius),
-- humidity (percent) and battery level to the topic "readings". This
-- script summarizes each sensor every 30 seconds (count, average, minimum
-- and maximum temperature, lowest battery) once the window is over, keeps
-- the latest reading of each sensor for lookups, and picks out the
-- readings above 45 degrees as they happen. `--demo iot` runs it and
-- starts a generator of readings; then try
--
--   SELECT * FROM sensor_stats EMIT CHANGES;       -- each window, when it closes
--   SELECT * FROM sensor_latest WHERE sensor_id = 'sensor-3';
--   SELECT * FROM overheating EMIT CHANGES;
--
-- Every statement is explained in docs/sql.md; all of it is valid ksqlDB.

SET 'auto.offset.reset' = 'earliest';

-- 1. the readings; event time is the ts column
CREATE STREAM readings (
    sensor_id   VARCHAR KEY,
    ts          BIGINT,
    temperature DOUBLE,
    humidity    DOUBLE,
    battery     INT
) WITH (
    kafka_topic  = 'readings',
    value_format = 'JSON',
    partitions   = 1,
    timestamp    = 'ts'
);

-- 2. per sensor and 30 seconds, emitted once when the window closes
--    (5 seconds of grace for late readings)
CREATE TABLE sensor_stats AS
    SELECT sensor_id,
           COUNT(*)         AS readings,
           ROUND(AVG(temperature), 1) AS avg_temp,
           MIN(temperature) AS min_temp,
           MAX(temperature) AS max_temp,
           MIN(battery)     AS battery
    FROM readings
    WINDOW TUMBLING (SIZE 30 SECONDS, GRACE PERIOD 5 SECONDS)
    GROUP BY sensor_id
    EMIT FINAL;

-- 3. the latest reading of each sensor: a table to look up (pull queries)
CREATE TABLE sensor_latest AS
    SELECT sensor_id,
           LATEST_BY_OFFSET(temperature) AS temperature,
           LATEST_BY_OFFSET(humidity)    AS humidity,
           LATEST_BY_OFFSET(battery)     AS battery,
           COUNT(*)                      AS readings
    FROM readings
    GROUP BY sensor_id
    EMIT CHANGES;

-- 4. readings above 45 degrees, as they arrive
CREATE STREAM overheating AS
    SELECT sensor_id, temperature, humidity
    FROM readings
    WHERE temperature > 45
    EMIT CHANGES;
