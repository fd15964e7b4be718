/*
 * check_printer.c: unit tests of the AST printer and comparator (print.c,
 * ast.c).
 *
 * Layer: parse.  For a table of statements covering every construct of the
 * dialect: parse, print, reparse, compare with sl_ast_equal and print
 * again; the canonical text must be a fixed point.  Pins the exact
 * canonical text of a set of statements, the quoting of identifiers and
 * strings, and checks that sl_ast_equal tells apart trees that differ in a
 * single kind, op, flag, string or child (and ignores locations and
 * cosmetic flags).
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/ast.h"
#include "parse/parser.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

static sl_arena_t arena;

static void
setup(void)
{
	sl_arena_init(&arena, 0);
}

static void
teardown(void)
{
	sl_arena_destroy(&arena);
}

static sl_node_t *
parse_at(const char *sql, size_t len, int line)
{
	char *text = malloc(len ? len : 1);
	memcpy(text, sql, len);
	sl_error_t err;
	sl_node_t *n = NULL;
	sl_error_clear(&err);
	int rc = sl_parse_one(text, len, &arena, &n, &err);
	free(text);
	ck_assert_msg(rc == SL_OK, "line %d: \"%.*s\" failed: line %d:%d: %s", line, (int)len, sql,
		      err.line, err.col, err.msg);
	return n;
}

static const char *
print_tree(const sl_node_t *n)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_ast_print(&sb, n);
	char *s = sl_arena_strdup(&arena, sb.data);
	sl_strbuf_free(&sb);
	return s;
}

static const char *
dump(const sl_node_t *n)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_ast_dump(&sb, n);
	char *s = sl_arena_strdup(&arena, sb.data);
	sl_strbuf_free(&sb);
	return s;
}

/*
 * Parses sql, prints it, reparses the printed text, checks the trees are
 * equal and that printing the second tree gives the same text.  Returns the
 * canonical text.
 */
static const char *
round_trip(const char *sql, int line)
{
	sl_node_t *n1 = parse_at(sql, strlen(sql), line);
	const char *p1 = print_tree(n1);
	ck_assert_msg(p1[0] != '\0', "line %d: \"%s\" printed as nothing", line, sql);
	ck_assert_msg(p1[strlen(p1) - 1] != ';', "line %d: printed with a ';': %s", line, p1);
	size_t len = strlen(p1);
	char *text = malloc(len ? len : 1);
	memcpy(text, p1, len);
	sl_error_t err;
	sl_node_t *n2 = NULL;
	sl_error_clear(&err);
	int rc = sl_parse_one(text, len, &arena, &n2, &err);
	free(text);
	ck_assert_msg(rc == SL_OK,
		      "line %d: \"%s\" printed as \"%s\", which does "
		      "not parse: %d:%d: %s",
		      line, sql, p1, err.line, err.col, err.msg);
	ck_assert_msg(sl_ast_equal(n1, n2),
		      "line %d: \"%s\" printed as \"%s\", "
		      "which parses differently:\n  %s\n  %s",
		      line, sql, p1, dump(n1), dump(n2));
	ck_assert_msg(sl_ast_equal(n2, n1),
		      "line %d: sl_ast_equal is not "
		      "symmetric for \"%s\"",
		      line, sql);
	const char *p2 = print_tree(n2);
	ck_assert_msg(strcmp(p1, p2) == 0,
		      "line %d: canonical text is not a fixed "
		      "point:\n  %s\n  %s",
		      line, p1, p2);
	return p1;
}

/* ============================================================ round trip */

