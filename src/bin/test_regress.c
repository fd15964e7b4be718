/*
 * test_regress.c: sluice-test's pg_regress mode.
 *
 * Takes sql-tests/sql/NAME.sql scripts; runs each statement in turn and
 * writes what it printed to RESULTS/NAME.out, then compares that with
 * sql-tests/expected/NAME.out: "ok NAME", or "FAIL NAME" and a diff -u.
 * With --update the results replace the expected files.
 *
 * A results file echoes each statement as written, then its output, then a
 * blank line; comments between statements are echoed too, so an expected
 * file reads as a transcript.  What "its output" is depends on the script's
 * mode, chosen by a directive among the comments before its first
 * statement:
 *
 *   -- sluice-test: mode=engine      (the default)
 *   -- sluice-test: mode=parse
 *
 * engine: the statement runs on an engine in test mode (embedded Kafka, no
 * query threads, one engine per script); before each statement every
 * persistent query consumes all input written so far (sl_engine_quiesce(),
 * the barrier of SPEC section 9), so the transcript is deterministic.  The
 * output is the answer rendered as the shell renders it, or the error with its
 * caret line.
 * parse: the canonical text of the statement, or the parse error with its
 * caret line; no engine.
 * A mode is one regress_stmt_fn in regress_modes[].
 */
#include "sluice_test.h"

#include <dirent.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cli/render.h"
#include "engine/engine.h"
#include "parse/errfmt.h"
#include "parse/parser.h"

extern char **environ;

/* Appends to out the output of one statement, text[0..len) (its ';'
 * included when written).  ctx is the mode's state across a script. */
typedef void (*regress_stmt_fn)(void *ctx, const char *text, size_t len, sl_strbuf_t *out);

/*
 * A mode: how a script's statements produce output.  open (optional)
 * creates the state a script runs against (for the engine mode: an
 * embedded engine) before its first statement, close releases it after
 * the last; open returns SL_OK or a negative code with err set.
 */
typedef struct regress_mode {
	const char *name;
	int (*open)(void **ctx, sl_error_t *err);
	regress_stmt_fn run;
	void (*close)(void *ctx);
} regress_mode_t;

/* One script to run: where it is, its expected output and its results. */
typedef struct regress_file {
	char *name; /* NAME of sql/NAME.sql */
	char *sql;
	char *expected;
	char *result;
} regress_file_t;

static int regress_engine_open(void **ctx, sl_error_t *err);
static void regress_stmt_engine(void *ctx, const char *text, size_t len, sl_strbuf_t *out);
static void regress_engine_close(void *ctx);
static void regress_stmt_parse(void *ctx, const char *text, size_t len, sl_strbuf_t *out);

/* The first is the default. */
static const regress_mode_t regress_modes[] = {
	{ "engine", regress_engine_open, regress_stmt_engine, regress_engine_close },
	{ "parse", NULL, regress_stmt_parse, NULL },
};

/* How long the barrier before a statement may take. */
#define REGRESS_QUIESCE_MS 30000

#define REGRESS_DIRECTIVE "-- sluice-test:"

/* ---- engine mode ---- */

typedef struct regress_engine {
	sl_engine_t *eng;
	sl_session_t *s;
} regress_engine_t;

