/*
 * check_shell.c: tests of the shell (src/cli and the sluice program).
 *
 * Layer: cli.  Two parts.  The rendering tests call render.h directly:
 * aligned tables, cells of several lines, expanded display, CSV quoting,
 * rows split from their JSON text.  The terminal tests run the built
 * `sluice` under a pseudo-terminal (forkpty), type at it as a person
 * would, and look at what appears on the screen (the output with the
 * terminal's escape sequences and carriage returns taken out): a
 * statement over two lines, a pull query's table, a push query drawn live
 * and stopped with Ctrl-C, an error with its caret, completion of a stream
 * name, Ctrl-C at the prompt, and the history after a restart.  Each runs
 * in a HOME of its own, so ~/.sluice_history is the test's.
 *
 * The program is $abs_top_builddir/sluice (make check sets it); the
 * examples come from $abs_top_srcdir/examples.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/render.h"
#include "util/strbuf.h"

/* How long the shell may take to show what a test waits for (engine
 * start-up under the sanitizers included). */
#define PTY_WAIT_MS 30000

/* ---- rendering ---- */

static sl_cli_pset_t
pset(sl_cli_fmt_t fmt, sl_cli_expanded_t x)
{
	sl_cli_pset_t ps = { .format = fmt, .expanded = x, .null_text = "NULL" };
	return ps;
}

START_TEST(test_table_aligned)
{
	static const char *const headers[] = { "NAME", "N" };
	static const char *const r1[] = { "alice", "10" };
	static const char *const r2[] = { NULL, "7" };
	sl_cli_pset_t ps = pset(SL_CLI_FMT_TABLE, SL_CLI_X_OFF);
	sl_cli_table_t t;
	sl_strbuf_t out;

	sl_strbuf_init(&out);
	sl_cli_table_init(&t, 2, headers);
	t.right[1] = true;
	sl_cli_table_add(&t, r1);
	sl_cli_table_add(&t, r2);
	sl_cli_table_print(&out, &t, &ps);
	ck_assert_str_eq(out.data, " NAME  | N\n"
				   "-------+----\n"
				   " alice | 10\n"
				   " NULL  |  7\n"
				   "(2 rows)\n");
	sl_cli_table_free(&t);
	sl_strbuf_free(&out);
}
END_TEST

START_TEST(test_table_multiline_cell)
{
	static const char *const headers[] = { "ID", "QUERY" };
	static const char *const r1[] = { "Q1", "CREATE STREAM x AS\n  SELECT *\n  FROM y;" };
	sl_cli_pset_t ps = pset(SL_CLI_FMT_TABLE, SL_CLI_X_OFF);
	sl_cli_table_t t;
	sl_strbuf_t out;

	sl_strbuf_init(&out);
	sl_cli_table_init(&t, 2, headers);
	sl_cli_table_add(&t, r1);
	sl_cli_table_print(&out, &t, &ps);
	ck_assert_str_eq(out.data, " ID | QUERY\n"
				   "----+--------------------\n"
				   " Q1 | CREATE STREAM x AS+\n"
				   "    |   SELECT *        +\n"
				   "    |   FROM y;\n"
				   "(1 row)\n");
	sl_cli_table_free(&t);
	sl_strbuf_free(&out);
}
END_TEST

START_TEST(test_table_expanded)
{
	static const char *const headers[] = { "USERID", "PAGE" };
	static const char *const r1[] = { "alice", "home" };
	static const char *const r2[] = { "bob", NULL };
	sl_cli_pset_t ps = pset(SL_CLI_FMT_TABLE, SL_CLI_X_ON);
	sl_cli_table_t t;
	sl_strbuf_t out;

	sl_strbuf_init(&out);
	sl_cli_table_init(&t, 2, headers);
	sl_cli_table_add(&t, r1);
	sl_cli_table_add(&t, r2);
	sl_cli_table_print(&out, &t, &ps);
	ck_assert_str_eq(out.data, "-[ RECORD 1 ]+------\n"
				   "USERID | alice\n"
				   "PAGE   | home\n"
				   "-[ RECORD 2 ]+------\n"
				   "USERID | bob\n"
				   "PAGE   | NULL\n"
				   "(2 rows)\n");
	sl_cli_table_free(&t);
	sl_strbuf_free(&out);
}
END_TEST