static const char *const statements[] = {
	/* CREATE STREAM / TABLE with columns */
	"CREATE STREAM pageviews (viewtime BIGINT, userid VARCHAR, pageid VARCHAR) "
	"WITH (kafka_topic='pageviews', value_format='JSON');",
	"CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='t', format='json')",
	"CREATE TABLE users (id STRING PRIMARY KEY, regionid STRING, gender STRING) "
	"WITH (kafka_topic='users', value_format='DELIMITED', value_delimiter='|')",
	"create or replace source table if not exists t (k int primary key) with "
	"(kafka_topic='t')",
	"CREATE OR REPLACE STREAM s (a INT) WITH (kafka_topic='t')",
	"CREATE SOURCE STREAM s (a INT) WITH (kafka_topic='t')",
	"CREATE STREAM IF NOT EXISTS s (a INT) WITH (kafka_topic='t')",
	"CREATE STREAM s WITH (kafka_topic='t', value_format='AVRO')",
	"CREATE TABLE t (k BIGINT PRIMARY KEY)",
	"CREATE STREAM s (a BOOLEAN, b INT, c INTEGER, d BIGINT, e DOUBLE, f STRING, "
	"g VARCHAR, h BYTES, i TIMESTAMP, j DATE, k TIME)",
	"CREATE STREAM s (a DECIMAL(10, 2), b DECIMAL(38,0))",
	"CREATE STREAM s (a ARRAY<INT>, b MAP<STRING, DOUBLE>, c STRUCT<x INT, y STRING>)",
	"CREATE STREAM s (a ARRAY<ARRAY<MAP<STRING, STRUCT<`in` ARRAY<BYTES>>>>>)",
	"CREATE STREAM s (a STRUCT< >)",
	"CREATE STREAM s (a address, b `Addr`, c `INT`, d `varchar`)",
	"CREATE STREAM s (k STRING KEY, hs ARRAY<STRUCT<key STRING, value BYTES>> "
	"HEADERS, h BYTES HEADER('trace-id')) WITH (kafka_topic='t', format='json')",
	"CREATE STREAM s (`Mixed Case` INT, \"double quoted\" STRING, `a``b` INT)",
	"CREATE STREAM s (key INT KEY, value STRING, emit INT, size2 INT)",
	"CREATE STREAM s (a INT) WITH (partitions=-1, replicas=1.5, wrap_single_value=false, "
	"retention_ms=1e9, 'value_delimiter'='|', timestamp=${ts})",
	"CREATE STREAM s (a INT) WITH (KAFKA_TOPIC='it''s', VALUE_FORMAT='')",
	"CREATE STREAM ${name} (${col} INT) WITH (kafka_topic=${topic})",
	"CREATE STREAM `select` (`from` INT) WITH (kafka_topic='t')",
	"CREATE TABLE t (id INT PRIMARY KEY, nested STRUCT<a STRUCT<b STRUCT<c INT>>>)",
	"CREATE STREAM s (ts TIMESTAMP) WITH (kafka_topic='t', timestamp='ts', "
	"timestamp_format='yyyy-MM-dd''T''HH:mm:ss')",
	/* CREATE ... AS SELECT */
	"CREATE STREAM s2 AS SELECT * FROM s",
	"CREATE STREAM s2 WITH (kafka_topic='s2', partitions=2) AS SELECT a, b FROM s "
	"WHERE a > 0 EMIT CHANGES",
	"CREATE OR REPLACE TABLE t2 AS SELECT k, COUNT(*) AS cnt FROM s GROUP BY k",
	"CREATE TABLE IF NOT EXISTS t2 AS SELECT k, SUM(v) FROM s WINDOW TUMBLING "
	"(SIZE 1 MINUTE) GROUP BY k EMIT CHANGES",
	"CREATE TABLE agg AS SELECT k, LATEST_BY_OFFSET(v) AS v FROM s GROUP BY k",
	"CREATE STREAM enriched AS SELECT p.*, u.gender FROM pageviews p LEFT JOIN "
	"users u ON p.userid = u.id",
	/* INSERT */
	"INSERT INTO sink SELECT * FROM src",
	"INSERT INTO sink WITH (query_id='q1') SELECT a FROM src EMIT CHANGES",
	"INSERT INTO s (a, `B`, rowtime) VALUES (1, 'x''y', NULL)",
	"INSERT INTO s VALUES (1 + 2, ARRAY[1], -3, MAP('a' := 1), STRUCT(x := 1))",
	"INSERT INTO s VALUES ()",
	"INSERT INTO s (k, v) VALUES ('k1', 1.5)",
	"INSERT INTO ${target} (${c}) VALUES (${v})",
	/* DROP, TYPE */
	"DROP STREAM s",
	"DROP TABLE IF EXISTS t DELETE TOPIC",
	"DROP STREAM s DELETE TOPIC",
	"DROP TYPE IF EXISTS address",
	"DROP TYPE address",
	"CREATE TYPE address AS STRUCT<street STRING, zip INT>",
	"CREATE TYPE IF NOT EXISTS ids AS ARRAY<BIGINT>",
	"CREATE TYPE money AS DECIMAL(4, 2)",
	"CREATE TYPE t AS STRUCT< >",
	/* SHOW, DESCRIBE, EXPLAIN */
	"SHOW STREAMS",
	"LIST STREAMS EXTENDED",
	"SHOW TABLES",
	"SHOW TABLES EXTENDED",
	"SHOW QUERIES",
	"SHOW QUERIES EXTENDED",
	"SHOW TOPICS",
	"SHOW ALL TOPICS",
	"LIST ALL TOPICS EXTENDED",
	"SHOW TOPICS EXTENDED",
	"SHOW PROPERTIES",
	"SHOW FUNCTIONS",
	"SHOW VARIABLES",
	"SHOW TYPES",
	"DESCRIBE pageviews",
	"DESCRIBE `PageViews` EXTENDED",
	"DESCRIBE STREAMS",
	"DESCRIBE STREAMS EXTENDED",
	"DESCRIBE TABLES",
	"DESCRIBE TABLES EXTENDED",
	"DESCRIBE FUNCTION substring",
	"DESCRIBE `key`",
	"EXPLAIN CSAS_PAGEVIEWS_0",
	"EXPLAIN SELECT * FROM s EMIT CHANGES",
	"EXPLAIN CREATE STREAM s2 AS SELECT * FROM s",
	/* query control */
	"TERMINATE CSAS_X_1",
	"TERMINATE ALL",
	"PAUSE q1",
	"PAUSE ALL",
	"RESUME `q1`",
	"RESUME ALL",
	/* PRINT */
	"PRINT 'my-topic' FROM BEGINNING INTERVAL 2 LIMIT 10",
	"PRINT pageviews",
	"PRINT `pageviews` SAMPLE 3",
	"PRINT t LIMIT 1",
	"PRINT 'it''s' FROM BEGINNING",
	/* properties, variables, scripts */
	"SET 'auto.offset.reset'='earliest'",
	"SET ${p} = ${v}",
	"SET 'a' = ${v}",
	"UNSET 'auto.offset.reset'",
	"UNSET ${p}",
	"ALTER SYSTEM 'ksql.x'='1'",
	"DEFINE format = 'JSON'",
	"DEFINE v = 'it''s'",
	"UNDEFINE format",
	"RUN SCRIPT '/tmp/my script.sql'",
	/* ALTER */
	"ALTER STREAM s ADD COLUMN a INT, ADD b ARRAY<STRING>",
	"ALTER TABLE t ADD COLUMN c DOUBLE",
	/* ASSERT */
	"ASSERT NOT EXISTS TOPIC 'x' WITH (partitions=1) TIMEOUT 10 SECONDS",
	"ASSERT TOPIC t",
	"ASSERT TOPIC `T` WITH (replicas=3)",
	"ASSERT SCHEMA SUBJECT 'subj' ID 5 TIMEOUT 1 MINUTE",
	"ASSERT NOT EXISTS SCHEMA ID 3",
	"ASSERT SCHEMA SUBJECT s",
	"ASSERT VALUES s (a, b) VALUES (1, 'x')",
	"ASSERT VALUES s VALUES (1)",
	"ASSERT NULL VALUES t (k) KEY (1)",
	"ASSERT STREAM s (a INT KEY, b STRING) WITH (kafka_topic='x')",
	"ASSERT TABLE t",
	/* SELECT: clauses */
	"SELECT a FROM t",
	"SELECT * FROM s EMIT CHANGES",
	"SELECT * FROM s EMIT FINAL",
	"SELECT a, b AS x, c y, *, t.*, s->*, f(a) `Q`, a + 1 AS \"Sum\" FROM t",
	"SELECT s->a->* FROM t",
	"SELECT k, COUNT(*) FROM s WINDOW TUMBLING (SIZE 1 HOUR) WHERE v > 0 GROUP BY k "
	"HAVING COUNT(*) > 1 EMIT FINAL LIMIT 5",
	"SELECT * FROM s PARTITION BY a, b->c EMIT CHANGES",
	"SELECT a, b, COUNT(*) FROM s GROUP BY (a, b)",
	"SELECT * FROM s PARTITION BY (a)",
	"SELECT * FROM s GROUP BY ()",
	"SELECT * FROM s PARTITION BY ()",
	"SELECT a FROM s GROUP BY (a + 1), b",
	"SELECT * FROM s LIMIT 0",
	"SELECT * FROM agg WHERE k = 'x' AND windowstart >= 10",
	"SELECT rowtime, rowpartition, rowoffset, windowstart, windowend FROM s",
	/* windows */
	"SELECT * FROM s WINDOW TUMBLING (SIZE 10 SECONDS, RETENTION 2 DAYS, GRACE "
	"PERIOD 5 MINUTES)",
	"SELECT * FROM s WINDOW TUMBLING (SIZE 10 SECONDS, RETENTION 2 DAYS)",
	"SELECT * FROM s WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 0 SECONDS)",
	"SELECT * FROM s WINDOW HOPPING (SIZE 1 hour, ADVANCE BY 10 minutes)",
	"SELECT * FROM s WINDOW HOPPING (SIZE 1 DAY, ADVANCE BY 1 HOUR, RETENTION 7 "
	"DAYS, GRACE PERIOD 1 MILLISECOND)",
	"SELECT * FROM s WINDOW SESSION (30 SECONDS)",
	"SELECT * FROM s WINDOW SESSION (30 SECONDS, GRACE PERIOD 0 MILLISECONDS)",
	"SELECT * FROM s WINDOW w1 TUMBLING (SIZE 1 SECOND)",
	/* joins */
	"SELECT * FROM a JOIN b WITHIN 10 SECONDS ON a.id = b.id",
	"SELECT * FROM orders AS o LEFT OUTER JOIN shipments s WITHIN (1 HOUR, 2 HOURS) "
	"GRACE PERIOD 5 MINUTES ON o.id = s.oid",
	"SELECT * FROM a INNER JOIN b ON a.k = b.k",
	"SELECT * FROM a RIGHT JOIN b ON a.k = b.k",
	"SELECT * FROM a FULL OUTER JOIN b WITHIN 1 MINUTE GRACE PERIOD 1 SECOND ON "
	"a.k = b.k",
	"SELECT * FROM a JOIN b ON a.k = b.k FULL OUTER JOIN c ON a.k = c.k LEFT JOIN d "
	"ON d.k = c.k",
	"SELECT * FROM t1 JOIN t2 ON t1.fk = t2.id AND t1.x > 1 OR t2.y IS NULL",
	/* expressions: precedence */
	"SELECT a OR b AND c, (a OR b) AND c, NOT a = b, (NOT a) = b FROM t",
	"SELECT a + b * c, (a + b) * c, a - b - c, a - (b - c), a / (b * c) FROM t",
	"SELECT -a * b, -(a * b), - -a, -(-1), +a, - - - a FROM t",
	"SELECT a || b + c, (a || b) + c, a + b || c, a || (b || c) FROM t",
	"SELECT * FROM t WHERE NOT (a AND b) OR NOT NOT c",
	"SELECT * FROM t WHERE a = (NOT b)",
	"SELECT * FROM t WHERE (a = b) = c",
	"SELECT * FROM t WHERE a BETWEEN 1 AND 2 AND b NOT BETWEEN c + 1 AND d * 2",
	"SELECT * FROM t WHERE (a BETWEEN 1 AND 2) = TRUE",
	"SELECT * FROM t WHERE a BETWEEN (b AND c) AND d",
	"SELECT * FROM t WHERE a IN (1, 'x', b + 1) OR b NOT IN (c)",
	"SELECT * FROM t WHERE a LIKE 'x%' AND b NOT LIKE c || '%' ESCAPE '!'",
	"SELECT * FROM t WHERE x IS NULL AND y IS NOT NULL AND (a = b) IS NULL",
	"SELECT * FROM t WHERE a IS DISTINCT FROM b OR a IS NOT DISTINCT FROM b + 1",
	"SELECT * FROM t WHERE NOT a IS NULL",
	"SELECT * FROM t WHERE (a OR b) IN (TRUE)",
	"SELECT a % b, a * b % c, a % (b * c) FROM t",
	"SELECT a < b, a <= b, a > b, a >= b, a <> b, a != b, a = b FROM t",
	/* expressions: postfix and primary */
	"SELECT a[1][2], a->b->c, a[1]->b, (a->b)[1], -a[1], (-a)[1] FROM t",
	"SELECT (a + b)->c, f(x)[0]->y, ARRAY[1, 2][1], m['k'] + 1 FROM t",
	"SELECT ts AT TIME ZONE 'UTC', (ts AT TIME ZONE 'UTC') AT TIME ZONE 'x' FROM t",
	"SELECT -ts AT TIME ZONE 'x', (-ts) AT TIME ZONE 'x' FROM t",
	"SELECT CASE WHEN a > 1 THEN 'big' WHEN a < 0 THEN 'neg' ELSE 'small' END FROM t",
	"SELECT CASE x WHEN 1 THEN 'a' END, CASE WHEN a OR b THEN c AND d END FROM t",
	"SELECT CASE CASE WHEN a THEN b END WHEN c THEN d ELSE e END FROM t",
	"SELECT CAST(a + 1 AS DECIMAL(10, 2)), CAST(x AS ARRAY<VARCHAR>), "
	"CAST(y AS STRUCT<a INT>), CAST(z AS my_type) FROM t",
	"SELECT ARRAY[1, 2, a], ARRAY[], MAP('a' := 1, 'b' := x + 1), MAP() FROM t",
	"SELECT STRUCT(a := 1, `B` := 'x'), STRUCT(), STRUCT(`select` := 1) FROM t",
	"SELECT ARRAY[ARRAY[1], ARRAY[]], MAP(1 := MAP(2 := 3)) FROM t",
	"SELECT COUNT(*), now(), count(DISTINCT x), substring(s, 1, 2), `myUdf`(a) FROM t",
	"SELECT TIMESTAMPADD(SECONDS, 5, ts), timestampsub(milliseconds, 5, ts) FROM t",
	"SELECT TRANSFORM(arr, x => x + 1), REDUCE(arr, 0, (s, x) => s + x) FROM t",
	"SELECT TRANSFORM(m, (k, v) => UCASE(k), (k, v) => v * 2) FROM t",
	"SELECT FILTER(a, (x) => x > 0), FILTER(a, x => x > 0 AND x < 5) FROM t",
	"SELECT TRANSFORM(a, x => TRANSFORM(x, y => y || 'z')) FROM t",
	"SELECT f(x => x, y), f(`X` => `X`) FROM t",
	/* literals */
	"SELECT NULL, TRUE, false, 'abc', '', 'it''s', '''''', '\"`' FROM t",
	"SELECT 42, 007, 1.50, .5, 1., 1e3, 1.5E-3, 2E+10 FROM t",
	"SELECT 'multi\nline', '\xc3\xa9t\xc3\xa9', '--not a comment', '/*x*/' FROM t",
	"SELECT ${my_var}, DATE '2021-01-01', timestamp '2021-01-01T00:00:00', "
	"TIME '10:00' FROM t",
	"SELECT * FROM t WHERE x = ${v} AND y = '${not_a_var}'",
	/* identifiers */
	"select foo, Bar, `Baz`, \"Qux\", `a``b`, \"c\"\"d\" from MyStream",
	"SELECT 1abc, a@b, _x, `1x`, `a b`, ` ` FROM t",
	"SELECT `FROM`, `select`, `Select` FROM `TABLE`",
	"SELECT `caf\xc3\xa9` FROM `t\xc3\xa9`",
	"SELECT key, emit, changes, final, session, map, array, struct, date, time "
	"FROM t",
	"SELECT t.key, key.x, s->emit, s->`select` FROM t",
	"SELECT a AS emit, b AS `window`, c AS `Case`, d AS `END` FROM t AS `key`",
	"SELECT * FROM `emit` AS `window`",
	"SELECT `MAP`(1), `ARRAY`[1], `STRUCT`->x FROM t",
	"SELECT id, type, source, alter, add, header, headers, grace, period, define, "
	"undefine, variables, system, timeout, schema, subject FROM t",
	"SELECT show, tables, column, functions, function, partition, interval, zone, "
	"day, hour, minute, second, explain, types, set, if, primary, escape, replace, "
	"assert FROM t",
	"SELECT * FROM t WHERE key = 1 AND emit > 2 AND session IN (1)",
	"SELECT pause, resume, sample FROM t",
	"SELECT * FROM ${src} WHERE x = ${v}",
};
#define NSTATEMENTS ((int)(sizeof(statements) / sizeof(statements[0])))