static int
regress_engine_open(void **ctx, sl_error_t *err)
{
	sl_engine_config_t cfg = { .props = NULL, .test_mode = true };
	regress_engine_t *re = calloc(1, sizeof(*re));
	int rc;

	if (re == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	rc = sl_engine_create(&cfg, &re->eng, err);
	if (rc != SL_OK) {
		free(re);
		return rc;
	}
	re->s = sl_session_create(re->eng);
	*ctx = re;
	return SL_OK;
}

static void
regress_engine_close(void *ctx)
{
	regress_engine_t *re = ctx;

	sl_session_destroy(re->s);
	sl_engine_destroy(re->eng);
	free(re);
}

/* An engine answer as the shell prints it in a script (psql tables,
 * NULL as empty): sluice-test's transcripts and sluice -a agree. */
void
sl_test_render_entity(sl_strbuf_t *out, const cJSON *entity)
{
	sl_cli_pset_t ps = {.format = SL_CLI_FMT_TABLE, .expanded = SL_CLI_X_OFF};
	sl_cli_render_entity(out, entity, &ps);
}

/* The rows of a query, collected into the shell's table. */
typedef struct regress_rows {
	sl_cli_table_t table;
	int ncols;
	char **cells, **raw;
} regress_rows_t;

static void
regress_row(void *ctx, const char *json, size_t len, bool tombstone)
{
	regress_rows_t *r = ctx;

	(void)tombstone; /* shown as the row with its value columns NULL */
	if (!sl_cli_row_split(json, len, r->ncols, r->cells, r->raw))
		return;
	sl_cli_table_add(&r->table, (const char *const *)r->cells);
	sl_cli_row_free(r->ncols, r->cells);
	sl_cli_row_free(r->ncols, r->raw);
}

/* A push or pull query, printed as the shell prints it in a script: a
 * table of its rows.  A push query runs (the queries feeding it with it)
 * until its LIMIT, at most 10 s. */
static void
regress_query(regress_engine_t *re, const char *text, size_t len, sl_strbuf_t *out)
{
	sl_tquery_t *t;
	sl_exec_error_t e;
	sl_error_t err;
	sl_tq_state_t st = SL_TQ_RUNNING;
	sl_cli_pset_t ps = {.format = SL_CLI_FMT_TABLE, .expanded = SL_CLI_X_OFF};
	regress_rows_t r;

	sl_exec_error_init(&e);
	if (sl_engine_query(re->eng, re->s, text, len, NULL, &t, &e) != SL_OK) {
		sl_errfmt_caret(out, text, len, &e.err);
		sl_exec_error_clear(&e);
		return;
	}
	r.ncols = sl_tquery_ncols(t);
	const char **names = calloc((size_t)r.ncols + 1, sizeof(*names));
	r.cells = calloc((size_t)r.ncols + 1, sizeof(*r.cells));
	r.raw = calloc((size_t)r.ncols + 1, sizeof(*r.raw));
	if (names == NULL || r.cells == NULL || r.raw == NULL)
		abort();
	for (int i = 0; i < r.ncols; i++)
		names[i] = sl_tquery_col_name(t, i);
	sl_cli_table_init(&r.table, r.ncols, names);
	for (int i = 0; i < r.ncols; i++)
		r.table.right[i] = sl_cli_type_numeric(sl_tquery_col_type(t, i));
	int64_t deadline = sl_test_now_ms() + 10000;
	while ((st = sl_tquery_take(t, regress_row, &r, 0)) == SL_TQ_RUNNING &&
	       sl_test_now_ms() < deadline) {
		sl_engine_quiesce(re->eng, REGRESS_QUIESCE_MS, &err);
		usleep(10 * 1000);
	}
	r.table.note = st == SL_TQ_RUNNING ? "still running after 10 s" :
		       st == SL_TQ_FAILED ? sl_tquery_error(t) : NULL;
	sl_cli_table_print(out, &r.table, &ps);
	sl_cli_table_free(&r.table);
	free(names);
	free(r.cells);
	free(r.raw);
	sl_tquery_close(t);
}

/* The quiescence barrier, then the statement; its entities rendered, or
 * its error with the caret (position relative to the statement). */
static void
regress_stmt_engine(void *ctx, const char *text, size_t len, sl_strbuf_t *out)
{
	regress_engine_t *re = ctx;
	cJSON *results = cJSON_CreateArray();
	sl_exec_error_t e;
	sl_error_t err;

	sl_exec_error_init(&e);
	sl_error_clear(&err);
	if (sl_engine_quiesce(re->eng, REGRESS_QUIESCE_MS, &err) != SL_OK) {
		sl_strbuf_printf(out, "ERROR: quiesce: %s\n", err.msg);
		goto done;
	}
	if (sl_engine_is_query(text, len)) {
		regress_query(re, text, len, out);
		goto done;
	}
	if (sl_engine_execute(re->eng, re->s, text, len, results, &e) != SL_OK) {
		/* entities of statements that ran before the failing one */
		for (const cJSON *r = results->child; r != NULL; r = r->next)
			sl_test_render_entity(out, r);
		sl_errfmt_caret(out, text, len, &e.err);
		goto done;
	}
	for (const cJSON *r = results->child; r != NULL; r = r->next)
		sl_test_render_entity(out, r);

done:
	sl_exec_error_clear(&e);
	cJSON_Delete(results);
}

/* ---- parse mode ---- */

/* "-- canonical: TEXT;", or the error with its caret; a statement whose
 * canonical text does not read back the same adds the round trip report as
 * comment lines. */
static void
regress_stmt_parse(void *ctx, const char *text, size_t len, sl_strbuf_t *out)
{
	sl_arena_t a;
	sl_node_t *node = NULL;
	sl_error_t err;
	sl_strbuf_t canon, why;

	(void)ctx;
	sl_arena_init(&a, 0);
	sl_strbuf_init(&canon);
	sl_strbuf_init(&why);
	if (sl_parse_one(text, len, &a, &node, &err) != SL_OK) {
		sl_errfmt_caret(out, text, len, &err);
		goto done;
	}
	int rt = sl_test_roundtrip(node, &canon, &why);
	sl_strbuf_printf(out, "-- canonical: %s;\n", canon.data);
	if (rt != SL_OK) {
		sl_strbuf_puts(out, "-- round trip mismatch\n");
		for (const char *line = why.data; *line != '\0';) {
			size_t n = strcspn(line, "\n");
			sl_strbuf_puts(out, "-- ");
			sl_strbuf_append(out, line, n);
			sl_strbuf_putc(out, '\n');
			line += line[n] == '\n' ? n + 1 : n;
		}
	}

done:
	sl_strbuf_free(&why);
	sl_strbuf_free(&canon);
	sl_arena_destroy(&a);
}

/* ---- scripts ---- */

/* Echoes the comments between statements, text[from..to), as the
 * shell's transcripts do (sl_cli_transcript_gap). */
static void
regress_echo_gap(sl_strbuf_t *out, const char *text, size_t from, size_t to)
{
	sl_cli_transcript_gap(out, text + from, to - from, from > 0 && text[from - 1] != '\n');
}

/*
 * Finds the mode of a script from its directive lines in text[0..end) (the
 * part before the first statement).  Returns the mode, or NULL after
 * appending an error line to out for an unknown directive or mode.
 */
static const regress_mode_t *
regress_script_mode(const char *text, size_t end, sl_strbuf_t *out)
{
	const regress_mode_t *mode = &regress_modes[0];
	const size_t dlen = strlen(REGRESS_DIRECTIVE);
	size_t i = 0;

	while (i < end) {
		size_t e = i;
		while (e < end && text[e] != '\n')
			e++;
		if (e - i > dlen && strncmp(text + i, REGRESS_DIRECTIVE, dlen) == 0) {
			const char *arg = text + i + dlen;
			size_t n = e - i - dlen;
			while (n > 0 && (*arg == ' ' || *arg == '\t')) {
				arg++;
				n--;
			}
			while (n > 0 && (arg[n - 1] == ' ' || arg[n - 1] == '\r'))
				n--;
			if (n < 5 || strncmp(arg, "mode=", 5) != 0)
				goto bad;
			mode = NULL;
			for (size_t m = 0; m < sizeof(regress_modes) / sizeof(regress_modes[0]);
			     m++)
				if (strlen(regress_modes[m].name) == n - 5 &&
				    strncmp(regress_modes[m].name, arg + 5, n - 5) == 0)
					mode = &regress_modes[m];
			if (mode == NULL)
				goto bad;
		}
		i = e + 1;
	}
	return mode;

bad:
	sl_strbuf_puts(out, "ERROR: bad directive: ");
	sl_strbuf_append(out, text + i, strcspn(text + i, "\r\n"));
	sl_strbuf_putc(out, '\n');
	return NULL;
}

/* Runs the script text[0..len) and appends its transcript to out. */
static void
regress_script(const char *text, size_t len, sl_strbuf_t *out)
{
	sl_arena_t a;
	sl_test_stmt_t *stmts = NULL;
	sl_error_t err;
	const regress_mode_t *mode;
	void *ctx = NULL;
	int n = 0;

	sl_arena_init(&a, 0);
	if (sl_test_script_split(text, len, &a, &stmts, &n, &err) != SL_OK) {
		sl_errfmt_caret(out, text, len, &err);
		goto done;
	}
	mode = regress_script_mode(text, n > 0 ? stmts[0].start : len, out);
	if (mode == NULL)
		goto done;
	if (mode->open != NULL && mode->open(&ctx, &err) != SL_OK) {
		sl_errfmt_caret(out, NULL, 0, &err);
		goto done;
	}
	for (int i = 0; i < n; i++) {
		const char *st = text + stmts[i].start;
		size_t sn = stmts[i].end - stmts[i].start;

		regress_echo_gap(out, text, stmts[i].gap, stmts[i].start);
		sl_strbuf_append(out, st, sn);
		sl_strbuf_putc(out, '\n');
		mode->run(ctx, st, sn, out);
		sl_strbuf_putc(out, '\n');
	}
	regress_echo_gap(out, text, n > 0 ? stmts[n - 1].end : 0, len);
	if (mode->close != NULL)
		mode->close(ctx);

done:
	sl_arena_destroy(&a);
}

/* ---- files ---- */

static char *
regress_path(const char *dir, const char *name, const char *ext)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_strbuf_printf(&sb, "%s/%s%s", dir, name, ext);
	return sl_strbuf_steal(&sb);
}