START_TEST(test_csv_quoting)
{
	static const char *const cells[] = { "plain", "a,b", "say \"hi\"", "", NULL, "two\nlines" };
	sl_strbuf_t out;

	sl_strbuf_init(&out);
	sl_cli_csv_line(&out, 6, cells);
	/* NULL is an empty field, the empty string "" */
	ck_assert_str_eq(out.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"\",,\"two\nlines\"\n");
	sl_strbuf_free(&out);
}
END_TEST

START_TEST(test_row_split)
{
	const char *row = "[\"a,\\\"b\\\"\", 9223372036854775807, 1.50, null, true, "
			  "[1,[2]], {\"K\":\"]\"}]";
	char *cells[7], *raw[7];
	static const char *const names[] = { "S", "BIG", "DEC", "N", "B", "ARR", "OBJ" };
	sl_strbuf_t out;

	ck_assert(sl_cli_row_split(row, strlen(row), 7, cells, raw));
	ck_assert_str_eq(cells[0], "a,\"b\"");
	ck_assert_str_eq(cells[1], "9223372036854775807"); /* every digit kept */
	ck_assert_str_eq(cells[2], "1.50");
	ck_assert_ptr_null(cells[3]);
	ck_assert_str_eq(cells[4], "true");
	ck_assert_str_eq(cells[5], "[1,[2]]");
	ck_assert_str_eq(cells[6], "{\"K\":\"]\"}");
	sl_strbuf_init(&out);
	sl_cli_json_object_line(&out, 7, names, (const char *const *)raw);
	ck_assert_str_eq(out.data,
			 "{\"S\":\"a,\\\"b\\\"\",\"BIG\":9223372036854775807,\"DEC\":1.50,"
			 "\"N\":null,\"B\":true,\"ARR\":[1,[2]],\"OBJ\":{\"K\":\"]\"}}\n");
	sl_strbuf_free(&out);
	sl_cli_row_free(7, cells);
	sl_cli_row_free(7, raw);
	ck_assert(!sl_cli_row_split("{}", 2, 7, cells, raw));
}
END_TEST

START_TEST(test_entity_status_and_list)
{
	const char *json =
		"[{\"@type\":\"currentStatus\",\"statementText\":\"x\","
		"\"commandStatus\":{\"status\":\"SUCCESS\",\"message\":\"Stream created\"}},"
		"{\"@type\":\"streams\",\"warnings\":[{\"message\":\"careful\"}],"
		"\"streams\":[{\"name\":\"S\",\"topic\":\"s\",\"keyFormat\":\"KAFKA\","
		"\"valueFormat\":\"JSON\",\"isWindowed\":false}]}]";
	cJSON *list = cJSON_Parse(json);
	sl_cli_pset_t ps = pset(SL_CLI_FMT_TABLE, SL_CLI_X_OFF);
	sl_strbuf_t out;

	sl_strbuf_init(&out);
	sl_cli_render_entity(&out, cJSON_GetArrayItem(list, 0), &ps);
	sl_cli_render_entity(&out, cJSON_GetArrayItem(list, 1), &ps);
	ck_assert_str_eq(out.data, "Stream created\n"
				   "WARNING: careful\n"
				   " Name | Kafka Topic | Key Format | Value Format | Windowed\n"
				   "------+-------------+------------+--------------+----------\n"
				   " S    | s           | KAFKA      | JSON         | false\n"
				   "(1 row)\n");
	sl_strbuf_reset(&out);
	ps.format = SL_CLI_FMT_CSV;
	sl_cli_render_entity(&out, cJSON_GetArrayItem(list, 1), &ps);
	ck_assert_str_eq(out.data, "WARNING: careful\n"
				   "Name,Kafka Topic,Key Format,Value Format,Windowed\n"
				   "S,s,KAFKA,JSON,false\n");
	sl_strbuf_free(&out);
	cJSON_Delete(list);
}
END_TEST

/* ---- the shell under a pseudo-terminal ---- */

typedef struct pty_run {
	pid_t pid;
	int fd;
	sl_strbuf_t screen; /* what was shown, escape sequences and \r removed */
	size_t mark;        /* expectations look after this */
	int esc;            /* inside an escape sequence: 1 after ESC, 2 in CSI */
} pty_run_t;