START_TEST(test_round_trip)
{
	round_trip(statements[_i], __LINE__);
}
END_TEST

/* A whole script: every statement of the table joined by ';' parses with
 * sl_parse, and its statements print as they do alone. */
START_TEST(test_round_trip_script)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	for (int i = 0; i < NSTATEMENTS; i++) {
		size_t len = strlen(statements[i]);
		sl_strbuf_puts(&sb, statements[i]);
		if (len > 0 && statements[i][len - 1] != ';')
			sl_strbuf_putc(&sb, ';');
		sl_strbuf_puts(&sb, "\n");
	}
	sl_stmt_list_t out;
	sl_error_t err;
	sl_error_clear(&err);
	int rc = sl_parse(sb.data, sb.len, &arena, &out, &err);
	ck_assert_msg(rc == SL_OK, "script failed at %d:%d: %s", err.line, err.col, err.msg);
	ck_assert_int_eq(out.n, NSTATEMENTS);
	for (int i = 0; i < out.n; i++) {
		sl_node_t *alone = parse_at(statements[i], strlen(statements[i]), __LINE__);
		ck_assert_msg(sl_ast_equal(out.items[i].node, alone),
			      "statement %d differs in a script: %s", i, statements[i]);
		ck_assert_str_eq(print_tree(out.items[i].node), print_tree(alone));
	}
	sl_strbuf_free(&sb);
}
END_TEST

