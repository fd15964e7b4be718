/*
 * check_tquery.c: unit tests of the engine's transient queries (push and
 * pull) and of what the HTTP API asks of the engine besides statements.
 *
 * Layer: engine.  Real components: an engine in test mode on the embedded
 * Kafka (librdkafka's mock cluster), SQLite files in a temporary state
 * directory.  Pull queries on aggregated, windowed and source tables (key
 * lookups, IN, ranges, window bounds, ORDER BY, OFFSET, LIMIT), scans of
 * streams, ksqlDB's pull-query errors, push queries from the start and
 * from now (attached to the query writing their source), /close-query,
 * a slow subscriber dropped at its buffer bound, the inserter and the
 * metrics.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "util/strbuf.h"

static sl_engine_t *eng;
static sl_session_t *ses;

static void
exec_ok(const char *sql)
{
	cJSON *r = cJSON_CreateArray();
	sl_exec_error_t e;
	sl_exec_error_init(&e);
	int rc = sl_engine_execute(eng, ses, sql, strlen(sql), r, &e);
	ck_assert_msg(rc == SL_OK, "%s: %s", sql, e.err.msg);
	sl_exec_error_clear(&e);
	cJSON_Delete(r);
}

static void
quiesce(void)
{
	sl_error_t err;
	ck_assert_msg(sl_engine_quiesce(eng, 20000, &err) == SL_OK, "%s", err.msg);
}

static void
collect(void *ctx, const char *json, size_t len, bool tombstone)
{
	sl_strbuf_t *sb = ctx;
	if (tombstone)
		sl_strbuf_putc(sb, '!');
	sl_strbuf_append(sb, json, len);
	sl_strbuf_putc(sb, '\n');
}

/* Runs sql and returns every row ("[..]\n" each) once the query is over
 * (push queries need a LIMIT); *state gets how it ended.  props may be
 * NULL.  between() runs once after the query started. */
static char *
query(const char *sql, const sl_props_t *props, sl_tq_state_t *state, char **schema,
      void (*between)(void))
{
	sl_tquery_t *t;
	sl_exec_error_t e;
	sl_strbuf_t rows;

	sl_exec_error_init(&e);
	int rc = sl_engine_query(eng, ses, sql, strlen(sql), props, &t, &e);
	ck_assert_msg(rc == SL_OK, "%s: %s", sql, e.err.msg);
	sl_exec_error_clear(&e);
	if (schema != NULL)
		*schema = strdup(sl_tquery_schema(t));
	if (between != NULL)
		between();
	sl_strbuf_init(&rows);
	sl_strbuf_puts(&rows, "");
	sl_tq_state_t st = SL_TQ_RUNNING;
	for (int i = 0; i < 200 && st == SL_TQ_RUNNING; i++) {
		st = sl_tquery_take(t, collect, &rows, 0);
		if (st == SL_TQ_RUNNING)
			usleep(50 * 1000);
	}
	if (state != NULL)
		*state = st;
	sl_tquery_close(t);
	return sl_strbuf_steal(&rows);
}

/* The error of sql as a query ("L:C message"), which must fail. */
static char *
query_error(const char *sql, int *status)
{
	sl_tquery_t *t = NULL;
	sl_exec_error_t e;
	char buf[SL_ERROR_MSG_MAX + 32];

	sl_exec_error_init(&e);
	int rc = sl_engine_query(eng, ses, sql, strlen(sql), NULL, &t, &e);
	ck_assert_msg(rc != SL_OK, "%s should fail", sql);
	snprintf(buf, sizeof(buf), "%d:%d %s", e.err.line, e.err.col, e.err.msg);
	if (status != NULL)
		*status = e.http_status;
	sl_exec_error_clear(&e);
	return strdup(buf);
}

static void
setup(void)
{
	sl_props_t p;
	sl_error_t err;

	sl_props_init(&p);
	sl_engine_config_t cfg = {.props = &p, .test_mode = true};
	ck_assert_msg(sl_engine_create(&cfg, &eng, &err) == SL_OK, "%s", err.msg);
	sl_props_free(&p);
	ses = sl_session_create(eng);
	exec_ok("CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='s', "
		"value_format='JSON', partitions=2);"
		"CREATE TABLE T AS SELECT K, COUNT(*) AS C, SUM(V) AS SV FROM S GROUP BY K;"
		"CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S "
		"WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;"
		"INSERT INTO S (ROWTIME, K, V) VALUES (1000, 'a', 1);"
		"INSERT INTO S (ROWTIME, K, V) VALUES (1500, 'b', 2);"
		"INSERT INTO S (ROWTIME, K, V) VALUES (2500, 'a', 3);"
		"INSERT INTO S (ROWTIME, K, V) VALUES (2600, 'c', 10);");
	quiesce();
}

