/*
 * sluice_test.c: sluice-test, the SQL regression runner (SPEC section 9).
 *
 * Takes SQL regression scripts, ksqlDB test files and ksql-test-runner
 * triplets; hands on a verdict per test, a closing line "N passed, N
 * failed" ("N passed, N failed, N skipped" for --qtt) and an exit status
 * (0 all passed, 1 some failed, 2 usage or I/O error).  This file holds main(),
 * the option parsing and the helpers the modes share; each mode is one
 * function in a file of its own (see sluice_test.h).
 */
#include "sluice_test.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "parse/parser.h"
#include "bin/malloc_tune.h"

typedef enum {
	TEST_MODE_REGRESS = 0, /* default: sql-tests/sql/NAME.sql vs expected */
	TEST_MODE_PARSE_ONLY,  /* --parse-only FILE... */
	TEST_MODE_QTT,         /* --qtt FILE... */
	TEST_MODE_TRIPLET,     /* -s statements.sql -i input.json -o output.json */
} test_mode_t;

static void
test_usage(FILE *f)
{
	fputs("usage: sluice-test [--update] [--results-dir DIR] [PATH...]\n"
	      "       sluice-test --parse-only FILE...\n"
	      "       sluice-test --qtt [--filter REGEX] [--verbose] [--jobs N]\n"
	      "                   [--list-passing FILE] [--require-passing FILE] FILE.json...\n"
	      "       sluice-test -s STATEMENTS.sql [-i INPUT.json] -o OUTPUT.json [--verbose]\n"
	      "\n"
	      "  PATH                a sql-tests directory (default \"sql-tests\")\n"
	      "                      or sql-tests/sql/NAME.sql files\n"
	      "  --update            copy results over the expected files\n"
	      "  --results-dir DIR   where NAME.out results go\n"
	      "                      (default \"sql-tests/results\")\n"
	      "  --parse-only FILE   parse .sql scripts or ksqlDB query-validation\n"
	      "                      .json files and check the print/parse round trip\n"
	      "  --qtt FILE.json     run ksqlDB query-validation test cases on the engine\n"
	      "                      (the REST test files through the HTTP server)\n"
	      "  --filter REGEX      --qtt: only cases whose name (\"file.json: case\n"
	      "                      [FORMAT]\") matches the extended regex\n"
	      "  -v, --verbose       --qtt, -s: details for passing cases too\n"
	      "  -j, --jobs N        --qtt: run the files in N processes (default: 4 per\n"
	      "                      CPU; the output is the same as with -j 1)\n"
	      "  --list-passing FILE --qtt: write the names of the passing cases to FILE\n"
	      "  --require-passing FILE\n"
	      "                      --qtt: exit 1 only when a case named in FILE did\n"
	      "                      not pass (other failures are reported, not fatal)\n"
	      "  -s, -i, -o          a ksql-test-runner test: statements, input records\n"
	      "                      ({\"inputs\": [...]}) and expected outputs\n"
	      "  -h, --help          show this help\n",
	      f);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "parse-only", no_argument, NULL, 'p' },
		{ "qtt", no_argument, NULL, 'q' },
		{ "update", no_argument, NULL, 'u' },
		{ "results-dir", required_argument, NULL, 'r' },
		{ "filter", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "list-passing", required_argument, NULL, 'L' },
		{ "require-passing", required_argument, NULL, 'R' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	sl_test_opts_t opts = { .update = false, .results_dir = "sql-tests/results" };
	test_mode_t mode = TEST_MODE_REGRESS;
	sl_test_counts_t counts = { 0, 0, 0, 0 };
	const char *sql_path = NULL, *in_path = NULL, *out_path = NULL;
	bool qtt_only = false;
	int c, rc;

	sl_malloc_tune();
	while ((c = getopt_long(argc, argv, "hvj:s:i:o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			mode = TEST_MODE_PARSE_ONLY;
			break;
		case 'q':
			mode = TEST_MODE_QTT;
			break;
		case 'u':
			opts.update = true;
			break;
		case 'r':
			opts.results_dir = optarg;
			break;
		case 'f':
			opts.filter = optarg;
			qtt_only = true;
			break;
		case 'v':
			opts.verbose = true;
			break;
		case 'L':
			opts.list_passing = optarg;
			qtt_only = true;
			break;
		case 'R':
			opts.require_passing = optarg;
			qtt_only = true;
			break;
		case 'j':
			opts.jobs = atoi(optarg);
			if (opts.jobs < 1 || opts.jobs > 256) {
				fprintf(stderr, "sluice-test: --jobs %s: give 1 to 256\n", optarg);
				return 2;
			}
			qtt_only = true;
			break;
		case 's':
			sql_path = optarg;
			break;
		case 'i':
			in_path = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'h':
			test_usage(stdout);
			return 0;
		default:
			test_usage(stderr);
			return 2;
		}
	}
	int nargs = argc - optind;
	char **args = argv + optind;

	if (sql_path != NULL || in_path != NULL || out_path != NULL) {
		if (mode != TEST_MODE_REGRESS || sql_path == NULL || out_path == NULL ||
		    nargs > 0 || opts.update) {
			test_usage(stderr);
			return 2;
		}
		mode = TEST_MODE_TRIPLET;
	}
	if (qtt_only && mode != TEST_MODE_QTT) {
		test_usage(stderr);
		return 2;
	}

	switch (mode) {
	case TEST_MODE_PARSE_ONLY:
		if (nargs == 0 || opts.update) {
			test_usage(stderr);
			return 2;
		}
		rc = sl_test_parse_only(nargs, args, &counts);
		break;
	case TEST_MODE_QTT:
		if (nargs == 0 || opts.update) {
			test_usage(stderr);
			return 2;
		}
		if (opts.jobs == 0) {
			long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
			opts.jobs = ncpu > 0 ? (int)(ncpu * 4 > 32 ? 32 : ncpu * 4) : 4;
		}
		rc = sl_test_qtt(&opts, nargs, args, &counts);
		printf("%d passed, %d failed, %d skipped\n", counts.passed, counts.failed,
		       counts.skipped);
		if (rc != SL_OK)
			return 2;
		if (opts.require_passing != NULL)
			return counts.required_failed > 0 ? 1 : 0;
		return counts.failed > 0 ? 1 : 0;
	case TEST_MODE_TRIPLET:
		rc = sl_test_triplet(&opts, sql_path, in_path, out_path, &counts);
		break;
	case TEST_MODE_REGRESS:
	default: {
		static char *def[] = { "sql-tests" };
		if (nargs == 0) {
			nargs = 1;
			args = def;
		}
		rc = sl_test_regress(&opts, nargs, args, &counts);
		break;
	}
	}

	printf("%d passed, %d failed\n", counts.passed, counts.failed);
	if (rc != SL_OK)
		return 2;
	return counts.failed > 0 ? 1 : 0;
}

/* ---- files ---- */

int
sl_test_file_read(const char *path, char **data, size_t *len)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;

	errno = 0;
	f = fopen(path, "rb");
	if (f == NULL)
		goto fail;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 65536;
			char *p = realloc(buf, cap + 1);
			if (p == NULL) {
				errno = ENOMEM;
				goto fail;
			}
			buf = p;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return SL_OK;

fail:
	fprintf(stderr, "sluice-test: cannot read %s: %s\n", path, strerror(errno ? errno : EIO));
	if (f != NULL)
		fclose(f);
	free(buf);
	return SL_EIO;
}