/* ============================================================ canonical */

static const struct {
	const char *sql;
	const char *canonical;
} canonical[] = {
	{ "create stream pageviews (viewtime bigint, userid varchar) with "
	  "(kafka_topic='pageviews', value_format='JSON');",
	  "CREATE STREAM PAGEVIEWS (VIEWTIME BIGINT, USERID STRING) WITH "
	  "(KAFKA_TOPIC='pageviews', VALUE_FORMAT='JSON')" },
	{ "CREATE OR REPLACE SOURCE TABLE IF NOT EXISTS t (k INT PRIMARY KEY, v "
	  "DECIMAL(10,2)) WITH (kafka_topic='t', partitions=-1)",
	  "CREATE OR REPLACE SOURCE TABLE IF NOT EXISTS T (K INTEGER PRIMARY KEY, V "
	  "DECIMAL(10, 2)) WITH (KAFKA_TOPIC='t', PARTITIONS=-1)" },
	{ "CREATE STREAM s (k STRING KEY, h BYTES HEADER('x'), hs ARRAY<STRUCT<key "
	  "STRING, value BYTES>> HEADERS)",
	  "CREATE STREAM S (K STRING KEY, H BYTES HEADER('x'), HS "
	  "ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS)" },
	{ "CREATE STREAM s (a map<string, array<int>>, `b c` STRUCT<`x` INT>)",
	  "CREATE STREAM S (A MAP<STRING, ARRAY<INTEGER>>, `b c` STRUCT<`x` INTEGER>)" },
	{ "create table t2 with (kafka_topic='x') as select k, count(*) as n from s "
	  "group by k emit changes",
	  "CREATE TABLE T2 WITH (KAFKA_TOPIC='x') AS SELECT K, COUNT(*) AS N FROM S "
	  "GROUP BY K EMIT CHANGES" },
	{ "insert into s (a, `b`) values (1, 'it''s')",
	  "INSERT INTO S (A, `b`) VALUES (1, 'it''s')" },
	{ "insert into sink select * from src", "INSERT INTO SINK SELECT * FROM SRC" },
	{ "drop table if exists t delete topic", "DROP TABLE IF EXISTS T DELETE TOPIC" },
	{ "create type if not exists addr as struct<street string>",
	  "CREATE TYPE IF NOT EXISTS ADDR AS STRUCT<STREET STRING>" },
	{ "list streams extended", "SHOW STREAMS EXTENDED" },
	{ "list all topics", "SHOW ALL TOPICS" },
	{ "describe function substring", "DESCRIBE FUNCTION SUBSTRING" },
	{ "describe `my stream` extended", "DESCRIBE `my stream` EXTENDED" },
	{ "explain select * from s", "EXPLAIN SELECT * FROM S" },
	{ "terminate all", "TERMINATE ALL" },
	{ "pause csas_x_1", "PAUSE CSAS_X_1" },
	{ "print 'topic' from beginning sample 2 limit 3",
	  "PRINT 'topic' FROM BEGINNING INTERVAL 2 LIMIT 3" },
	{ "print pageviews", "PRINT PAGEVIEWS" },
	{ "run script 'a.sql'", "RUN SCRIPT 'a.sql'" },
	{ "alter stream s add a int, add column b string",
	  "ALTER STREAM S ADD COLUMN A INTEGER, ADD COLUMN B STRING" },
	{ "assert not exists topic 'x' with (partitions=1) timeout 10 seconds",
	  "ASSERT NOT EXISTS TOPIC 'x' WITH (PARTITIONS=1) TIMEOUT 10 SECONDS" },
	{ "assert schema subject 's' id 5", "ASSERT SCHEMA SUBJECT 's' ID 5" },
	{ "assert null values t (k) key (1)", "ASSERT NULL VALUES T (K) KEY (1)" },
	{ "select a, b as x, c y, *, t.*, s->* from t",
	  "SELECT A, B AS X, C AS Y, *, T.*, S->* FROM T" },
	{ "select * from a as x left outer join b y within (1 hour, 2 hours) grace "
	  "period 1 second on x.k = y.k",
	  "SELECT * FROM A X LEFT JOIN B Y WITHIN (1 HOUR, 2 HOURS) GRACE PERIOD 1 "
	  "SECOND ON X.K = Y.K" },
	{ "select * from a join b on a.k = b.k full join c on c.k = a.k",
	  "SELECT * FROM A INNER JOIN B ON A.K = B.K FULL OUTER JOIN C ON C.K = A.K" },
	{ "select k, sum(v) from s window hopping (size 1 hour, advance by 10 "
	  "minutes, retention 1 day, grace period 0 seconds) where v > 0 group by (k) "
	  "having sum(v) > 1 emit final limit 5",
	  "SELECT K, SUM(V) FROM S WINDOW HOPPING (SIZE 1 HOUR, ADVANCE BY 10 MINUTES, "
	  "RETENTION 1 DAY, GRACE PERIOD 0 SECONDS) WHERE V > 0 GROUP BY K HAVING "
	  "SUM(V) > 1 EMIT FINAL LIMIT 5" },
	{ "select * from s window session (5 minutes) partition by a, b",
	  "SELECT * FROM S WINDOW SESSION (5 MINUTES) PARTITION BY A, B" },
	/* parentheses only where precedence needs them */
	{ "select ((a)) + (b * c), (a + b) * c, a - (b - c), (a - b) - c from t",
	  "SELECT A + B * C, (A + B) * C, A - (B - C), A - B - C FROM T" },
	{ "select * from t where (a or b) and not (c or d) or (e and f)",
	  "SELECT * FROM T WHERE (A OR B) AND NOT (C OR D) OR E AND F" },
	{ "select a || (b + c), (a || b) + c, -(-a), - (a * b) from t",
	  "SELECT A || B + C, (A || B) + C, -(-A), -(A * B) FROM T" },
	{ "select * from t where a not between 1 and 2 and b not in (1, 2) and c not "
	  "like 'x' escape '!' and d is not null and e is not distinct from f",
	  "SELECT * FROM T WHERE A NOT BETWEEN 1 AND 2 AND B NOT IN (1, 2) AND C NOT "
	  "LIKE 'x' ESCAPE '!' AND D IS NOT NULL AND E IS NOT DISTINCT FROM F" },
	{ "select a != b, a <> b from t", "SELECT A <> B, A <> B FROM T" },
	{ "select case when a then 1 else 2 end, case x when 1 then 'a' end from t",
	  "SELECT CASE WHEN A THEN 1 ELSE 2 END, CASE X WHEN 1 THEN 'a' END FROM T" },
	{ "select cast(a as varchar), cast(b as int), array[1, 2], map('a' := 1), "
	  "struct(x := 1) from t",
	  "SELECT CAST(A AS STRING), CAST(B AS INTEGER), ARRAY[1, 2], MAP('a' := 1), "
	  "STRUCT(X := 1) FROM T" },
	{ "select transform(a, x => x + 1), reduce(a, 0, (s,x) => s + x), "
	  "filter(a, (x) => x) from t",
	  "SELECT TRANSFORM(A, X => X + 1), REDUCE(A, 0, (S, X) => S + X), "
	  "FILTER(A, X => X) FROM T" },
	{ "select a[1]->b, (a->b)[1], m['k'] from t", "SELECT A[1]->B, A->B[1], M['k'] FROM T" },
	{ "select null, true, false, 1.50, .5, 1e3, 1.5e-3, 'x' from t",
	  "SELECT NULL, TRUE, FALSE, 1.50, .5, 1E3, 1.5E-3, 'x' FROM T" },
	{ "select count(*), count(distinct x), timestampadd(seconds, 1, ts) from t",
	  "SELECT COUNT(*), COUNT(DISTINCT X), TIMESTAMPADD(SECONDS, 1, TS) FROM T" },
	{ "select key, emit, `select`, `Mixed`, `a``b` from `from`",
	  "SELECT KEY, EMIT, `select`, `Mixed`, `a``b` FROM `from`" },
	{ "select date '2021-01-01', ts at time zone 'UTC' from t",
	  "SELECT DATE '2021-01-01', TS AT TIME ZONE 'UTC' FROM T" },
	{ "set 'a'='b'", "SET 'a'='b'" },
	{ "define v = 'x'", "DEFINE V='x'" },
	{ "select ${v} from ${s}", "SELECT ${V} FROM ${S}" },
};
#define NCANONICAL ((int)(sizeof(canonical) / sizeof(canonical[0])))

