/*
 * test_qtt.c: sluice-test --qtt and -s/-i/-o, ksqlDB's test files on the
 * engine.
 *
 * Takes ksqlDB query-validation test files (../shared/qtt/README.md:
 * {"tests": [{name, statements, inputs, outputs, topics, properties,
 * format, config, expectedException, post, enabled}]}) or a
 * ksql-test-runner triplet (statements.sql, input.json {"inputs": [...]},
 * output.json {"outputs": [...]}).  Expands each case once per entry of its
 * "format" (substituting {FORMAT}) and of its "config" (substituting
 * {CONFIG}), decides whether the runner can run it (skips: formats not
 * supported yet, ksqlDB's test-only functions, disabled cases), and hands
 * each expansion to sl_test_case_run(), or for the REST test files
 * (rest-query-validation-tests: "responses", "expectedError") to
 * sl_test_rest_case_run().  Prints one line per expansion:
 *
 *   ok FILE: CASE [FORMAT]
 *   FAIL FILE: CASE [FORMAT]: first difference
 *   skip FILE: CASE [FORMAT] (reason)
 */
#include "sluice_test.h"

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Formats whose cases are skipped until sluice has them. */
static const char *const qtt_skip_formats[] = {
	"AVRO", "PROTOBUF", "PROTOBUF_NOSR", "JSON_SR",
};

/* Functions that exist only in ksqlDB's test UDF jar. */
static const char *const qtt_test_functions[] = {
	"TEST_UDF",   "BAD_UDF",	"WONT_FIND_ME", "VAR_ARG",	 "MID_VAR_ARG",
	"GENERIC_VAR_ARG", "OBJ_COL_ARG", "MULTI_ARG",	"FOUR_ARG",	 "FIVE_ARG",
	"THROWING_UDTF", "TEST_UDTF",	"TEST_UDAF",	"SUM_LIST",	 "WHENCONDITION",
	"WHENRESULT",
};

#define QTT_NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* What --list-passing writes first: the list explains itself.  Its
 * arguments: the list's file name, what the cases are, the make check
 * script, the list's file name again and the directory of the test files. */
#define QTT_LIST_HEADER                                                                  \
	"# %s: ksqlDB %s cases that sluice passes.\n"                                        \
	"#\n"                                                                              \
	"# One name per line, as sluice-test --qtt prints them (\"file.json: case\n"       \
	"# name [FORMAT]\").  make check (tests/%s) fails when one of them\n"               \
	"# no longer passes.  The list only grows: regenerate it with\n"                   \
	"#   sluice-test --qtt --list-passing sql-tests/%s \\\n"                          \
	"#       ../shared/qtt/%s/*.json\n"                                                 \
	"# and check that the diff only adds lines (docs/testing.md).\n"

/* Verdict of one expansion, kept for --list-passing / --require-passing. */
typedef enum { QTT_PASS, QTT_FAIL, QTT_SKIP } qtt_verdict_t;

typedef struct qtt_result {
	char *name;
	qtt_verdict_t verdict;
} qtt_result_t;

/* The state of a --qtt run. */
typedef struct qtt_run {
	const sl_test_opts_t *opts;
	sl_test_counts_t *counts;
	regex_t filter;
	bool has_filter;
	qtt_result_t *results;
	int nresults, capresults;
	char **files; /* basenames of the files given */
	char **paths; /* the files given (borrowed) */
	int nfiles;
	bool rest;    /* the file running holds REST cases (test_rest.c) */
} qtt_run_t;

/* ---- text helpers ---- */

static const char *
qtt_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

/* Copies s into out with {FORMAT} and {CONFIG} replaced (when given). */
static void
qtt_substitute(sl_strbuf_t *out, const char *s, const char *format, const char *config)
{
	while (*s != '\0') {
		if (format != NULL && strncmp(s, "{FORMAT}", 8) == 0) {
			sl_strbuf_puts(out, format);
			s += 8;
		} else if (config != NULL && strncmp(s, "{CONFIG}", 8) == 0) {
			sl_strbuf_puts(out, config);
			s += 8;
		} else {
			sl_strbuf_putc(out, *s++);
		}
	}
}