static char *
test_home(void)
{
	char *dir = strdup("/tmp/check_shell-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

static void
test_home_remove(char *dir)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/.sluice_history", dir);
	unlink(path);
	rmdir(dir);
	free(dir);
}

static const char *
sluice_path(void)
{
	static char path[4096];
	const char *dir = getenv("abs_top_builddir");
	snprintf(path, sizeof(path), "%s/sluice", dir != NULL ? dir : ".");
	return path;
}

static void
pty_start(pty_run_t *p, const char *home, const char *const *extra)
{
	struct winsize ws = { .ws_row = 40, .ws_col = 160 };
	const char *argv[16];
	int n = 0;

	argv[n++] = sluice_path();
	for (int i = 0; extra != NULL && extra[i] != NULL && n < 15; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	memset(p, 0, sizeof(*p));
	sl_strbuf_init(&p->screen);
	p->pid = forkpty(&p->fd, NULL, NULL, &ws);
	ck_assert_int_ge(p->pid, 0);
	if (p->pid == 0) {
		setenv("HOME", home, 1);
		setenv("TERM", "xterm", 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
}

/* Adds what the terminal got to the screen text. */
static void
pty_take(pty_run_t *p, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (p->esc == 1) {
			p->esc = c == '[' ? 2 : 0;
		} else if (p->esc == 2) {
			if (c >= 0x40 && c <= 0x7e)
				p->esc = 0;
		} else if (c == 0x1b) {
			p->esc = 1;
		} else if (c != '\r' && c != '\a') {
			sl_strbuf_putc(&p->screen, (char)c);
		}
	}
}

/* Reads what comes for up to ms. */
static void
pty_read(pty_run_t *p, int ms)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	char buf[4096];

	while (poll(&pfd, 1, ms) > 0) {
		ssize_t n = read(p->fd, buf, sizeof(buf));
		if (n <= 0)
			return;
		pty_take(p, buf, (size_t)n);
		ms = ms > 20 ? 20 : ms; /* then only what follows at once */
	}
}

/* Waits until text appears after the mark; the mark moves past it. */
static void
pty_expect(pty_run_t *p, const char *text)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		const char *hit =
			p->screen.data != NULL ? strstr(p->screen.data + p->mark, text) : NULL;
		if (hit != NULL) {
			p->mark = (size_t)(hit - p->screen.data) + strlen(text);
			return;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >
		    PTY_WAIT_MS) {
			/* the end of the screen: Check's messages are short */
			const char *tail = p->screen.data != NULL ? p->screen.data + p->mark : "";
			if (strlen(tail) > 1500)
				tail += strlen(tail) - 1500;
			ck_abort_msg("\"%s\" did not appear; the screen after the mark ends:\n%s",
				     text, tail);
		}
		pty_read(p, 100);
	}
}

static void
pty_send(pty_run_t *p, const char *keys)
{
	size_t n = strlen(keys);
	ck_assert_int_eq(write(p->fd, keys, n), (ssize_t)n);
}

/* Waits for the shell to exit; returns its exit status. */
static int
pty_finish(pty_run_t *p)
{
	int status = -1;

	for (int i = 0; i < PTY_WAIT_MS / 50; i++) {
		pty_read(p, 50);
		if (waitpid(p->pid, &status, WNOHANG) == p->pid)
			break;
		usleep(50 * 1000); /* the terminal may be closed already */
	}
	if (!WIFEXITED(status)) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, &status, 0);
		ck_abort_msg("the shell did not exit; the screen ends:\n%s",
			     p->screen.len > 1500 ? p->screen.data + p->screen.len - 1500 :
						    p->screen.data);
	}
	close(p->fd);
	sl_strbuf_free(&p->screen);
	return WEXITSTATUS(status);
}

/* Lines of the screen after the mark that hold a table row (" | "). */
static int
pty_count_rows(const pty_run_t *p)
{
	int n = 0;
	for (const char *s = p->screen.data + p->mark; (s = strstr(s, " | ")) != NULL; n++)
		s = strchr(s, '\n') != NULL ? strchr(s, '\n') : s + 3;
	return n;
}