START_TEST(test_canonical_text)
{
	const char *got = round_trip(canonical[_i].sql, __LINE__);
	ck_assert_msg(strcmp(got, canonical[_i].canonical) == 0,
		      "\"%s\":\n  expected %s\n  got      %s", canonical[_i].sql,
		      canonical[_i].canonical, got);
}
END_TEST

/* ====================================================== names, strings */

static const char *
ident(const char *name)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_ast_print_ident(&sb, name);
	char *s = sl_arena_strdup(&arena, sb.data);
	sl_strbuf_free(&sb);
	return s;
}

static const char *
string_lit(const char *s)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_strbuf_puts(&sb, "x");
	sl_ast_print_string(&sb, s);
	char *r = sl_arena_strdup(&arena, sb.data);
	sl_strbuf_free(&sb);
	return r;
}

START_TEST(test_print_ident)
{
	ck_assert_str_eq(ident("ABC"), "ABC");
	ck_assert_str_eq(ident("A_1@"), "A_1@");
	ck_assert_str_eq(ident("_X"), "_X");
	ck_assert_str_eq(ident("abc"), "`abc`");
	ck_assert_str_eq(ident("Abc"), "`Abc`");
	ck_assert_str_eq(ident("SELECT"), "`SELECT`");
	ck_assert_str_eq(ident("KEY"), "`KEY`");
	ck_assert_str_eq(ident("MAP"), "`MAP`");
	ck_assert_str_eq(ident("ID"), "`ID`");
	ck_assert_str_eq(ident("a`b"), "`a``b`");
	ck_assert_str_eq(ident("``"), "``````");
	ck_assert_str_eq(ident("A B"), "`A B`");
	ck_assert_str_eq(ident("1ABC"), "`1ABC`");
	ck_assert_str_eq(ident("A-B"), "`A-B`");
	ck_assert_str_eq(ident("\"Q\""), "`\"Q\"`");
	ck_assert_str_eq(ident("caf\xc3\xa9"), "`caf\xc3\xa9`");
	/* names that are not keywords here are bare */
	ck_assert_str_eq(ident("INT"), "INT");
	ck_assert_str_eq(ident("ROWTIME"), "ROWTIME");
	ck_assert_str_eq(ident("SELECTED"), "SELECTED");
}
END_TEST

