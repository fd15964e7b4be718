/*
 * check_format.c: unit tests of src/format (the serdes).
 *
 * Layer: format.  Table-driven: JSON decoding with every coercion and
 * error rule, malformed and hostile JSON (truncation, deep nesting, bad
 * UTF-8, huge numbers), a differential check of the JSON parser against
 * cJSON on generated documents, DELIMITED parsing and ksqlDB's quoting
 * (outputs taken from ksqlDB's own test files), KAFKA byte layouts, what
 * sl_serde_create() refuses and with which message, the scalar text
 * conversions (Java's Double.toString, BigDecimal), and the conversions of
 * ksqlDB test-file values to payloads and back.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/type.h"
#include "expr/value.h"
#include "format/qtt.h"
#include "format/scalar.h"
#include "format/serde.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

/* ---- helpers: types from text ---- */

static sl_arena_t types; /* lives for the whole run */

static void
skip_sp(const char **p)
{
	while (**p == ' ')
		(*p)++;
}

static bool
take(const char **p, const char *word)
{
	size_t n = strlen(word);

	skip_sp(p);
	if (strncmp(*p, word, n) != 0)
		return false;
	*p += n;
	return true;
}

static const char *
parse_name(const char **p)
{
	char buf[128];
	size_t n = 0;

	skip_sp(p);
	if (**p == '`') {
		(*p)++;
		while (**p && **p != '`')
			buf[n++] = *(*p)++;
		(*p)++;
	} else {
		while (**p && **p != ' ' && **p != ',' && **p != '>')
			buf[n++] = *(*p)++;
	}
	return sl_arena_strndup(&types, buf, n);
}

static const sl_type_t *
parse_type(const char **p)
{
	if (take(p, "INT"))
		return take(p, "EGER"), sl_type_int();
	if (take(p, "BIGINT"))
		return sl_type_bigint();
	if (take(p, "DOUBLE"))
		return sl_type_double();
	if (take(p, "BOOLEAN"))
		return sl_type_boolean();
	if (take(p, "STRING"))
		return sl_type_string();
	if (take(p, "BYTES"))
		return sl_type_bytes();
	if (take(p, "TIMESTAMP"))
		return sl_type_timestamp();
	if (take(p, "DATE"))
		return sl_type_date();
	if (take(p, "TIME"))
		return sl_type_time();
	if (take(p, "DECIMAL(")) {
		int prec = (int)strtol(*p, (char **)p, 10), scale;

		take(p, ",");
		scale = (int)strtol(*p, (char **)p, 10);
		take(p, ")");
		return sl_type_decimal(&types, prec, scale);
	}
	if (take(p, "ARRAY<")) {
		const sl_type_t *e = parse_type(p);

		take(p, ">");
		return sl_type_array(&types, e);
	}
	if (take(p, "MAP<")) {
		const sl_type_t *k = parse_type(p), *v;

		take(p, ",");
		v = parse_type(p);
		take(p, ">");
		return sl_type_map(&types, k, v);
	}
	if (take(p, "STRUCT<")) {
		sl_field_t f[32];
		int n = 0;

		while (!take(p, ">")) {
			take(p, ",");
			f[n].name = parse_name(p);
			f[n].type = parse_type(p);
			n++;
		}
		return sl_type_struct(&types, f, n);
	}
	ck_abort_msg("bad type in test: %s", *p);
	return NULL;
}

/* "A INT, B STRING" into cols; returns the count. */
static int
parse_cols(const char *spec, sl_field_t *cols)
{
	const char *p = spec;
	int n = 0;

	skip_sp(&p);
	while (*p) {
		cols[n].name = parse_name(&p);
		cols[n].type = parse_type(&p);
		n++;
		take(&p, ",");
		skip_sp(&p);
	}
	return n;
}

/* The columns of the serdes made by mk(), for rendering decoded rows. */
static struct {
	const sl_serde_t *s;
	sl_field_t cols[32];
} made[16];

static int made_next;

/* The latest serde at that address (a destroyed one's may be reused). */
static const sl_field_t *
cols_of(const sl_serde_t *s)
{
	for (int k = 1; k <= 16 && k <= made_next; k++)
		if (made[(made_next - k) % 16].s == s)
			return made[(made_next - k) % 16].cols;
	return NULL;
}

static sl_serde_t *
mk(sl_format_t f, const char *spec, bool is_key, sl_serde_wrap_t wrap, char delim)
{
	int next = made_next;
	sl_field_t *cols = made[next % 16].cols;
	int n = parse_cols(spec, cols);
	sl_serde_opts_t o = { .is_key = is_key, .wrap = wrap, .delimiter = delim };
	sl_serde_t *s = NULL;
	sl_error_t err;

	sl_error_clear(&err);
	ck_assert_msg(sl_serde_create(f, cols, n, &o, &s, &err) == SL_OK, "create %s: %s", spec,
		      err.msg);
	made[next % 16].s = s;
	made_next = next + 1;
	return s;
}

/* Decodes in, renders the row as {"COL":v,...} (always an object) into out. */
static int
decode_render(const sl_serde_t *s, const char *in, size_t len, sl_strbuf_t *out, sl_error_t *err)
{
	const sl_field_t *cols = cols_of(s);
	sl_arena_t a;
	sl_value_t vals[32];
	int rc;

	sl_arena_init(&a, 0);
	sl_error_clear(err);
	rc = sl_serde_decode(s, in, len, &a, vals, err);
	sl_strbuf_reset(out);
	if (rc == SL_OK) {
		/* a temporary wrapped JSON serde of the same columns renders */
		sl_strbuf_putc(out, '{');
		for (int i = 0; i < sl_serde_ncols(s); i++) {
			if (i > 0)
				sl_strbuf_putc(out, ',');
			sl_strbuf_printf(out, "\"%d\":", i);
			sl_serde_json_value(out, &vals[i], cols ? cols[i].type : NULL);
		}
		sl_strbuf_putc(out, '}');
	}
	sl_arena_destroy(&a);
	return rc;
}

/* ---- JSON decoding, table-driven ---- */

typedef struct jcase {
	const char *cols;
	int flags;        /* KEY, UNWRAP */
	const char *in;   /* NULL: a Kafka null */
	const char *want; /* rendered {"0":..,"1":..}; "NULL" for SL_SERDE_NULL */
	const char *err;  /* substring of the error, when one is expected */
} jcase_t;

#define KEY 1
#define UNWRAP 2