START_TEST(test_pty_banner_multiline_pull)
{
	char *home = test_home();
	pty_run_t p;

	pty_start(&p, home, NULL);
	pty_expect(&p, "Kafka: the embedded Kafka at ");
	pty_expect(&p, "Type \\? or help for help");
	pty_expect(&p, "sluice> ");
	/* one statement over two lines: the second prompt says it goes on */
	pty_send(&p, "CREATE STREAM pageviews (userid STRING KEY, page STRING)\r");
	pty_expect(&p, "    -> ");
	pty_send(&p, "  WITH (kafka_topic='pv', value_format='JSON', partitions=1);\r");
	pty_expect(&p, "Stream created");
	pty_send(&p, "INSERT INTO pageviews VALUES ('alice', 'home');\r");
	pty_expect(&p, "Inserted one row");
	pty_send(&p, "INSERT INTO pageviews VALUES ('bob', NULL);\r");
	pty_expect(&p, "Inserted one row");
	/* a pull query: an aligned table, NULL shown as such, a row count */
	pty_send(&p, "SELECT * FROM pageviews;\r");
	pty_expect(&p, " USERID | PAGE\n"
		       "--------+------\n"
		       " alice  | home\n"
		       " bob    | NULL\n"
		       "(2 rows)\n");
	pty_expect(&p, "sluice> ");
	pty_send(&p, "\\q\r");
	ck_assert_int_eq(pty_finish(&p), 0);
	test_home_remove(home);
}
END_TEST

START_TEST(test_pty_push_live_ctrl_c)
{
	char *home = test_home();
	char example[4096];
	const char *dir = getenv("abs_top_srcdir");
	pty_run_t p;
	int before, after;

	snprintf(example, sizeof(example), "%s/examples/quickstart.sql", dir != NULL ? dir : ".");
	const char *args[] = { "--demo", example, "--demo-rate", "20", NULL };
	pty_start(&p, home, args);
	pty_expect(&p, "a generator writes events to PAGEVIEWS");
	pty_expect(&p, "sluice> ");
	pty_send(&p, "SELECT userid, pageid FROM pageviews EMIT CHANGES;\r");
	pty_expect(&p, "Press Ctrl-C to stop the query.");
	pty_expect(&p, " USERID ");
	pty_expect(&p, "| PAGEID\n");
	/* rows keep coming while the query runs */
	pty_read(&p, 1500);
	before = pty_count_rows(&p);
	pty_read(&p, 1500);
	after = pty_count_rows(&p);
	ck_assert_msg(before > 0 && after > before, "rows: %d, then %d", before, after);
	/* Ctrl-C stops the query, not the shell */
	pty_send(&p, "\x03");
	pty_expect(&p, " rows, query stopped)\n");
	pty_expect(&p, "sluice> ");
	pty_send(&p, "SHOW QUERIES;\r");
	pty_expect(&p, "CSAS_PAGEVIEWS_FROM_SEARCH_0");
	pty_expect(&p, "sluice> ");
	pty_send(&p, "exit\r");
	ck_assert_int_eq(pty_finish(&p), 0);
	test_home_remove(home);
}
END_TEST

START_TEST(test_pty_error_caret)
{
	char *home = test_home();
	pty_run_t p;

	pty_start(&p, home, NULL);
	pty_expect(&p, "sluice> ");
	pty_send(&p, "SELECT nonesuch FROM sluice_processing_log;\r");
	pty_expect(&p, "ERROR: line 1:8: column \"NONESUCH\" does not exist\n"
		       "LINE 1: SELECT nonesuch FROM sluice_processing_log;\n"
		       "               ^\n");
	/* the position is the line within the statement */
	pty_send(&p, "SELECT *\r");
	pty_send(&p, "  FROM nowhere;\r");
	pty_expect(&p, "ERROR: line 2:8: ");
	pty_expect(&p, "LINE 2:   FROM nowhere;\n"
		       "               ^\n");
	/* Ctrl-C at the prompt drops what was typed, not the shell */
	pty_send(&p, "SHOW STR");
	pty_send(&p, "\x03");
	pty_expect(&p, "^C\nsluice> ");
	pty_send(&p, "SHOW TOPICS;\r");
	pty_expect(&p, " SLUICE_PROCESSING_LOG | 1          | 1\n");
	pty_send(&p, "\x04"); /* Ctrl-D */
	ck_assert_int_eq(pty_finish(&p), 0);
	test_home_remove(home);
}
END_TEST

