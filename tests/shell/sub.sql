-- sub.sql: run by basic.sql
SELECT customer FROM orders WHERE id = 1;