static void
regress_file_free(regress_file_t *rf)
{
	free(rf->name);
	free(rf->sql);
	free(rf->expected);
	free(rf->result);
}

/* Fills rf for sql/NAME.sql in the sql-tests directory base. */
static void
regress_file_init(regress_file_t *rf, const char *base, const char *name, size_t namelen,
		  const char *results_dir)
{
	sl_strbuf_t sb;

	sl_strbuf_init(&sb);
	sl_strbuf_append(&sb, name, namelen);
	rf->name = sl_strbuf_steal(&sb);
	sl_strbuf_init(&sb);
	sl_strbuf_printf(&sb, "%s/sql", base);
	rf->sql = regress_path(sb.data, rf->name, ".sql");
	sl_strbuf_reset(&sb);
	sl_strbuf_printf(&sb, "%s/expected", base);
	rf->expected = regress_path(sb.data, rf->name, ".out");
	sl_strbuf_free(&sb);
	rf->result = regress_path(results_dir, rf->name, ".out");
}

/* Creates the directory that will hold path, if missing. */
static int
regress_mkparent(const char *path)
{
	const char *slash = strrchr(path, '/');
	int rc;

	if (slash == NULL || slash == path)
		return SL_OK;
	char *dir = strndup(path, (size_t)(slash - path));
	rc = sl_test_mkdirs(dir);
	free(dir);
	return rc;
}

