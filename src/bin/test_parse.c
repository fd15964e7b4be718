/*
 * test_parse.c: sluice-test --parse-only, the front end's compatibility run.
 *
 * Takes .sql scripts and ksqlDB query-validation test files (.json, see
 * ../shared/qtt/README.md); parses every statement and checks that its
 * canonical text parses back to the same tree.  Hands on one verdict per
 * .sql statement and per .json case expansion (one per {FORMAT} listed),
 * and prints a report for each failure.  No engine is involved.
 */
#include "sluice_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "parse/parser.h"

/* A ksqlDB test case being run: what its failure reports are headed with. */
typedef struct parse_case {
	const char *path;
	const char *name;
	const char *format; /* the {FORMAT} of this expansion, or NULL */
	bool expect_error;  /* expectedException / expectedError present */
} parse_case_t;

static bool
parse_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Prints text followed by a newline unless it already ends with one. */
static void
parse_print_text(const char *text, size_t len)
{
	fwrite(text, 1, len, stdout);
	if (len == 0 || text[len - 1] != '\n')
		putchar('\n');
}

/* ---- .sql scripts ---- */

/* The file position of an error in the statement that starts at byte
 * start of the file. */
static void
parse_file_position(const char *text, size_t len, size_t start, const sl_error_t *err, int *line,
		    int *col)
{
	if (err->offset >= 0) {
		sl_text_position(text, len, (int)start + err->offset, line, col);
		return;
	}
	sl_text_position(text, len, (int)start, line, col);
	if (err->line > 1) {
		*line += err->line - 1;
		*col = err->col;
	} else if (err->line == 1) {
		*col += err->col - 1;
	}
}

static void
parse_only_sql(const char *path, const char *text, size_t len, sl_test_counts_t *counts)
{
	sl_arena_t a, sa;
	sl_test_stmt_t *stmts = NULL;
	sl_strbuf_t canon, why;
	sl_error_t err;
	int n = 0, line, col;

	sl_arena_init(&a, 0);
	sl_arena_init(&sa, 0);
	sl_strbuf_init(&canon);
	sl_strbuf_init(&why);
	if (sl_test_script_split(text, len, &a, &stmts, &n, &err) != SL_OK) {
		parse_file_position(text, len, 0, &err, &line, &col);
		printf("%s:%d:%d: %s\n", path, line, col, err.msg);
		counts->failed++;
		goto done;
	}
	for (int i = 0; i < n; i++) {
		const char *st = text + stmts[i].start;
		size_t sn = stmts[i].end - stmts[i].start;
		sl_node_t *node = NULL;

		sl_arena_reset(&sa);
		sl_strbuf_reset(&canon);
		sl_strbuf_reset(&why);
		if (sl_parse_one(st, sn, &sa, &node, &err) != SL_OK) {
			parse_file_position(text, len, stmts[i].start, &err, &line, &col);
			printf("%s:%d:%d: %s\n", path, line, col, err.msg);
			counts->failed++;
			continue;
		}
		if (sl_test_roundtrip(node, &canon, &why) != SL_OK) {
			sl_text_position(text, len, (int)stmts[i].start, &line, &col);
			printf("%s:%d:%d: round trip mismatch\n%s", path, line, col, why.data);
			counts->failed++;
			continue;
		}
		counts->passed++;
	}

done:
	sl_strbuf_free(&why);
	sl_strbuf_free(&canon);
	sl_arena_destroy(&sa);
	sl_arena_destroy(&a);
}

/* ---- ksqlDB query-validation test files ---- */

/* Prints the head of a failure report of statement index (1-based). */
static void
parse_case_head(const parse_case_t *pc, int index)
{
	printf("%s: %s", pc->path, pc->name);
	if (pc->format != NULL)
		printf(" [%s]", pc->format);
	printf(": statement %d: ", index);
}

/* Copies s into out with every {FORMAT} replaced by format (if any). */
static void
parse_substitute(sl_strbuf_t *out, const char *s, const char *format)
{
	static const char key[] = "{FORMAT}";
	const char *p;

	while (format != NULL && (p = strstr(s, key)) != NULL) {
		sl_strbuf_append(out, s, (size_t)(p - s));
		sl_strbuf_puts(out, format);
		s = p + sizeof(key) - 1;
	}
	sl_strbuf_puts(out, s);
}

/*
 * Runs one expansion of a case: parses each statement string and checks
 * the round trip of every statement it holds.  A parse error is a failure
 * unless the case expects an error (ksqlDB may have expected exactly that
 * syntax error); a round trip mismatch is always one, since whatever the
 * parser accepts must print back to itself.  Returns true when it passed.
 */