static const jcase_t json_cases[] = {
	/* objects, field lookup */
	{ "A INT, B STRING", 0, "{\"A\":1,\"B\":\"x\"}", "{\"0\":1,\"1\":\"x\"}", NULL },
	{ "A INT, B STRING", 0, "{\"b\":\"x\",\"a\":1}", "{\"0\":1,\"1\":\"x\"}", NULL },
	{ "A INT, B STRING", 0, " \r\n\t{ \"A\" : 1 , \"B\" : \"x\" } \n", "{\"0\":1,\"1\":\"x\"}",
	  NULL },
	{ "A INT, B STRING", 0, "{}", "{\"0\":null,\"1\":null}", NULL },
	{ "A INT, B STRING", 0, "{\"A\":null}", "{\"0\":null,\"1\":null}", NULL },
	{ "A INT, B STRING", 0,
	  "{\"X\":{\"deep\":[1,2,{\"y\":null,\"z\":[true,false]}]},\"A\":1,\"Y\":\"s\"}",
	  "{\"0\":1,\"1\":null}", NULL },
	/* exact case wins over upper-cased, wherever it is; last value wins */
	{ "`a` INT, A INT", 0, "{\"a\":5}", "{\"0\":5,\"1\":null}", NULL },
	{ "`a` INT, A INT", 0, "{\"A\":2,\"a\":1}", "{\"0\":1,\"1\":2}", NULL },
	{ "A INT", 0, "{\"A\":1,\"A\":2}", "{\"0\":2}", NULL },
	{ "A INT", 0, "{\"A\":1,\"a\":2}", "{\"0\":1}", NULL },
	{ "A INT", 0, "{\"a\":2,\"A\":1}", "{\"0\":1}", NULL },
	{ "A INT", 0, "{\"a\":2,\"a\":3}", "{\"0\":3}", NULL },
	/* a mixed-case column only matches exactly: ksqlDB upper-cases keys */
	{ "`Foo` INT", 0, "{\"foo\":1}", "{\"0\":null}", NULL },
	{ "`Foo` INT", 0, "{\"Foo\":1}", "{\"0\":1}", NULL },
	/* long and mixed-case names, near the end of the payload and not */
	{ "`abcdefghIJ` INT", 0, "{\"abcdefghij\":1,\"z\":0}", "{\"0\":null}", NULL },
	{ "`abcdefghIJ` INT", 0, "{\"abcdefghij\":1}", "{\"0\":null}", NULL },
	{ "`abcdefghIJ` INT", 0, "{\"abcdefghIJ\":1,\"z\":0}", "{\"0\":1}", NULL },
	{ "`ABCDEFGHij` INT", 0, "{\"abcdefghij\":1,\"zzzzzzzz\":0}", "{\"0\":null}", NULL },
	{ "`ABCDEFGHij` INT", 0, "{\"abcdefghij\":1}", "{\"0\":null}", NULL },
	{ "ABCDEFGHIJKLMNOPQ INT", 0, "{\"abcdefghijklmnopq\":1,\"zzzzzzzzzz\":0}", "{\"0\":1}",
	  NULL },
	{ "ABCDEFGHIJKLMNOPQ INT", 0, "{\"ABCDEFGHijklmnopQ\":1}", "{\"0\":1}", NULL },
	{ "ABCDEFGHIJKLMNOPQ INT", 0, "{\"ABCDEFGHijklmnopQ\":1,\"zzzzzzzzzz\":0}", "{\"0\":1}",
	  NULL },
	{ "ABCDEFGHIJKLMNOPQ INT", 0, "{\"ABCDEFGHIJKLMNOP\":1,\"zzzzzzzzzz\":0}", "{\"0\":null}",
	  NULL },
	{ "`Foo` INT", 0, "{\"foo\":1,\"padding_to_read_words\":0}", "{\"0\":null}", NULL },
	{ "A_1 INT, B_2 INT", 0, "{\"b_2\":2,\"a_1\":1}", "{\"0\":1,\"1\":2}", NULL },
	{ "\xc3\x89T\xc3\x89 INT", 0, "{\"\xc3\xa9t\xc3\xa9\":1}", "{\"0\":null}", NULL },
	/* escaped keys */
	{ "AB INT", 0, "{\"\\u0041B\":7}", "{\"0\":7}", NULL },
	/* nulls */
	{ "A INT", 0, NULL, "NULL", NULL },
	{ "A INT", 0, "null", "NULL", NULL },
	{ "A INT", 0, " null\n", "NULL", NULL },
	{ "V INT", UNWRAP, "null", "NULL", NULL },
	{ "K STRING", KEY, "null", "NULL", NULL },
	/* unwrapped values and keys */
	{ "V INT", UNWRAP, "10", "{\"0\":10}", NULL },
	{ "V BOOLEAN", UNWRAP, "true", "{\"0\":true}", NULL },
	{ "V ARRAY<STRING>", UNWRAP, "[\"a\",\"b\",null]", "{\"0\":[\"a\",\"b\",null]}", NULL },
	{ "V STRUCT<A DOUBLE>", UNWRAP, "{\"a\":45.67}", "{\"0\":{\"A\":45.67}}", NULL },
	{ "V MAP<STRING, DOUBLE>", UNWRAP, "{\"a\":45.67}", "{\"0\":{\"a\":45.67}}", NULL },
	{ "K STRING", KEY, "\"Hey\"", "{\"0\":\"Hey\"}", NULL },
	{ "K STRUCT<F DOUBLE>", KEY, "{\"f\":45.67}", "{\"0\":{\"F\":45.67}}", NULL },
	{ "K1 STRING, K2 STRING", KEY, "{\"K1\":\"a\",\"k2\":\"b\"}", "{\"0\":\"a\",\"1\":\"b\"}",
	  NULL },
	{ "K DECIMAL(6,4)", KEY, "12.365", "{\"0\":12.3650}", NULL },
	{ "A INT", 0, "10", NULL, "cannot convert JSON number to STRUCT<`A` INTEGER>, path: $" },
	{ "A INT", 0, "[1]", NULL, "cannot convert JSON array to STRUCT<`A` INTEGER>, path: $" },
	/* STRING from other JSON types, as Jackson writes them back */
	{ "S STRING", 0, "{\"S\":10}", "{\"0\":\"10\"}", NULL },
	{ "S STRING", 0, "{\"S\":-0}", "{\"0\":\"0\"}", NULL },
	{ "S STRING", 0, "{\"S\":1.50}", "{\"0\":\"1.50\"}", NULL },
	{ "S STRING", 0, "{\"S\":-0.0}", "{\"0\":\"0.0\"}", NULL },
	{ "S STRING", 0, "{\"S\":1e3}", "{\"0\":\"1E+3\"}", NULL },
	{ "S STRING", 0, "{\"S\":1.5e1}", "{\"0\":\"15\"}", NULL },
	{ "S STRING", 0, "{\"S\":0.0000001}", "{\"0\":\"1E-7\"}", NULL },
	{ "S STRING", 0, "{\"S\":0.000001}", "{\"0\":\"0.000001\"}", NULL },
	{ "S STRING", 0, "{\"S\":12.5E-3}", "{\"0\":\"0.0125\"}", NULL },
	{ "S STRING", 0, "{\"S\":true}", "{\"0\":\"true\"}", NULL },
	{ "S STRING", 0,
	  "{\"S\":{ \"ITEMID\" : 6, \"CATEGORY\": {\"ID\":2,\"NAME\":\"Food\"}, \"L\": [1, 2.50, \"\\u0041\\n\"]}}",
	  "{\"0\":\"{\\\"ITEMID\\\":6,\\\"CATEGORY\\\":{\\\"ID\\\":2,\\\"NAME\\\":\\\"Food\\\"},\\\"L\\\":[1,2.50,\\\"A\\\\n\\\"]}\"}",
	  NULL },
	{ "S STRING", 0, "{\"S\":[\"a\", 1, null, {\"x\":\"y\"}, [2, [3]], true, 1e2]}",
	  "{\"0\":\"[a, 1, null, {\\\"x\\\":\\\"y\\\"}, [2, [3]], true, 1E+2]\"}", NULL },
	{ "S STRING", 0, "{\"S\":[]}", "{\"0\":\"[]\"}", NULL },
	{ "S ARRAY<STRING>", 0, "{\"S\":[1, 2.5, true]}", "{\"0\":[\"1\",\"2.5\",\"true\"]}",
	  NULL },
	/* INT and BIGINT: numbers truncate (and wrap, as Java's intValue), strings parse */
	{ "I INT", 0, "{\"I\":\"123\"}", "{\"0\":123}", NULL },
	{ "I INT", 0, "{\"I\":\"+5\"}", "{\"0\":5}", NULL },
	{ "I INT", 0, "{\"I\":\"-2147483648\"}", "{\"0\":-2147483648}", NULL },
	{ "I INT", 0, "{\"I\":1.9}", "{\"0\":1}", NULL },
	{ "I INT", 0, "{\"I\":-1.9}", "{\"0\":-1}", NULL },
	{ "I INT", 0, "{\"I\":1e3}", "{\"0\":1000}", NULL },
	{ "I INT", 0, "{\"I\":1e-3}", "{\"0\":0}", NULL },
	{ "I INT", 0, "{\"I\":3000000000}", "{\"0\":-1294967296}", NULL },
	{ "I INT", 0, "{\"I\":1e999999999999999}", "{\"0\":0}", NULL },
	{ "I INT", 0, "{\"I\":\"abc\"}", NULL, "cannot coerce JSON string to INTEGER, path: $.I" },
	{ "I INT", 0, "{\"I\":\" 12\"}", NULL, "cannot coerce JSON string to INTEGER, path: $.I" },
	{ "I INT", 0, "{\"I\":\"1.5\"}", NULL, "cannot coerce JSON string to INTEGER, path: $.I" },
	{ "I INT", 0, "{\"I\":\"2147483648\"}", NULL, "cannot coerce JSON string to INTEGER" },
	{ "I INT", 0, "{\"I\":\"\"}", NULL, "cannot coerce JSON string to INTEGER" },
	{ "I INT", 0, "{\"I\":true}", NULL, "cannot convert JSON boolean to INTEGER, path: $.I" },
	{ "I INT", 0, "{\"I\":{}}", NULL, "cannot convert JSON object to INTEGER, path: $.I" },
	{ "I INT", 0, "{\"I\":[1]}", NULL, "cannot convert JSON array to INTEGER, path: $.I" },
	{ "L BIGINT", 0, "{\"L\":998877665544332211}", "{\"0\":998877665544332211}", NULL },
	{ "L BIGINT", 0, "{\"L\":\"9223372036854775807\"}", "{\"0\":9223372036854775807}", NULL },
	{ "L BIGINT", 0, "{\"L\":-9223372036854775808}", "{\"0\":-9223372036854775808}", NULL },
	{ "L BIGINT", 0, "{\"L\":18446744073709551617}", "{\"0\":1}", NULL },
	{ "L BIGINT", 0, "{\"L\":\"9223372036854775808\"}", NULL,
	  "cannot coerce JSON string to BIGINT" },
	/* DOUBLE */
	{ "D DOUBLE", 0, "{\"D\":10}", "{\"0\":10.0}", NULL },
	{ "D DOUBLE", 0, "{\"D\":1234.589}", "{\"0\":1234.589}", NULL },
	{ "D DOUBLE", 0, "{\"D\":-0.0}", "{\"0\":0.0}", NULL },
	{ "D DOUBLE", 0, "{\"D\":\"1.5\"}", "{\"0\":1.5}", NULL },
	{ "D DOUBLE", 0, "{\"D\":\" 1.5 \"}", "{\"0\":1.5}", NULL },
	{ "D DOUBLE", 0, "{\"D\":\"-0.0\"}", "{\"0\":-0.0}", NULL },
	{ "D DOUBLE", 0, "{\"D\":\"NaN\"}", "{\"0\":\"NaN\"}", NULL },
	{ "D DOUBLE", 0, "{\"D\":\"-Infinity\"}", "{\"0\":\"-Infinity\"}", NULL },
	{ "D DOUBLE", 0, "{\"D\":\"1e400\"}", "{\"0\":\"Infinity\"}", NULL },
	{ "D DOUBLE", 0, "{\"D\":1e400}", "{\"0\":\"Infinity\"}", NULL },
	{ "D DOUBLE", 0, "{\"D\":\"0x1.8p1\"}", "{\"0\":3.0}", NULL },
	{ "D DOUBLE", 0, "{\"D\":\"2.5d\"}", "{\"0\":2.5}", NULL },
	{ "D DOUBLE", 0, "{\"D\":\"abc\"}", NULL,
	  "cannot coerce JSON string to DOUBLE, path: $.D" },
	{ "D DOUBLE", 0, "{\"D\":\"1e\"}", NULL, "cannot coerce JSON string to DOUBLE" },
	{ "D DOUBLE", 0, "{\"D\":false}", NULL, "cannot convert JSON boolean to DOUBLE" },
	/* BOOLEAN only from JSON booleans (JsonSerdeUtils.toBoolean) */
	{ "B BOOLEAN", 0, "{\"B\":false}", "{\"0\":false}", NULL },
	{ "B BOOLEAN", 0, "{\"B\":\"true\"}", NULL,
	  "cannot convert JSON string to BOOLEAN, path: $.B" },
	{ "B BOOLEAN", 0, "{\"B\":1}", NULL, "cannot convert JSON number to BOOLEAN, path: $.B" },
	/* DECIMAL: DecimalUtil.ensureFit, no rounding */
	{ "X DECIMAL(4,2)", 0, "{\"X\":10.1}", "{\"0\":10.10}", NULL },
	{ "X DECIMAL(4,2)", 0, "{\"X\":\"10.1\"}", "{\"0\":10.10}", NULL },
	{ "X DECIMAL(4,2)", 0, "{\"X\":99.99}", "{\"0\":99.99}", NULL },
	{ "X DECIMAL(4,2)", 0, "{\"X\":-0.5}", "{\"0\":-0.50}", NULL },
	{ "X DECIMAL(4,2)", 0, "{\"X\":1.230}", "{\"0\":1.23}", NULL },
	{ "X DECIMAL(4,2)", 0, "{\"X\":1e1}", "{\"0\":10.00}", NULL },
	{ "X DECIMAL(4,2)", 0, "{\"X\":7}", "{\"0\":7.00}", NULL },
	{ "X DECIMAL(4,2)", 0, "{\"X\":\"+.5\"}", "{\"0\":0.50}", NULL },
	{ "X DECIMAL(4,2)", 0, "{\"X\":0}", "{\"0\":0.00}", NULL },
	{ "X DECIMAL(4,2)", 0, "{\"X\":1.234}", NULL,
	  "cannot fit decimal into DECIMAL(4, 2) without rounding, path: $.X" },
	{ "X DECIMAL(4,2)", 0, "{\"X\":100}", NULL,
	  "numeric field overflow: a field with precision 4 and scale 2 must round to an absolute value less than 10^2, path: $.X" },
	{ "X DECIMAL(4,2)", 0, "{\"X\":-100.001}", NULL, "numeric field overflow" },
	{ "X DECIMAL(4,2)", 0, "{\"X\":\"1,5\"}", NULL,
	  "cannot coerce JSON string to DECIMAL(4, 2)" },
	{ "X DECIMAL(4,2)", 0, "{\"X\":\" 1.5\"}", NULL,
	  "cannot coerce JSON string to DECIMAL(4, 2)" },
	{ "X DECIMAL(38,0)", 0, "{\"X\":99999999999999999999999999999999999999}",
	  "{\"0\":99999999999999999999999999999999999999}", NULL },
	{ "X DECIMAL(38,0)", 0, "{\"X\":-99999999999999999999999999999999999999}",
	  "{\"0\":-99999999999999999999999999999999999999}", NULL },
	{ "X DECIMAL(38,0)", 0, "{\"X\":100000000000000000000000000000000000000}", NULL,
	  "numeric field overflow" },
	{ "X DECIMAL(33,16)", 0, "{\"X\":\"12345678987654321.2345678987654321\"}",
	  "{\"0\":12345678987654321.2345678987654321}", NULL },
	{ "X DECIMAL(2,2)", 0, "{\"X\":0.000000000000000000000000000000000000000000000000001e50}",
	  "{\"0\":0.10}", NULL },
	/* TIMESTAMP, DATE, TIME: numbers or numeric strings */
	{ "T TIMESTAMP", 0, "{\"T\":1600000000000}", "{\"0\":1600000000000}", NULL },
	{ "T TIMESTAMP", 0, "{\"T\":\"1600000000000\"}", "{\"0\":1600000000000}", NULL },
	{ "T TIMESTAMP", 0, "{\"T\":\"2020-01-01\"}", NULL,
	  "cannot coerce JSON string to TIMESTAMP" },
	{ "D DATE", 0, "{\"D\":19000}", "{\"0\":19000}", NULL },
	{ "D DATE", 0, "{\"D\":\"-10\"}", "{\"0\":-10}", NULL },
	{ "T TIME", 0, "{\"T\":3600000}", "{\"0\":3600000}", NULL },
	/* BYTES from base64 strings */
	{ "B BYTES", 0, "{\"B\":\"ew==\"}", "{\"0\":\"ew==\"}", NULL },
	{ "B BYTES", 0, "{\"B\":\"dmFyaWF0aW9ucw==\"}", "{\"0\":\"dmFyaWF0aW9ucw==\"}", NULL },
	{ "B BYTES", 0, "{\"B\":\"\"}", "{\"0\":\"\"}", NULL },
	{ "B BYTES", 0, "{\"B\":\"!!\"}", NULL, "not valid base64 for BYTES, path: $.B" },
	{ "B BYTES", 0, "{\"B\":12}", NULL, "cannot convert JSON number to BYTES" },
	/* ARRAY, MAP, STRUCT */
	{ "A ARRAY<INT>", 0, "{\"A\":[1,\"2\",3.7,null]}", "{\"0\":[1,2,3,null]}", NULL },
	{ "A ARRAY<INT>", 0, "{\"A\":[]}", "{\"0\":[]}", NULL },
	{ "A ARRAY<INT>", 0, "{\"A\":{}}", NULL,
	  "cannot convert JSON object to ARRAY<INTEGER>, path: $.A" },
	{ "A ARRAY<INT>", 0, "{\"A\":[1,\"x\"]}", NULL, "path: $.A[1]" },
	{ "A ARRAY<ARRAY<INT>>", 0, "{\"A\":[[1],[2,[3]]]}", NULL,
	  "cannot convert JSON array to INTEGER, path: $.A[1][1]" },
	{ "M MAP<STRING, INT>", 0, "{\"M\":{\"a\":1,\"b\":null,\"c\":\"3\"}}",
	  "{\"0\":{\"a\":1,\"b\":null,\"c\":3}}", NULL },
	{ "M MAP<STRING, INT>", 0, "{\"M\":{\"a\":1,\"b\":2,\"a\":3}}", "{\"0\":{\"a\":3,\"b\":2}}",
	  NULL },
	{ "M MAP<STRING, INT>", 0, "{\"M\":{\"k\":\"x\"}}", NULL, "path: $.M.k" },
	{ "M MAP<STRING, INT>", 0, "{\"M\":[]}", NULL,
	  "cannot convert JSON array to MAP<STRING, INTEGER>" },
	{ "S STRUCT<F1 STRING, F2 INT>", 0, "{\"S\":{\"f1\":\"x\",\"F2\":\"3\",\"F3\":1}}",
	  "{\"0\":{\"F1\":\"x\",\"F2\":3}}", NULL },
	{ "S STRUCT<F1 STRING, F2 INT>", 0, "{\"S\":{}}", "{\"0\":{\"F1\":null,\"F2\":null}}",
	  NULL },
	{ "S STRUCT<F1 STRING, F2 INT>", 0, "{\"S\":{\"F2\":\"x\"}}", NULL,
	  "cannot coerce JSON string to INTEGER, path: $.S.F2" },
	{ "S STRUCT<F1 STRING, F2 INT>", 0, "{\"S\":\"x\"}", NULL,
	  "cannot convert JSON string to STRUCT<`F1` STRING, `F2` INTEGER>, path: $.S" },
	{ "S STRUCT<I STRUCT<J ARRAY<MAP<STRING, DOUBLE>>>>", 0,
	  "{\"S\":{\"I\":{\"J\":[{\"a\":1,\"b\":2.5},{}]}}}",
	  "{\"0\":{\"I\":{\"J\":[{\"a\":1.0,\"b\":2.5},{}]}}}", NULL },
	/* strings */
	{ "S STRING", 0, "{\"S\":\"\\u00e9\\/\\\"\\\\\\b\\f\\n\\r\\t\"}",
	  "{\"0\":\"\xc3\xa9/\\\"\\\\\\b\\f\\n\\r\\t\"}", NULL },
	{ "S STRING", 0, "{\"S\":\"\\ud83d\\ude00\"}", "{\"0\":\"\xf0\x9f\x98\x80\"}", NULL },
	{ "S STRING", 0, "{\"S\":\"\\ud800x\"}", "{\"0\":\"\xef\xbf\xbdx\"}", NULL },
	{ "S STRING", 0, "{\"S\":\"\\udc00\"}", "{\"0\":\"\xef\xbf\xbd\"}", NULL },
	{ "S STRING", 0, "{\"S\":\"\\u0000\"}", "{\"0\":\"\\u0000\"}", NULL },
	{ "S STRING", 0, "{\"S\":\"\xe2\x82\xac \xf0\x9f\x98\x80\"}",
	  "{\"0\":\"\xe2\x82\xac \xf0\x9f\x98\x80\"}", NULL },
	{ "S STRING", 0, "\xef\xbb\xbf{\"S\":\"bom\"}", "{\"0\":\"bom\"}", NULL },
	/* malformed JSON */
	{ "A INT", 0, "", NULL, "empty payload" },
	{ "A INT", 0, "  \n ", NULL, "empty payload" },
	{ "A INT", 0, "{", NULL, "malformed JSON at byte 1: unexpected end of input" },
	{ "A INT", 0, "{\"A\":1", NULL, "malformed JSON" },
	{ "A INT", 0, "{\"A\":}", NULL, "malformed JSON at byte 5" },
	{ "A INT", 0, "{\"A\":1,}", NULL, "expected a field name" },
	{ "A INT", 0, "{\"A\" 1}", NULL, "expected ':'" },
	{ "A INT", 0, "{\"A\":1 \"B\":2}", NULL, "expected ',' or '}'" },
	{ "A INT", 0, "{A:1}", NULL, "expected a field name" },
	{ "A INT", 0, "{'A':1}", NULL, "expected a field name" },
	{ "A INT", 0, "{\"A\":01}", NULL, "malformed JSON" },
	{ "A INT", 0, "{\"A\":1.}", NULL, "invalid number" },
	{ "A INT", 0, "{\"A\":.5}", NULL, "unexpected character" },
	{ "A INT", 0, "{\"A\":+1}", NULL, "unexpected character" },
	{ "A INT", 0, "{\"A\":-}", NULL, "invalid number" },
	{ "A INT", 0, "{\"A\":1e}", NULL, "invalid number" },
	{ "A INT", 0, "{\"A\":NaN}", NULL, "unexpected character" },
	{ "A INT", 0, "{\"A\":tru}", NULL, "invalid literal" },
	{ "A INT", 0, "{\"A\":nul}", NULL, "invalid literal" },
	{ "A INT", 0, "{\"A\":1}x", NULL, "unexpected data after the JSON value" },
	{ "A INT", 0, "{\"A\":1}{}", NULL, "unexpected data after the JSON value" },
	{ "A INT", 0, "{\"A\":1} // c", NULL, "unexpected data" },
	{ "A INT", 0, "nullx", NULL, "unexpected data" },
	{ "A INT", 0, "{\"B\":[1,]}", NULL, "malformed JSON" },
	{ "A INT", 0, "{\"B\":[1 2]}", NULL, "expected ',' or ']'" },
	{ "A INT", 0, "{\"B\":{\"x\":1,}}", NULL, "expected a field name" },
	{ "A INT", 0, "{\"B\":\"a\x01\"}", NULL, "control character in string" },
	{ "A INT", 0, "{\"B\":\"a\nb\"}", NULL, "control character in string" },
	{ "A INT", 0, "{\"B\":\"\\q\"}", NULL, "invalid escape" },
	{ "A INT", 0, "{\"B\":\"\\u12\"}", NULL, "invalid \\u escape" },
	{ "A INT", 0, "{\"B\":\"\\u12g4\"}", NULL, "invalid \\u escape" },
	{ "A INT", 0, "{\"B\":\"abc", NULL, "unterminated string" },
	{ "A INT", 0, "{\"B\":\"abc\\", NULL, "unterminated string" },
	{ "A INT", 0, "{\"B\":\"\xff\"}", NULL, "invalid UTF-8" },
	{ "A INT", 0, "{\"B\":\"\xc0\xaf\"}", NULL, "invalid UTF-8" },
	{ "A INT", 0, "{\"B\":\"\xed\xa0\x80\"}", NULL, "invalid UTF-8" },
	{ "A INT", 0, "{\"B\":\"\xf4\x90\x80\x80\"}", NULL, "invalid UTF-8" },
	{ "A INT", 0, "{\"B\":\"\xe2\x82\"}", NULL, "invalid UTF-8" },
	{ "A INT", 0, "{\"\xff\":1}", NULL, "invalid UTF-8" },
	{ "S STRING", 0, "{\"S\":{\"a\":[1,}}", NULL, "malformed JSON" },
	{ "S STRING", 0, "{\"S\":[1,{\"a\"}]}", NULL, "expected ':'" },
	{ "V INT", UNWRAP, "1 2", NULL, "unexpected data" },
	{ "V STRING", UNWRAP, "'x'", NULL, "unexpected character" },
};

