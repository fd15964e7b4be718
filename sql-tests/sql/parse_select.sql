-- sluice-test: mode=parse
-- parse_select: the clauses of a query, in ksqlDB's order:
-- SELECT .. FROM .. [JOIN ..] [WINDOW] [WHERE] [GROUP BY] [PARTITION BY]
-- [HAVING] [EMIT CHANGES|FINAL] [LIMIT n]

-- projection: *, columns, expressions, aliases with and without AS
SELECT * FROM pageviews;
SELECT userid, pageid FROM pageviews;
SELECT userid AS u, pageid p, viewtime + 1 AS next FROM pageviews;
SELECT `userid` AS `MixedAlias` FROM `pageviews`;

-- qualified columns and a.* with source aliases
SELECT pv.userid, pv.* FROM pageviews pv;
SELECT pv.userid, u.* FROM pageviews AS pv JOIN users AS u ON pv.userid = u.id;

-- struct field access and struct->*
SELECT address->city, address->street AS street, address->* FROM people;
SELECT p.address->zip FROM people p;

-- pseudo-columns
SELECT ROWTIME, ROWPARTITION, ROWOFFSET, userid FROM pageviews;

-- joins: every kind, with and without OUTER
SELECT * FROM a JOIN b ON a.id = b.id;
SELECT * FROM a INNER JOIN b ON a.id = b.id;
SELECT * FROM a LEFT JOIN b ON a.id = b.id;
SELECT * FROM a LEFT OUTER JOIN b ON a.id = b.id;
SELECT * FROM a RIGHT JOIN b ON a.id = b.id;
SELECT * FROM a RIGHT OUTER JOIN b ON a.id = b.id;
SELECT * FROM a FULL JOIN b ON a.id = b.id;
SELECT * FROM a FULL OUTER JOIN b ON a.id = b.id;

-- stream-stream joins: WITHIN a size, or (before, after), and GRACE PERIOD
SELECT * FROM orders o JOIN shipments s WITHIN 1 HOUR ON o.id = s.order_id;
SELECT * FROM orders o LEFT JOIN shipments s WITHIN (10 SECONDS, 2 MINUTES) ON o.id = s.order_id;
SELECT * FROM orders o FULL OUTER JOIN shipments s WITHIN 1 DAY GRACE PERIOD 12 HOURS ON o.id = s.order_id;
SELECT * FROM orders o JOIN shipments s WITHIN (0 MILLISECONDS, 500 MILLISECONDS) GRACE PERIOD 1 SECOND ON o.id = s.order_id;

-- an N-way join
SELECT o.id, c.name, p.title
  FROM orders o
  JOIN customers c ON o.customer_id = c.id
  LEFT JOIN products p ON o.product_id = p.id
  EMIT CHANGES;

-- windows: TUMBLING, HOPPING and SESSION, with RETENTION and GRACE PERIOD
SELECT userid, COUNT(*) FROM pageviews WINDOW TUMBLING (SIZE 30 SECONDS) GROUP BY userid EMIT CHANGES;
SELECT userid, COUNT(*) FROM pageviews
  WINDOW TUMBLING (SIZE 1 MINUTE, RETENTION 7 DAYS, GRACE PERIOD 10 MINUTES) GROUP BY userid;
SELECT userid, COUNT(*) FROM pageviews
  WINDOW HOPPING (SIZE 1 HOUR, ADVANCE BY 10 MINUTES) GROUP BY userid;
SELECT userid, COUNT(*) FROM pageviews
  WINDOW HOPPING (SIZE 1 HOUR, ADVANCE BY 10 MINUTES, RETENTION 2 DAYS) GROUP BY userid;
SELECT userid, COUNT(*) FROM pageviews
  WINDOW HOPPING (SIZE 1 HOUR, ADVANCE BY 10 MINUTES, GRACE PERIOD 0 SECONDS) GROUP BY userid;
SELECT userid, COUNT(*) FROM pageviews WINDOW SESSION (5 MINUTES) GROUP BY userid;
SELECT userid, COUNT(*) FROM pageviews
  WINDOW SESSION (30 SECONDS, RETENTION 1 HOUR, GRACE PERIOD 5 SECONDS) GROUP BY userid;
SELECT userid, WINDOWSTART, WINDOWEND, COUNT(*) FROM pageviews
  WINDOW TUMBLING (SIZE 100 MILLISECONDS) GROUP BY userid EMIT FINAL;

-- WHERE, GROUP BY (one or several expressions), HAVING
SELECT * FROM pageviews WHERE userid = 'u1' AND viewtime > 1000;
SELECT regionid, gender, COUNT(*) AS n FROM users GROUP BY regionid, gender HAVING COUNT(*) > 1;
SELECT SUBSTRING(userid, 1, 2), SUM(viewtime) FROM pageviews GROUP BY SUBSTRING(userid, 1, 2);

-- PARTITION BY one or several expressions
SELECT * FROM pageviews PARTITION BY pageid;
SELECT * FROM pageviews PARTITION BY pageid, userid EMIT CHANGES;
SELECT * FROM pageviews PARTITION BY UCASE(pageid);

-- EMIT CHANGES, EMIT FINAL, LIMIT
SELECT * FROM pageviews EMIT CHANGES;
SELECT * FROM pageviews EMIT CHANGES LIMIT 10;
SELECT * FROM users WHERE id = 'u1';
SELECT * FROM users LIMIT 3;

-- every clause at once
SELECT pv.userid AS u, COUNT(*) AS n
  FROM pageviews pv
  LEFT JOIN users us ON pv.userid = us.id
  WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 1 SECOND)
  WHERE us.regionid IS NOT NULL
  GROUP BY pv.userid
  HAVING COUNT(*) >= 2
  EMIT CHANGES
  LIMIT 100;

-- keywords are case-insensitive; the canonical form upper-cases them
select userid from pageviews where pageid = 'x' emit changes;

-- beyond ksqlDB: ORDER BY and OFFSET (pull queries)
SELECT a, b AS bee FROM t WHERE a > 1 ORDER BY bee DESC, a ASC, LCASE(c) LIMIT 10 OFFSET 5;
SELECT * FROM t ORDER BY a OFFSET 2;