static bool
qtt_is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Whether text calls function fn (fn followed by "(", case-insensitive). */
static bool
qtt_calls(const char *text, const char *fn)
{
	size_t n = strlen(fn);

	for (const char *p = text; *p != '\0'; p++) {
		if ((p > text && qtt_is_word(p[-1])) || strncasecmp(p, fn, n) != 0)
			continue;
		const char *q = p + n;
		while (*q == ' ' || *q == '\t' || *q == '\n')
			q++;
		if (*q == '(')
			return true;
	}
	return false;
}

/* Whether text names format fmt as a quoted literal ('AVRO'). */
static bool
qtt_names_format(const char *text, const char *fmt)
{
	size_t n = strlen(fmt);

	for (const char *p = strchr(text, '\''); p != NULL; p = strchr(p + 1, '\''))
		if (strncasecmp(p + 1, fmt, n) == 0 && p[n + 1] == '\'')
			return true;
	return false;
}

static const char *
qtt_unsupported_format(const char *s)
{
	for (size_t i = 0; s != NULL && i < QTT_NELEMS(qtt_skip_formats); i++)
		if (strcasecmp(s, qtt_skip_formats[i]) == 0)
			return qtt_skip_formats[i];
	return NULL;
}

/* ---- deciding to skip ---- */

/*
 * Why the expansion (format, config) of case tc cannot run yet, written to
 * reason; false when it can.  stmts are its substituted statements.
 */
static bool
qtt_skip_reason(const cJSON *tc, const sl_test_case_t *c, const char *format, sl_strbuf_t *reason)
{
	const cJSON *enabled = cJSON_GetObjectItemCaseSensitive(tc, "enabled");
	const char *f;

	if (cJSON_IsFalse(enabled)) {
		sl_strbuf_puts(reason, "disabled");
		return true;
	}
	if ((f = qtt_unsupported_format(format)) != NULL) {
		sl_strbuf_printf(reason, "format %s", f);
		return true;
	}
	for (int i = 0; i < c->nstmts; i++) {
		for (size_t k = 0; k < QTT_NELEMS(qtt_skip_formats); k++)
			if (qtt_names_format(c->stmts[i], qtt_skip_formats[k])) {
				sl_strbuf_printf(reason, "format %s", qtt_skip_formats[k]);
				return true;
			}
		for (size_t k = 0; k < QTT_NELEMS(qtt_test_functions); k++)
			if (qtt_calls(c->stmts[i], qtt_test_functions[k])) {
				sl_strbuf_printf(reason, "test-only function %s",
						 qtt_test_functions[k]);
				return true;
			}
	}
	for (const cJSON *p = c->properties != NULL ? c->properties->child : NULL; p != NULL;
	     p = p->next)
		if (cJSON_IsString(p) && (f = qtt_unsupported_format(p->valuestring)) != NULL) {
			sl_strbuf_printf(reason, "format %s", f);
			return true;
		}
	for (const cJSON *t = c->topics != NULL ? c->topics->child : NULL; t != NULL; t = t->next) {
		static const char *const fields[] = { "format", "keyFormat", "valueFormat" };
		for (size_t k = 0; k < QTT_NELEMS(fields); k++) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, fields[k]);
			if (cJSON_IsString(v) && (f = qtt_unsupported_format(v->valuestring)) != NULL) {
				sl_strbuf_printf(reason, "format %s", f);
				return true;
			}
		}
	}
	return false;
}

/* ---- results ---- */

static void
qtt_record(qtt_run_t *run, const char *name, qtt_verdict_t v)
{
	if (run->nresults == run->capresults) {
		run->capresults = run->capresults ? run->capresults * 2 : 256;
		run->results = realloc(run->results, (size_t)run->capresults * sizeof(*run->results));
		if (run->results == NULL)
			abort();
	}
	run->results[run->nresults].name = strdup(name);
	run->results[run->nresults].verdict = v;
	run->nresults++;
}

/* Prints text indented under a verdict line. */
static void
qtt_print_detail(const char *text)
{
	while (*text != '\0') {
		size_t n = strcspn(text, "\n");
		printf("    %.*s\n", (int)n, text);
		text += text[n] == '\n' ? n + 1 : n;
	}
}