/* Prints diff -u of the expected and result files (diff writes straight
 * to our stdout). */
static void
regress_diff(const regress_file_t *rf)
{
	char *argv[] = { "diff", "-u", rf->expected, rf->result, NULL };
	pid_t pid;
	int status;

	fflush(stdout);
	if (posix_spawnp(&pid, "diff", NULL, NULL, argv, environ) != 0) {
		printf("  (cannot run diff: %s)\n", strerror(errno));
		return;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* Runs one script and reports it.  Returns SL_OK, or SL_EIO when a file
 * could not be read or written. */
static int
regress_run_file(const sl_test_opts_t *opts, const regress_file_t *rf, sl_test_counts_t *counts)
{
	char *text = NULL, *expected = NULL;
	size_t len = 0, elen = 0;
	sl_strbuf_t out;
	int rc = SL_OK;

	sl_strbuf_init(&out);
	if (sl_test_file_read(rf->sql, &text, &len) != SL_OK)
		goto fail;
	regress_script(text, len, &out);
	if (sl_test_file_write(rf->result, out.data, out.len) != SL_OK)
		goto fail;

	FILE *probe = fopen(rf->expected, "rb");
	if (probe != NULL) {
		fclose(probe);
		if (sl_test_file_read(rf->expected, &expected, &elen) != SL_OK)
			goto fail;
	} else if (errno != ENOENT) {
		fprintf(stderr, "sluice-test: cannot read %s: %s\n", rf->expected, strerror(errno));
		goto fail;
	}

	if (expected != NULL && elen == out.len && memcmp(expected, out.data, elen) == 0) {
		printf("ok %s\n", rf->name);
		counts->passed++;
	} else if (opts->update) {
		if (expected == NULL && regress_mkparent(rf->expected) != SL_OK)
			goto fail;
		if (sl_test_file_write(rf->expected, out.data, out.len) != SL_OK)
			goto fail;
		printf("%s %s\n", expected != NULL ? "updated" : "created", rf->name);
		counts->passed++;
	} else if (expected == NULL) {
		printf("FAIL %s\n  no expected output %s (run with --update to create it)\n",
		       rf->name, rf->expected);
		counts->failed++;
	} else {
		printf("FAIL %s\n", rf->name);
		regress_diff(rf);
		counts->failed++;
	}
	goto done;

fail:
	printf("FAIL %s\n", rf->name);
	counts->failed++;
	rc = SL_EIO;
done:
	sl_strbuf_free(&out);
	free(expected);
	free(text);
	return rc;
}

static int
regress_cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Runs every sql/NAME.sql of the sql-tests directory base, by name. */
static int
regress_run_dir(const sl_test_opts_t *opts, const char *base, sl_test_counts_t *counts)
{
	char *sqldir = regress_path(base, "sql", "");
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = SL_OK;

	d = opendir(sqldir);
	if (d == NULL) {
		fprintf(stderr, "sluice-test: cannot open %s: %s\n", sqldir, strerror(errno));
		rc = SL_EIO;
		goto done;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".sql") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **p = realloc(names, cap * sizeof(*names));
			if (p == NULL) {
				fprintf(stderr, "sluice-test: out of memory\n");
				rc = SL_EIO;
				goto done;
			}
			names = p;
		}
		names[n++] = strndup(de->d_name, len - 4);
	}
	qsort(names, n, sizeof(*names), regress_cmp_names);
	for (size_t i = 0; i < n; i++) {
		regress_file_t rf;
		regress_file_init(&rf, base, names[i], strlen(names[i]), opts->results_dir);
		if (regress_run_file(opts, &rf, counts) != SL_OK)
			rc = SL_EIO;
		regress_file_free(&rf);
	}

done:
	if (d != NULL)
		closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(sqldir);
	return rc;
}