START_TEST(test_print_string)
{
	ck_assert_str_eq(string_lit("abc"), "x'abc'");
	ck_assert_str_eq(string_lit(""), "x''");
	ck_assert_str_eq(string_lit("it's"), "x'it''s'");
	ck_assert_str_eq(string_lit("''"), "x''''''");
	ck_assert_str_eq(string_lit("a\nb"), "x'a\nb'");
	ck_assert_str_eq(string_lit("\"`"), "x'\"`'");
	ck_assert_str_eq(string_lit("${v}"), "x'${v}'");
}
END_TEST

/* Quoting chosen by the printer reads back as the same name. */
START_TEST(test_print_ident_reads_back)
{
	static const char *names[] = { "ABC",         "abc",   "SELECT", "KEY",   "MAP", "a`b",
				       " ",           "1ABC",  "A B",    "EMIT",  "ID",  "WINDOW",
				       "caf\xc3\xa9", "``x``", "INT",    "STRUCT" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT x FROM %s", ident(names[i]));
		sl_node_t *n = parse_at(sql, strlen(sql), __LINE__);
		ck_assert_msg(strcmp(sl_ast_kid(n, 1)->str, names[i]) == 0,
			      "\"%s\" printed as %s reads back as \"%s\"", names[i],
			      ident(names[i]), sl_ast_kid(n, 1)->str);
	}
}
END_TEST

/* ============================================================ equality */