/* Runs (or skips) one expansion and prints its line. */
static void
qtt_expansion(qtt_run_t *run, const char *file, const cJSON *tc, const char *name,
	      const char *format, const char *config)
{
	const cJSON *statements = cJSON_GetObjectItemCaseSensitive(tc, "statements");
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(tc, "properties");
	const cJSON *ee = cJSON_GetObjectItemCaseSensitive(tc, "expectedException");
	sl_test_case_t c = { 0 };
	cJSON *subprops = NULL;
	sl_strbuf_t full, text, why;
	const cJSON *st;
	int i = 0;

	sl_strbuf_init(&full);
	sl_strbuf_init(&text);
	sl_strbuf_init(&why);
	sl_strbuf_printf(&full, "%s: %s", file, name);
	if (format != NULL)
		sl_strbuf_printf(&full, " [%s]", format);
	if (config != NULL)
		sl_strbuf_printf(&full, " [config=%s]", config);
	if (run->has_filter && regexec(&run->filter, full.data, 0, NULL, 0) != 0)
		goto done;

	c.nstmts = cJSON_GetArraySize(statements);
	c.stmts = calloc((size_t)(c.nstmts + 1), sizeof(*c.stmts));
	for (st = cJSON_IsArray(statements) ? statements->child : NULL; st != NULL; st = st->next) {
		sl_strbuf_reset(&text);
		qtt_substitute(&text, cJSON_IsString(st) ? st->valuestring : "", format, config);
		c.stmts[i++] = strdup(text.data);
	}
	c.nstmts = i;
	if (cJSON_IsObject(props)) {
		subprops = cJSON_CreateObject();
		for (const cJSON *p = props->child; p != NULL; p = p->next) {
			if (cJSON_IsString(p)) {
				sl_strbuf_reset(&text);
				qtt_substitute(&text, p->valuestring, format, config);
				cJSON_AddStringToObject(subprops, p->string, text.data);
			} else {
				cJSON_AddItemToObject(subprops, p->string, cJSON_Duplicate(p, true));
			}
		}
	}
	c.properties = subprops;
	c.topics = cJSON_GetObjectItemCaseSensitive(tc, "topics");
	c.inputs = cJSON_GetObjectItemCaseSensitive(tc, "inputs");
	c.outputs = cJSON_GetObjectItemCaseSensitive(tc, "outputs");
	c.post = cJSON_GetObjectItemCaseSensitive(tc, "post");
	if (run->rest) {
		const cJSON *cond = cJSON_GetObjectItemCaseSensitive(tc, "inputConditions");
		ee = cJSON_GetObjectItemCaseSensitive(tc, "expectedError");
		c.responses = cJSON_GetObjectItemCaseSensitive(tc, "responses");
		c.expected_error = ee;
		c.wait_push = cJSON_IsTrue(
			cJSON_GetObjectItemCaseSensitive(cond, "waitForActivePushQuery"));
		/* RestTestExecutor reads as many records as expected */
		c.outputs_prefix = true;
	}
	c.expect_error = ee != NULL;
	if (cJSON_IsObject(ee) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ee, "message")))
		c.expect_msg = cJSON_GetObjectItemCaseSensitive(ee, "message")->valuestring;

	if (qtt_skip_reason(tc, &c, format, &why) ||
	    (run->rest && sl_test_rest_skip_reason(tc, &c, &why))) {
		printf("skip %s (%s)\n", full.data, why.data);
		run->counts->skipped++;
		qtt_record(run, full.data, QTT_SKIP);
	} else {
		int64_t t0 = sl_test_now_ms();
		bool ok = run->rest ? sl_test_rest_case_run(&c, run->opts->verbose, &why) :
				      sl_test_case_run(&c, run->opts->verbose, &why);
		int64_t ms = sl_test_now_ms() - t0;

		if (ok) {
			printf("ok %s\n", full.data);
			if (run->opts->verbose) {
				printf("    (%lld ms)\n", (long long)ms);
				qtt_print_detail(why.data);
			}
			run->counts->passed++;
		} else {
			size_t first = strcspn(why.data, "\n");
			printf("FAIL %s: %.*s\n", full.data, (int)first, why.data);
			if (why.data[first] == '\n')
				qtt_print_detail(why.data + first + 1);
			run->counts->failed++;
		}
		qtt_record(run, full.data, ok ? QTT_PASS : QTT_FAIL);
	}
	fflush(stdout);