/* One case of json_cases[]; _i is the case. */
static void
check_one_json_decode_table(int _i)
{
	const jcase_t *c = &json_cases[_i];
	sl_serde_t *s = mk(SL_FORMAT_JSON, c->cols, c->flags & KEY,
			   c->flags & UNWRAP ? SL_SERDE_WRAP_FALSE : SL_SERDE_WRAP_DEFAULT, 0);
	sl_strbuf_t out;
	sl_error_t err;
	int rc;

	sl_strbuf_init(&out);
	rc = decode_render(s, c->in, c->in ? strlen(c->in) : 0, &out, &err);
	if (c->err != NULL) {
		ck_assert_msg(rc == SL_EINVAL, "case %d (%s): rc %d, got %s", _i, c->in, rc,
			      out.data);
		ck_assert_msg(strstr(err.msg, c->err) != NULL,
			      "case %d (%s): error \"%s\", want \"%s\"", _i, c->in, err.msg,
			      c->err);
	} else if (strcmp(c->want, "NULL") == 0) {
		ck_assert_msg(rc == SL_SERDE_NULL, "case %d (%s): rc %d (%s)", _i, c->in, rc,
			      err.msg);
	} else {
		ck_assert_msg(rc == SL_OK, "case %d (%s): rc %d: %s", _i, c->in, rc, err.msg);
		ck_assert_msg(strcmp(out.data, c->want) == 0, "case %d (%s):\n got  %s\n want %s",
			      _i, c->in, out.data, c->want);
	}
	sl_strbuf_free(&out);
	sl_serde_destroy(s);
}

START_TEST(test_json_decode_table)
{
	/* one test running every case: a fork per case is slow under ASan */
	for (int i = 0; i < (int)(sizeof(json_cases) / sizeof(json_cases[0])); i++)
		check_one_json_decode_table(i);
}
END_TEST

START_TEST(test_json_zero_copy)
{
	sl_serde_t *s =
		mk(SL_FORMAT_JSON, "A STRING, B STRING, C MAP<STRING, STRING>", false, 0, 0);
	const char *in = "{\"A\":\"plain\",\"B\":\"esc\\n\",\"C\":{\"k\":\"v\"}}";
	sl_arena_t a;
	sl_value_t v[3];
	sl_error_t err;

	sl_arena_init(&a, 0);
	ck_assert_int_eq(sl_serde_decode(s, in, strlen(in), &a, v, &err), SL_OK);
	/* no escapes: points into the payload; escapes: a copy */
	ck_assert(v[0].u.s.ptr >= in && v[0].u.s.ptr < in + strlen(in));
	ck_assert_int_eq(v[0].u.s.len, 5);
	ck_assert(!(v[1].u.s.ptr >= in && v[1].u.s.ptr < in + strlen(in)));
	ck_assert_int_eq(v[1].u.s.len, 4);
	ck_assert(memcmp(v[1].u.s.ptr, "esc\n", 4) == 0);
	ck_assert_int_eq(v[2].kind, SL_T_MAP);
	ck_assert_int_eq(v[2].u.list->n, 1);
	ck_assert(v[2].u.list->items[0].u.s.ptr > in);
	ck_assert(v[2].u.list->items[1].u.s.ptr < in + strlen(in));
	/* a NULL payload sets every column to NULL */
	v[0].kind = SL_T_STRING;
	ck_assert_int_eq(sl_serde_decode(s, NULL, 0, &a, v, &err), SL_SERDE_NULL);
	ck_assert_int_eq(v[0].kind, SL_T_NULL);
	sl_arena_destroy(&a);
	sl_serde_destroy(s);
}
END_TEST

/* A value nested n levels deep: [[[...1...]]] or {"a":{"a":...}}. */
static char *
nested(int n, bool obj, const char *inner)
{
	sl_strbuf_t sb;

	sl_strbuf_init(&sb);
	for (int i = 0; i < n; i++)
		sl_strbuf_puts(&sb, obj ? "{\"a\":" : "[");
	sl_strbuf_puts(&sb, inner);
	for (int i = 0; i < n; i++)
		sl_strbuf_putc(&sb, obj ? '}' : ']');
	return sl_strbuf_steal(&sb);
}

START_TEST(test_json_depth)
{
	sl_serde_t *s = mk(SL_FORMAT_JSON, "A INT, X STRING", false, 0, 0);
	sl_strbuf_t out, in;
	sl_error_t err;
	char *deep;

	sl_strbuf_init(&out);
	sl_strbuf_init(&in);
	/* skipped field: up to 1000 levels in all */
	for (int k = 0; k < 2; k++) {
		deep = nested(999, k == 1, "1");
		sl_strbuf_reset(&in);
		sl_strbuf_printf(&in, "{\"Z\":%s,\"A\":1}", deep);
		ck_assert_int_eq(decode_render(s, in.data, in.len, &out, &err), SL_OK);
		ck_assert_str_eq(out.data, "{\"0\":1,\"1\":null}");
		free(deep);
		deep = nested(1000, k == 1, "1");
		sl_strbuf_reset(&in);
		sl_strbuf_printf(&in, "{\"Z\":%s,\"A\":1}", deep);
		ck_assert_int_eq(decode_render(s, in.data, in.len, &out, &err), SL_EINVAL);
		ck_assert_msg(strstr(err.msg, "nesting too deep"), "%s", err.msg);
		free(deep);
	}
	/* a STRING column converting a deep value (recursive path) */
	deep = nested(100000, false, "1");
	sl_strbuf_reset(&in);
	sl_strbuf_printf(&in, "{\"X\":%s}", deep);
	ck_assert_int_eq(decode_render(s, in.data, in.len, &out, &err), SL_EINVAL);
	ck_assert_msg(strstr(err.msg, "nesting too deep"), "%s", err.msg);
	free(deep);
	deep = nested(100000, true, "1");
	sl_strbuf_reset(&in);
	sl_strbuf_printf(&in, "{\"X\":%s}", deep);
	ck_assert_int_eq(decode_render(s, in.data, in.len, &out, &err), SL_EINVAL);
	free(deep);
	deep = nested(50, true, "[1, [2]]");
	sl_strbuf_reset(&in);
	sl_strbuf_printf(&in, "{\"X\":%s}", deep);
	ck_assert_int_eq(decode_render(s, in.data, in.len, &out, &err), SL_OK);
	free(deep);
	/* a declared type can be deep too */
	sl_serde_t *s2 =
		mk(SL_FORMAT_JSON, "V ARRAY<ARRAY<ARRAY<INT>>>", false, SL_SERDE_WRAP_FALSE, 0);
	ck_assert_int_eq(decode_render(s2, "[[[1,2]],[[3]]]", 15, &out, &err), SL_OK);
	ck_assert_str_eq(out.data, "{\"0\":[[[1,2]],[[3]]]}");
	deep = nested(100000, false, "1");
	ck_assert_int_eq(decode_render(s2, deep, strlen(deep), &out, &err), SL_EINVAL);
	free(deep);
	sl_serde_destroy(s2);
	sl_strbuf_free(&out);
	sl_strbuf_free(&in);
	sl_serde_destroy(s);
}
END_TEST

START_TEST(test_json_huge_numbers)
{
	sl_serde_t *s =
		mk(SL_FORMAT_JSON, "D DOUBLE, S STRING, X DECIMAL(10,2), L BIGINT", false, 0, 0);
	sl_strbuf_t in, out;
	sl_error_t err;

	sl_strbuf_init(&in);
	sl_strbuf_init(&out);
	/* 5000 digits: a double of 1e4999 is Infinity */
	sl_strbuf_puts(&in, "{\"D\":1");
	for (int i = 0; i < 4999; i++)
		sl_strbuf_putc(&in, '0');
	sl_strbuf_puts(&in, "}");
	ck_assert_int_eq(decode_render(s, in.data, in.len, &out, &err), SL_OK);
	ck_assert_str_eq(out.data, "{\"0\":\"Infinity\",\"1\":null,\"2\":null,\"3\":null}");
	/* 0.000...01 with 2000 zeros: 0.0 */
	sl_strbuf_reset(&in);
	sl_strbuf_puts(&in, "{\"D\":0.");
	for (int i = 0; i < 2000; i++)
		sl_strbuf_putc(&in, '0');
	sl_strbuf_puts(&in, "1}");
	ck_assert_int_eq(decode_render(s, in.data, in.len, &out, &err), SL_OK);
	ck_assert_str_eq(out.data, "{\"0\":0.0,\"1\":null,\"2\":null,\"3\":null}");
	/* a 1000-digit mantissa rounding exactly: 1.000...0001 -> 1.0 */
	sl_strbuf_reset(&in);
	sl_strbuf_puts(&in, "{\"D\":1.");
	for (int i = 0; i < 1000; i++)
		sl_strbuf_putc(&in, '0');
	sl_strbuf_puts(&in, "1,\"S\":12345678901234567890123456789012345678901234567890}");
	ck_assert_int_eq(decode_render(s, in.data, in.len, &out, &err), SL_OK);
	ck_assert_str_eq(
		out.data,
		"{\"0\":1.0,\"1\":\"12345678901234567890123456789012345678901234567890\",\"2\":null,\"3\":null}");
	/* halfway between two doubles, decided by the 800th digit onwards */
	sl_strbuf_reset(&in);
	sl_strbuf_puts(&in, "{\"D\":9007199254740993");
	for (int i = 0; i < 900; i++)
		sl_strbuf_putc(&in, '0');
	sl_strbuf_puts(&in, "1e-901}");
	ck_assert_int_eq(decode_render(s, in.data, in.len, &out, &err), SL_OK);
	ck_assert_str_eq(out.data, "{\"0\":9.007199254740994E15,\"1\":null,\"2\":null,\"3\":null}");
	/* decimals and longs with many digits */
	ck_assert_int_eq(decode_render(s, "{\"X\":1e100}", 11, &out, &err), SL_EINVAL);
	ck_assert_msg(strstr(err.msg, "overflow"), "%s", err.msg);
	ck_assert_int_eq(decode_render(s, "{\"X\":1e-100}", 12, &out, &err), SL_EINVAL);
	ck_assert_msg(strstr(err.msg, "rounding"), "%s", err.msg);
	ck_assert_int_eq(
		decode_render(s, "{\"X\":12345678.90000000000000000000000000000000000000000000}",
			      59, &out, &err),
		SL_OK);
	ck_assert_str_eq(out.data, "{\"0\":null,\"1\":null,\"2\":12345678.90,\"3\":null}");
	ck_assert_int_eq(decode_render(s, "{\"L\":1e19}", 10, &out, &err), SL_OK);
	ck_assert_str_eq(out.data, "{\"0\":null,\"1\":null,\"2\":null,\"3\":-8446744073709551616}");
	sl_strbuf_free(&in);
	sl_strbuf_free(&out);
	sl_serde_destroy(s);
}
END_TEST

/* Every strict prefix of a valid document is rejected, never read past. */
START_TEST(test_json_truncation)
{
	static const char *docs[] = {
		"{\"A\":1,\"B\":\"x\\u00e9y\",\"C\":[1,2.5e-3,{\"d\":null}],\"D\":true,\"E\":false}",
		"{\"S\":{\"nested\":[\"\xe2\x82\xac\",-0.5E+2,{}]},\"A\":-12}",
	};
	sl_serde_t *s =
		mk(SL_FORMAT_JSON, "A INT, B STRING, C STRING, D BOOLEAN, S STRING", false, 0, 0);
	sl_strbuf_t out;
	sl_error_t err;

	sl_strbuf_init(&out);
	for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
		size_t n = strlen(docs[d]);

		ck_assert_int_eq(decode_render(s, docs[d], n, &out, &err), SL_OK);
		for (size_t k = 1; k < n; k++) {
			/* a heap copy of exactly k bytes, so ASan sees any overread */
			char *p = malloc(k);

			memcpy(p, docs[d], k);
			ck_assert_msg(decode_render(s, p, k, &out, &err) == SL_EINVAL,
				      "prefix %zu of doc %zu accepted", k, d);
			free(p);
		}
	}
	sl_strbuf_free(&out);
	sl_serde_destroy(s);
}
END_TEST

/* ---- JSON differential test against cJSON ---- */

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const char *const words[] = { "a",         "",
				     "xyz",       "caf\xc3\xa9",
				     "q\"uote",   "back\\slash",
				     "tab\there", "\xf0\x9f\x98\x80",
				     "/",         "new\nline" };

/* Generates a random document of the shape of type t. */
static cJSON *
gen(const sl_type_t *t, int depth)
{
	if (rnd() % 8 == 0)
		return cJSON_CreateNull();
	switch (t->kind) {
	case SL_T_BOOLEAN:
		return cJSON_CreateBool(rnd() & 1);
	case SL_T_BIGINT:
		return cJSON_CreateNumber((double)(int64_t)(rnd() % 2000000000) - 1000000000);
	case SL_T_DOUBLE: {
		double d =
			(double)(int64_t)(rnd() % 2000001 - 1000000) / (double)(1 + rnd() % 1000);

		if (rnd() % 4 == 0)
			d *= 1e100;
		return cJSON_CreateNumber(d);
	}
	case SL_T_STRING:
		return cJSON_CreateString(words[rnd() % (sizeof(words) / sizeof(words[0]))]);
	case SL_T_ARRAY: {
		cJSON *a = cJSON_CreateArray();
		int n = depth > 3 ? 0 : (int)(rnd() % 5);

		for (int i = 0; i < n; i++)
			cJSON_AddItemToArray(a, gen(t->elem, depth + 1));
		return a;
	}
	case SL_T_MAP: {
		cJSON *o = cJSON_CreateObject();
		int n = depth > 3 ? 0 : (int)(rnd() % 4);

		for (int i = 0; i < n; i++) {
			char k[16];

			snprintf(k, sizeof(k), "k%d", i);
			cJSON_AddItemToObject(o, k, gen(t->elem, depth + 1));
		}
		return o;
	}
	case SL_T_STRUCT: {
		cJSON *o = cJSON_CreateObject();

		for (int i = 0; i < t->nfields; i++)
			if (rnd() % 6 != 0)
				cJSON_AddItemToObject(o, t->fields[i].name,
						      gen(t->fields[i].type, depth + 1));
		if (rnd() % 3 == 0)
			cJSON_AddItemToObject(o, "unknown", gen(t, depth + 3));
		return o;
	}
	default:
		return cJSON_CreateNull();
	}
}