/* The sql-tests directory of the script path: the parent of the script's
 * directory (malloc'd). */
static char *
regress_base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	sl_strbuf_t sb;

	sl_strbuf_init(&sb);
	if (slash == NULL) {
		sl_strbuf_puts(&sb, "..");
		return sl_strbuf_steal(&sb);
	}
	sl_strbuf_append(&sb, path, (size_t)(slash - path));
	char *up = strrchr(sb.data, '/');
	if (up != NULL) {
		sb.len = (size_t)(up - sb.data); /* "/sql" gives "" (the root) */
		sb.data[sb.len] = '\0';
	} else if (strcmp(sb.data, ".") == 0 || strcmp(sb.data, "..") == 0) {
		sl_strbuf_puts(&sb, "/..");
	} else {
		sl_strbuf_reset(&sb);
		sl_strbuf_putc(&sb, '.');
	}
	return sl_strbuf_steal(&sb);
}

/* Runs the single script path (BASE/sql/NAME.sql). */
static int
regress_run_one(const sl_test_opts_t *opts, const char *path, sl_test_counts_t *counts)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash != NULL ? slash + 1 : path;
	size_t namelen = strlen(name);
	regress_file_t rf;
	int rc;

	if (namelen <= 4 || strcmp(name + namelen - 4, ".sql") != 0) {
		fprintf(stderr, "sluice-test: %s: not a directory or a .sql file\n", path);
		return SL_EIO;
	}
	char *base = regress_base_of(path);
	regress_file_init(&rf, base, name, namelen - 4, opts->results_dir);
	free(rf.sql);
	rf.sql = strdup(path);
	rc = regress_run_file(opts, &rf, counts);
	regress_file_free(&rf);
	free(base);
	return rc;
}

int
sl_test_regress(const sl_test_opts_t *opts, int npaths, char **paths, sl_test_counts_t *counts)
{
	struct stat st;
	int rc = SL_OK;

	if (sl_test_mkdirs(opts->results_dir) != SL_OK)
		return SL_EIO;
	for (int i = 0; i < npaths; i++) {
		int r;
		if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			r = regress_run_dir(opts, paths[i], counts);
		else
			r = regress_run_one(opts, paths[i], counts);
		if (r != SL_OK)
			rc = SL_EIO;
	}
	return rc;
}