done:
	for (int k = 0; k < c.nstmts; k++)
		free(c.stmts[k]);
	free(c.stmts);
	cJSON_Delete(subprops);
	sl_strbuf_free(&why);
	sl_strbuf_free(&text);
	sl_strbuf_free(&full);
}

/* Runs every expansion of case tc: one per format, times one per config. */
static void
qtt_case(qtt_run_t *run, const char *file, const cJSON *tc, int index)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(tc, "name");
	const cJSON *formats = cJSON_GetObjectItemCaseSensitive(tc, "format");
	const cJSON *configs = cJSON_GetObjectItemCaseSensitive(tc, "config");
	char unnamed[32];
	const char *cname = unnamed;
	int nf = cJSON_IsArray(formats) ? cJSON_GetArraySize(formats) : 0;
	int nc = cJSON_IsArray(configs) ? cJSON_GetArraySize(configs) : 0;

	if (cJSON_IsString(name))
		cname = name->valuestring;
	else
		snprintf(unnamed, sizeof(unnamed), "(case %d)", index + 1);
	for (int f = 0; f < (nf ? nf : 1); f++) {
		const cJSON *fv = nf ? cJSON_GetArrayItem(formats, f) : NULL;
		const char *format = fv == NULL ? NULL : cJSON_IsString(fv) ? fv->valuestring : "?";
		for (int c = 0; c < (nc ? nc : 1); c++) {
			const cJSON *cv = nc ? cJSON_GetArrayItem(configs, c) : NULL;
			const char *config = cv == NULL ? NULL :
					     cJSON_IsString(cv) ? cv->valuestring : "?";
			qtt_expansion(run, file, tc, cname, format, config);
		}
	}
}

static int
qtt_file(qtt_run_t *run, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	cJSON *root;
	const cJSON *tests, *tc;
	int index = 0, rc = SL_OK;

	if (sl_test_file_read(path, &text, &len) != SL_OK)
		return SL_EIO;
	root = cJSON_ParseWithLength(text, len);
	if (root == NULL) {
		const char *at = cJSON_GetErrorPtr();
		fprintf(stderr, "sluice-test: %s: invalid JSON near byte %ld\n", path,
			at != NULL ? (long)(at - text) : -1L);
		free(text);
		return SL_EIO;
	}
	tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
	if (!cJSON_IsArray(tests)) {
		fprintf(stderr, "sluice-test: %s: no \"tests\" array\n", path);
		rc = SL_EIO;
		goto done;
	}
	run->rest = sl_test_rest_file(path, root);
	if (run->rest)
		sl_test_rest_numbers(root, text, len);
	for (tc = tests->child; tc != NULL; tc = tc->next)
		qtt_case(run, qtt_basename(path), tc, index++);
done:
	cJSON_Delete(root);
	free(text);
	return rc;
}

/* ---- --list-passing, --require-passing ---- */

static int
qtt_list_passing(const qtt_run_t *run, const char *path)
{
	sl_strbuf_t out;
	int rc;
	bool rest = run->nfiles > 0 && sl_test_rest_file(run->paths[0], NULL);

	sl_strbuf_init(&out);
	sl_strbuf_printf(&out, QTT_LIST_HEADER, qtt_basename(path),
			 rest ? "REST query-validation" : "query-validation",
			 rest ? "qtt_rest.sh" : "qtt_engine.sh", qtt_basename(path),
			 rest ? "rest-query-validation-tests" : "query-validation-tests");
	for (int i = 0; i < run->nresults; i++)
		if (run->results[i].verdict == QTT_PASS)
			sl_strbuf_printf(&out, "%s\n", run->results[i].name);
	rc = sl_test_file_write(path, out.data != NULL ? out.data : "", out.len);
	sl_strbuf_free(&out);
	return rc;
}

/* Whether a case's name is line[0..n), a line of a list: a list keeps no
 * trailing blanks, which some case names have. */
static bool
qtt_name_is(const char *name, const char *line, size_t n)
{
	size_t len = strlen(name);

	while (len > 0 && name[len - 1] == ' ')
		len--;
	return len == n && strncmp(name, line, n) == 0;
}