static void
teardown(void)
{
	sl_session_destroy(ses);
	sl_engine_destroy(eng);
}

START_TEST(test_pull_key_lookup)
{
	char *schema;
	char *rows = query("SELECT * FROM T WHERE K = 'a';", NULL, NULL, &schema, NULL);
	ck_assert_str_eq(schema, "`K` STRING KEY, `C` BIGINT, `SV` INTEGER");
	ck_assert_str_eq(rows, "[\"a\",2,4]\n");
	free(rows);
	free(schema);
	rows = query("SELECT K, SV FROM T WHERE K = 'missing';", NULL, NULL, NULL, NULL);
	ck_assert_str_eq(rows, "");
	free(rows);
}
END_TEST

START_TEST(test_pull_predicates)
{
	/* IN on the key, OR with a value column, BETWEEN, LIKE */
	char *rows = query("SELECT K FROM T WHERE K IN ('a', 'c', 'x') ORDER BY K;", NULL, NULL,
			   NULL, NULL);
	ck_assert_str_eq(rows, "[\"a\"]\n[\"c\"]\n");
	free(rows);
	rows = query("SELECT K FROM T WHERE K = 'b' OR SV > 5 ORDER BY K;", NULL, NULL, NULL,
		     NULL);
	ck_assert_str_eq(rows, "[\"b\"]\n[\"c\"]\n");
	free(rows);
	rows = query("SELECT K, SV FROM T WHERE K BETWEEN 'a' AND 'b' ORDER BY K DESC;", NULL,
		     NULL, NULL, NULL);
	ck_assert_str_eq(rows, "[\"b\",2]\n[\"a\",4]\n");
	free(rows);
	rows = query("SELECT K FROM T WHERE K LIKE '%c' OR K > 'b';", NULL, NULL, NULL, NULL);
	ck_assert_str_eq(rows, "[\"c\"]\n");
	free(rows);
}
END_TEST

START_TEST(test_pull_order_offset_limit)
{
	char *rows = query("SELECT K, SV FROM T ORDER BY SV DESC LIMIT 2;", NULL, NULL, NULL, NULL);
	ck_assert_str_eq(rows, "[\"c\",10]\n[\"a\",4]\n");
	free(rows);
	rows = query("SELECT K FROM T ORDER BY K OFFSET 1;", NULL, NULL, NULL, NULL);
	ck_assert_str_eq(rows, "[\"b\"]\n[\"c\"]\n");
	free(rows);
	rows = query("SELECT K FROM T ORDER BY K LIMIT 1 OFFSET 2;", NULL, NULL, NULL, NULL);
	ck_assert_str_eq(rows, "[\"c\"]\n");
	free(rows);
}
END_TEST

START_TEST(test_pull_windowed)
{
	char *schema;
	char *rows = query("SELECT * FROM W WHERE K = 'a' ORDER BY WINDOWSTART;", NULL, NULL,
			   &schema, NULL);
	ck_assert_str_eq(schema, "`K` STRING KEY, `WINDOWSTART` BIGINT KEY, "
				 "`WINDOWEND` BIGINT KEY, `C` BIGINT");
	ck_assert_str_eq(rows, "[\"a\",1000,2000,1]\n[\"a\",2000,3000,1]\n");
	free(rows);
	free(schema);
	rows = query("SELECT K, C FROM W WHERE WINDOWSTART >= 2000 ORDER BY K;", NULL, NULL, NULL,
		     NULL);
	ck_assert_str_eq(rows, "[\"a\",1]\n[\"c\",1]\n");
	free(rows);
}
END_TEST