/* The decoded value as cJSON, the way the document would read. */
static cJSON *
to_cjson(const sl_value_t *v, const sl_type_t *t)
{
	switch (v->kind) {
	case SL_T_NULL:
		return cJSON_CreateNull();
	case SL_T_BOOLEAN:
		return cJSON_CreateBool(v->u.b);
	case SL_T_BIGINT:
		return cJSON_CreateNumber((double)v->u.l);
	case SL_T_DOUBLE:
		return cJSON_CreateNumber(v->u.d);
	case SL_T_STRING: {
		char *s = strndup(v->u.s.ptr, (size_t)v->u.s.len);
		cJSON *j = cJSON_CreateString(s);

		free(s);
		return j;
	}
	case SL_T_ARRAY: {
		cJSON *a = cJSON_CreateArray();

		for (int i = 0; i < v->u.list->n; i++)
			cJSON_AddItemToArray(a, to_cjson(&v->u.list->items[i], t->elem));
		return a;
	}
	case SL_T_MAP: {
		cJSON *o = cJSON_CreateObject();

		for (int i = 0; i < v->u.list->n; i++) {
			const sl_value_t *k = &v->u.list->items[2 * i];
			char *ks = strndup(k->u.s.ptr, (size_t)k->u.s.len);

			cJSON_AddItemToObject(o, ks,
					      to_cjson(&v->u.list->items[2 * i + 1], t->elem));
			free(ks);
		}
		return o;
	}
	case SL_T_STRUCT: {
		cJSON *o = cJSON_CreateObject();

		for (int i = 0; i < v->u.list->n; i++)
			cJSON_AddItemToObject(o, t->fields[i].name,
					      to_cjson(&v->u.list->items[i], t->fields[i].type));
		return o;
	}
	default:
		return cJSON_CreateNull();
	}
}

/* What the decoder must produce from doc: absent struct fields as null,
 * unknown fields dropped. */
static cJSON *
expected_of(const cJSON *doc, const sl_type_t *t)
{
	if (doc == NULL || cJSON_IsNull(doc))
		return cJSON_CreateNull();
	if (t->kind == SL_T_STRUCT) {
		cJSON *o = cJSON_CreateObject();

		for (int i = 0; i < t->nfields; i++)
			cJSON_AddItemToObject(o, t->fields[i].name,
					      expected_of(cJSON_GetObjectItemCaseSensitive(
								  doc, t->fields[i].name),
							  t->fields[i].type));
		return o;
	}
	if (t->kind == SL_T_ARRAY || t->kind == SL_T_MAP) {
		cJSON *c = t->kind == SL_T_ARRAY ? cJSON_CreateArray() : cJSON_CreateObject();

		for (const cJSON *e = doc->child; e; e = e->next) {
			if (t->kind == SL_T_ARRAY)
				cJSON_AddItemToArray(c, expected_of(e, t->elem));
			else
				cJSON_AddItemToObject(c, e->string, expected_of(e, t->elem));
		}
		return c;
	}
	return cJSON_Duplicate(doc, true);
}

START_TEST(test_json_vs_cjson)
{
	sl_field_t cols[8];
	int n = parse_cols("B BOOLEAN, L BIGINT, D DOUBLE, S STRING, A ARRAY<DOUBLE>, "
			   "M MAP<STRING, ARRAY<STRING>>, "
			   "R STRUCT<X STRING, Y ARRAY<STRUCT<Z BIGINT, W MAP<STRING, BOOLEAN>>>>",
			   cols);
	const sl_type_t *row = sl_type_struct(&types, cols, n);
	sl_serde_t *s;
	sl_error_t err;
	sl_arena_t a;

	ck_assert_int_eq(sl_serde_create(SL_FORMAT_JSON, cols, n, NULL, &s, &err), SL_OK);
	sl_arena_init(&a, 0);
	for (int iter = 0; iter < 3000; iter++) {
		cJSON *doc = gen(row, 0);
		char *text = iter % 2 ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
		cJSON *parsed = cJSON_Parse(text);
		sl_value_t vals[8];
		int rc;

		if (cJSON_IsNull(doc)) {
			ck_assert_int_eq(sl_serde_decode(s, text, strlen(text), &a, vals, &err),
					 SL_SERDE_NULL);
		} else {
			rc = sl_serde_decode(s, text, strlen(text), &a, vals, &err);
			ck_assert_msg(rc == SL_OK, "%s: %s", text, err.msg);
			cJSON *got = cJSON_CreateObject();

			for (int i = 0; i < n; i++)
				cJSON_AddItemToObject(got, cols[i].name,
						      to_cjson(&vals[i], cols[i].type));
			cJSON *want = expected_of(parsed, row);

			if (!cJSON_Compare(got, want, true)) {
				char *g = cJSON_PrintUnformatted(got),
				     *w = cJSON_PrintUnformatted(want);

				ck_abort_msg("doc %s\n got  %s\n want %s", text, g, w);
			}
			/* what we write reads back the same */
			sl_strbuf_t enc;
			sl_value_t again[8];

			sl_strbuf_init(&enc);
			ck_assert_int_eq(sl_serde_encode(s, vals, &enc, &err), SL_OK);
			ck_assert_int_eq(sl_serde_decode(s, enc.data, enc.len, &a, again, &err),
					 SL_OK);
			cJSON *got2 = cJSON_CreateObject();

			for (int i = 0; i < n; i++)
				cJSON_AddItemToObject(got2, cols[i].name,
						      to_cjson(&again[i], cols[i].type));
			ck_assert_msg(cJSON_Compare(got, got2, true), "re-encoded %s", enc.data);
			cJSON_Delete(got2);
			sl_strbuf_free(&enc);
			cJSON_Delete(got);
			cJSON_Delete(want);
		}
		cJSON_Delete(parsed);
		cJSON_Delete(doc);
		free(text);
		sl_arena_reset(&a);
	}
	sl_arena_destroy(&a);
	sl_serde_destroy(s);
}
END_TEST

/*
 * Mutated documents: whatever the decoder accepts, cJSON (which is more
 * lenient: leading zeros, raw control characters, any bytes) accepts too,
 * to the last byte; nothing crashes or reads out of bounds.
 */
