-- fraud.sql: velocity checks on card payments.
--
--   sluice --demo fraud
--
-- A payment processor writes one JSON record per card payment to the topic
-- "payments". A stolen card tends to pay many times in little time, and
-- from several countries: this script counts, for every card, the payments
-- of the last minute (a hopping window that moves every 10 seconds) and
-- keeps the cards that look wrong, and picks out large single payments.
-- `--demo fraud` runs it and starts a generator of payments, with now and
-- then a stolen card; then try
--
--   SELECT * FROM suspicious_cards EMIT CHANGES;   -- cards as they trip
--   SELECT * FROM large_payments EMIT CHANGES;
--   SELECT * FROM suspicious_cards WHERE card_id = 'card-07';
--
-- Every statement is explained in docs/sql.md; all of it is valid ksqlDB.

SET 'auto.offset.reset' = 'earliest';

-- 1. the payments; amounts are exact decimals
CREATE STREAM payments (
    card_id  VARCHAR KEY,
    ts       BIGINT,
    amount   DECIMAL(10, 2),
    merchant VARCHAR,
    country  VARCHAR
) WITH (
    kafka_topic  = 'payments',
    value_format = 'JSON',
    partitions   = 1,
    timestamp    = 'ts'
);

-- 2. velocity: per card, the payments of the last minute, every 10
--    seconds; a card shows up here once it paid five times in a minute or
--    from more than one country
CREATE TABLE suspicious_cards AS
    SELECT card_id,
           COUNT(*)                AS payments,
           SUM(amount)             AS total,
           COUNT_DISTINCT(country) AS countries
    FROM payments
    WINDOW HOPPING (SIZE 60 SECONDS, ADVANCE BY 10 SECONDS)
    GROUP BY card_id
    HAVING COUNT(*) >= 5 OR COUNT_DISTINCT(country) > 1
    EMIT CHANGES;

-- 3. single payments of 1000 or more
CREATE STREAM large_payments AS
    SELECT card_id, amount, merchant, country
    FROM payments
    WHERE amount >= 1000
    EMIT CHANGES;