static bool
parse_case_run(const parse_case_t *pc, const cJSON *statements)
{
	sl_arena_t a;
	sl_strbuf_t text, canon, why;
	sl_stmt_list_t list;
	sl_error_t err;
	const cJSON *st;
	bool ok = true;
	int index = 0;

	sl_arena_init(&a, 0);
	sl_strbuf_init(&text);
	sl_strbuf_init(&canon);
	sl_strbuf_init(&why);
	for (st = statements->child; st != NULL; st = st->next) {
		index++;
		if (!cJSON_IsString(st)) {
			parse_case_head(pc, index);
			printf("not a string\n");
			ok = false;
			continue;
		}
		sl_arena_reset(&a);
		sl_strbuf_reset(&text);
		parse_substitute(&text, st->valuestring, pc->format);
		if (sl_parse(text.data, text.len, &a, &list, &err) != SL_OK) {
			char msg[SL_ERROR_MSG_MAX + 32];
			if (pc->expect_error)
				continue;
			if (err.line == 0)
				sl_error_locate(&err, text.data, text.len);
			sl_error_format(&err, msg, sizeof(msg));
			parse_case_head(pc, index);
			printf("%s\n", msg);
			parse_print_text(text.data, text.len);
			ok = false;
			continue;
		}
		for (int i = 0; i < list.n; i++) {
			sl_strbuf_reset(&canon);
			sl_strbuf_reset(&why);
			if (sl_test_roundtrip(list.items[i].node, &canon, &why) == SL_OK)
				continue;
			parse_case_head(pc, index);
			printf("round trip mismatch\n%s", why.data);
			ok = false;
		}
	}
	sl_strbuf_free(&why);
	sl_strbuf_free(&canon);
	sl_strbuf_free(&text);
	sl_arena_destroy(&a);
	return ok;
}

/* Runs every expansion of the test case tc (index is its position in
 * "tests", for cases without a name). */
static void
parse_case(const char *path, const cJSON *tc, int index, sl_test_counts_t *counts)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(tc, "name");
	const cJSON *statements = cJSON_GetObjectItemCaseSensitive(tc, "statements");
	const cJSON *formats = cJSON_GetObjectItemCaseSensitive(tc, "format");
	const cJSON *fmt;
	char unnamed[32];
	parse_case_t pc = { .path = path, .format = NULL };

	if (cJSON_IsString(name)) {
		pc.name = name->valuestring;
	} else {
		snprintf(unnamed, sizeof(unnamed), "(case %d)", index + 1);
		pc.name = unnamed;
	}
	pc.expect_error = cJSON_HasObjectItem(tc, "expectedException") ||
			  cJSON_HasObjectItem(tc, "expectedError");
	if (!cJSON_IsArray(statements)) {
		printf("%s: %s: no \"statements\" array\n", path, pc.name);
		counts->failed++;
		return;
	}
	if (!cJSON_IsArray(formats) || cJSON_GetArraySize(formats) == 0) {
		if (parse_case_run(&pc, statements))
			counts->passed++;
		else
			counts->failed++;
		return;
	}
	for (fmt = formats->child; fmt != NULL; fmt = fmt->next) {
		pc.format = cJSON_IsString(fmt) ? fmt->valuestring : "?";
		if (parse_case_run(&pc, statements))
			counts->passed++;
		else
			counts->failed++;
	}
}

static int
parse_only_json(const char *path, const char *text, size_t len, sl_test_counts_t *counts)
{
	cJSON *root = cJSON_ParseWithLength(text, len);
	const cJSON *tests, *tc;
	int index = 0, rc = SL_OK;

	if (root == NULL) {
		const char *at = cJSON_GetErrorPtr();
		fprintf(stderr, "sluice-test: %s: invalid JSON near byte %ld\n", path,
			at != NULL ? (long)(at - text) : -1L);
		return SL_EIO;
	}
	tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
	if (!cJSON_IsArray(tests)) {
		fprintf(stderr, "sluice-test: %s: no \"tests\" array\n", path);
		rc = SL_EIO;
		goto done;
	}
	for (tc = tests->child; tc != NULL; tc = tc->next) {
		parse_case(path, tc, index, counts);
		index++;
	}

done:
	cJSON_Delete(root);
	return rc;
}

int
sl_test_parse_only(int nfiles, char **files, sl_test_counts_t *counts)
{
	int rc = SL_OK;

	for (int i = 0; i < nfiles; i++) {
		const char *path = files[i];
		char *text = NULL;
		size_t len = 0;

		if (!parse_has_suffix(path, ".sql") && !parse_has_suffix(path, ".json")) {
			fprintf(stderr, "sluice-test: %s: not a .sql or .json file\n", path);
			rc = SL_EIO;
			continue;
		}
		if (sl_test_file_read(path, &text, &len) != SL_OK) {
			rc = SL_EIO;
			continue;
		}
		if (parse_has_suffix(path, ".json")) {
			if (parse_only_json(path, text, len, counts) != SL_OK)
				rc = SL_EIO;
		} else {
			parse_only_sql(path, text, len, counts);
		}
		free(text);
	}
	return rc;
}