START_TEST(test_json_mutations)
{
	static const char *const seeds[] = {
		"{\"A\":1,\"B\":\"x\",\"C\":[1,2,{\"d\":null}],\"E\":{\"f\":true}}",
		"[1,2.5e-3,\"s\\n\\u00e9\",{\"k\":[false]},null]",
		"\"just a string \\ud83d\\ude00\"",
		"{\"S\":{\"T\":{\"U\":[[[]]]}},\"X\":-0.0}",
	};
	static const char alphabet[] = "{}[]\",:\\/ntfu0123456789.eE+- \t\nabAB\x80\xc3\xa9\xff";
	sl_serde_t *any = mk(SL_FORMAT_JSON, "V STRING", false, SL_SERDE_WRAP_FALSE, 0);
	sl_serde_t *row = mk(SL_FORMAT_JSON,
			     "A INT, B STRING, C ARRAY<STRING>, E MAP<STRING, BOOLEAN>, "
			     "S STRUCT<T STRUCT<U ARRAY<ARRAY<ARRAY<INT>>>>>, X DOUBLE",
			     false, 0, 0);
	sl_arena_t a;
	sl_value_t vals[8];
	sl_error_t err;

	sl_arena_init(&a, 0);
	for (int iter = 0; iter < 40000; iter++) {
		const char *seed = seeds[rnd() % (sizeof(seeds) / sizeof(seeds[0]))];
		size_t n = strlen(seed);
		char buf[256];
		int muts = 1 + (int)(rnd() % 3);

		memcpy(buf, seed, n);
		for (int m = 0; m < muts; m++) {
			size_t at = n ? rnd() % n : 0;
			char c = alphabet[rnd() % (sizeof(alphabet) - 1)];

			switch (rnd() % 3) {
			case 0:
				buf[at] = c;
				break;
			case 1:
				if (n < sizeof(buf) - 1) {
					memmove(buf + at + 1, buf + at, n - at);
					buf[at] = c;
					n++;
				}
				break;
			default:
				if (n > 0) {
					memmove(buf + at, buf + at + 1, n - at - 1);
					n--;
				}
				break;
			}
		}
		char *p = malloc(n ? n : 1);

		memcpy(p, buf, n);
		int rc = sl_serde_decode(any, p, n, &a, vals, &err);

		ck_assert(rc == SL_OK || rc == SL_SERDE_NULL || rc == SL_EINVAL);
		/* lone surrogate escapes: Jackson (and we) accept them, cJSON does not */
		bool surrogate = false;

		for (size_t k = 0; k + 2 < n; k++)
			if (p[k] == '\\' && p[k + 1] == 'u' && (p[k + 2] == 'd' || p[k + 2] == 'D'))
				surrogate = true;
		if (rc != SL_EINVAL && !surrogate) {
			const char *end = NULL;
			cJSON *j = cJSON_ParseWithLengthOpts(p, n, &end, false);

			ck_assert_msg(j != NULL, "accepted but cJSON rejects: %.*s", (int)n, p);
			while (end < p + n &&
			       (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
				end++;
			ck_assert_msg(end == p + n, "accepted trailing data: %.*s", (int)n, p);
			cJSON_Delete(j);
		}
		rc = sl_serde_decode(row, p, n, &a, vals, &err);
		ck_assert(rc == SL_OK || rc == SL_SERDE_NULL || rc == SL_EINVAL);
		free(p);
		sl_arena_reset(&a);
	}
	sl_arena_destroy(&a);
	sl_serde_destroy(any);
	sl_serde_destroy(row);
}
END_TEST

/* ---- JSON encoding ---- */

START_TEST(test_json_encode)
{
	sl_arena_t a;
	sl_strbuf_t out;
	sl_error_t err;
	sl_serde_t *s =
		mk(SL_FORMAT_JSON,
		   "I INT, L BIGINT, D DOUBLE, X DECIMAL(4,2), S STRING, B BOOLEAN, Y BYTES, "
		   "T TIMESTAMP, DT DATE, TM TIME, A ARRAY<INT>, M MAP<STRING, DOUBLE>, "
		   "R STRUCT<F1 STRING, `f2` INT>",
		   false, 0, 0);
	sl_value_t v[13];
	sl_value_t items[4], ritems[2];
	sl_vlist_t alist = { 2, items }, mlist = { 1, items + 2 }, rlist = { 2, ritems };

	sl_arena_init(&a, 0);
	sl_strbuf_init(&out);
	memset(v, 0, sizeof(v));
	v[0] = (sl_value_t){ .kind = SL_T_INT, .u.i = -7 };
	v[1] = (sl_value_t){ .kind = SL_T_BIGINT, .u.l = INT64_MIN };
	v[2] = (sl_value_t){ .kind = SL_T_DOUBLE, .u.d = 1e10 };
	v[3] = (sl_value_t){ .kind = SL_T_DECIMAL, .scale = 2, .precision = 4, .u.dec = 150 };
	v[4] = (sl_value_t){ .kind = SL_T_STRING, .u.s = { "a\"\\\x01\x1f/\xc3\xa9\xff", 9 } };
	v[5] = (sl_value_t){ .kind = SL_T_BOOLEAN, .u.b = true };
	v[6] = (sl_value_t){ .kind = SL_T_BYTES, .u.s = { "{", 1 } };
	v[7] = (sl_value_t){ .kind = SL_T_TIMESTAMP, .u.l = 1600000000000 };
	v[8] = (sl_value_t){ .kind = SL_T_DATE, .u.i = -10 };
	v[9] = (sl_value_t){ .kind = SL_T_TIME, .u.l = 3600000 };
	items[0] = (sl_value_t){ .kind = SL_T_INT, .u.i = 1 };
	items[1] = sl_value_null();
	items[2] = (sl_value_t){ .kind = SL_T_STRING, .u.s = { "k", 1 } };
	items[3] = (sl_value_t){ .kind = SL_T_DOUBLE, .u.d = 0.1 };
	ritems[0] = (sl_value_t){ .kind = SL_T_STRING, .u.s = { "x", 1 } };
	ritems[1] = sl_value_null();
	v[10] = (sl_value_t){ .kind = SL_T_ARRAY, .u.list = &alist };
	v[11] = (sl_value_t){ .kind = SL_T_MAP, .u.list = &mlist };
	v[12] = (sl_value_t){ .kind = SL_T_STRUCT, .u.list = &rlist };
	ck_assert_int_eq(sl_serde_encode(s, v, &out, &err), SL_OK);
	ck_assert_str_eq(
		out.data,
		"{\"I\":-7,\"L\":-9223372036854775808,\"D\":1.0E10,\"X\":1.50,"
		"\"S\":\"a\\\"\\\\\\u0001\\u001F/\xc3\xa9\xef\xbf\xbd\",\"B\":true,\"Y\":\"ew==\","
		"\"T\":1600000000000,\"DT\":-10,\"TM\":3600000,\"A\":[1,null],"
		"\"M\":{\"k\":0.1},\"R\":{\"F1\":\"x\",\"f2\":null}}");
	/* round trip */
	sl_value_t back[13];
	ck_assert_int_eq(sl_serde_decode(s, out.data, out.len, &a, back, &err), SL_OK);
	ck_assert_int_eq(back[1].u.l, INT64_MIN);
	ck_assert(back[3].u.dec == 150 && back[3].scale == 2);
	ck_assert_int_eq(back[6].u.s.len, 1);
	ck_assert_int_eq(back[12].u.list->n, 2);
	/* kinds must fit */
	sl_strbuf_reset(&out);
	v[0] = (sl_value_t){ .kind = SL_T_STRING, .u.s = { "x", 1 } };
	ck_assert_int_eq(sl_serde_encode(s, v, &out, &err), SL_EINVAL);
	ck_assert_str_eq(err.msg, "column \"I\" of type INTEGER holds a STRING value");
	/* tombstones */
	ck_assert_int_eq(sl_serde_encode(s, NULL, &out, &err), SL_SERDE_NULL);
	sl_serde_destroy(s);

	/* unwrapped: NULL is a null payload; wrapped single: an object */
	s = mk(SL_FORMAT_JSON, "FOO BOOLEAN", false, SL_SERDE_WRAP_FALSE, 0);
	sl_strbuf_reset(&out);
	v[0] = (sl_value_t){ .kind = SL_T_BOOLEAN, .u.b = true };
	ck_assert_int_eq(sl_serde_encode(s, v, &out, &err), SL_OK);
	ck_assert_str_eq(out.data, "true");
	sl_strbuf_reset(&out);
	v[0] = sl_value_null();
	ck_assert_int_eq(sl_serde_encode(s, v, &out, &err), SL_SERDE_NULL);
	ck_assert_uint_eq(out.len, 0);
	sl_serde_destroy(s);
	s = mk(SL_FORMAT_JSON, "FOO BOOLEAN", false, SL_SERDE_WRAP_DEFAULT, 0);
	ck_assert_int_eq(sl_serde_encode(s, v, &out, &err), SL_OK);
	ck_assert_str_eq(out.data, "{\"FOO\":null}");
	sl_serde_destroy(s);
	/* a key of one column is bare; of two, an object */
	s = mk(SL_FORMAT_JSON, "K DOUBLE", true, 0, 0);
	sl_strbuf_reset(&out);
	v[0] = (sl_value_t){ .kind = SL_T_DOUBLE, .u.d = 654.321 };
	ck_assert_int_eq(sl_serde_encode(s, v, &out, &err), SL_OK);
	ck_assert_str_eq(out.data, "654.321");
	sl_serde_destroy(s);
	s = mk(SL_FORMAT_JSON, "K1 STRING, `k 2` STRING", true, 0, 0);
	sl_strbuf_reset(&out);
	v[0] = (sl_value_t){ .kind = SL_T_STRING, .u.s = { "foo", 3 } };
	v[1] = (sl_value_t){ .kind = SL_T_STRING, .u.s = { "bar", 3 } };
	ck_assert_int_eq(sl_serde_encode(s, v, &out, &err), SL_OK);
	ck_assert_str_eq(out.data, "{\"K1\":\"foo\",\"k 2\":\"bar\"}");
	/* encode appends */
	ck_assert_int_eq(sl_serde_encode(s, v, &out, &err), SL_OK);
	ck_assert_str_eq(out.data,
			 "{\"K1\":\"foo\",\"k 2\":\"bar\"}{\"K1\":\"foo\",\"k 2\":\"bar\"}");
	sl_serde_destroy(s);
	sl_strbuf_free(&out);
	sl_arena_destroy(&a);
}
END_TEST

START_TEST(test_json_encode_large)
{
	/* a long string needing escapes grows the buffer in one go */
	sl_serde_t *s = mk(SL_FORMAT_JSON, "S STRING", false, SL_SERDE_WRAP_FALSE, 0);
	size_t n = 100000;
	char *big = malloc(n);
	sl_strbuf_t out;
	sl_error_t err;
	sl_value_t v;
	sl_arena_t a;

	for (size_t i = 0; i < n; i++)
		big[i] = (char)(i % 3 == 0 ? '\x01' : 'a');
	v = (sl_value_t){ .kind = SL_T_STRING, .u.s = { big, (int32_t)n } };
	sl_strbuf_init(&out);
	sl_strbuf_puts(&out, "prefix");
	ck_assert_int_eq(sl_serde_encode(s, &v, &out, &err), SL_OK);
	ck_assert_uint_eq(out.len, 6 + 2 + (n + 2) / 3 * 6 + (n - (n + 2) / 3));
	ck_assert(strncmp(out.data, "prefix\"\\u0001aa\\u0001", 21) == 0);
	sl_arena_init(&a, 0);
	ck_assert_int_eq(sl_serde_decode(s, out.data + 6, out.len - 6, &a, &v, &err), SL_OK);
	ck_assert_int_eq(v.u.s.len, (int32_t)n);
	ck_assert(memcmp(v.u.s.ptr, big, n) == 0);
	sl_arena_destroy(&a);
	sl_strbuf_free(&out);
	free(big);
	sl_serde_destroy(s);
}
END_TEST

/* ---- DELIMITED ---- */

typedef struct dcase {
	const char *cols;
	char delim;
	const char *in;
	const char *want;
	const char *err;
} dcase_t;

static const dcase_t delim_cases[] = {
	{ "ID BIGINT, NAME STRING, VALUE INT", 0, "0,zero,0", "{\"0\":0,\"1\":\"zero\",\"2\":0}",
	  NULL },
	{ "ID BIGINT, NAME STRING, VALUE INT", '|', "0|zero|0", "{\"0\":0,\"1\":\"zero\",\"2\":0}",
	  NULL },
	{ "ID BIGINT, NAME STRING, VALUE INT", ' ', "0 zero 0", "{\"0\":0,\"1\":\"zero\",\"2\":0}",
	  NULL },
	{ "ID BIGINT, NAME STRING, VALUE INT", '\t', "0\tzero\t0",
	  "{\"0\":0,\"1\":\"zero\",\"2\":0}", NULL },
	{ "A STRING, B STRING", 0, "\"a,b\",\"x\"\"y\"", "{\"0\":\"a,b\",\"1\":\"x\\\"y\"}", NULL },
	{ "A STRING, B STRING", 0, "\"line\r\nbreak\",b", "{\"0\":\"line\\r\\nbreak\",\"1\":\"b\"}",
	  NULL },
	{ "A STRING, B STRING", 0, "a\"b,c", "{\"0\":\"a\\\"b\",\"1\":\"c\"}", NULL },
	{ "A STRING, B STRING", 0, " \"a\",b", "{\"0\":\" \\\"a\\\"\",\"1\":\"b\"}", NULL },
	{ "A STRING, B STRING", 0, "\"a\"  \t,b", "{\"0\":\"a\",\"1\":\"b\"}", NULL },
	{ "A STRING, B STRING", 0, "\"a\"x,b", NULL, "invalid character after a quoted field" },
	{ "A STRING, B STRING", 0, "\"a,b", NULL, "quoted field not closed" },
	{ "A STRING, B STRING", 0, "\"\"\"\",\"\"", "{\"0\":\"\\\"\",\"1\":null}", NULL },
	/* empty fields are NULL, strings included */
	{ "A INT, B STRING, C DOUBLE", 0, ",,", "{\"0\":null,\"1\":null,\"2\":null}", NULL },
	{ "A STRING, B STRING", 0, "\"\",", "{\"0\":null,\"1\":null}", NULL },
	{ "A STRING, B STRING", 0, "a,", "{\"0\":\"a\",\"1\":null}", NULL },
	/* only the first record; empty lines before it skipped */
	{ "A STRING, B STRING", 0, "a,b\r\nc,d", "{\"0\":\"a\",\"1\":\"b\"}", NULL },
	{ "A STRING, B STRING", 0, "a,b\nc", "{\"0\":\"a\",\"1\":\"b\"}", NULL },
	{ "A STRING, B STRING", 0, "\n\r\na,b\n", "{\"0\":\"a\",\"1\":\"b\"}", NULL },
	{ "A STRING, B STRING", 0, "\"a\"\r\n,b", NULL,
	  "column count mismatch: expected 2 fields, got 1" },
	{ "A STRING", 0, "", NULL, "no fields" },
	{ "A STRING", 0, "\r\n", NULL, "no fields" },
	{ "A INT, B INT, C INT", 0, "1,2", NULL,
	  "column count mismatch: expected 3 fields, got 2" },
	{ "A INT, B INT, C INT", 0, "1,2,3,4", NULL,
	  "column count mismatch: expected 3 fields, got 4" },
	/* types */
	{ "B BOOLEAN, C BOOLEAN, D BOOLEAN", 0, "TRUE,yes,\"true\"",
	  "{\"0\":true,\"1\":false,\"2\":true}", NULL },
	{ "K INT", 0, "\"22\"", "{\"0\":22}", NULL },
	{ "K INT", 0, "-2147483648", "{\"0\":-2147483648}", NULL },
	{ "K INT", 0, "abc", NULL, "DELIMITED column \"K\" (field 1): invalid INTEGER" },
	{ "K INT", 0, " 1", NULL, "invalid INTEGER" },
	{ "K INT", 0, "1.0", NULL, "invalid INTEGER" },
	{ "A STRING, K BIGINT", 0, "x,99999999999999999999", NULL,
	  "DELIMITED column \"K\" (field 2): invalid BIGINT" },
	{ "K DOUBLE", 0, "654.321", "{\"0\":654.321}", NULL },
	{ "K DOUBLE", 0, " 1.5 ", "{\"0\":1.5}", NULL },
	{ "K DOUBLE", 0, "1e3", "{\"0\":1000.0}", NULL },
	{ "K DOUBLE", 0, "Infinity", "{\"0\":\"Infinity\"}", NULL },
	{ "K DOUBLE", 0, "1,5", NULL, "column count mismatch" },
	{ "K DOUBLE", 0, "x", NULL, "invalid DOUBLE" },
	{ "V DECIMAL(33,16)", 0, "12345678987654321.2345678987654321",
	  "{\"0\":12345678987654321.2345678987654321}", NULL },
	{ "V DECIMAL(33,16)", 0, ".12", "{\"0\":0.1200000000000000}", NULL },
	{ "V DECIMAL(33,16)", 0, "\"-12345.12\"", "{\"0\":-12345.1200000000000000}", NULL },
	{ "V DECIMAL(33,16)", 0, "0", "{\"0\":0.0000000000000000}", NULL },
	{ "V DECIMAL(4,2)", 0, "1.234", NULL,
	  "cannot fit decimal into DECIMAL(4, 2) without rounding" },
	{ "V DECIMAL(4,2)", 0, "123", NULL, "numeric field overflow" },
	{ "V DECIMAL(4,2)", 0, "1.2.3", NULL, "invalid DECIMAL(4, 2)" },
	{ "T TIMESTAMP, D DATE, M TIME", 0, "10,-10,10", "{\"0\":10,\"1\":-10,\"2\":10}", NULL },
	{ "D DATE", 0, "99999999999", NULL, "invalid DATE" },
	{ "S STRING, B BYTES", 0, "21,IQ==", "{\"0\":\"21\",\"1\":\"IQ==\"}", NULL },
	{ "B BYTES", 0, "AAAH5Q", "{\"0\":\"AAAH5Q==\"}", NULL },
	{ "B BYTES", 0, "IQ=", NULL, "invalid base64 for BYTES" },
	{ "B BYTES", 0, "I Q==", NULL, "invalid base64 for BYTES" },
	/* the payload is read as UTF-8, malformed bytes replaced */
	{ "A STRING, B STRING", 0, "\xff,\xe2\x82",
	  "{\"0\":\"\xef\xbf\xbd\",\"1\":\"\xef\xbf\xbd\"}", NULL },
	{ "A STRING", 0, "\xc3\xa9t\xc3\xa9", "{\"0\":\"\xc3\xa9t\xc3\xa9\"}", NULL },
};

/* One case of delim_cases[]; _i is the case. */
static void
check_one_delimited_decode_table(int _i)
{
	const dcase_t *c = &delim_cases[_i];
	sl_serde_t *s = mk(SL_FORMAT_DELIMITED, c->cols, false, 0, c->delim);
	sl_strbuf_t out;
	sl_error_t err;
	int rc;

	sl_strbuf_init(&out);
	rc = decode_render(s, c->in, strlen(c->in), &out, &err);
	if (c->err != NULL) {
		ck_assert_msg(rc == SL_EINVAL, "case %d (%s): rc %d, got %s", _i, c->in, rc,
			      out.data);
		ck_assert_msg(strstr(err.msg, c->err) != NULL,
			      "case %d (%s): error \"%s\", want \"%s\"", _i, c->in, err.msg,
			      c->err);
	} else {
		ck_assert_msg(rc == SL_OK, "case %d (%s): %s", _i, c->in, err.msg);
		ck_assert_msg(strcmp(out.data, c->want) == 0, "case %d (%s):\n got  %s\n want %s",
			      _i, c->in, out.data, c->want);
	}
	sl_strbuf_free(&out);
	sl_serde_destroy(s);
}

START_TEST(test_delimited_decode_table)
{
	/* one test running every case: a fork per case is slow under ASan */
	for (int i = 0; i < (int)(sizeof(delim_cases) / sizeof(delim_cases[0])); i++)
		check_one_delimited_decode_table(i);
}
END_TEST

/* Re-encodes a decoded payload: ksqlDB's own expected outputs. */
typedef struct dround {
	const char *cols;
	char delim;
	const char *in;
	const char *out;
} dround_t;

static const dround_t delim_rounds[] = {
	/* delimited.json, decimal.json, date.json, bytes-and-strings.json ... */
	{ "V DECIMAL(33,16)", 0, "12345678987654321.2345678987654321",
	  "12345678987654321.2345678987654321" },
	{ "V DECIMAL(33,16)", 0, ".12", "0.1200000000000000" },
	{ "V DECIMAL(33,16)", 0, "-12345.12", "\"-12345.1200000000000000\"" },
	{ "V DECIMAL(33,16)", 0, "\"-12345.12\"", "\"-12345.1200000000000000\"" },
	{ "V DECIMAL(33,16)", 0, "0", "0.0000000000000000" },
	{ "V DECIMAL(6,4)", 0, "10.0000", "10.0000" },
	{ "V DECIMAL(21,19)", 0, "10.1234512345123451234", "10.1234512345123451234" },
	{ "V DECIMAL(4,2)", 0, "0.05", "0.05" },
	{ "D DATE", 0, "10", "10" },
	{ "D DATE", 0, "-10", "\"-10\"" },
	{ "T TIMESTAMP", 0, "10", "10" },
	{ "B BOOLEAN, I INT", 0, "true,0", "true,0" },
	{ "K DOUBLE", 0, "\"123.456\"", "123.456" },
	{ "K STRING", 0, "\"You\"", "You" },
	{ "K1 STRING, K2 STRING", 0, "\"foo\",\"bar\"", "foo,bar" },
	{ "K1 STRING, K2 STRING", ';', "foo,bar;baz", "foo,bar;baz" },
	{ "K1 STRING, K2 STRING", ';', "\"a;b\";c", "\"a;b\";c" },
	{ "A INT, B INT", '-', "0-1", "0-1" },
	{ "ID BIGINT, NAME STRING, VALUE INT", '$', "0$zero$0", "0$zero$0" },
	{ "ID BIGINT, NAME STRING, VALUE INT", ' ', "100 100 500", "100 100 500" },
	{ "A STRING, B BYTES, C STRING", 0, "!,IQ==,!", "\"!\",IQ==,\"!\"" },
	{ "A STRING, B BYTES, C STRING", 0, "#,Iw==,#", "\"#\",Iw==,\"#\"" },
	{ "A STRING, B BYTES, C STRING", 0, "1AB2,GrI=,1AB2", "1AB2,GrI=,1AB2" },
	{ "A STRING, B STRING, C STRING", 0, "IQ==,IQ==,IQ==", "IQ==,IQ==,IQ==" },
	{ "A INT, B BIGINT, C DOUBLE", 0, "2021,5000000000,532.8738323",
	  "2021,5000000000,532.8738323" },
	{ "A STRING, B INT", 0, "zero,-50", "zero,-50" },
	{ "A INT, B STRING", 0, "-50,zero", "\"-50\",zero" },
	/* MINIMAL quoting, field by field */
	{ "A STRING, B STRING", 0, "a,\"x,y\"", "a,\"x,y\"" },
	{ "A STRING, B STRING", 0, "a,\"x\"\"y\"", "a,\"x\"\"y\"" },
	{ "A STRING, B STRING", 0, "a,\"x\ny\"", "a,\"x\ny\"" },
	{ "A STRING, B STRING", 0, "a,\"x \"", "a,\"x \"" },
	{ "A STRING, B STRING", 0, "a, x", "a,\" x\"" },
	{ "A STRING, B STRING", 0, "a,$x", "a,$x" },
	{ "A STRING, B STRING", 0, "$x,a", "\"$x\",a" },
	{ "A STRING, B STRING", 0, "_x,a", "\"_x\",a" },
	{ "A STRING, B STRING", 0, "\xc3\xa9,\xc3\xa9", "\"\xc3\xa9\",\xc3\xa9" },
	{ "A STRING, B STRING", 0, "~,~", "\"~\",~" },
	{ "A STRING, B STRING", '|', "a|x,y", "a|x,y" },
	{ "A STRING, B STRING", '|', "a|x|\"y\"", "" }, /* count mismatch: skipped below */
	{ "A INT, B INT, C INT", 0, ",,", ",," },
	{ "A INT, B INT, C INT", 0, "1,,", "1,," },
};

/* One case of delim_rounds[]; _i is the case. */
static void
check_one_delimited_roundtrip(int _i)
{
	const dround_t *c = &delim_rounds[_i];
	sl_serde_t *s = mk(SL_FORMAT_DELIMITED, c->cols, false, 0, c->delim);
	sl_value_t v[8];
	sl_arena_t a;
	sl_strbuf_t out;
	sl_error_t err;
	int rc;

	sl_arena_init(&a, 0);
	sl_strbuf_init(&out);
	rc = sl_serde_decode(s, c->in, strlen(c->in), &a, v, &err);
	if (c->out[0] == '\0') {
		ck_assert_int_eq(rc, SL_EINVAL);
	} else {
		ck_assert_msg(rc == SL_OK, "case %d (%s): %s", _i, c->in, err.msg);
		ck_assert_int_eq(sl_serde_encode(s, v, &out, &err), SL_OK);
		ck_assert_msg(strcmp(out.data, c->out) == 0, "case %d (%s): got [%s] want [%s]", _i,
			      c->in, out.data, c->out);
	}
	sl_strbuf_free(&out);
	sl_arena_destroy(&a);
	sl_serde_destroy(s);
}

START_TEST(test_delimited_roundtrip)
{
	/* one test running every case: a fork per case is slow under ASan */
	for (int i = 0; i < (int)(sizeof(delim_rounds) / sizeof(delim_rounds[0])); i++)
		check_one_delimited_roundtrip(i);
}
END_TEST

START_TEST(test_delimited_encode_values)
{
	sl_serde_t *s = mk(SL_FORMAT_DELIMITED,
			   "S STRING, T STRING, D DOUBLE, X DECIMAL(5,3), B BYTES", false, 0, 0);
	sl_value_t v[5];
	sl_strbuf_t out;
	sl_error_t err;

	sl_strbuf_init(&out);
	/* an empty string first is quoted, later it is the same as NULL */
	v[0] = (sl_value_t){ .kind = SL_T_STRING, .u.s = { "", 0 } };
	v[1] = (sl_value_t){ .kind = SL_T_STRING, .u.s = { "", 0 } };
	v[2] = (sl_value_t){ .kind = SL_T_DOUBLE, .u.d = -0.5 };
	v[3] = (sl_value_t){ .kind = SL_T_DECIMAL, .scale = 3, .precision = 5, .u.dec = -5 };
	v[4] = (sl_value_t){ .kind = SL_T_BYTES, .u.s = { "\xfb\xff", 2 } };
	ck_assert_int_eq(sl_serde_encode(s, v, &out, &err), SL_OK);
	ck_assert_str_eq(out.data, "\"\",,-0.5,-0.005,+/8=");
	sl_strbuf_reset(&out);
	v[0] = (sl_value_t){ .kind = SL_T_STRING, .u.s = { "+/8=", 4 } };
	v[1] = sl_value_null();
	v[2] = (sl_value_t){ .kind = SL_T_DOUBLE, .u.d = 1e-5 };
	v[3] = sl_value_null();
	v[4] = sl_value_null();
	ck_assert_int_eq(sl_serde_encode(s, v, &out, &err), SL_OK);
	ck_assert_str_eq(out.data, "\"+/8=\",,1.0E-5,,");
	/* a single NULL column is an empty payload (not a Kafka null) */
	sl_serde_destroy(s);
	s = mk(SL_FORMAT_DELIMITED, "S STRING", false, 0, 0);
	sl_strbuf_reset(&out);
	ck_assert_int_eq(sl_serde_encode(s, v + 1, &out, &err), SL_OK);
	ck_assert_uint_eq(out.len, 0);
	ck_assert_int_eq(sl_serde_encode(s, NULL, &out, &err), SL_SERDE_NULL);
	sl_serde_destroy(s);
	sl_strbuf_free(&out);
}
END_TEST

/*
 * Random DELIMITED payloads: decoding never reads out of bounds, and what
 * decodes re-encodes to a payload that decodes to the same values.
 */
START_TEST(test_delimited_fuzz)
{
	static const char alphabet[] = "ab1-,,\"\"\r\n \t;#!\xc3\xa9\xff"
				       "0";
	sl_serde_t *s = mk(SL_FORMAT_DELIMITED, "A STRING, B INT, C STRING", false, 0, 0);
	sl_strbuf_t r1, r2, enc;
	sl_error_t err;

	sl_strbuf_init(&r1);
	sl_strbuf_init(&r2);
	sl_strbuf_init(&enc);
	for (int iter = 0; iter < 30000; iter++) {
		size_t n = rnd() % 12;
		char *p = malloc(n ? n : 1);
		sl_value_t v[3];
		sl_arena_t a;
		int rc;

		for (size_t k = 0; k < n; k++)
			p[k] = alphabet[rnd() % (sizeof(alphabet) - 1)];
		sl_arena_init(&a, 0);
		rc = sl_serde_decode(s, p, n, &a, v, &err);
		ck_assert(rc == SL_OK || rc == SL_EINVAL);
		if (rc == SL_OK) {
			sl_strbuf_reset(&enc);
			ck_assert_int_eq(sl_serde_encode(s, v, &enc, &err), SL_OK);
			ck_assert_int_eq(decode_render(s, p, n, &r1, &err), SL_OK);
			ck_assert_msg(decode_render(s, enc.data, enc.len, &r2, &err) == SL_OK,
				      "[%.*s] re-encoded as [%s]: %s", (int)n, p, enc.data,
				      err.msg);
			ck_assert_msg(strcmp(r1.data, r2.data) == 0, "[%.*s] -> [%s]: %s vs %s",
				      (int)n, p, enc.data, r1.data, r2.data);
		}
		sl_arena_destroy(&a);
		free(p);
	}
	sl_strbuf_free(&r1);
	sl_strbuf_free(&r2);
	sl_strbuf_free(&enc);
	sl_serde_destroy(s);
}
END_TEST

/* ---- KAFKA ---- */

START_TEST(test_kafka)
{
	sl_arena_t a;
	sl_strbuf_t out;
	sl_error_t err;
	sl_value_t v;
	sl_serde_t *s;

	sl_arena_init(&a, 0);
	sl_strbuf_init(&out);

	s = mk(SL_FORMAT_KAFKA, "K INT", true, 0, 0);
	ck_assert_int_eq(sl_serde_decode(s, "\x00\x00\x00\x2a", 4, &a, &v, &err), SL_OK);
	ck_assert_int_eq(v.kind, SL_T_INT);
	ck_assert_int_eq(v.u.i, 42);
	ck_assert_int_eq(sl_serde_decode(s, "\xff\xff\xff\xfe", 4, &a, &v, &err), SL_OK);
	ck_assert_int_eq(v.u.i, -2);
	ck_assert_int_eq(sl_serde_decode(s, "\x00\x00\x2a", 3, &a, &v, &err), SL_EINVAL);
	ck_assert_str_eq(err.msg, "KAFKA INTEGER column \"K\" must be 4 bytes, got 3");
	ck_assert_int_eq(sl_serde_decode(s, "", 0, &a, &v, &err), SL_EINVAL);
	ck_assert_int_eq(sl_serde_decode(s, NULL, 0, &a, &v, &err), SL_SERDE_NULL);
	v = (sl_value_t){ .kind = SL_T_INT, .u.i = INT32_MIN };
	ck_assert_int_eq(sl_serde_encode(s, &v, &out, &err), SL_OK);
	ck_assert_uint_eq(out.len, 4);
	ck_assert(memcmp(out.data, "\x80\x00\x00\x00", 4) == 0);
	v = sl_value_null();
	sl_strbuf_reset(&out);
	ck_assert_int_eq(sl_serde_encode(s, &v, &out, &err), SL_SERDE_NULL);
	v = (sl_value_t){ .kind = SL_T_BIGINT, .u.l = 1 };
	ck_assert_int_eq(sl_serde_encode(s, &v, &out, &err), SL_EINVAL);
	sl_serde_destroy(s);

	s = mk(SL_FORMAT_KAFKA, "K BIGINT", true, 0, 0);
	ck_assert_int_eq(sl_serde_decode(s, "\x80\x00\x00\x00\x00\x00\x00\x01", 8, &a, &v, &err),
			 SL_OK);
	ck_assert(v.u.l == INT64_MIN + 1);
	ck_assert_int_eq(sl_serde_decode(s, "\x00\x00\x00\x01", 4, &a, &v, &err), SL_EINVAL);
	sl_strbuf_reset(&out);
	v = (sl_value_t){ .kind = SL_T_BIGINT, .u.l = 0x0102030405060708LL };
	ck_assert_int_eq(sl_serde_encode(s, &v, &out, &err), SL_OK);
	ck_assert(memcmp(out.data, "\x01\x02\x03\x04\x05\x06\x07\x08", 8) == 0);
	sl_serde_destroy(s);

	s = mk(SL_FORMAT_KAFKA, "V DOUBLE", false, SL_SERDE_WRAP_FALSE, 0);
	ck_assert_int_eq(sl_serde_decode(s, "\x40\x09\x21\xfb\x54\x44\x2d\x18", 8, &a, &v, &err),
			 SL_OK);
	ck_assert(v.u.d == 3.141592653589793);
	sl_strbuf_reset(&out);
	v = (sl_value_t){ .kind = SL_T_DOUBLE, .u.d = 2.2 };
	ck_assert_int_eq(sl_serde_encode(s, &v, &out, &err), SL_OK);
	ck_assert(memcmp(out.data, "\x40\x01\x99\x99\x99\x99\x99\x9a", 8) == 0);
	sl_serde_destroy(s);

	s = mk(SL_FORMAT_KAFKA, "V STRING", false, 0, 0);
	const char *in = "bar";
	ck_assert_int_eq(sl_serde_decode(s, in, 3, &a, &v, &err), SL_OK);
	ck_assert(v.u.s.ptr == in && v.u.s.len == 3);
	ck_assert_int_eq(sl_serde_decode(s, "", 0, &a, &v, &err), SL_OK);
	ck_assert_int_eq(v.kind, SL_T_STRING);
	ck_assert_int_eq(v.u.s.len, 0);
	ck_assert_int_eq(sl_serde_decode(s, "a\xffz\xf0\x9f", 5, &a, &v, &err), SL_OK);
	ck_assert_int_eq(v.u.s.len, 8);
	ck_assert(memcmp(v.u.s.ptr, "a\xef\xbf\xbdz\xef\xbf\xbd", 8) == 0);
	sl_serde_destroy(s);

	s = mk(SL_FORMAT_KAFKA, "V BYTES", false, 0, 0);
	ck_assert_int_eq(sl_serde_decode(s, "\x00\xff", 2, &a, &v, &err), SL_OK);
	ck_assert_int_eq(v.kind, SL_T_BYTES);
	ck_assert_int_eq(v.u.s.len, 2);
	sl_strbuf_reset(&out);
	ck_assert_int_eq(sl_serde_encode(s, &v, &out, &err), SL_OK);
	ck_assert(out.len == 2 && memcmp(out.data, "\x00\xff", 2) == 0);
	sl_serde_destroy(s);

	sl_strbuf_free(&out);
	sl_arena_destroy(&a);
}
END_TEST

/* ---- NONE, and serdes of no columns ---- */

START_TEST(test_none)
{
	sl_serde_t *s;
	sl_strbuf_t out;
	sl_error_t err;
	sl_arena_t a;
	sl_value_t v;

	sl_arena_init(&a, 0);
	sl_strbuf_init(&out);
	ck_assert_int_eq(sl_serde_create(SL_FORMAT_NONE, NULL, 0,
					 &(sl_serde_opts_t){ .is_key = true }, &s, &err),
			 SL_OK);
	ck_assert_int_eq(sl_serde_decode(s, "data that should be ignored", 27, &a, &v, &err),
			 SL_OK);
	ck_assert_int_eq(sl_serde_decode(s, NULL, 0, &a, &v, &err), SL_SERDE_NULL);
	ck_assert_int_eq(sl_serde_encode(s, &v, &out, &err), SL_SERDE_NULL);
	sl_serde_render_json(s, &v, &out);
	ck_assert_str_eq(out.data, "null");
	sl_serde_destroy(s);
	/* a KAFKA key of a keyless stream: no columns, payload ignored */
	ck_assert_int_eq(sl_serde_create(SL_FORMAT_KAFKA, NULL, 0,
					 &(sl_serde_opts_t){ .is_key = true }, &s, &err),
			 SL_OK);
	ck_assert_int_eq(sl_serde_decode(s, "ignored", 7, &a, &v, &err), SL_OK);
	ck_assert_int_eq(sl_serde_encode(s, &v, &out, &err), SL_SERDE_NULL);
	sl_serde_destroy(s);
	sl_strbuf_free(&out);
	sl_arena_destroy(&a);
}
END_TEST

/* ---- what creation refuses ---- */

typedef struct vcase {
	sl_format_t f;
	const char *cols;
	bool key;
	sl_serde_wrap_t wrap;
	char delim;
	const char *err; /* exact message; NULL: accepted */
} vcase_t;

static const vcase_t valid_cases[] = {
	{ SL_FORMAT_NONE, "K STRING", true, 0, 0,
	  "The 'NONE' format can only be used when no columns are defined. Got: [`K` STRING KEY]" },
	{ SL_FORMAT_NONE, "FOO INT", false, 0, 0,
	  "The 'NONE' format can only be used when no columns are defined. Got: [`FOO` INTEGER]" },
	{ SL_FORMAT_JSON, "A INT", false, 0, '|',
	  "JSON does not support the following configs: [delimiter]" },
	{ SL_FORMAT_KAFKA, "A INT", false, 0, ';',
	  "KAFKA does not support the following configs: [delimiter]" },
	{ SL_FORMAT_KAFKA, "FOO INT", false, SL_SERDE_WRAP_TRUE, 0,
	  "Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'." },
	{ SL_FORMAT_DELIMITED, "FOO INT", false, SL_SERDE_WRAP_TRUE, 0,
	  "Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'." },
	{ SL_FORMAT_DELIMITED, "FOO INT", false, SL_SERDE_WRAP_FALSE, 0, NULL },
	{ SL_FORMAT_KAFKA, "FOO INT", false, SL_SERDE_WRAP_FALSE, 0, NULL },
	{ SL_FORMAT_JSON, "F0 STRING, F1 STRING", false, SL_SERDE_WRAP_FALSE, 0,
	  "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas" },
	{ SL_FORMAT_JSON, "F0 STRING, F1 STRING", false, SL_SERDE_WRAP_TRUE, 0,
	  "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas" },
	{ SL_FORMAT_JSON, "F0 STRING", true, SL_SERDE_WRAP_TRUE, 0, NULL },
	{ SL_FORMAT_JSON, "K MAP<INT, DOUBLE>", true, 0, 0,
	  "Map keys, including types that contain maps, are not supported as they may lead to "
	  "unexpected behavior due to inconsistent serialization. Key column name: `K`. Column "
	  "type: MAP<INTEGER, DOUBLE>. See https://github.com/confluentinc/ksql/issues/6621 for more." },
	{ SL_FORMAT_DELIMITED, "K MAP<STRING, DOUBLE>", true, 0, 0,
	  "Map keys, including types that contain maps, are not supported as they may lead to "
	  "unexpected behavior due to inconsistent serialization. Key column name: `K`. Column "
	  "type: MAP<STRING, DOUBLE>. See https://github.com/confluentinc/ksql/issues/6621 for more." },
	{ SL_FORMAT_JSON, "K ARRAY<MAP<INT, DOUBLE>>", true, 0, 0,
	  "Map keys, including types that contain maps, are not supported as they may lead to "
	  "unexpected behavior due to inconsistent serialization. Key column name: `K`. Column "
	  "type: ARRAY<MAP<INTEGER, DOUBLE>>. See https://github.com/confluentinc/ksql/issues/6621 for more." },
	{ SL_FORMAT_JSON, "K STRUCT<F MAP<STRING, STRING>>", true, 0, 0,
	  "Map keys, including types that contain maps, are not supported as they may lead to "
	  "unexpected behavior due to inconsistent serialization. Key column name: `K`. Column "
	  "type: STRUCT<`F` MAP<STRING, STRING>>. See https://github.com/confluentinc/ksql/issues/6621 for more." },
	{ SL_FORMAT_KAFKA, "V0 INT, V1 STRING", false, 0, 0,
	  "The 'KAFKA' format only supports a single field. Got: [`V0` INTEGER, `V1` STRING]" },
	{ SL_FORMAT_KAFKA, "ID INT, AGE INT", true, 0, 0,
	  "The 'KAFKA' format only supports a single field. Got: [`ID` INTEGER KEY, `AGE` INTEGER KEY]" },
	{ SL_FORMAT_KAFKA, "K BOOLEAN", true, 0, 0,
	  "The 'KAFKA' format does not support type 'BOOLEAN'" },
	{ SL_FORMAT_KAFKA, "K ARRAY<INT>", true, 0, 0,
	  "The 'KAFKA' format does not support type 'ARRAY'" },
	{ SL_FORMAT_KAFKA, "V MAP<INT, DOUBLE>", false, 0, 0,
	  "The 'KAFKA' format does not support type 'MAP'" },
	{ SL_FORMAT_KAFKA, "V STRUCT<K DOUBLE>", false, 0, 0,
	  "The 'KAFKA' format does not support type 'STRUCT'" },
	{ SL_FORMAT_KAFKA, "V DECIMAL(4,2)", false, 0, 0,
	  "The 'KAFKA' format does not support type 'DECIMAL'" },
	{ SL_FORMAT_KAFKA, "V TIMESTAMP", false, 0, 0,
	  "The 'KAFKA' format does not support type 'TIMESTAMP'" },
	{ SL_FORMAT_KAFKA, "V INT", false, 0, 0, NULL },
	{ SL_FORMAT_KAFKA, "V BIGINT", false, 0, 0, NULL },
	{ SL_FORMAT_KAFKA, "V DOUBLE", false, 0, 0, NULL },
	{ SL_FORMAT_KAFKA, "V STRING", false, 0, 0, NULL },
	{ SL_FORMAT_KAFKA, "V BYTES", false, 0, 0, NULL },
	{ SL_FORMAT_DELIMITED, "K STRUCT<F DOUBLE>", true, 0, 0,
	  "The 'DELIMITED' format does not support type 'STRUCT', column: `K`" },
	{ SL_FORMAT_DELIMITED, "FOO ARRAY<INT>", false, 0, 0,
	  "The 'DELIMITED' format does not support type 'ARRAY', column: `FOO`" },
	{ SL_FORMAT_DELIMITED, "A INT, FOO MAP<STRING, DOUBLE>", false, 0, 0,
	  "The 'DELIMITED' format does not support type 'MAP', column: `FOO`" },
	{ SL_FORMAT_DELIMITED,
	  "A BOOLEAN, B INT, C BIGINT, D DOUBLE, E DECIMAL(4,2), F STRING, "
	  "G BYTES, H TIMESTAMP, I DATE, J TIME",
	  false, 0, '|', NULL },
	{ SL_FORMAT_JSON, "V MAP<INT, DOUBLE>", false, 0, 0,
	  "JSON only supports MAP types with STRING keys" },
	{ SL_FORMAT_JSON, "V ARRAY<STRUCT<M MAP<BIGINT, DOUBLE>>>", false, 0, 0,
	  "JSON only supports MAP types with STRING keys" },
	{ SL_FORMAT_JSON, "V MAP<STRING, MAP<STRING, ARRAY<STRUCT<A INT>>>>", false, 0, 0, NULL },
};

/* One case of valid_cases[]; _i is the case. */
static void
check_one_create_validation(int _i)
{
	const vcase_t *c = &valid_cases[_i];
	sl_field_t cols[16];
	int n = parse_cols(c->cols, cols);
	sl_serde_opts_t o = { .is_key = c->key, .wrap = c->wrap, .delimiter = c->delim };
	sl_serde_t *s = (sl_serde_t *)1;
	sl_error_t err;
	int rc;

	sl_error_clear(&err);
	rc = sl_serde_create(c->f, cols, n, &o, &s, &err);
	if (c->err == NULL) {
		ck_assert_msg(rc == SL_OK, "case %d: %s", _i, err.msg);
		ck_assert_ptr_nonnull(s);
		ck_assert_int_eq(sl_serde_validate(c->f, cols, n, &o, &err), SL_OK);
		sl_serde_destroy(s);
	} else {
		ck_assert_msg(rc == SL_EINVAL, "case %d accepted", _i);
		ck_assert_ptr_null(s);
		ck_assert_str_eq(err.msg, c->err);
		sl_error_clear(&err);
		ck_assert_int_eq(sl_serde_validate(c->f, cols, n, &o, &err), SL_EINVAL);
		ck_assert_str_eq(err.msg, c->err);
	}
}

START_TEST(test_create_validation)
{
	/* one test running every case: a fork per case is slow under ASan */
	for (int i = 0; i < (int)(sizeof(valid_cases) / sizeof(valid_cases[0])); i++)
		check_one_create_validation(i);
}
END_TEST

START_TEST(test_format_and_delimiter_names)
{
	sl_format_t f;
	sl_error_t err;
	char d;

	ck_assert_int_eq(sl_format_parse("json", &f, &err), SL_OK);
	ck_assert_int_eq(f, SL_FORMAT_JSON);
	ck_assert_int_eq(sl_format_parse("Delimited", &f, &err), SL_OK);
	ck_assert_int_eq(f, SL_FORMAT_DELIMITED);
	ck_assert_int_eq(sl_format_parse("KAFKA", &f, &err), SL_OK);
	ck_assert_int_eq(f, SL_FORMAT_KAFKA);
	ck_assert_int_eq(sl_format_parse("none", &f, &err), SL_OK);
	ck_assert_int_eq(f, SL_FORMAT_NONE);
	ck_assert_int_eq(sl_format_parse("FOO", &f, &err), SL_EINVAL);
	ck_assert_str_eq(err.msg, "Unknown format: FOO");
	ck_assert_int_eq(sl_format_parse("avro", &f, &err), SL_ENOTSUP);
	ck_assert_str_eq(err.msg, "format 'AVRO' is not supported yet");
	ck_assert_str_eq(sl_format_name(SL_FORMAT_DELIMITED), "DELIMITED");

	ck_assert_int_eq(sl_serde_delimiter_parse("|", &d, &err), SL_OK);
	ck_assert_int_eq(d, '|');
	ck_assert_int_eq(sl_serde_delimiter_parse("TAB", &d, &err), SL_OK);
	ck_assert_int_eq(d, '\t');
	ck_assert_int_eq(sl_serde_delimiter_parse("SPACE", &d, &err), SL_OK);
	ck_assert_int_eq(d, ' ');
	ck_assert_int_eq(sl_serde_delimiter_parse("<~>", &d, &err), SL_EINVAL);
	ck_assert_str_eq(err.msg, "Invalid delimiter value: '<~>'. Delimiter must be a single "
				  "character or TAB,SPACE");
	ck_assert_int_eq(sl_serde_delimiter_parse(" ", &d, &err), SL_EINVAL);
	ck_assert_str_eq(err.msg,
			 "Delimiter cannot be empty, if you meant to have a tab or space for "
			 "delimiter, please use the special values 'TAB' or 'SPACE'");
	ck_assert_int_eq(sl_serde_delimiter_parse("\t", &d, &err), SL_EINVAL);
	ck_assert_int_eq(sl_serde_delimiter_parse("", &d, &err), SL_EINVAL);
	ck_assert_int_eq(sl_serde_delimiter_parse("\"", &d, &err), SL_EINVAL);
	ck_assert_int_eq(sl_serde_delimiter_parse("\xc2\xa7", &d, &err), SL_EINVAL);
}
END_TEST

/* ---- rendering for people ---- */

START_TEST(test_render)
{
	sl_serde_t *s;
	sl_strbuf_t out;
	sl_value_t v[2] = { { .kind = SL_T_INT, .u.i = 1 }, { .kind = SL_T_DOUBLE, .u.d = 0.5 } };

	sl_strbuf_init(&out);
	s = mk(SL_FORMAT_KAFKA, "K INT", true, 0, 0);
	sl_serde_render_json(s, v, &out);
	ck_assert_str_eq(out.data, "1");
	sl_strbuf_reset(&out);
	sl_serde_render_json(s, NULL, &out);
	ck_assert_str_eq(out.data, "null");
	sl_serde_destroy(s);
	s = mk(SL_FORMAT_DELIMITED, "A INT, B DOUBLE", false, 0, 0);
	sl_strbuf_reset(&out);
	sl_serde_render_json(s, v, &out);
	ck_assert_str_eq(out.data, "{\"A\":1,\"B\":0.5}");
	sl_serde_destroy(s);
	s = mk(SL_FORMAT_JSON, "A INT", false, 0, 0);
	sl_strbuf_reset(&out);
	sl_serde_render_json(s, v, &out);
	ck_assert_str_eq(out.data, "{\"A\":1}");
	sl_serde_destroy(s);
	s = mk(SL_FORMAT_JSON, "A INT", false, SL_SERDE_WRAP_FALSE, 0);
	sl_strbuf_reset(&out);
	sl_serde_render_json(s, v, &out);
	ck_assert_str_eq(out.data, "1");
	sl_serde_destroy(s);
	sl_strbuf_free(&out);
}
END_TEST

/* ---- scalar text ---- */

START_TEST(test_fmt_double)
{
	static const struct {
		double d;
		const char *s;
	} cases[] = {
		{ 1.0, "1.0" },
		{ 0.1, "0.1" },
		{ -2.5, "-2.5" },
		{ 100.0, "100.0" },
		{ 1234567.0, "1234567.0" },
		{ 9999999.0, "9999999.0" },
		{ 10000000.0, "1.0E7" },
		{ 1e10, "1.0E10" },
		{ 123456789.0, "1.23456789E8" },
		{ 0.001, "0.001" },
		{ 0.0001, "1.0E-4" },
		{ 1.5e-5, "1.5E-5" },
		{ 654.321, "654.321" },
		{ 532.8738323, "532.8738323" },
		{ 22026.465794806718, "22026.465794806718" },
		{ 0.30000000000000004, "0.30000000000000004" },
		{ 1.0 / 3, "0.3333333333333333" },
		{ 2.0 / 3, "0.6666666666666666" },
		{ 1e23, "1.0E23" },
		{ 1.7976931348623157e308, "1.7976931348623157E308" },
		{ 4.9e-324, "4.9E-324" },
		{ 2.2250738585072014E-308, "2.2250738585072014E-308" },
		{ -0.0, "-0.0" },
		{ 0.0, "0.0" },
		{ 9007199254740993.0, "9.007199254740992E15" },
	};
	char buf[SL_FMT_DOUBLE_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = sl_fmt_double(buf, cases[i].d);

		ck_assert_uint_eq(n, strlen(buf));
		ck_assert_msg(strcmp(buf, cases[i].s) == 0, "%.17g: got %s want %s", cases[i].d,
			      buf, cases[i].s);
	}
	sl_fmt_double(buf, NAN);
	ck_assert_str_eq(buf, "NaN");
	sl_fmt_double(buf, -INFINITY);
	ck_assert_str_eq(buf, "-Infinity");
	/* every output reads back as the same double */
	for (int i = 0; i < 100000; i++) {
		uint64_t bits = rnd();
		double d, back;

		memcpy(&d, &bits, 8);
		if (!isfinite(d))
			continue;
		sl_fmt_double(buf, d);
		ck_assert(sl_fmt_parse_double(buf, strlen(buf), &back));
		ck_assert_msg(back == d || (d == 0 && back == 0), "%s", buf);
	}
}
END_TEST

START_TEST(test_fmt_decimal_and_literals)
{
	char buf[128];
	sl_numlit_t lit;
	__int128 u;

	sl_fmt_decimal(buf, 150, 2);
	ck_assert_str_eq(buf, "1.50");
	sl_fmt_decimal(buf, -5, 3);
	ck_assert_str_eq(buf, "-0.005");
	sl_fmt_decimal(buf, 0, 4);
	ck_assert_str_eq(buf, "0.0000");
	sl_fmt_decimal(buf, 12, 0);
	ck_assert_str_eq(buf, "12");
	sl_fmt_decimal(buf, -((__int128)1 << 126), 38);
	ck_assert_str_eq(buf, "-0.85070591730234615865843651857942052864");
	sl_fmt_int64(buf, INT64_MIN);
	ck_assert_str_eq(buf, "-9223372036854775808");

	static const struct {
		const char *in, *text;
	} jt[] = {
		{ "0", "0" },
		{ "-0", "0" },
		{ "123", "123" },
		{ "-7", "-7" },
		{ "1.50", "1.50" },
		{ "-0.0", "0.0" },
		{ "0.000", "0.000" },
		{ "1e3", "1E+3" },
		{ "1E-7", "1E-7" },
		{ "0e5", "0E+5" },
		{ "10e-1", "1.0" },
		{ "1.0e0", "1.0" },
		{ "123.456e2", "12345.6" },
		{ "0.0000001", "1E-7" },
		{ "0.0000012", "0.0000012" },
		{ "-1.23e-10", "-1.23E-10" },
		{ "5e1", "5E+1" },
		{ "1.5e+1", "15" },
	};
	for (size_t i = 0; i < sizeof(jt) / sizeof(jt[0]); i++) {
		ck_assert_uint_eq(sl_numlit_parse_json(jt[i].in, strlen(jt[i].in), &lit),
				  strlen(jt[i].in));
		sl_numlit_jackson_text(&lit, buf);
		ck_assert_msg(strcmp(buf, jt[i].text) == 0, "%s: got %s want %s", jt[i].in, buf,
			      jt[i].text);
	}
	/* BigDecimal's grammar */
	ck_assert(sl_numlit_parse_bigdecimal(".5", 2, &lit));
	ck_assert(sl_numlit_parse_bigdecimal("5.", 2, &lit));
	ck_assert(sl_numlit_parse_bigdecimal("+1E-2", 5, &lit));
	ck_assert(!sl_numlit_parse_bigdecimal(".", 1, &lit));
	ck_assert(!sl_numlit_parse_bigdecimal("1e", 2, &lit));
	ck_assert(!sl_numlit_parse_bigdecimal("", 0, &lit));
	ck_assert(!sl_numlit_parse_bigdecimal("1 ", 2, &lit));
	ck_assert(!sl_numlit_parse_bigdecimal("--1", 3, &lit));
	ck_assert(sl_numlit_parse_bigdecimal("-12.5e1", 7, &lit));
	ck_assert_int_eq(sl_numlit_decimal(&lit, 5, 1, &u), 0);
	ck_assert(u == -1250);
	ck_assert_int_eq(sl_numlit_decimal(&lit, 3, 1, &u), SL_NUMLIT_OVERFLOW);
	ck_assert(sl_numlit_parse_bigdecimal("0.0051", 6, &lit));
	ck_assert_int_eq(sl_numlit_decimal(&lit, 3, 3, &u), SL_NUMLIT_ROUNDING);
	ck_assert_int_eq(sl_numlit_decimal(&lit, 4, 4, &u), 0);
	ck_assert(u == 51);
	/* truncation as Java's longValue() */
	ck_assert(sl_numlit_parse_bigdecimal("-9.99", 5, &lit));
	ck_assert((int64_t)sl_numlit_trunc(&lit) == -9);
	ck_assert(sl_numlit_parse_bigdecimal("4294967297", 10, &lit));
	ck_assert((int32_t)(uint32_t)sl_numlit_trunc(&lit) == 1);
}
END_TEST

START_TEST(test_java_parsers)
{
	int32_t i;
	int64_t l;
	double d;

	ck_assert(sl_fmt_parse_int("2147483647", 10, &i) && i == INT32_MAX);
	ck_assert(!sl_fmt_parse_int("2147483648", 10, &i));
	ck_assert(sl_fmt_parse_int("-0", 2, &i) && i == 0);
	ck_assert(!sl_fmt_parse_int("-", 1, &i));
	ck_assert(!sl_fmt_parse_int("", 0, &i));
	ck_assert(!sl_fmt_parse_int("1_0", 3, &i));
	ck_assert(!sl_fmt_parse_int("00000000000001", 14, &i)); /* too long for us */
	ck_assert(sl_fmt_parse_long("-9223372036854775808", 20, &l) && l == INT64_MIN);
	ck_assert(!sl_fmt_parse_long("-9223372036854775809", 20, &l));
	ck_assert(!sl_fmt_parse_long("18446744073709551616", 20, &l));
	ck_assert(sl_fmt_parse_double("1.", 2, &d) && d == 1.0);
	ck_assert(sl_fmt_parse_double(".5f", 3, &d) && d == 0.5);
	ck_assert(sl_fmt_parse_double("\t-1e-2D \n", 9, &d) && d == -0.01);
	ck_assert(sl_fmt_parse_double("-0x1p-2", 7, &d) && d == -0.25);
	ck_assert(sl_fmt_parse_double("+Infinity", 9, &d) && isinf(d) && d > 0);
	ck_assert(sl_fmt_parse_double("NaN", 3, &d) && isnan(d));
	ck_assert(!sl_fmt_parse_double("nan", 3, &d));
	ck_assert(!sl_fmt_parse_double("inf", 3, &d));
	ck_assert(!sl_fmt_parse_double("0x1", 3, &d));
	ck_assert(!sl_fmt_parse_double("0x1p", 4, &d));
	ck_assert(!sl_fmt_parse_double("1e5x", 4, &d));
	ck_assert(!sl_fmt_parse_double("+-1", 3, &d));
	ck_assert(!sl_fmt_parse_double("1,5", 3, &d));
	ck_assert(!sl_fmt_parse_double("", 0, &d));
}
END_TEST

START_TEST(test_base64_utf8)
{
	unsigned char out[64];
	char enc[64];
	size_t n;

	for (size_t len = 0; len < 20; len++) {
		unsigned char in[20];

		for (size_t k = 0; k < len; k++)
			in[k] = (unsigned char)(rnd() & 0xff);
		n = sl_fmt_b64_encode(enc, in, len);
		ck_assert_uint_eq(n, sl_fmt_b64_len(len));
		ck_assert(sl_fmt_b64_decode(enc, n, out, &n));
		ck_assert_uint_eq(n, len);
		ck_assert(memcmp(in, out, len) == 0);
	}
	ck_assert(sl_fmt_b64_decode("AAAH5Q", 6, out, &n) && n == 4);
	ck_assert(!sl_fmt_b64_decode("A", 1, out, &n));
	ck_assert(!sl_fmt_b64_decode("AB=C", 4, out, &n));
	ck_assert(!sl_fmt_b64_decode("ABC==", 5, out, &n));
	ck_assert(!sl_fmt_b64_decode("A-_B", 4, out, &n));

	ck_assert_uint_eq(sl_fmt_utf8_check("abc\xc3\xa9", 5), 5);
	ck_assert_uint_eq(sl_fmt_utf8_check("abcdefgh\xc3", 9), 8);
	ck_assert_uint_eq(sl_fmt_utf8_check("\xf0\x9f\x98\x80z", 5), 5);
	ck_assert_uint_eq(sl_fmt_utf8_check("\xe0\x80\x80", 3), 0);
	char fixed[64];
	/* a truncated 3-byte sequence is one U+FFFD, a stray byte another */
	n = sl_fmt_utf8_repair(fixed, "a\xe2\x82z\x80", 5);
	ck_assert_uint_eq(n, 8);
	ck_assert(memcmp(fixed, "a\xef\xbf\xbdz\xef\xbf\xbd", 8) == 0);
	/* an invalid second byte: the lead byte alone is replaced */
	n = sl_fmt_utf8_repair(fixed, "\xe0\x80\x80", 3);
	ck_assert_uint_eq(n, 9);
}
END_TEST

/* ---- ksqlDB test values to payloads and back ---- */

typedef struct qcase {
	sl_format_t f;
	const char *cols;
	bool key;
	const char *json;    /* the test file's value */
	const char *payload; /* the bytes (hex when starting with "0x") */
	size_t plen;
} qcase_t;

static const qcase_t qtt_cases[] = {
	{ SL_FORMAT_JSON, "FOO INT", false, "{\"FOO\":10}", "{\"FOO\":10}", 10 },
	{ SL_FORMAT_JSON, "V BIGINT", false, "10827272222", "10827272222", 11 },
	{ SL_FORMAT_JSON, "V DOUBLE", false, "1234.589", "1234.589", 8 },
	{ SL_FORMAT_JSON, "V STRING", false, "\"h\\u00e9\\\"\"", "\"h\xc3\xa9\\\"\"", 7 },
	{ SL_FORMAT_JSON, "V ARRAY<STRING>", false, "[\"a\",null,true]", "[\"a\",null,true]", 15 },
	{ SL_FORMAT_DELIMITED, "A INT, B STRING", false, "\"1,a\"", "1,a", 3 },
	{ SL_FORMAT_DELIMITED, "K STRING", true, "\"\\\"true\\\"\"", "\"true\"", 6 },
	{ SL_FORMAT_KAFKA, "K INT", true, "1", "\x00\x00\x00\x01", 4 },
	{ SL_FORMAT_KAFKA, "K INT", true, "-2", "\xff\xff\xff\xfe", 4 },
	{ SL_FORMAT_KAFKA, "K BIGINT", true, "3", "\x00\x00\x00\x00\x00\x00\x00\x03", 8 },
	{ SL_FORMAT_KAFKA, "K DOUBLE", true, "2.2", "\x40\x01\x99\x99\x99\x99\x99\x9a", 8 },
	{ SL_FORMAT_KAFKA, "K STRING", true, "\"foo\"", "foo", 3 },
	{ SL_FORMAT_KAFKA, "K STRING", true, "\"\"", "", 0 },
	{ SL_FORMAT_KAFKA, "V BYTES", false, "\"dmFyaWF0aW9ucw==\"", "variations", 10 },
};

/* One case of qtt_cases[]; _i is the case. */
static void
check_one_qtt_conversions(int _i)
{
	const qcase_t *c = &qtt_cases[_i];
	sl_serde_t *s =
		mk(c->f, c->cols, c->key,
		   c->key ? 0 :
			    (strchr(c->cols, ',') || c->f != SL_FORMAT_JSON || c->json[0] == '{' ?
				     0 :
				     SL_SERDE_WRAP_FALSE),
		   0);
	cJSON *v = cJSON_Parse(c->json), *back = NULL;
	sl_strbuf_t out;
	sl_error_t err;

	ck_assert_ptr_nonnull(v);
	sl_strbuf_init(&out);
	ck_assert_int_eq(sl_serde_payload_from_cjson(s, v, &out, &err), SL_OK);
	ck_assert_msg(out.len == c->plen && memcmp(out.data, c->payload, c->plen) == 0,
		      "case %d: payload [%s] (%zu bytes)", _i, out.data, out.len);
	ck_assert_int_eq(sl_serde_payload_to_cjson(s, out.data, out.len, &back, &err), SL_OK);
	ck_assert_msg(cJSON_Compare(v, back, true), "case %d: back %s", _i,
		      cJSON_PrintUnformatted(back));
	/* the payload decodes */
	sl_arena_t a;
	sl_value_t vals[4];

	sl_arena_init(&a, 0);
	ck_assert_int_eq(sl_serde_decode(s, out.data, out.len, &a, vals, &err), SL_OK);
	sl_arena_destroy(&a);
	cJSON_Delete(back);
	/* nulls */
	back = NULL;
	sl_strbuf_reset(&out);
	cJSON *null = cJSON_CreateNull();
	ck_assert_int_eq(sl_serde_payload_from_cjson(s, null, &out, &err), SL_SERDE_NULL);
	ck_assert_int_eq(sl_serde_payload_from_cjson(s, NULL, &out, &err), SL_SERDE_NULL);
	ck_assert_int_eq(sl_serde_payload_to_cjson(s, NULL, 0, &back, &err), SL_OK);
	ck_assert(cJSON_IsNull(back));
	cJSON_Delete(back);
	cJSON_Delete(null);
	cJSON_Delete(v);
	sl_strbuf_free(&out);
	sl_serde_destroy(s);
}

START_TEST(test_qtt_conversions)
{
	/* one test running every case: a fork per case is slow under ASan */
	for (int i = 0; i < (int)(sizeof(qtt_cases) / sizeof(qtt_cases[0])); i++)
		check_one_qtt_conversions(i);
}
END_TEST

START_TEST(test_qtt_errors)
{
	sl_serde_t *s;
	sl_strbuf_t out;
	sl_error_t err;
	cJSON *v, *back;

	sl_strbuf_init(&out);
	s = mk(SL_FORMAT_DELIMITED, "A INT", false, 0, 0);
	v = cJSON_Parse("{\"A\":1}");
	ck_assert_int_eq(sl_serde_payload_from_cjson(s, v, &out, &err), SL_EINVAL);
	cJSON_Delete(v);
	sl_serde_destroy(s);
	s = mk(SL_FORMAT_KAFKA, "K INT", true, 0, 0);
	v = cJSON_Parse("1.5");
	ck_assert_int_eq(sl_serde_payload_from_cjson(s, v, &out, &err), SL_EINVAL);
	cJSON_Delete(v);
	v = cJSON_Parse("3000000000");
	ck_assert_int_eq(sl_serde_payload_from_cjson(s, v, &out, &err), SL_EINVAL);
	cJSON_Delete(v);
	ck_assert_int_eq(sl_serde_payload_to_cjson(s, "abc", 3, &back, &err), SL_EINVAL);
	sl_serde_destroy(s);
	s = mk(SL_FORMAT_KAFKA, "V BYTES", false, 0, 0);
	v = cJSON_Parse("\"not base64!\"");
	ck_assert_int_eq(sl_serde_payload_from_cjson(s, v, &out, &err), SL_EINVAL);
	cJSON_Delete(v);
	sl_serde_destroy(s);
	s = mk(SL_FORMAT_JSON, "A INT", false, 0, 0);
	ck_assert_int_eq(sl_serde_payload_to_cjson(s, "{bad", 4, &back, &err), SL_EINVAL);
	sl_serde_destroy(s);
	/* NONE keys: anything in, null out */
	ck_assert_int_eq(sl_serde_create(SL_FORMAT_NONE, NULL, 0, NULL, &s, &err), SL_OK);
	v = cJSON_Parse("\"data that should be ignored\"");
	sl_strbuf_reset(&out);
	ck_assert_int_eq(sl_serde_payload_from_cjson(s, v, &out, &err), SL_OK);
	ck_assert_str_eq(out.data, "data that should be ignored");
	ck_assert_int_eq(sl_serde_payload_to_cjson(s, out.data, out.len, &back, &err), SL_OK);
	ck_assert(cJSON_IsNull(back));
	cJSON_Delete(back);
	cJSON_Delete(v);
	sl_serde_destroy(s);
	sl_strbuf_free(&out);
}
END_TEST

/* ---- suite ---- */

static Suite *
format_suite(void)
{
	Suite *su = suite_create("format");
	TCase *tc;

	tc = tcase_create("json");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_json_decode_table);
	tcase_add_test(tc, test_json_zero_copy);
	tcase_add_test(tc, test_json_depth);
	tcase_add_test(tc, test_json_huge_numbers);
	tcase_add_test(tc, test_json_truncation);
	tcase_add_test(tc, test_json_vs_cjson);
	tcase_add_test(tc, test_json_mutations);
	tcase_add_test(tc, test_json_encode);
	tcase_add_test(tc, test_json_encode_large);
	suite_add_tcase(su, tc);

	tc = tcase_create("delimited");
	tcase_add_test(tc, test_delimited_decode_table);
	tcase_add_test(tc, test_delimited_roundtrip);
	tcase_add_test(tc, test_delimited_encode_values);
	tcase_add_test(tc, test_delimited_fuzz);
	suite_add_tcase(su, tc);

	tc = tcase_create("kafka_none");
	tcase_add_test(tc, test_kafka);
	tcase_add_test(tc, test_none);
	suite_add_tcase(su, tc);

	tc = tcase_create("create");
	tcase_add_test(tc, test_create_validation);
	tcase_add_test(tc, test_format_and_delimiter_names);
	tcase_add_test(tc, test_render);
	suite_add_tcase(su, tc);

	tc = tcase_create("scalar");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fmt_double);
	tcase_add_test(tc, test_fmt_decimal_and_literals);
	tcase_add_test(tc, test_java_parsers);
	tcase_add_test(tc, test_base64_utf8);
	suite_add_tcase(su, tc);

	tc = tcase_create("qtt");
	tcase_add_test(tc, test_qtt_conversions);
	tcase_add_test(tc, test_qtt_errors);
	suite_add_tcase(su, tc);
	return su;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sl_arena_init(&types, 0);
	sr = srunner_create(format_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	sl_arena_destroy(&types);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