START_TEST(test_pull_stream_scan)
{
	sl_tq_state_t st;
	char *rows = query("SELECT K, V FROM S WHERE V > 1;", NULL, &st, NULL, NULL);
	ck_assert_int_eq(st, SL_TQ_DONE);
	/* two partitions: each in order, the two in any order */
	ck_assert_int_eq((int)strlen(rows), (int)strlen("[\"b\",2]\n[\"a\",3]\n[\"c\",10]\n"));
	ck_assert_ptr_nonnull(strstr(rows, "[\"b\",2]\n"));
	ck_assert_ptr_nonnull(strstr(rows, "[\"a\",3]\n"));
	ck_assert_ptr_nonnull(strstr(rows, "[\"c\",10]\n"));
	free(rows);
	char *e = query_error("SELECT K FROM S ORDER BY K;", NULL);
	ck_assert_msg(strstr(e, "ORDER BY") != NULL, "%s", e);
	free(e);
}
END_TEST

START_TEST(test_pull_errors)
{
	int status;
	char *e = query_error("SELECT * FROM T GROUP BY K;", &status);
	ck_assert_msg(strstr(e, "1:26 Pull queries don't support GROUP BY clauses.") == e, "%s", e);
	ck_assert_int_eq(status, 400);
	free(e);
	e = query_error("SELECT ROWPARTITION FROM T;", NULL);
	ck_assert_str_eq(e, "1:8 Pull queries don't support the following columns in SELECT "
			    "clauses: `ROWPARTITION`");
	free(e);
	exec_ok("CREATE TABLE PLAIN (ID INT PRIMARY KEY, X INT) WITH (kafka_topic='p', "
		"value_format='JSON', partitions=1);");
	e = query_error("SELECT * FROM PLAIN;", NULL);
	ck_assert_msg(strstr(e, "The `PLAIN` table isn't queryable.") != NULL, "%s", e);
	free(e);
	e = query_error("SELECT * FROM T WHERE NOPE = 1;", NULL);
	ck_assert_msg(strncmp(e, "1:23 ", 5) == 0, "%s", e);
	free(e);
	e = query_error("SELECT * FROM S ORDER BY K EMIT CHANGES;", NULL);
	ck_assert_msg(strstr(e, "ORDER BY and OFFSET are only for pull queries") != NULL, "%s", e);
	free(e);
}
END_TEST

START_TEST(test_pull_source_table)
{
	exec_ok("CREATE SOURCE TABLE U (ID INT PRIMARY KEY, NAME STRING) WITH (kafka_topic='u', "
		"value_format='JSON', partitions=1);");
	/* a source table is read-only: write its topic through a stream on it */
	exec_ok("CREATE STREAM UW (ID INT KEY, NAME STRING) WITH (kafka_topic='u', "
		"value_format='JSON');"
		"INSERT INTO UW (ID, NAME) VALUES (1, 'ann');"
		"INSERT INTO UW (ID, NAME) VALUES (2, 'bob');"
		"INSERT INTO UW (ID, NAME) VALUES (1, 'anne');");
	quiesce();
	char *rows = query("SELECT * FROM U ORDER BY ID;", NULL, NULL, NULL, NULL);
	ck_assert_str_eq(rows, "[1,\"anne\"]\n[2,\"bob\"]\n");
	free(rows);
}
END_TEST

START_TEST(test_push_earliest_limit)
{
	sl_props_t p;
	sl_tq_state_t st;
	char *schema;

	sl_props_init(&p);
	sl_props_set(&p, "auto.offset.reset", "earliest");
	char *rows = query("SELECT K, V * 2 AS D FROM S WHERE V < 5 EMIT CHANGES LIMIT 3;", &p, &st,
			   &schema, NULL);
	ck_assert_int_eq(st, SL_TQ_LIMIT);
	ck_assert_str_eq(schema, "`K` STRING, `D` INTEGER");
	/* two partitions: the order across keys is not fixed */
	ck_assert_int_eq((int)strlen(rows), (int)strlen("[\"a\",2]\n[\"b\",4]\n[\"a\",6]\n"));
	ck_assert_ptr_nonnull(strstr(rows, "[\"b\",4]\n"));
	char *a2 = strstr(rows, "[\"a\",2]\n"), *a6 = strstr(rows, "[\"a\",6]\n");
	ck_assert_msg(a2 != NULL && a6 != NULL && a2 < a6, "%s", rows);
	free(rows);
	free(schema);
	rows = query("SELECT K, COUNT(*) AS N FROM S GROUP BY K EMIT CHANGES LIMIT 4;", &p, &st,
		     NULL, NULL);
	ck_assert_int_eq(st, SL_TQ_LIMIT);
	ck_assert_ptr_nonnull(strstr(rows, "[\"a\",2]\n"));
	free(rows);
	/* a push query need not show its key, nor what it groups by */
	rows = query("SELECT COUNT(*) AS N FROM S GROUP BY K EMIT CHANGES LIMIT 4;", &p, &st,
		     &schema, NULL);
	ck_assert_str_eq(schema, "`N` BIGINT");
	ck_assert_ptr_nonnull(strstr(rows, "[2]\n"));
	free(rows);
	free(schema);
	rows = query("SELECT V FROM S WHERE K = 'c' EMIT CHANGES LIMIT 1;", &p, &st, &schema, NULL);
	ck_assert_str_eq(schema, "`V` INTEGER");
	ck_assert_str_eq(rows, "[10]\n");
	free(rows);
	free(schema);
	sl_props_free(&p);
}
END_TEST