int
sl_test_file_write(const char *path, const char *data, size_t len)
{
	FILE *f;

	errno = 0;
	f = fopen(path, "wb");
	if (f == NULL)
		goto fail;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0)
		goto fail;
	return SL_OK;

fail:
	fprintf(stderr, "sluice-test: cannot write %s: %s\n", path, strerror(errno ? errno : EIO));
	return SL_EIO;
}

int
sl_test_mkdirs(const char *path)
{
	sl_strbuf_t sb;
	int rc = SL_OK;

	sl_strbuf_init(&sb);
	sl_strbuf_puts(&sb, path);
	/* create each prefix ending before a '/', then the whole path */
	for (size_t i = 1; i <= sb.len; i++) {
		if (i < sb.len && sb.data[i] != '/')
			continue;
		char saved = sb.data[i];
		sb.data[i] = '\0';
		if (mkdir(sb.data, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "sluice-test: cannot create %s: %s\n", sb.data,
				strerror(errno));
			rc = SL_EIO;
		}
		sb.data[i] = saved;
		if (rc != SL_OK)
			break;
	}
	sl_strbuf_free(&sb);
	return rc;
}

int64_t
sl_test_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- scripts ---- */

static bool
script_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The first byte at or after i that is not whitespace or a comment.  An
 * unterminated block comment is not skipped: it belongs to a statement,
 * whose parse reports it. */