/* A copy of the tree (nodes and child arrays; strings shared). */
static sl_node_t *
clone(const sl_node_t *n)
{
	if (n == NULL)
		return NULL;
	sl_node_t *c = sl_arena_alloc(&arena, sizeof(*c));
	*c = *n;
	if (n->nkids > 0) {
		c->kids = sl_arena_alloc(&arena, sizeof(*c->kids) * (size_t)n->nkids);
		for (int i = 0; i < n->nkids; i++)
			c->kids[i] = clone(n->kids[i]);
	}
	c->capkids = n->nkids;
	return c;
}

/* Collects the nodes of the tree in pre-order. */
static int
collect(sl_node_t *n, sl_node_t **out, int max, int k)
{
	if (n == NULL || k >= max)
		return k;
	out[k++] = n;
	for (int i = 0; i < n->nkids; i++)
		k = collect(n->kids[i], out, max, k);
	return k;
}

static const char *const equality_sources[] = {
	"CREATE OR REPLACE STREAM s (id INT KEY, v STRUCT<a ARRAY<INT>>) WITH "
	"(kafka_topic='t', partitions=2)",
	"SELECT a, b AS x, t.* FROM s AS t LEFT JOIN u WITHIN (1 SECOND, 2 SECONDS) "
	"ON t.k = u.k WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 1 SECOND) WHERE "
	"a NOT IN (1, 2) AND b LIKE 'x' ESCAPE '!' GROUP BY a, b HAVING COUNT(*) > 1 "
	"EMIT CHANGES LIMIT 3",
	"SELECT CASE x WHEN 1 THEN -a ELSE CAST(b AS DECIMAL(3, 1)) END, "
	"TRANSFORM(m, (k, v) => v || 'x'), MAP('a' := ARRAY[1]), STRUCT(f := 1), "
	"s->f[1], DATE '2021-01-01', ts AT TIME ZONE 'UTC', ${v} FROM t",
	"INSERT INTO s (a, b) VALUES (1, NULL)",
	"PRINT 'x' FROM BEGINNING INTERVAL 1 LIMIT 2",
};

START_TEST(test_equal_detects_every_difference)
{
	sl_node_t *orig = parse_at(equality_sources[_i], strlen(equality_sources[_i]), __LINE__);
	sl_node_t *copy = clone(orig);
	ck_assert(sl_ast_equal(orig, copy));
	ck_assert(!sl_ast_equal(orig, NULL));
	ck_assert(!sl_ast_equal(NULL, orig));
	ck_assert(sl_ast_equal(NULL, NULL));

	enum { MAX = 512 };
	sl_node_t *nodes[MAX];
	int n = collect(copy, nodes, MAX, 0);
	ck_assert_int_lt(n, MAX);
	for (int i = 0; i < n; i++) {
		sl_node_t *x = nodes[i];
		sl_node_t saved = *x;

		x->kind = (sl_node_kind_t)((x->kind + 1) % SL_N__COUNT);
		ck_assert_msg(!sl_ast_equal(orig, copy), "kind change of %s not seen",
			      sl_ast_kind_name(saved.kind));
		*x = saved;

		x->op++;
		ck_assert_msg(!sl_ast_equal(orig, copy), "op change of %s not seen",
			      sl_ast_kind_name(x->kind));
		*x = saved;

		static const unsigned flags[] = { SL_F_OR_REPLACE, SL_F_NOT, SL_F_ALL,
						  SL_F_QUOTED,     SL_F_VAR, SL_F_VAR2,
						  SL_F_DISTINCT };
		for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
			x->flags ^= flags[f];
			ck_assert_msg(!sl_ast_equal(orig, copy),
				      "flag 0x%x of %s not "
				      "seen",
				      flags[f], sl_ast_kind_name(x->kind));
			*x = saved;
		}

		x->str = x->str ? "something else" : "a new string";
		ck_assert_msg(!sl_ast_equal(orig, copy), "str change of %s not seen",
			      sl_ast_kind_name(x->kind));
		*x = saved;
		if (saved.str != NULL) {
			x->str = NULL;
			ck_assert(!sl_ast_equal(orig, copy));
			*x = saved;
			/* a different pointer to the same text is the same */
			x->str = sl_arena_strdup(&arena, saved.str);
			ck_assert(sl_ast_equal(orig, copy));
			*x = saved;
		}

		x->str2 = x->str2 ? "something else" : "a new string";
		ck_assert_msg(!sl_ast_equal(orig, copy), "str2 change of %s not seen",
			      sl_ast_kind_name(x->kind));
		*x = saved;

		if (x->nkids > 0) {
			x->nkids--;
			ck_assert_msg(!sl_ast_equal(orig, copy),
				      "a missing child of %s "
				      "not seen",
				      sl_ast_kind_name(x->kind));
			*x = saved;
			for (int k = 0; k < x->nkids; k++) {
				sl_node_t *kid = x->kids[k];
				x->kids[k] = NULL;
				if (kid != NULL)
					ck_assert_msg(!sl_ast_equal(orig, copy),
						      "child %d "
						      "of %s set to NULL not seen",
						      k, sl_ast_kind_name(x->kind));
				x->kids[k] = kid;
			}
		}

		/* locations and cosmetic flags do not count */
		x->loc += 7;
		x->str_loc += 3;
		x->flags ^= SL_F_PAREN;
		ck_assert_msg(sl_ast_equal(orig, copy),
			      "location or parentheses of "
			      "%s made a difference",
			      sl_ast_kind_name(x->kind));
		*x = saved;
		ck_assert(sl_ast_equal(orig, copy));
	}
	ck_assert_int_gt(n, 2);
}
END_TEST