START_TEST(test_pty_complete_stream_name)
{
	char *home = test_home();
	pty_run_t p;

	pty_start(&p, home, NULL);
	pty_expect(&p, "sluice> ");
	pty_send(&p, "CREATE STREAM clickstream_events (k STRING KEY, v INT) WITH "
		     "(kafka_topic='e', value_format='JSON', partitions=1);\r");
	pty_expect(&p, "Stream created");
	pty_send(&p, "CREATE STREAM clickstream_users (k STRING KEY, v INT) WITH "
		     "(kafka_topic='u', value_format='JSON', partitions=1);\r");
	pty_expect(&p, "Stream created");
	pty_expect(&p, "sluice> ");
	/* the common part of both names, then both listed, then one */
	pty_send(&p, "DESCRIBE click\t");
	pty_expect(&p, "stream_");
	pty_send(&p, "\t");
	pty_expect(&p, "clickstream_events");
	pty_expect(&p, "clickstream_users");
	pty_send(&p, "u\t;\r");
	pty_expect(&p, "Name: CLICKSTREAM_USERS\n");
	/* a property name, in its string */
	pty_send(&p, "SET 'auto.off\t = 'earliest';\r");
	pty_expect(&p, "property 'auto.offset.reset' set to 'earliest'");
	/* a keyword, in the case it was typed */
	pty_send(&p, "sho\t");
	pty_expect(&p, "w ");
	pty_send(&p, "topics;\r");
	pty_expect(&p, " Kafka Topic ");
	pty_send(&p, "\\q\r");
	ck_assert_int_eq(pty_finish(&p), 0);
	test_home_remove(home);
}
END_TEST

START_TEST(test_pty_history_after_restart)
{
	char *home = test_home();
	char path[512];
	struct stat st;
	pty_run_t p;

	pty_start(&p, home, NULL);
	pty_expect(&p, "sluice> ");
	pty_send(&p, "SHOW\r");
	pty_send(&p, "  TOPICS;\r");
	pty_expect(&p, "(1 row)");
	pty_send(&p, "\\q\r");
	ck_assert_int_eq(pty_finish(&p), 0);
	snprintf(path, sizeof(path), "%s/.sluice_history", home);
	ck_assert_int_eq(stat(path, &st), 0);

	/* a new shell: Ctrl-P brings the statement back, as one line */
	pty_start(&p, home, NULL);
	pty_expect(&p, "sluice> ");
	pty_send(&p, "\x10");
	pty_expect(&p, "SHOW TOPICS;");
	pty_send(&p, "\r");
	pty_expect(&p, " Kafka Topic ");
	/* and Ctrl-R finds it by a piece of it */
	pty_expect(&p, "sluice> ");
	pty_send(&p, "\x12TOP");
	pty_expect(&p, "SHOW TOPICS;");
	pty_send(&p, "\r");
	pty_expect(&p, " Kafka Topic ");
	pty_send(&p, "\\q\r");
	ck_assert_int_eq(pty_finish(&p), 0);
	test_home_remove(home);
}
END_TEST

static Suite *
shell_suite(void)
{
	Suite *s = suite_create("shell");
	TCase *tc = tcase_create("render");

	tcase_add_test(tc, test_table_aligned);
	tcase_add_test(tc, test_table_multiline_cell);
	tcase_add_test(tc, test_table_expanded);
	tcase_add_test(tc, test_csv_quoting);
	tcase_add_test(tc, test_row_split);
	tcase_add_test(tc, test_entity_status_and_list);
	suite_add_tcase(s, tc);

	tc = tcase_create("terminal");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_pty_banner_multiline_pull);
	tcase_add_test(tc, test_pty_push_live_ctrl_c);
	tcase_add_test(tc, test_pty_error_caret);
	tcase_add_test(tc, test_pty_complete_stream_name);
	tcase_add_test(tc, test_pty_history_after_restart);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(shell_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