/* Whether the file part of name ("file.json: ...") was among those run. */
static bool
qtt_file_given(const qtt_run_t *run, const char *name)
{
	size_t n = strcspn(name, ":");

	for (int i = 0; i < run->nfiles; i++)
		if (strlen(run->files[i]) == n && strncmp(run->files[i], name, n) == 0)
			return true;
	return false;
}

/*
 * Checks every name listed in path (one per line; blank lines and lines
 * starting with '#' ignored) against the verdicts: a required case that
 * failed, was skipped, or was not found in a file that ran (unless
 * --filter left it out) is reported; *missing counts them.
 */
static int
qtt_require_passing(const qtt_run_t *run, const char *path, int *missing)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;

	*missing = 0;
	if (sl_test_file_read(path, &text, &len) != SL_OK)
		return SL_EIO;
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);
		int found = -1;

		while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		for (int i = 0; i < run->nresults && found < 0; i++)
			if (qtt_name_is(run->results[i].name, line, n))
				found = i;
		if (found >= 0 && run->results[found].verdict == QTT_PASS)
			continue;
		if (found < 0 && (!qtt_file_given(run, line) ||
				  (run->has_filter && regexec(&run->filter, line, 0, NULL, 0) != 0)))
			continue;
		if (*missing == 0)
			printf("required to pass (%s) but did not:\n", path);
		printf("  %s (%s)\n", line,
		       found < 0 ? "not found" :
		       run->results[found].verdict == QTT_FAIL ? "failed" : "skipped");
		(*missing)++;
	}
	free(text);
	return SL_OK;
}

/* ---- running files in parallel ---- */

/*
 * With --jobs N > 1 the files are run by N worker processes (each case has
 * its own engine and embedded Kafka, so nothing is shared; a case mostly
 * waits on Kafka round trips, so workers overlap well even on few cores).
 * The parent writes the file indexes to a pipe; each worker takes the next
 * one (a 4-byte read is atomic), runs the file with its output going to
 * DIR/I.out, and writes its verdicts to DIR/I.res ("P name", "F name",
 * "S name", "E" for an I/O error), renamed into place when complete.  The
 * parent prints the outputs in file order as they complete and merges the
 * verdicts, so the output is the same as a sequential run.
 */

static char *
qtt_job_path(const char *dir, int index, const char *ext)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_strbuf_printf(&sb, "%s/%d.%s", dir, index, ext);
	return sl_strbuf_steal(&sb);
}

/* A worker: runs the files whose indexes it reads from fd, then exits. */
static void
qtt_worker(qtt_run_t *run, int fd, const char *dir, char **files)
{
	int32_t index;

	while (read(fd, &index, sizeof(index)) == (ssize_t)sizeof(index)) {
		char *out = qtt_job_path(dir, index, "out");
		char *tmp = qtt_job_path(dir, index, "tmp");
		char *res = qtt_job_path(dir, index, "res");
		sl_strbuf_t sb;
		int rc;

		fflush(stdout);
		if (freopen(out, "w", stdout) == NULL)
			_exit(2);
		run->nresults = 0;
		rc = qtt_file(run, files[index]);
		fflush(stdout);
		sl_strbuf_init(&sb);
		for (int i = 0; i < run->nresults; i++) {
			qtt_verdict_t v = run->results[i].verdict;
			sl_strbuf_printf(&sb, "%c %s\n", v == QTT_PASS ? 'P' : v == QTT_FAIL ? 'F' : 'S',
					 run->results[i].name);
			free(run->results[i].name);
		}
		if (rc != SL_OK)
			sl_strbuf_puts(&sb, "E\n");
		if (sl_test_file_write(tmp, sb.data, sb.len) != SL_OK || rename(tmp, res) != 0)
			_exit(2);
		sl_strbuf_free(&sb);
		free(out);
		free(tmp);
		free(res);
	}
	fflush(stdout);
	_exit(0);
}

/* Prints DIR/I.out and merges DIR/I.res into run.  Returns SL_OK, or
 * SL_EIO when the worker reported an I/O error. */