static size_t
script_skip_space(const char *t, size_t i, size_t end)
{
	for (;;) {
		while (i < end && script_is_space(t[i]))
			i++;
		if (i + 1 < end && t[i] == '-' && t[i + 1] == '-') {
			while (i < end && t[i] != '\n')
				i++;
			continue;
		}
		if (i + 1 < end && t[i] == '/' && t[i + 1] == '*') {
			size_t j = i + 2;
			while (j + 1 < end && !(t[j] == '*' && t[j + 1] == '/'))
				j++;
			if (j + 1 >= end)
				return i;
			i = j + 2;
			continue;
		}
		return i;
	}
}

/* The end of t[start..end) without trailing whitespace. */
static size_t
script_trim_end(const char *t, size_t start, size_t end)
{
	while (end > start && script_is_space(t[end - 1]))
		end--;
	return end;
}

int
sl_test_script_split(const char *text, size_t len, sl_arena_t *a, sl_test_stmt_t **stmts, int *n,
		     sl_error_t *err)
{
	sl_span_t *spans = NULL;
	sl_test_stmt_t *out;
	sl_error_t cut_err;
	size_t tail = len; /* where an unterminated construct cuts the script */
	size_t prev = 0;
	int nspans = 0, k = 0;

	if (sl_split(text, len, a, &spans, &nspans, err) != SL_OK) {
		/* split what precedes the open construct; the statement that
		 * holds it runs to the end of the script */
		if (err->offset < 0 || (size_t)err->offset > len)
			return SL_ESYNTAX;
		tail = (size_t)err->offset;
		if (sl_split(text, tail, a, &spans, &nspans, &cut_err) != SL_OK) {
			*err = cut_err;
			return SL_ESYNTAX;
		}
	}

	out = sl_arena_calloc(a, sizeof(*out) * (size_t)(nspans + 1));
	for (int i = 0; i < nspans; i++) {
		size_t e = (size_t)spans[i].offset + (size_t)spans[i].len;
		size_t s = script_skip_space(text, (size_t)spans[i].offset, e);
		e = script_trim_end(text, s, e);
		if (s >= e)
			continue;
		out[k].gap = prev;
		out[k].start = s;
		out[k].end = e;
		prev = e;
		k++;
	}
	if (tail < len) {
		if (k > 0 && text[out[k - 1].end - 1] != ';') {
			/* the open construct is inside the last statement */
			out[k - 1].end = script_trim_end(text, out[k - 1].start, len);
		} else {
			out[k].gap = prev;
			out[k].start = script_skip_space(text, prev, len);
			out[k].end = script_trim_end(text, out[k].start, len);
			k++;
		}
	}
	*stmts = out;
	*n = k;
	sl_error_clear(err);
	return SL_OK;
}

/* ---- the parse round trip ---- */

int
sl_test_roundtrip(const sl_node_t *node, sl_strbuf_t *canon, sl_strbuf_t *why)
{
	sl_arena_t a;
	sl_node_t *again = NULL;
	sl_error_t err;
	sl_strbuf_t text;
	int rc = SL_OK;

	sl_arena_init(&a, 0);
	sl_strbuf_init(&text);
	sl_ast_print(canon, node);
	if (sl_parse_one(canon->data, canon->len, &a, &again, &err) != SL_OK) {
		char pos[SL_ERROR_MSG_MAX + 32];
		sl_error_locate(&err, canon->data, canon->len);
		sl_error_format(&err, pos, sizeof(pos));
		sl_strbuf_printf(why, "  canonical text does not parse: %s\n", pos);
		sl_strbuf_printf(why, "  canonical: %s\n", canon->data);
		rc = SL_ERR;
		goto done;
	}
	if (sl_ast_equal(node, again))
		goto done;

	sl_ast_print(&text, again);
	sl_strbuf_printf(why, "  canonical: %s\n  reparsed:  %s\n", canon->data, text.data);
	sl_strbuf_reset(&text);
	sl_ast_dump(&text, node);
	sl_strbuf_printf(why, "  tree:      %s\n", text.data);
	sl_strbuf_reset(&text);
	sl_ast_dump(&text, again);
	sl_strbuf_printf(why, "  reparsed:  %s\n", text.data);
	rc = SL_ERR;

done:
	sl_strbuf_free(&text);
	sl_arena_destroy(&a);
	return rc;
}