START_TEST(test_equal_on_parsed_variants)
{
	/* pairs that differ in one thing parse to unequal trees */
	static const char *pairs[][2] = {
		{ "SELECT a FROM t", "SELECT b FROM t" },
		{ "SELECT a FROM t", "SELECT `a` FROM t" },
		{ "SELECT t.a FROM t", "SELECT u.a FROM t" },
		{ "SELECT a FROM t", "SELECT t.a FROM t" },
		{ "SELECT a + b FROM t", "SELECT a - b FROM t" },
		{ "SELECT a FROM t WHERE x IN (1)", "SELECT a FROM t WHERE x NOT IN (1)" },
		{ "SELECT a FROM t", "SELECT a FROM t EMIT CHANGES" },
		{ "SELECT a FROM t", "SELECT a, b FROM t" },
		{ "SELECT a FROM t", "SELECT a AS a FROM t" },
		{ "SELECT 1 FROM t", "SELECT 1.0 FROM t" },
		{ "SELECT 1 FROM t", "SELECT '1' FROM t" },
		{ "SELECT 1.5 FROM t", "SELECT 1.50 FROM t" },
		{ "SELECT 'a' FROM t", "SELECT 'A' FROM t" },
		{ "DROP STREAM s", "DROP TABLE s" },
		{ "DROP STREAM s", "DROP STREAM IF EXISTS s" },
		{ "PRINT 'x'", "PRINT x" },
		{ "SET 'a'='b'", "SET 'a'='c'" },
		{ "CREATE STREAM s (a INT KEY)", "CREATE STREAM s (a INT)" },
		{ "CREATE STREAM s (a INT)", "CREATE STREAM s (a BIGINT)" },
		{ "SELECT * FROM a JOIN b ON x", "SELECT * FROM a LEFT JOIN b ON x" },
		{ "SELECT ${a} FROM t", "SELECT a FROM t" },
		{ "SELECT a FROM t WHERE a AND b OR c", "SELECT a FROM t WHERE a AND (b OR c)" },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		sl_node_t *a = parse_at(pairs[i][0], strlen(pairs[i][0]), __LINE__);
		sl_node_t *b = parse_at(pairs[i][1], strlen(pairs[i][1]), __LINE__);
		ck_assert_msg(!sl_ast_equal(a, b), "\"%s\" equals \"%s\"", pairs[i][0],
			      pairs[i][1]);
		ck_assert_msg(!sl_ast_equal(b, a), "\"%s\" equals \"%s\"", pairs[i][1],
			      pairs[i][0]);
	}
	/* and spellings of the same statement parse to equal trees */
	static const char *same[][2] = {
		{ "select a from t", "SELECT A FROM T" },
		{ "SELECT a FROM t", "SELECT (a) FROM t;" },
		{ "SELECT a FROM t WHERE x <> 1", "SELECT a FROM t WHERE x != 1" },
		{ "LIST STREAMS", "SHOW STREAMS" },
		{ "SELECT a b FROM t", "SELECT a AS b FROM t" },
		{ "SELECT * FROM t LEFT OUTER JOIN u ON x", "SELECT * FROM t LEFT JOIN u ON x" },
		{ "SELECT 1e3 FROM t", "SELECT 1E3 FROM t" },
		{ "SELECT * FROM t /* c */ -- d", "SELECT *\nFROM\tt" },
		{ "PRINT t SAMPLE 1", "PRINT t INTERVAL 1" },
		{ "SELECT * FROM t GROUP BY (a, b)", "SELECT * FROM t GROUP BY a, b" },
		{ "CREATE STREAM s (a VARCHAR)", "CREATE STREAM s (a STRING)" },
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		sl_node_t *a = parse_at(same[i][0], strlen(same[i][0]), __LINE__);
		sl_node_t *b = parse_at(same[i][1], strlen(same[i][1]), __LINE__);
		ck_assert_msg(sl_ast_equal(a, b), "\"%s\" differs from \"%s\":\n  %s\n  %s",
			      same[i][0], same[i][1], dump(a), dump(b));
	}
}
END_TEST

START_TEST(test_kind_names_and_dump)
{
	ck_assert_str_eq(sl_ast_kind_name(SL_N_SELECT), "SELECT");
	ck_assert_str_eq(sl_ast_kind_name(SL_N_BINARY), "BINARY");
	ck_assert_str_eq(sl_ast_kind_name(SL_N_CREATE_SOURCE), "CREATE_SOURCE");
	for (int k = 1; k < SL_N__COUNT; k++) {
		const char *s = sl_ast_kind_name((sl_node_kind_t)k);
		ck_assert_msg(s != NULL && strcmp(s, "?") != 0, "kind %d has no name", k);
		for (int j = 1; j < k; j++)
			ck_assert_msg(strcmp(s, sl_ast_kind_name((sl_node_kind_t)j)) != 0,
				      "kinds %d and %d share the name %s", j, k, s);
	}
	ck_assert_str_eq(sl_ast_kind_name(SL_N__COUNT), "?");
	ck_assert_str_eq(sl_ast_kind_name((sl_node_kind_t)-1), "?");

	sl_node_t *n = parse_at("SELECT a + 1 FROM t", 19, __LINE__);
	ck_assert_str_eq(dump(sl_ast_kid(sl_ast_kid(sl_ast_kid(n, 0), 0), 0)),
			 "(BINARY op=3 (COLUMN 'A') (LITERAL op=3 '1'))");
	ck_assert_str_eq(dump(NULL), "nil");
}
END_TEST

static Suite *
printer_suite(void)
{
	Suite *s = suite_create("printer");
	TCase *tc = tcase_create("round_trip");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_round_trip, 0, NSTATEMENTS);
	tcase_add_test(tc, test_round_trip_script);
	suite_add_tcase(s, tc);

	tc = tcase_create("canonical");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_canonical_text, 0, NCANONICAL);
	tcase_add_test(tc, test_print_ident);
	tcase_add_test(tc, test_print_string);
	tcase_add_test(tc, test_print_ident_reads_back);
	suite_add_tcase(s, tc);

	tc = tcase_create("equality");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_equal_detects_every_difference, 0,
			    (int)(sizeof(equality_sources) / sizeof(equality_sources[0])));
	tcase_add_test(tc, test_equal_on_parsed_variants);
	tcase_add_test(tc, test_kind_names_and_dump);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(printer_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