static int
qtt_collect(qtt_run_t *run, const char *dir, int index)
{
	char *out = qtt_job_path(dir, index, "out");
	char *res = qtt_job_path(dir, index, "res");
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	int rc = SL_OK;

	if (sl_test_file_read(out, &text, &len) == SL_OK) {
		fwrite(text, 1, len, stdout);
		fflush(stdout);
		free(text);
	}
	text = NULL;
	if (sl_test_file_read(res, &text, &len) != SL_OK) {
		rc = SL_EIO;
		goto done;
	}
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		qtt_verdict_t v = line[0] == 'P' ? QTT_PASS : line[0] == 'F' ? QTT_FAIL : QTT_SKIP;
		if (line[0] == 'E' || line[1] != ' ') {
			rc = SL_EIO;
			continue;
		}
		qtt_record(run, line + 2, v);
		if (v == QTT_PASS)
			run->counts->passed++;
		else if (v == QTT_FAIL)
			run->counts->failed++;
		else
			run->counts->skipped++;
	}
done:
	unlink(out);
	unlink(res);
	free(text);
	free(out);
	free(res);
	return rc;
}

static int
qtt_run_parallel(qtt_run_t *run, int jobs, int nfiles, char **files)
{
	char dir[] = "/tmp/sluice-test.XXXXXX";
	pid_t *pids = calloc((size_t)jobs, sizeof(*pids));
	int fds[2], rc = SL_OK, alive = 0;

	if (pids == NULL || mkdtemp(dir) == NULL || pipe(fds) != 0) {
		fprintf(stderr, "sluice-test: cannot start workers: %s\n", strerror(errno));
		free(pids);
		return SL_EIO;
	}
	fflush(stdout);
	fflush(stderr);
	for (int j = 0; j < jobs; j++) {
		pids[j] = fork();
		if (pids[j] == 0) {
			close(fds[1]);
			qtt_worker(run, fds[0], dir, files);
		}
		if (pids[j] > 0)
			alive++;
	}
	close(fds[0]);
	for (int32_t i = 0; i < nfiles; i++)
		if (write(fds[1], &i, sizeof(i)) != (ssize_t)sizeof(i))
			break;
	close(fds[1]);
	if (alive == 0) {
		fprintf(stderr, "sluice-test: cannot start workers: %s\n", strerror(errno));
		rc = SL_EIO;
	}
	for (int i = 0; i < nfiles; i++) {
		char *res = qtt_job_path(dir, i, "res");
		struct timespec pause = { 0, 20 * 1000000 };
		/* wait for file i; a worker that died leaves it missing */
		while (access(res, F_OK) != 0 && alive > 0) {
			int status;
			pid_t pid = waitpid(-1, &status, WNOHANG);
			if (pid > 0) {
				alive--;
				if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
					fprintf(stderr, "sluice-test: a worker died (status %d)\n", status);
				continue;
			}
			nanosleep(&pause, NULL);
		}
		if (access(res, F_OK) != 0) {
			fprintf(stderr, "sluice-test: %s: no result (its worker died)\n", files[i]);
			rc = SL_EIO;
		} else if (qtt_collect(run, dir, i) != SL_OK) {
			rc = SL_EIO;
		}
		free(res);
	}
	while (wait(NULL) > 0)
		;
	rmdir(dir);
	free(pids);
	return rc;
}