static void
insert_more(void)
{
	exec_ok("INSERT INTO S (ROWTIME, K, V) VALUES (3000, 'a', 100);"
		"INSERT INTO S (ROWTIME, K, V) VALUES (3100, 'd', 7);");
	quiesce();
}

START_TEST(test_push_attached_from_now)
{
	sl_tq_state_t st;
	/* the table's writer feeds the push query: only changes from now */
	char *rows = query("SELECT K, SV FROM T EMIT CHANGES LIMIT 2;", NULL, &st, NULL,
			   insert_more);
	ck_assert_int_eq(st, SL_TQ_LIMIT);
	/* two partitions: either order */
	ck_assert_msg(strcmp(rows, "[\"a\",104]\n[\"d\",7]\n") == 0 ||
			      strcmp(rows, "[\"d\",7]\n[\"a\",104]\n") == 0,
		      "%s", rows);
	free(rows);
	ck_assert_int_eq(sl_engine_push_queries(eng), 0);
	/* on a stream no query writes, a shared tap feeds it */
	rows = query("SELECT V FROM S WHERE V > 5 EMIT CHANGES LIMIT 2;", NULL, &st, NULL,
		     insert_more);
	ck_assert_int_eq(st, SL_TQ_LIMIT);
	ck_assert_msg(strcmp(rows, "[100]\n[7]\n") == 0 || strcmp(rows, "[7]\n[100]\n") == 0,
		      "%s", rows);
	free(rows);
}
END_TEST

START_TEST(test_push_close_and_drop)
{
	sl_tquery_t *t;
	sl_exec_error_t e;
	sl_strbuf_t rows;
	const char *sql = "SELECT * FROM T EMIT CHANGES;";

	sl_exec_error_init(&e);
	ck_assert_int_eq(sl_engine_query(eng, ses, sql, strlen(sql), NULL, &t, &e), SL_OK);
	ck_assert_int_eq(sl_engine_push_queries(eng), 1);
	ck_assert(sl_engine_close_query(eng, sl_tquery_id(t)));
	ck_assert(!sl_engine_close_query(eng, "no_such_query"));
	sl_strbuf_init(&rows);
	ck_assert_int_eq(sl_tquery_take(t, collect, &rows, 0), SL_TQ_CLOSED);
	sl_tquery_close(t);
	ck_assert_int_eq(sl_engine_push_queries(eng), 0);

	sl_strbuf_free(&rows);
	sl_exec_error_clear(&e);
}
END_TEST

