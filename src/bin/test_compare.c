/*
 * test_compare.c: matching what a query wrote with what a test expects.
 *
 * Used by the engine-backed modes of sluice-test (test_case.c).  Takes the
 * expected values of a test file and the values decoded from the output
 * topics (both cJSON), or a source of the catalog and the schema string
 * ksqlDB's post-conditions give for it; hands on a yes or no, and for
 * schemas what differs.  The value rules are those of ksqlDB's
 * ExpectedRecordComparator, so that a case passes here exactly when the
 * record would pass there (numbers excepted: cJSON keeps no number text,
 * so 1.50 and 1.5 are the same number here).
 */
#include "sluice_test.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "expr/type.h"
#include "parse/parser.h"
#include "state/catalog.h"

/* ---- values ---- */

static bool
compare_is_null(const cJSON *v)
{
	return v == NULL || cJSON_IsNull(v);
}

/* Parses s as a whole number or decimal ("1", "-2.50", "1e3"). */
static bool
compare_text_number(const char *s, double *out)
{
	char *end;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	*out = strtod(s, &end);
	return *end == '\0' && errno != ERANGE && isfinite(*out);
}

static bool
compare_number(double expected, const cJSON *actual, bool lenient)
{
	double d;

	if (cJSON_IsNumber(actual))
		return expected == actual->valuedouble;
	if (lenient && cJSON_IsString(actual) && compare_text_number(actual->valuestring, &d))
		return expected == d;
	return false;
}

/* The member name of actual's object: exact, else upper-cased (ksqlDB
 * looks a missing field up again by its upper-case name). */
static const cJSON *
compare_member(const cJSON *actual, const char *name)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(actual, name);
	char upper[256];
	size_t n = strlen(name);

	if (m != NULL || n >= sizeof(upper))
		return m;
	for (size_t i = 0; i <= n; i++)
		upper[i] = (char)toupper((unsigned char)name[i]);
	return cJSON_GetObjectItemCaseSensitive(actual, upper);
}

bool
sl_test_json_match(const cJSON *expected, const cJSON *actual, bool lenient)
{
	const cJSON *e, *a;
	double d;

	if (compare_is_null(expected))
		return compare_is_null(actual);
	if (compare_is_null(actual))
		return false;
	if (cJSON_IsObject(expected)) {
		if (!cJSON_IsObject(actual) ||
		    cJSON_GetArraySize(expected) != cJSON_GetArraySize(actual))
			return false;
		for (e = expected->child; e != NULL; e = e->next)
			if (!sl_test_json_match(e, compare_member(actual, e->string), lenient))
				return false;
		return true;
	}
	if (cJSON_IsArray(expected)) {
		if (!cJSON_IsArray(actual) ||
		    cJSON_GetArraySize(expected) != cJSON_GetArraySize(actual))
			return false;
		for (e = expected->child, a = actual->child; e != NULL; e = e->next, a = a->next)
			if (!sl_test_json_match(e, a, lenient))
				return false;
		return true;
	}
	if (cJSON_IsNumber(expected))
		return compare_number(expected->valuedouble, actual, lenient);
	if (cJSON_IsString(expected)) {
		if (cJSON_IsString(actual))
			return strcmp(expected->valuestring, actual->valuestring) == 0;
		/* ksqlDB writes a decimal as "1.50" or as 1.50 */
		return cJSON_IsNumber(actual) && compare_text_number(expected->valuestring, &d) &&
		       d == actual->valuedouble;
	}
	if (cJSON_IsBool(expected)) {
		if (cJSON_IsBool(actual))
			return cJSON_IsTrue(expected) == cJSON_IsTrue(actual);
		return lenient && cJSON_IsString(actual) &&
		       strcmp(actual->valuestring, cJSON_IsTrue(expected) ? "true" : "false") == 0;
	}
	return false;
}

void
sl_test_json_append(sl_strbuf_t *out, const cJSON *v)
{
	char *text;

	if (v == NULL) {
		sl_strbuf_puts(out, "null");
		return;
	}
	text = cJSON_PrintUnformatted(v);
	sl_strbuf_puts(out, text != NULL ? text : "?");
	cJSON_free(text);
}

/* ---- schemas ---- */