int
sl_test_qtt(const sl_test_opts_t *opts, int nfiles, char **files, sl_test_counts_t *counts)
{
	qtt_run_t run = { .opts = opts, .counts = counts };
	int rc = SL_OK, missing = 0;
	int jobs = opts->jobs > 0 ? opts->jobs : 1;

	if (opts->filter != NULL) {
		int e = regcomp(&run.filter, opts->filter, REG_EXTENDED | REG_NOSUB);
		if (e != 0) {
			char msg[256];
			regerror(e, &run.filter, msg, sizeof(msg));
			fprintf(stderr, "sluice-test: --filter %s: %s\n", opts->filter, msg);
			return SL_EIO;
		}
		run.has_filter = true;
	}
	run.paths = files;
	run.files = calloc((size_t)nfiles + 1, sizeof(*run.files));
	for (int i = 0; i < nfiles; i++)
		run.files[run.nfiles++] = strdup(qtt_basename(files[i]));
	if (jobs > nfiles)
		jobs = nfiles;
	if (jobs > 1) {
		rc = qtt_run_parallel(&run, jobs, nfiles, files);
	} else {
		for (int i = 0; i < nfiles; i++)
			if (qtt_file(&run, files[i]) != SL_OK)
				rc = SL_EIO;
	}
	if (opts->list_passing != NULL && qtt_list_passing(&run, opts->list_passing) != SL_OK)
		rc = SL_EIO;
	if (opts->require_passing != NULL) {
		if (qtt_require_passing(&run, opts->require_passing, &missing) != SL_OK)
			rc = SL_EIO;
		counts->required_failed = missing;
	}
	for (int i = 0; i < run.nresults; i++)
		free(run.results[i].name);
	free(run.results);
	for (int i = 0; i < run.nfiles; i++)
		free(run.files[i]);
	free(run.files);
	if (run.has_filter)
		regfree(&run.filter);
	return rc;
}

/* ---- ksql-test-runner triplets ---- */

/* Reads path as JSON and returns its member name (an array), or NULL after
 * printing why.  *root receives the document to delete. */
static const cJSON *
qtt_triplet_json(const char *path, const char *member, cJSON **root)
{
	char *text = NULL;
	size_t len = 0;
	const cJSON *arr;

	*root = NULL;
	if (sl_test_file_read(path, &text, &len) != SL_OK)
		return NULL;
	*root = cJSON_ParseWithLength(text, len);
	free(text);
	if (*root == NULL) {
		fprintf(stderr, "sluice-test: %s: invalid JSON\n", path);
		return NULL;
	}
	arr = cJSON_GetObjectItemCaseSensitive(*root, member);
	if (!cJSON_IsArray(arr)) {
		fprintf(stderr, "sluice-test: %s: no \"%s\" array\n", path, member);
		return NULL;
	}
	return arr;
}

int
sl_test_triplet(const sl_test_opts_t *opts, const char *sql_path, const char *in_path,
		const char *out_path, sl_test_counts_t *counts)
{
	sl_test_case_t c = { 0 };
	cJSON *in_root = NULL, *out_root = NULL;
	char *text = NULL;
	size_t len = 0;
	sl_test_stmt_t *stmts = NULL;
	sl_arena_t a;
	sl_error_t err;
	sl_strbuf_t why;
	int n = 0, rc = SL_EIO;

	sl_arena_init(&a, 0);
	sl_strbuf_init(&why);
	if (sl_test_file_read(sql_path, &text, &len) != SL_OK)
		goto done;
	if (sl_test_script_split(text, len, &a, &stmts, &n, &err) != SL_OK) {
		sl_error_locate(&err, text, len);
		fprintf(stderr, "sluice-test: %s:%d:%d: %s\n", sql_path, err.line, err.col, err.msg);
		goto done;
	}
	c.inputs = in_path != NULL ? qtt_triplet_json(in_path, "inputs", &in_root) : NULL;
	c.outputs = qtt_triplet_json(out_path, "outputs", &out_root);
	if ((in_path != NULL && c.inputs == NULL) || c.outputs == NULL)
		goto done;
	c.stmts = calloc((size_t)n + 1, sizeof(*c.stmts));
	for (int i = 0; i < n; i++)
		c.stmts[i] = strndup(text + stmts[i].start, stmts[i].end - stmts[i].start);
	c.nstmts = n;
	if (sl_test_case_run(&c, opts->verbose, &why)) {
		printf("ok %s\n", sql_path);
		if (opts->verbose)
			qtt_print_detail(why.data);
		counts->passed++;
	} else {
		size_t first = strcspn(why.data, "\n");
		printf("FAIL %s: %.*s\n", sql_path, (int)first, why.data);
		if (why.data[first] == '\n')
			qtt_print_detail(why.data + first + 1);
		counts->failed++;
	}
	rc = SL_OK;

done:
	for (int i = 0; i < c.nstmts; i++)
		free(c.stmts[i]);
	free(c.stmts);
	cJSON_Delete(in_root);
	cJSON_Delete(out_root);
	free(text);
	sl_strbuf_free(&why);
	sl_arena_destroy(&a);
	return rc;
}