START_TEST(test_push_slow_subscriber)
{
	sl_props_t p;
	sl_error_t err;
	sl_tquery_t *t;
	sl_exec_error_t e;
	sl_strbuf_t rows;
	const char *sql = "SELECT * FROM S EMIT CHANGES;";

	/* a second engine with a tiny push buffer */
	teardown();
	sl_props_init(&p);
	sl_props_set(&p, "sluice.push.buffer.bytes", "200");
	sl_engine_config_t cfg = {.props = &p, .test_mode = true};
	ck_assert_msg(sl_engine_create(&cfg, &eng, &err) == SL_OK, "%s", err.msg);
	sl_props_free(&p);
	ses = sl_session_create(eng);
	exec_ok("CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='s', "
		"value_format='JSON', partitions=1);"
		"CREATE STREAM S2 AS SELECT * FROM S;");
	sql = "SELECT * FROM S2 EMIT CHANGES;";
	sl_exec_error_init(&e);
	ck_assert_int_eq(sl_engine_query(eng, ses, sql, strlen(sql), NULL, &t, &e), SL_OK);
	for (int i = 0; i < 30; i++)
		exec_ok("INSERT INTO S (K, V) VALUES ('some key of some length', 12345);");
	quiesce();
	sl_strbuf_init(&rows);
	sl_tq_state_t st = sl_tquery_take(t, collect, &rows, 0);
	ck_assert_int_eq(st, SL_TQ_FAILED);
	ck_assert_msg(strstr(sl_tquery_error(t), "did not read its rows fast enough") != NULL, "%s",
		      sl_tquery_error(t));
	/* what fitted in the buffer was kept */
	ck_assert_msg(rows.len > 0 && rows.len <= 260, "%zu", rows.len);
	sl_tquery_close(t);
	sl_strbuf_free(&rows);
	sl_exec_error_clear(&e);
	/* the stream query went on: every record is in S2 */
	char *scan = query("SELECT * FROM S2;", NULL, &st, NULL, NULL);
	int nl = 0;
	for (char *c = scan; *c; c++)
		nl += *c == '\n';
	ck_assert_int_eq(nl, 30);
	free(scan);
}
END_TEST

START_TEST(test_inserter_and_metrics)
{
	sl_inserter_t *ins;
	sl_error_t err;
	sl_strbuf_t m;

	int rc = sl_engine_insert_open(eng, ses, "s", &ins, &err);
	ck_assert_msg(rc == SL_OK, "%s", err.msg);
	cJSON *row = cJSON_Parse("{\"k\":\"e\",\"V\":5}");
	ck_assert_int_eq(sl_inserter_row(ins, row, &err), SL_OK);
	cJSON_Delete(row);
	row = cJSON_Parse("{\"k\":\"e\",\"nope\":5}");
	ck_assert_int_ne(sl_inserter_row(ins, row, &err), SL_OK);
	ck_assert_str_eq(err.msg, "Column 'nope' does not exist");
	cJSON_Delete(row);
	row = cJSON_Parse("{\"k\":\"e\",\"V\":\"x\"}");
	ck_assert_int_ne(sl_inserter_row(ins, row, &err), SL_OK);
	cJSON_Delete(row);
	sl_inserter_close(ins);
	ck_assert_int_ne(sl_engine_insert_open(eng, ses, "T", &ins, &err), SL_OK);
	ck_assert_int_ne(sl_engine_insert_open(eng, ses, "NOPE", &ins, &err), SL_OK);
	quiesce();
	char *rows = query("SELECT K, SV FROM T WHERE K = 'e';", NULL, NULL, NULL, NULL);
	ck_assert_str_eq(rows, "[\"e\",5]\n");
	free(rows);

	sl_strbuf_init(&m);
	sl_engine_metrics(eng, &m);
	ck_assert_msg(strstr(m.data, "# TYPE sluice_query_records_in_total counter\n") != NULL, "%s",
		      m.data);
	ck_assert_msg(strstr(m.data, "sluice_query_records_in_total{query=\"CTAS_T_") != NULL, "%s",
		      m.data);
	ck_assert_msg(strstr(m.data, "sluice_push_queries 0\n") != NULL, "%s", m.data);
	sl_strbuf_free(&m);
	cJSON *h = sl_engine_health(eng);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(h, "isHealthy")));
	cJSON_Delete(h);
}
END_TEST

static Suite *
tquery_suite(void)
{
	Suite *s = suite_create("tquery");
	TCase *tc = tcase_create("tquery");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pull_key_lookup);
	tcase_add_test(tc, test_pull_predicates);
	tcase_add_test(tc, test_pull_order_offset_limit);
	tcase_add_test(tc, test_pull_windowed);
	tcase_add_test(tc, test_pull_stream_scan);
	tcase_add_test(tc, test_pull_errors);
	tcase_add_test(tc, test_pull_source_table);
	tcase_add_test(tc, test_push_earliest_limit);
	tcase_add_test(tc, test_push_attached_from_now);
	tcase_add_test(tc, test_push_close_and_drop);
	tcase_add_test(tc, test_push_slow_subscriber);
	tcase_add_test(tc, test_inserter_and_metrics);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(tquery_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