void
sl_test_schema_format(sl_strbuf_t *out, const sl_source_t *src)
{
	for (int i = 0; i < src->ncols; i++) {
		const sl_column_t *col = &src->cols[i];
		if (i > 0)
			sl_strbuf_puts(out, ", ");
		sl_strbuf_printf(out, "`%s` ", col->name);
		sl_type_format(out, col->type);
		if (col->ns == SL_COL_KEY)
			sl_strbuf_puts(out, " KEY");
		else if (col->ns == SL_COL_HEADERS)
			sl_strbuf_puts(out, " HEADERS");
		else if (col->ns == SL_COL_HEADER)
			sl_strbuf_printf(out, " HEADER('%s')", col->header_key);
	}
}

/* The namespace a column definition's constraint puts it in. */
static sl_col_ns_t
compare_ns(int cons)
{
	switch (cons) {
	case SL_CONS_KEY:
	case SL_CONS_PRIMARY_KEY:
		return SL_COL_KEY;
	case SL_CONS_HEADERS:
		return SL_COL_HEADERS;
	case SL_CONS_HEADER:
		return SL_COL_HEADER;
	default:
		return SL_COL_VALUE;
	}
}

/* Parses a ksqlDB schema string into its LIST of COLUMN_DEF by wrapping it
 * in a CREATE statement (the parser does the types and the quoting).
 * Returns NULL when it does not parse. */
static const sl_node_t *
compare_parse_schema(const char *schema, sl_arena_t *a)
{
	static const char *const forms[] = {
		"CREATE STREAM S (%s) WITH (KAFKA_TOPIC='t');",
		"CREATE TABLE S (%s) WITH (KAFKA_TOPIC='t');",
	};
	sl_strbuf_t sql;
	sl_node_t *node = NULL;
	sl_error_t err;

	sl_strbuf_init(&sql);
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		sl_strbuf_reset(&sql);
		sl_strbuf_printf(&sql, forms[i], schema);
		if (sl_parse_one(sql.data, sql.len, a, &node, &err) == SL_OK &&
		    node->kind == SL_N_CREATE_SOURCE && sl_ast_kid(node, 0) != NULL)
			break;
		node = NULL;
	}
	sl_strbuf_free(&sql);
	return node != NULL ? sl_ast_kid(node, 0) : NULL;
}

bool
sl_test_schema_match(const char *expected, const sl_source_t *src, sl_strbuf_t *why)
{
	const sl_node_t *cols;
	sl_arena_t a;
	sl_error_t err;
	sl_strbuf_t actual;
	bool ok = true;
	const char *p = expected;

	while (isspace((unsigned char)*p))
		p++;
	sl_arena_init(&a, 0);
	sl_strbuf_init(&actual);
	sl_test_schema_format(&actual, src);
	if (*p == '\0') {
		ok = src->ncols == 0;
		goto done;
	}
	cols = compare_parse_schema(expected, &a);
	if (cols == NULL) {
		sl_strbuf_printf(why, "cannot parse the expected schema \"%s\"", expected);
		ok = false;
		goto out;
	}
	if (cols->nkids != src->ncols) {
		ok = false;
		goto done;
	}
	for (int i = 0; i < cols->nkids && ok; i++) {
		const sl_node_t *def = cols->kids[i];
		const sl_column_t *col = &src->cols[i];
		const sl_type_t *t;

		if (sl_type_from_ast(sl_ast_kid(def, 0), &a, NULL, NULL, &t, &err) != SL_OK) {
			sl_strbuf_printf(why, "expected schema \"%s\": %s", expected, err.msg);
			ok = false;
			goto out;
		}
		ok = strcmp(def->str, col->name) == 0 && sl_type_equal(t, col->type) &&
		     compare_ns(def->op) == col->ns &&
		     (col->ns != SL_COL_HEADER ||
		      (def->str2 != NULL && col->header_key != NULL &&
		       strcmp(def->str2, col->header_key) == 0));
	}

done:
	if (!ok)
		sl_strbuf_printf(why, "schema of %s: expected %s, got %s", src->name, expected,
				 actual.data);
out:
	sl_strbuf_free(&actual);
	sl_arena_destroy(&a);
	return ok;
}
