-- fraud.sql: what examples/fraud.sql and its generator give
-- (tests/shell_transcripts.sh runs it after --demo fraud --demo-events 200).
-- cards that paid five times in a minute, or from several countries
SELECT card_id, WINDOWSTART, payments, total, countries FROM suspicious_cards
  WHERE WINDOWSTART = 1714557600000 ORDER BY card_id;
SELECT * FROM suspicious_cards EMIT CHANGES LIMIT 4;
SELECT * FROM large_payments EMIT CHANGES LIMIT 4;
