/*
 * check_aggregate.c: unit tests of the aggregate functions with scalar
 * state (src/expr/fn_aggregate.c): COUNT, SUM, AVG, MIN, MAX, STDDEV_SAMP,
 * STDDEV_SAMPLE and CORRELATION, with the registry, the return and state
 * types, the binding errors and the JSON round trip of every aggregate's
 * state; MIN and MAX also in their table form (src/expr/fn_multiset.c), the
 * multiset that can take a value back out.  The aggregates that keep lists and maps are in
 * check_aggregate_collections.c.
 *
 * Layer: expr.  Each test drives an aggregate through agg_harness.h as
 * the executor does (bind, then add, undo and merge over an accumulator
 * deep-copied, or sent through JSON, after every step).  Expected values
 * come from ksqlDB's query-validation tests; the STDDEV undo and merge
 * values and the DECIMAL overflow texts were computed on the JVM with
 * ksqlDB's algorithms.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg_harness.h"
#include "expr/decimal.h"
#include "expr/expr.h"
#include "expr/func.h"
#include "expr/type.h"
#include "expr/value.h"
#include "util/arena.h"
#include "util/strbuf.h"

/* ---- registry ---------------------------------------------------------- */

START_TEST(test_registry)
{
	static const struct {
		const char *name;
		bool undo;
		bool table; /* a table form, which can undo */
	} fns[] = {
		{ "ATTR", true, false },
		{ "AVG", true, false },
		{ "COLLECT_LIST", true, false },
		{ "COLLECT_SET", false, false },
		{ "CORRELATION", true, false },
		{ "COUNT", true, false },
		{ "COUNT_DISTINCT", false, false },
		{ "EARLIEST_BY_OFFSET", false, false },
		{ "HISTOGRAM", true, false },
		{ "LATEST_BY_OFFSET", false, false },
		{ "MAX", false, true },
		{ "MIN", false, true },
		{ "STDDEV_SAMP", true, false },
		{ "STDDEV_SAMPLE", true, false },
		{ "SUM", true, false },
		{ "TOPK", false, false },
		{ "TOPKDISTINCT", false, false },
	};
	int naggs = 0;

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		const sl_func_t *f = sl_func_lookup(reg, fns[i].name);
		ck_assert_msg(f != NULL, "%s missing", fns[i].name);
		ck_assert_int_eq(f->kind, SL_FUNC_AGGREGATE);
		ck_assert_str_eq(f->category, "AGGREGATE");
		ck_assert_msg(strlen(f->description) > 10, "%s: no description", f->name);
		ck_assert_int_gt(f->nvariants, 0);
		for (int v = 0; v < f->nvariants; v++) {
			const sl_agg_ops_t *ops = f->variants[v]->agg;
			const sl_func_variant_t *tv;
			ck_assert_msg(ops != NULL && f->variants[v]->fn == NULL, "%s", f->name);
			ck_assert_msg(ops->init && ops->add && ops->merge, "%s", f->name);
			ck_assert_msg((ops->undo != NULL) == fns[i].undo, "%s: undo", f->name);
			tv = f->variants[v]->table;
			ck_assert_msg((tv != NULL) == fns[i].table, "%s: table form", f->name);
			ck_assert_msg(tv == NULL ||
					      (tv->agg->init && tv->agg->add && tv->agg->undo &&
					       tv->agg->merge && tv->table == NULL),
				      "%s: table form", f->name);
		}
	}
	/* no other aggregate, and every aggregate is one of these */
	for (int i = 0; i < sl_func_count(reg); i++)
		if (sl_func_at(reg, i)->kind == SL_FUNC_AGGREGATE)
			naggs++;
	ck_assert_int_eq(naggs, (int)(sizeof(fns) / sizeof(fns[0])));
	ck_assert_str_eq(sl_func_kind_name(sl_func_lookup(reg, "TOPK")->kind), "AGGREGATE");
}
END_TEST

/* Return and state types, as DESCRIBE and the executor see them. */
START_TEST(test_types)
{
	agg_t g;

#define TYPES(ret_, state_, name, ...)                          \
	do {                                                    \
		OPEN(&g, name, __VA_ARGS__);                    \
		ck_assert_str_eq(tstr(g.b.ret), ret_);          \
		ck_assert_str_eq(tstr(g.b.state_type), state_); \
		agg_close(&g);                                  \
	} while (0)

	ck_assert_int_eq(agg_open(&g, "COUNT", 0, NULL, false), SL_OK);
	ck_assert_str_eq(tstr(g.b.ret), "BIGINT");
	ck_assert_str_eq(tstr(g.b.state_type), "BIGINT");
	agg_close(&g);
	TYPES("BIGINT", "BIGINT", "COUNT", COL(tMAP(sl_type_int())));
	TYPES("INTEGER", "INTEGER", "SUM", COL(sl_type_int()));
	TYPES("BIGINT", "BIGINT", "SUM", COL(sl_type_bigint()));
	TYPES("DOUBLE", "DOUBLE", "SUM", COL(sl_type_double()));
	TYPES("DECIMAL(4, 1)", "DECIMAL(4, 1)", "SUM", COL(tDEC(4, 1)));
	TYPES("DOUBLE", "STRUCT<`SUM` INTEGER, `COUNT` BIGINT>", "AVG", COL(sl_type_int()));
	TYPES("DOUBLE", "STRUCT<`SUM` BIGINT, `COUNT` BIGINT>", "AVG", COL(sl_type_bigint()));
	/* DECIMAL widens to the DOUBLE variant, as in ksqlDB */
	TYPES("DOUBLE", "STRUCT<`SUM` DOUBLE, `COUNT` BIGINT>", "AVG", COL(tDEC(4, 1)));
	ck_assert_str_eq(tstr(g.b.argt[0]), "DOUBLE");
	TYPES("DATE", "DATE", "MIN", COL(sl_type_date()));
	TYPES("DECIMAL(4, 2)", "DECIMAL(4, 2)", "MAX", COL(tDEC(4, 2)));
	TYPES("BYTES", "BYTES", "MAX", COL(sl_type_bytes()));
	TYPES("BIGINT", "ARRAY<INTEGER>", "COUNT_DISTINCT", COL(sl_type_string()));
	TYPES("ARRAY<MAP<STRING, INTEGER>>", "ARRAY<MAP<STRING, INTEGER>>", "COLLECT_LIST",
	      COL(tMAP(sl_type_int())));
	TYPES("ARRAY<STRING>", "ARRAY<STRING>", "COLLECT_SET", COL(sl_type_string()));
	TYPES("INTEGER", "STRUCT<`SEQ` BIGINT, `VAL` INTEGER>", "EARLIEST_BY_OFFSET",
	      COL(sl_type_int()));
	TYPES("INTEGER", "STRUCT<`SEQ` BIGINT, `VAL` INTEGER>", "LATEST_BY_OFFSET",
	      COL(sl_type_int()), KB(false));
	TYPES("ARRAY<INTEGER>", "ARRAY<STRUCT<`SEQ` BIGINT, `VAL` INTEGER>>", "EARLIEST_BY_OFFSET",
	      COL(sl_type_int()), KI(2));
	TYPES("ARRAY<STRING>", "ARRAY<STRUCT<`SEQ` BIGINT, `VAL` STRING>>", "LATEST_BY_OFFSET",
	      COL(sl_type_string()), KI(2), KB(true));
	TYPES("ARRAY<INTEGER>", "ARRAY<INTEGER>", "TOPK", COL(sl_type_int()), KI(3));
	TYPES("ARRAY<DOUBLE>", "ARRAY<DOUBLE>", "TOPK", COL(tDEC(4, 1)), KI(3));
	TYPES("ARRAY<STRUCT<`sort_col` INTEGER, `col0` STRING>>",
	      "ARRAY<STRUCT<`sort_col` INTEGER, `col0` STRING>>", "TOPK", COL(sl_type_int()),
	      COL(sl_type_string()), KI(3));
	TYPES("ARRAY<STRUCT<`sort_col` STRING, `col0` BIGINT, `col1` BOOLEAN>>",
	      "ARRAY<STRUCT<`sort_col` STRING, `col0` BIGINT, `col1` BOOLEAN>>", "TOPK",
	      COL(sl_type_string()), COL(sl_type_bigint()), COL(sl_type_boolean()), KI(3));
	TYPES("ARRAY<DECIMAL(2, 1)>", "ARRAY<DECIMAL(2, 1)>", "TOPKDISTINCT", COL(tDEC(2, 1)),
	      KI(3));
	TYPES("ARRAY<TIME>", "ARRAY<TIME>", "TOPKDISTINCT", COL(sl_type_time()), KI(3));
	TYPES("MAP<STRING, BIGINT>", "MAP<STRING, BIGINT>", "HISTOGRAM", COL(sl_type_string()));
	TYPES("DOUBLE", "STRUCT<`SUM` INTEGER, `COUNT` INTEGER, `M2` DOUBLE>", "STDDEV_SAMP",
	      COL(sl_type_int()));
	TYPES("DOUBLE", "STRUCT<`SUM` BIGINT, `COUNT` BIGINT, `M2` DOUBLE>", "STDDEV_SAMPLE",
	      COL(sl_type_bigint()));
	TYPES("DOUBLE",
	      "STRUCT<`X_SUM` DOUBLE, `Y_SUM` DOUBLE, `X_SQUARED_SUM` DOUBLE, `Y_SQUARED_SUM` "
	      "DOUBLE, `XY_SUM` DOUBLE, `COUNT` BIGINT>",
	      "CORRELATION", COL(sl_type_int()), COL(sl_type_int()));
	ck_assert_str_eq(tstr(g.b.argt[0]), "DOUBLE");
	ck_assert_str_eq(tstr(g.b.argt[1]), "DOUBLE");
	TYPES("STRING", "ARRAY<STRUCT<`VALUE` STRING, `COUNT` INTEGER>>", "ATTR",
	      COL(sl_type_string()));
	TYPES("STRUCT<`A` STRING>", "ARRAY<STRUCT<`VALUE` STRUCT<`A` STRING>, `COUNT` INTEGER>>",
	      "ATTR", COL(tROW(1, "A", sl_type_string())));
#undef TYPES
}
END_TEST

START_TEST(test_bind_errors)
{
	const sl_type_t *i = sl_type_int(), *s = sl_type_string();

	ck_assert_str_eq(BIND_MSG("SUM", COL(s)),
			 "function \"SUM\" does not accept parameters (STRING)");
	ck_assert_str_eq(BIND_MSG("AVG", COL(sl_type_boolean())),
			 "function \"AVG\" does not accept parameters (BOOLEAN)");
	ck_assert_str_eq(BIND_MSG("MAX", COL(sl_type_boolean())),
			 "function \"MAX\" does not accept parameters (BOOLEAN)");
	ck_assert_str_eq(BIND_MSG("MIN", COL(tARR(i))),
			 "function \"MIN\" does not accept parameters (ARRAY<INTEGER>)");
	ck_assert_str_eq(BIND_MSG("HISTOGRAM", COL(i)),
			 "function \"HISTOGRAM\" does not accept parameters (INTEGER)");
	ck_assert_str_eq(BIND_MSG("STDDEV_SAMPLE", COL(s)),
			 "function \"STDDEV_SAMPLE\" does not accept parameters (STRING)");
	ck_assert_str_eq(BIND_MSG("CORRELATION", COL(s), COL(sl_type_double())),
			 "function \"CORRELATION\" does not accept parameters (STRING, DOUBLE)");
	ck_assert_str_eq(BIND_MSG("TOPK", COL(sl_type_boolean()), KI(3)),
			 "function \"TOPK\" does not accept parameters (BOOLEAN, INTEGER)");
	ck_assert_str_eq(BIND_MSG("TOPK", COL(sl_type_date()), COL(s), KI(3)),
			 "function \"TOPK\" does not accept parameters (DATE, STRING, INTEGER)");
	ck_assert_str_eq(BIND_MSG("TOPKDISTINCT", COL(sl_type_boolean()), KI(3)),
			 "function \"TOPKDISTINCT\" does not accept parameters (BOOLEAN, INTEGER)");
	ck_assert_str_eq(BIND_MSG("TOPK", COL(i)),
			 "function \"TOPK\" does not accept parameters (INTEGER)");
	ck_assert_str_eq(BIND_MSG("COUNT", COL(i), COL(i)),
			 "function \"COUNT\" does not accept parameters (INTEGER, INTEGER)");
	ck_assert_str_eq(BIND_MSG("EARLIEST_BY_OFFSET", COL(i), KI(2), KB(true), KI(1)),
			 "function \"EARLIEST_BY_OFFSET\" does not accept parameters "
			 "(INTEGER, INTEGER, BOOLEAN, INTEGER)");
	ck_assert_msg(strncmp(BIND_MSG("COLLECT_LIST", KNULL()),
			      "function \"COLLECT_LIST\" does not accept parameters (", 50) == 0,
		      "%s", bind_err);

	/* constant parameters: literals, in range */
	ck_assert_str_eq(BIND_MSG("TOPK", COL(i), COL(i)),
			 "Parameter 2 passed to function TOPK must be a literal constant");
	ck_assert_str_eq(BIND_MSG("TOPK", COL(i), KI(0)), "k must be 1 or greater, got 0");
	ck_assert_str_eq(BIND_MSG("TOPK", COL(i), COL(s), KI(-2)),
			 "k must be 1 or greater, got -2");
	ck_assert_str_eq(BIND_MSG("TOPKDISTINCT", COL(i), KNULL()),
			 "Parameter 2 passed to function TOPKDISTINCT must not be null");
	ck_assert_str_eq(BIND_MSG("EARLIEST_BY_OFFSET", COL(i), COL(i)),
			 "Parameter 2 passed to function EARLIEST_BY_OFFSET must be a literal "
			 "constant");
	ck_assert_str_eq(BIND_MSG("EARLIEST_BY_OFFSET", COL(i), KI(2), COL(sl_type_boolean())),
			 "Parameter 3 passed to function EARLIEST_BY_OFFSET must be a literal "
			 "constant");
	ck_assert_str_eq(BIND_MSG("EARLIEST_BY_OFFSET", COL(i), KI(0)),
			 "earliestN must be 1 or greater");
	ck_assert_str_eq(BIND_MSG("LATEST_BY_OFFSET", COL(i), KI(-1), KB(true)),
			 "latestN must be 1 or greater");
	ck_assert_str_eq(BIND_MSG("LATEST_BY_OFFSET", COL(i), KNULL()),
			 "Parameter 2 passed to function LATEST_BY_OFFSET must not be null");
	ck_assert_str_eq(BIND_MSG("EARLIEST_BY_OFFSET", COL(i), KI(2), KB(true)), "OK");
	ck_assert_str_eq(BIND_MSG("COUNT_DISTINCT", COL(tROW(1, "A", i))), "OK");
}
END_TEST

/* ---- COUNT ------------------------------------------------------------- */

START_TEST(test_count)
{
	agg_t g, h;

	/* COUNT(*) / COUNT(): rows */
	ck_assert_int_eq(agg_open(&g, "COUNT", 0, NULL, false), SL_OK);
	EXPECT("0", result(&g));
	EXPECT("1", ADD0(&g));
	ck_assert_uint_eq(g.last_alloc, 0);
	EXPECT("2", ADD0(&g));
	EXPECT("1", UNDO0(&g));
	agg_close(&g);

	/* COUNT(x): rows where x is not NULL */
	OPEN(&g, "COUNT", COL(sl_type_string()));
	EXPECT("1", ADD(&g, vS("a")));
	EXPECT("1", ADD(&g, vN()));
	EXPECT("2", ADD(&g, vS("b")));
	ck_assert_uint_eq(g.last_alloc, 0);
	EXPECT("2", UNDO(&g, vN()));
	EXPECT("1", UNDO(&g, vS("a")));
	OPEN(&h, "COUNT", COL(sl_type_string()));
	ADD(&h, vS("x"));
	ADD(&h, vS("y"));
	EXPECT("3", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);

	/* count.json "count table": COUNT(1) grouped by name, rows moving */
	agg_t bob, john;
	OPEN(&bob, "COUNT", (arg_t){ sl_type_int(), vI(1), true });
	OPEN(&john, "COUNT", (arg_t){ sl_type_int(), vI(1), true });
	EXPECT("1", ADD0(&bob));
	EXPECT("0", UNDO0(&bob));
	EXPECT("1", ADD0(&john));
	EXPECT("2", ADD0(&john));
	EXPECT("1", UNDO0(&john));
	agg_close(&bob);
	agg_close(&john);

	/* COUNT over any type, NULL of that type skipped */
	OPEN_RT(&g, "COUNT", COL(tROW(1, "A", sl_type_int())));
	EXPECT("1", ADD(&g, vROW(1, vN())));
	EXPECT("1", ADD(&g, vN()));
	ck_assert_str_eq(state_json(&g), "1");
	agg_close(&g);
}
END_TEST

/* ---- SUM --------------------------------------------------------------- */

START_TEST(test_sum)
{
	agg_t g, h;

	/* sum.json "sum int" */
	OPEN(&g, "SUM", COL(sl_type_int()));
	EXPECT("0", result(&g));
	EXPECT("0", ADD(&g, vI(0)));
	EXPECT("100", ADD(&g, vI(100)));
	ck_assert_uint_eq(g.last_alloc, 0);
	EXPECT("100", ADD(&g, vN()));
	/* Integer arithmetic wraps */
	EXPECT("2147483647", ADD(&g, vI(2147483547)));
	EXPECT("-2147483648", ADD(&g, vI(1)));
	EXPECT("2147483647", UNDO(&g, vI(1)));
	agg_close(&g);

	OPEN(&g, "SUM", COL(sl_type_bigint()));
	EXPECT("9223372036854775807", ADD(&g, vL(INT64_MAX)));
	EXPECT("-9223372036854775808", ADD(&g, vL(1)));
	agg_close(&g);

	/* "sum double" */
	OPEN(&g, "SUM", COL(sl_type_double()));
	EXPECT("5.4", ADD(&g, vD(5.4)));
	EXPECT("105.5", ADD(&g, vD(100.1)));
	agg_close(&g);
	OPEN(&g, "SUM", COL(sl_type_double()));
	EXPECT("500.9", ADD(&g, vD(500.9)));
	EXPECT("801.7", ADD(&g, vD(300.8)));
	agg_close(&g);

	/* "sum decimal": DECIMAL(4,1) keeps its precision and scale */
	OPEN_RT(&g, "SUM", COL(tDEC(4, 1)));
	EXPECT("0.0", result(&g));
	EXPECT("5.4", ADD(&g, vDEC("5.4", 4, 1)));
	EXPECT("105.5", ADD(&g, vDEC("100.1", 4, 1)));
	ck_assert_uint_eq(g.last_alloc, 0);
	EXPECT("105.5", ADD(&g, vN()));
	EXPECT("5.4", UNDO(&g, vDEC("100.1", 4, 1)));
	agg_close(&g);
	/* "sum decimal should not overflow with cast to higher precision" */
	OPEN(&g, "SUM", COL(tDEC(6, 2)));
	EXPECT("500.90", ADD(&g, vDEC("500.9", 6, 2)));
	EXPECT("801.70", ADD(&g, vDEC("300.8", 6, 2)));
	EXPECT("1202.50", ADD(&g, vDEC("400.8", 6, 2)));
	agg_close(&g);
	/* "sum decimal should overflow with cast to lower precision": the
	 * sum keeps its last good value */
	OPEN(&g, "SUM", COL(tDEC(3, 1)));
	EXPECT("50.9", ADD(&g, vDEC("50.9", 3, 1)));
	EXPECT("ERROR: function \"SUM\": Numeric field overflow: A field with precision 3 and "
	       "scale 1 must round to an absolute value less than 10^2. Got 102",
	       ADD(&g, vDEC("50.8", 3, 1)));
	EXPECT("50.9", result(&g));
	EXPECT("-49.0", ADD(&g, vDEC("-99.9", 3, 1)));
	agg_close(&g);
	OPEN(&g, "SUM", COL(tDEC(4, 1)));
	ADD(&g, vDEC("999.9", 4, 1));
	EXPECT("ERROR: function \"SUM\": Numeric field overflow: A field with precision 4 and "
	       "scale 1 must round to an absolute value less than 10^3. Got 1000",
	       ADD(&g, vDEC("0.2", 4, 1)));
	agg_close(&g);
	/* beyond 128 bits: 38 digits twice */
	OPEN(&g, "SUM", COL(tDEC(38, 0)));
	ADD(&g, vDEC("99999999999999999999999999999999999999", 38, 0));
	EXPECT("ERROR: function \"SUM\": Numeric field overflow: A field with precision 38 and "
	       "scale 0 must round to an absolute value less than 10^38. Got "
	       "200000000000000000000000000000000000000",
	       ADD(&g, vDEC("99999999999999999999999999999999999999", 38, 0)));
	agg_close(&g);
	OPEN(&g, "SUM", COL(tDEC(38, 1)));
	ADD(&g, vDEC("9999999999999999999999999999999999999.5", 38, 1));
	EXPECT("ERROR: function \"SUM\": Numeric field overflow: A field with precision 38 and "
	       "scale 1 must round to an absolute value less than 10^37. Got "
	       "10000000000000000000000000000000000000",
	       ADD(&g, vDEC("0.6", 38, 1)));
	agg_close(&g);

	/* "sum int left join of table": NULLs add nothing, undo back to 0 */
	OPEN(&g, "SUM", COL(sl_type_int()));
	EXPECT("0", ADD(&g, vN()));
	EXPECT("0", UNDO(&g, vN()));
	EXPECT("5", ADD(&g, vI(5)));
	EXPECT("0", UNDO(&g, vI(5)));
	EXPECT("20", ADD(&g, vI(20)));
	OPEN(&h, "SUM", COL(sl_type_int()));
	ADD(&h, vI(22));
	EXPECT("42", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);

	/* a constant argument: SUM(2) */
	OPEN(&g, "SUM", (arg_t){ sl_type_int(), vI(2), true });
	EXPECT("2", ADD0(&g));
	EXPECT("4", ADD0(&g));
	agg_close(&g);
}
END_TEST

/* ---- AVG --------------------------------------------------------------- */

START_TEST(test_avg)
{
	agg_t alice, bob, g, h;

	/* average-udaf.json "average int" */
	OPEN_RT(&alice, "AVG", COL(sl_type_int()));
	OPEN_RT(&bob, "AVG", COL(sl_type_int()));
	EXPECT("0.0", result(&alice));
	EXPECT("1.0", ADD(&alice, vI(1)));
	EXPECT("2.0", ADD(&bob, vI(2)));
	EXPECT("1.5", ADD(&alice, vI(2)));
	EXPECT("1.6666666666666667", ADD(&alice, vI(2)));
	EXPECT("2.0", ADD(&bob, vI(2)));
	EXPECT("1.3333333333333333", ADD(&bob, vI(0)));
	EXPECT("1.6666666666666667", ADD(&alice, vN()));
	ck_assert_str_eq(state_json(&alice), "{\"SUM\":5,\"COUNT\":3}");
	agg_close(&alice);
	agg_close(&bob);

	/* "average long": BIGINT sums wrap as Java's long */
	OPEN_RT(&g, "AVG", COL(sl_type_bigint()));
	EXPECT("-1.0", ADD(&g, vL(-1)));
	EXPECT("4.611686018427388E18", ADD(&g, vL(INT64_MAX)));
	EXPECT("3.0744573456182584E18", ADD(&g, vL(1)));
	EXPECT("3.0744573456182584E18", ADD(&g, vN()));
	agg_close(&g);

	/* "average udaf with table": alice's row updated (undo, add) */
	OPEN_RT(&g, "AVG", COL(sl_type_int()));
	EXPECT("1.0", ADD(&g, vI(1)));
	EXPECT("1.5", ADD(&g, vI(2)));
	EXPECT("2.0", UNDO(&g, vI(1)));
	EXPECT("2.0", ADD(&g, vN()));
	EXPECT("2.0", UNDO(&g, vN()));
	EXPECT("3.0", ADD(&g, vI(4)));
	EXPECT("0.0", (UNDO(&g, vI(2)), UNDO(&g, vI(4))));
	agg_close(&g);

	/* DOUBLE; merge adds sums and counts */
	OPEN(&g, "AVG", COL(sl_type_double()));
	OPEN(&h, "AVG", COL(sl_type_double()));
	ADD(&g, vD(1.5));
	ADD(&g, vD(2.5));
	ADD(&h, vD(5.0));
	EXPECT("3.0", agg_merge(&g, &h));
	ck_assert_str_eq(state(&g), "{SUM=9.0,COUNT=3}");
	agg_close(&g);
	agg_close(&h);

	/* average.json: SUM / COUNT in an expression (BIGINT, BIGINT) */
	OPEN(&g, "SUM", COL(sl_type_bigint()));
	OPEN(&h, "COUNT", COL(sl_type_bigint()));
	ADD(&g, vL(-50));
	ADD(&h, vL(0));
	ADD(&g, vL(-10));
	ADD(&h, vL(0));
	EXPECT("-60", result(&g));
	EXPECT("2", result(&h));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

/* ---- MIN, MAX ---------------------------------------------------------- */

START_TEST(test_min_max)
{
	agg_t mx, mn, g, h;

	/* max-group-by.json / min-group-by.json "decimal group by" */
	OPEN_RT(&mx, "MAX", COL(tDEC(4, 2)));
	OPEN_RT(&mn, "MIN", COL(tDEC(4, 2)));
	EXPECT("null", result(&mx));
	EXPECT("null", ADD(&mx, vN()));
	EXPECT("-10.12", ADD(&mx, vDEC("-10.12", 4, 2)));
	EXPECT("0.00", ADD(&mx, vDEC("0", 4, 2)));
	EXPECT("5.10", ADD(&mx, vDEC("5.1", 4, 2)));
	EXPECT("5.10", ADD(&mx, vN()));
	EXPECT("20.99", ADD(&mx, vDEC("20.99", 4, 2)));
	EXPECT("20.99", ADD(&mx, vDEC("10.11", 4, 2)));
	ck_assert_uint_eq(mx.last_alloc, 0);
	EXPECT("null", ADD(&mn, vN()));
	EXPECT("-10.12", ADD(&mn, vDEC("-10.12", 4, 2)));
	EXPECT("-10.12", ADD(&mn, vDEC("0", 4, 2)));
	agg_close(&mx);
	agg_close(&mn);

	/* integers, dates, times, timestamps */
	OPEN(&g, "MAX", COL(sl_type_int()));
	EXPECT("5", (ADD(&g, vI(5)), ADD(&g, vI(-7))));
	agg_close(&g);
	OPEN(&g, "MIN", COL(sl_type_bigint()));
	EXPECT("-7", (ADD(&g, vL(5)), ADD(&g, vL(-7))));
	agg_close(&g);
	OPEN(&g, "MAX", COL(sl_type_date()));
	EXPECT("19000", (ADD(&g, sl_value_date(19000)), ADD(&g, sl_value_date(18000))));
	agg_close(&g);
	OPEN(&g, "MIN", COL(sl_type_time()));
	EXPECT("100", (ADD(&g, sl_value_time(2000)), ADD(&g, sl_value_time(100))));
	agg_close(&g);
	OPEN_RT(&g, "MAX", COL(sl_type_timestamp()));
	EXPECT("1600000000000",
	       (ADD(&g, sl_value_timestamp(1600000000000)), ADD(&g, sl_value_timestamp(-5))));
	agg_close(&g);

	/* DOUBLE as Double.compare: -0.0 < 0.0, NaN above all */
	OPEN(&g, "MAX", COL(sl_type_double()));
	EXPECT("-0.0", ADD(&g, vD(-0.0)));
	EXPECT("0.0", ADD(&g, vD(0.0)));
	EXPECT("NaN", ADD(&g, vD(NAN)));
	EXPECT("NaN", ADD(&g, vD(INFINITY)));
	agg_close(&g);
	OPEN(&g, "MIN", COL(sl_type_double()));
	EXPECT("-0.0", (ADD(&g, vD(0.0)), ADD(&g, vD(-0.0))));
	agg_close(&g);

	/* STRING as String.compareTo (UTF-16 units): U+FFFD sorts after
	 * U+1F600, although its UTF-8 bytes sort before */
	OPEN(&g, "MAX", COL(sl_type_string()));
	EXPECT("\"b\"", (ADD(&g, vS("a")), ADD(&g, vS("b"))));
	EXPECT("\"\xef\xbf\xbd\"", (ADD(&g, vS("\xef\xbf\xbd")), ADD(&g, vS("\xf0\x9f\x98\x80"))));
	agg_close(&g);
	OPEN(&g, "MIN", COL(sl_type_string()));
	EXPECT("\"\xf0\x9f\x98\x80\"",
	       (ADD(&g, vS("\xef\xbf\xbd")), ADD(&g, vS("\xf0\x9f\x98\x80"))));
	EXPECT("\"\"", ADD(&g, vS("")));
	agg_close(&g);

	/* BYTES as ByteBuffer.compareTo: signed bytes */
	OPEN_RT(&g, "MAX", COL(sl_type_bytes()));
	EXPECT("0x7F", (ADD(&g, vBY("\x80", 1)), ADD(&g, vBY("\x7f", 1))));
	EXPECT("0x7F00", ADD(&g, vBY("\x7f\x00", 2)));
	agg_close(&g);

	/* merge: as adding the other group's extreme */
	OPEN(&g, "MAX", COL(sl_type_string()));
	OPEN(&h, "MAX", COL(sl_type_string()));
	ADD(&g, vS("m"));
	EXPECT("\"m\"", agg_merge(&g, &h));
	ADD(&h, vS("z"));
	EXPECT("\"z\"", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

/* ---- MIN, MAX over a table ------------------------------------------- */

/* The table form keeps a multiset: each value with how many rows hold it,
 * sorted, so that undo takes one row's value back out. */
START_TEST(test_min_max_table)
{
	agg_t g, h;

	/* duplicates: two rows hold the maximum; one goes, it stays */
	OPEN_TABLE(&g, "MAX", COL(sl_type_int()));
	EXPECT("null", result(&g));
	EXPECT("[]", state(&g));
	EXPECT("9", ADD(&g, vI(9)));
	EXPECT("9", ADD(&g, vI(5)));
	EXPECT("9", ADD(&g, vI(9)));
	EXPECT("[{VALUE=5,COUNT=1},{VALUE=9,COUNT=2}]", state(&g));
	EXPECT("9", UNDO(&g, vI(9)));
	EXPECT("[{VALUE=5,COUNT=1},{VALUE=9,COUNT=1}]", state(&g));
	/* taking out the maximum shows the next one; all gone: NULL */
	EXPECT("5", UNDO(&g, vI(9)));
	EXPECT("[{VALUE=5,COUNT=1}]", state(&g));
	EXPECT("null", UNDO(&g, vI(5)));
	EXPECT("[]", state(&g));
	/* NULLs are skipped both ways; a value never added is not taken out */
	EXPECT("null", ADD(&g, vN()));
	EXPECT("[]", state(&g));
	EXPECT("7", ADD(&g, vI(7)));
	EXPECT("7", UNDO(&g, vN()));
	EXPECT("7", UNDO(&g, vI(8)));
	EXPECT("[{VALUE=7,COUNT=1}]", state(&g));
	agg_close(&g);

	/* MIN: the same multiset, the other end */
	OPEN_TABLE(&g, "MIN", COL(sl_type_bigint()));
	EXPECT("3", (ADD(&g, vL(3)), ADD(&g, vL(3)), ADD(&g, vL(8))));
	EXPECT("3", UNDO(&g, vL(3)));
	EXPECT("8", UNDO(&g, vL(3)));
	EXPECT("-1", ADD(&g, vL(-1)));
	EXPECT("[{VALUE=-1,COUNT=1},{VALUE=8,COUNT=1}]", state(&g));
	agg_close(&g);

	/* DECIMAL, through JSON after every step (the stored state) */
	OPEN_TABLE_RT(&g, "MAX", COL(tDEC(4, 2)));
	EXPECT("ARRAY<STRUCT<`VALUE` DECIMAL(4, 2), `COUNT` BIGINT>>", tstr(g.b.state_type));
	EXPECT("20.99", (ADD(&g, vDEC("-10.12", 4, 2)), ADD(&g, vDEC("20.99", 4, 2))));
	EXPECT("20.99", ADD(&g, vDEC("5.1", 4, 2)));
	EXPECT("5.10", UNDO(&g, vDEC("20.99", 4, 2)));
	EXPECT("[{\"VALUE\":-10.12,\"COUNT\":1},{\"VALUE\":5.10,\"COUNT\":1}]", state_json(&g));
	EXPECT("-10.12", UNDO(&g, vDEC("5.10", 4, 2)));
	agg_close(&g);
	OPEN_TABLE_RT(&g, "MIN", COL(tDEC(4, 2)));
	EXPECT("-10.12", (ADD(&g, vDEC("0", 4, 2)), ADD(&g, vDEC("-10.12", 4, 2))));
	EXPECT("0.00", UNDO(&g, vDEC("-10.12", 4, 2)));
	agg_close(&g);

	/* STRING as String.compareTo (UTF-16 units): U+FFFD above U+1F600 */
	OPEN_TABLE_RT(&g, "MAX", COL(sl_type_string()));
	EXPECT("\"\xef\xbf\xbd\"", (ADD(&g, vS("\xf0\x9f\x98\x80")), ADD(&g, vS("\xef\xbf\xbd"))));
	EXPECT("\"\xf0\x9f\x98\x80\"", UNDO(&g, vS("\xef\xbf\xbd")));
	EXPECT("\"\xf0\x9f\x98\x80\"", ADD(&g, vS("")));
	EXPECT("\"\"", UNDO(&g, vS("\xf0\x9f\x98\x80")));
	agg_close(&g);
	OPEN_TABLE(&g, "MIN", COL(sl_type_string()));
	EXPECT("\"ann\"", (ADD(&g, vS("bob")), ADD(&g, vS("ann")), ADD(&g, vS("cid"))));
	EXPECT("\"bob\"", UNDO(&g, vS("ann")));
	agg_close(&g);

	/* DOUBLE as Double.compare: -0.0 and 0.0 are two values, NaN the
	 * largest */
	OPEN_TABLE(&g, "MAX", COL(sl_type_double()));
	EXPECT("0.0", (ADD(&g, vD(-0.0)), ADD(&g, vD(0.0))));
	EXPECT("NaN", ADD(&g, vD(NAN)));
	EXPECT("0.0", UNDO(&g, vD(NAN)));
	EXPECT("-0.0", UNDO(&g, vD(0.0)));
	agg_close(&g);

	/* BYTES as ByteBuffer.compareTo: signed bytes */
	OPEN_TABLE_RT(&g, "MIN", COL(sl_type_bytes()));
	EXPECT("0x80", (ADD(&g, vBY("\x7f", 1)), ADD(&g, vBY("\x80", 1))));
	EXPECT("0x7F", UNDO(&g, vBY("\x80", 1)));
	agg_close(&g);

	/* merge: the union, counts added */
	OPEN_TABLE(&g, "MAX", COL(sl_type_int()));
	OPEN_TABLE(&h, "MAX", COL(sl_type_int()));
	ADD(&g, vI(4));
	ADD(&g, vI(6));
	EXPECT("6", agg_merge(&g, &h));
	ADD(&h, vI(6));
	ADD(&h, vI(1));
	EXPECT("6", agg_merge(&g, &h));
	EXPECT("[{VALUE=1,COUNT=1},{VALUE=4,COUNT=1},{VALUE=6,COUNT=2}]", state(&g));
	EXPECT("6", UNDO(&g, vI(6)));
	EXPECT("4", UNDO(&g, vI(6)));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

/* Every MIN and MAX variant has a table form of the same result, and the
 * stream form stays a single value; an aggregate without a table form
 * keeps its binding. */
START_TEST(test_min_max_table_types)
{
	const sl_value_t vals[] = { vI(1),
				    vL(1),
				    vD(1),
				    vDEC("1.5", 2, 1),
				    sl_value_date(1),
				    sl_value_time(1),
				    sl_value_timestamp(1),
				    vS("a"),
				    vBY("a", 1) };
	const sl_type_t *types[] = { sl_type_int(),       sl_type_bigint(), sl_type_double(),
				     tDEC(2, 1),          sl_type_date(),   sl_type_time(),
				     sl_type_timestamp(), sl_type_string(), sl_type_bytes() };
	const char *const names[] = { "MAX", "MIN" };
	char want[256];
	agg_t g;

	for (int f = 0; f < 2; f++) {
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			OPEN(&g, names[f], COL(types[i]));
			ck_assert_str_eq(tstr(g.b.state_type), tstr(types[i]));
			ck_assert_ptr_null(g.b.variant->agg->undo);
			agg_close(&g);

			OPEN_TABLE_RT(&g, names[f], COL(types[i]));
			ck_assert_str_eq(tstr(g.b.ret), tstr(types[i]));
			snprintf(want, sizeof(want), "ARRAY<STRUCT<`VALUE` %s, `COUNT` BIGINT>>",
				 tstr(types[i]));
			ck_assert_str_eq(tstr(g.b.state_type), want);
			ck_assert_ptr_nonnull(g.b.variant->agg->undo);
			ADD(&g, vals[i]);
			ADD(&g, vals[i]);
			UNDO(&g, vals[i]);
			ck_assert_str_ne(result(&g), "null");
			snprintf(want, sizeof(want), "[{VALUE=%s,COUNT=1}]", result(&g));
			ck_assert_str_eq(state(&g), want);
			agg_close(&g);
		}
	}
	OPEN_TABLE(&g, "COUNT", COL(sl_type_int()));
	EXPECT("BIGINT", tstr(g.b.state_type));
	ck_assert_str_eq(g.b.variant->params, "val ANY");
	agg_close(&g);
}
END_TEST

/* Random adds and undos of a few values against counting them: after
 * every step MAX is the largest value still held, MIN the smallest. */
START_TEST(test_min_max_table_random)
{
	enum { NVALS = 12, STEPS = 3000 };
	int held[NVALS] = { 0 };
	uint32_t seed = 12345;
	agg_t mx, mn;
	char want[32];

	OPEN_TABLE(&mx, "MAX", COL(sl_type_int()));
	OPEN_TABLE(&mn, "MIN", COL(sl_type_int()));
	for (int step = 0; step < STEPS; step++) {
		int v, lo = -1, hi = -1;
		bool undo;

		seed = seed * 1103515245u + 12345u;
		v = (int)((seed >> 16) % NVALS);
		undo = held[v] > 0 && ((seed >> 8) & 1);
		held[v] += undo ? -1 : 1;
		for (int k = 0; k < NVALS; k++) {
			if (held[k] > 0 && lo < 0)
				lo = k;
			if (held[k] > 0)
				hi = k;
		}
		/* values spread out and negative, so that order matters */
		snprintf(want, sizeof(want), "%d", hi < 0 ? 0 : hi * 7 - 40);
		ck_assert_str_eq(agg_step(&mx, 1, (sl_value_t[]){ vI(v * 7 - 40) }, undo),
				 hi < 0 ? "null" : want);
		snprintf(want, sizeof(want), "%d", lo < 0 ? 0 : lo * 7 - 40);
		ck_assert_str_eq(agg_step(&mn, 1, (sl_value_t[]){ vI(v * 7 - 40) }, undo),
				 lo < 0 ? "null" : want);
	}
	agg_close(&mx);
	agg_close(&mn);
}
END_TEST

/* ---- STDDEV_SAMP, STDDEV_SAMPLE ---------------------------------------- */

START_TEST(test_stddev)
{
	agg_t g0, g1, g, h;

	/* standarddeviation.json "stddev_sample int" */
	OPEN_RT(&g0, "STDDEV_SAMPLE", COL(sl_type_int()));
	OPEN_RT(&g1, "STDDEV_SAMPLE", COL(sl_type_int()));
	EXPECT("0.0", result(&g0));
	EXPECT("0.0", ADD(&g0, vI(0)));
	EXPECT("7.0710678118654755", ADD(&g0, vI(10)));
	EXPECT("0.0", ADD(&g1, vI(50)));
	EXPECT("28.284271247461902", ADD(&g1, vI(10)));
	EXPECT("5.131601439446884", ADD(&g0, vI(7)));
	EXPECT("25.357444666211933", ADD(&g1, vI(3)));
	EXPECT("25.357444666211933", ADD(&g1, vN()));
	EXPECT("4.193248541803041", ADD(&g0, vI(6)));
	/* undo (ksqlDB's algorithm on the JVM) */
	EXPECT("5.131601439446884", UNDO(&g0, vI(6)));
	EXPECT("2.1213203435596424", UNDO(&g0, vI(0)));
	EXPECT("2.1213203435596424", UNDO(&g0, vN()));
	agg_close(&g0);
	agg_close(&g1);
	/* merge {0, 10} with {7, 6} */
	OPEN(&g, "STDDEV_SAMPLE", COL(sl_type_int()));
	OPEN(&h, "STDDEV_SAMPLE", COL(sl_type_int()));
	ADD(&g, vI(0));
	ADD(&g, vI(10));
	ADD(&h, vI(7));
	ADD(&h, vI(6));
	EXPECT("4.193248541803041", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);

	/* "stddev_sample long" */
	OPEN(&g0, "STDDEV_SAMPLE", COL(sl_type_bigint()));
	OPEN(&g1, "STDDEV_SAMPLE", COL(sl_type_bigint()));
	EXPECT("0.0", ADD(&g0, vL(2147483648)));
	EXPECT("1.5185001792773468E9", ADD(&g0, vL(100)));
	EXPECT("0.0", ADD(&g1, vL(500)));
	EXPECT("282.842712474619", ADD(&g1, vL(100)));
	EXPECT("1.2398502339629574E9", ADD(&g0, vL(-2)));
	EXPECT("264.5751311064591", ADD(&g1, vL(0)));
	EXPECT("239.32335169528832", ADD(&g1, vL(-6)));
	EXPECT("1.2398502339629574E9", ADD(&g0, vN()));
	agg_close(&g0);
	agg_close(&g1);
	/* "stddev_sample double map" */
	OPEN_RT(&g, "STDDEV_SAMPLE", COL(sl_type_double()));
	EXPECT("0.0", ADD(&g, vD(10.0)));
	EXPECT("1.4142135623730951", ADD(&g, vD(12.0)));
	EXPECT("1.5275252316519465", ADD(&g, vD(13.0)));
	EXPECT("1.707825127659933", ADD(&g, vD(14.0)));
	EXPECT("2.23606797749979", ADD(&g, vD(16.0)));
	agg_close(&g);

	/* "stddev_samp long": ksqlDB's STDDEV_SAMP returns the variance */
	OPEN_RT(&g0, "STDDEV_SAMP", COL(sl_type_bigint()));
	OPEN_RT(&g1, "STDDEV_SAMP", COL(sl_type_bigint()));
	EXPECT("0.0", ADD(&g0, vL(2147483648)));
	EXPECT("2.3058427944653343E18", ADD(&g0, vL(100)));
	EXPECT("0.0", ADD(&g1, vL(500)));
	EXPECT("80000.0", ADD(&g1, vL(100)));
	EXPECT("1.5372286026580004E18", ADD(&g0, vL(-2)));
	EXPECT("70000.0", ADD(&g1, vL(0)));
	EXPECT("57275.666666666664", ADD(&g1, vL(-6)));
	EXPECT("1.5372286026580004E18", ADD(&g0, vN()));
	ck_assert_str_eq(state(&g1), "{SUM=594,COUNT=4,M2=171827.0}");
	agg_close(&g0);
	agg_close(&g1);
	/* "stddev_samp double" */
	OPEN(&g0, "STDDEV_SAMP", COL(sl_type_double()));
	OPEN(&g1, "STDDEV_SAMP", COL(sl_type_double()));
	EXPECT("0.0", ADD(&g0, vD(-1.8)));
	EXPECT("8.405", ADD(&g0, vD(2.3)));
	EXPECT("0.0", ADD(&g1, vD(9223372036854.775)));
	EXPECT("4.253529586234292E25", ADD(&g1, vD(300.8)));
	EXPECT("3334.2033333333347", ADD(&g0, vD(100.2)));
	EXPECT("2.835686452404674E25", ADD(&g1, vD(-200000.6)));
	EXPECT("2.1267648239542927E25", ADD(&g1, vD(0.0)));
	EXPECT("3334.2033333333347", ADD(&g0, vN()));
	agg_close(&g0);
	agg_close(&g1);
	/* STDDEV_SAMP merges divide the INT sums as integers: {1, 2} with
	 * {4, 8} gives 11.166666666666666 where all four give
	 * 9.583333333333334 */
	OPEN(&g, "STDDEV_SAMP", COL(sl_type_int()));
	OPEN(&h, "STDDEV_SAMP", COL(sl_type_int()));
	ADD(&g, vI(1));
	ADD(&g, vI(2));
	ADD(&h, vI(4));
	ADD(&h, vI(8));
	EXPECT("11.166666666666666", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
	/* Java's int arithmetic in STDDEV_SAMP's delta overflows where
	 * STDDEV_SAMPLE's long arithmetic does not */
	OPEN(&g, "STDDEV_SAMP", COL(sl_type_int()));
	EXPECT("4.350285285477581E16", (ADD(&g, vI(-2000000000)), ADD(&g, vI(2000000000))));
	agg_close(&g);
	OPEN(&g, "STDDEV_SAMPLE", COL(sl_type_int()));
	EXPECT("2.82842712474619E9", (ADD(&g, vI(-2000000000)), ADD(&g, vI(2000000000))));
	agg_close(&g);
	OPEN(&g, "STDDEV_SAMP", COL(sl_type_int()));
	EXPECT("9.583333333333334",
	       (ADD(&g, vI(1)), ADD(&g, vI(2)), ADD(&g, vI(4)), ADD(&g, vI(8))));
	agg_close(&g);
}
END_TEST

/* ---- CORRELATION ------------------------------------------------------- */

START_TEST(test_correlation)
{
	agg_t alice, bob, g;
	const sl_type_t *d = sl_type_double();

	/* correlation-udaf.json "correlation double" */
	OPEN_RT(&alice, "CORRELATION", COL(d), COL(d));
	OPEN_RT(&bob, "CORRELATION", COL(d), COL(d));
	EXPECT("NaN", ADD(&alice, vD(1.5), vD(8.0)));
	EXPECT("NaN", ADD(&bob, vD(-3.5), vD(-2.0)));
	EXPECT("1.0", ADD(&alice, vD(-1.0), vD(-2.0)));
	EXPECT("0.7580764521133173", ADD(&alice, vD(-4.5), vD(-1.0)));
	EXPECT("NaN", ADD(&bob, vD(13.1), vN()));
	EXPECT("1.0", ADD(&bob, vD(3.0), vD(11.0)));
	EXPECT("0.7580764521133173", ADD(&alice, vN(), vD(-6.0)));
	agg_close(&alice);
	agg_close(&bob);
	/* "correlation int": the INT arguments are cast to DOUBLE */
	OPEN(&g, "CORRELATION", COL(sl_type_int()), COL(sl_type_int()));
	ADD(&g, vD(1), vD(8));
	ADD(&g, vD(-1), vD(-2));
	EXPECT("0.7455284088780169", ADD(&g, vD(-4), vD(-1)));
	agg_close(&g);
	/* "correlation udaf with table": alice's row updated */
	OPEN_RT(&g, "CORRELATION", COL(d), COL(d));
	EXPECT("NaN", ADD(&g, vD(1.5), vD(8.0)));
	EXPECT("1.0", ADD(&g, vD(-3.5), vD(-2.0)));
	UNDO(&g, vD(1.5), vD(8.0));
	EXPECT("NaN", ADD(&g, vD(-1.0), vD(-2.0)));
	EXPECT("-0.7205766921228921", ADD(&g, vD(-4.5), vD(-1.0)));
	agg_close(&g);
	/* merge: the sums add */
	OPEN(&alice, "CORRELATION", COL(d), COL(d));
	OPEN(&bob, "CORRELATION", COL(d), COL(d));
	ADD(&alice, vD(1.5), vD(8.0));
	ADD(&alice, vD(-1.0), vD(-2.0));
	ADD(&bob, vD(-4.5), vD(-1.0));
	EXPECT("0.7580764521133173", agg_merge(&alice, &bob));
	agg_close(&alice);
	agg_close(&bob);
}
END_TEST

/* ---- JSON round trip of every state type ------------------------------- */

/* Every aggregate over a few rows, once kept in memory and once through
 * JSON after every step: the results and states must agree. */
START_TEST(test_roundtrip_all)
{
	const sl_type_t *i = sl_type_int(), *s = sl_type_string(), *d = sl_type_double();
	const sl_type_t *row = tROW(2, "A", s, "B", tARR(i));
	const sl_value_t r1 = vROW(2, vS("x"), vARR(2, vI(1), vN()));
	const sl_value_t r2 = vROW(2, vN(), vARR(0));
	struct {
		const char *name;
		int argc;
		arg_t args[4];
		int ncols, nrows;
		sl_value_t rows[3][2];
	} cases[] = {
		{ "COUNT", 1, { COL(s) }, 1, 3, { { vS("a") }, { vN() }, { vS("b") } } },
		{ "SUM",
		  1,
		  { COL(tDEC(5, 2)) },
		  1,
		  2,
		  { { vDEC("1.25", 5, 2) }, { vDEC("-3", 5, 2) } } },
		{ "SUM", 1, { COL(d) }, 1, 3, { { vD(0.1) }, { vD(0.2) }, { vD(1e300) } } },
		{ "AVG", 1, { COL(sl_type_bigint()) }, 1, 2, { { vL(INT64_MAX) }, { vL(3) } } },
		{ "AVG", 1, { COL(d) }, 1, 2, { { vD(0.1) }, { vD(-7.25) } } },
		{ "MIN",
		  1,
		  { COL(sl_type_bytes()) },
		  1,
		  2,
		  { { vBY("\x01\xff", 2) }, { vBY("", 0) } } },
		{ "MAX", 1, { COL(sl_type_timestamp()) }, 1, 1, { { sl_value_timestamp(5) } } },
		{ "COUNT_DISTINCT", 1, { COL(row) }, 1, 3, { { r1 }, { r2 }, { r1 } } },
		{ "COLLECT_LIST", 1, { COL(row) }, 1, 3, { { r1 }, { vN() }, { r2 } } },
		{ "COLLECT_SET",
		  1,
		  { COL(tMAP(d)) },
		  1,
		  3,
		  { { vMAP(1, "k\"\\", vD(1.5)) }, { vMAP(0) }, { vMAP(1, "k\"\\", vD(1.5)) } } },
		{ "EARLIEST_BY_OFFSET", 1, { COL(row) }, 1, 2, { { r2 }, { r1 } } },
		{ "EARLIEST_BY_OFFSET",
		  3,
		  { COL(s), KI(2), KB(false) },
		  1,
		  3,
		  { { vN() }, { vS("\xc3\xa9\n") }, { vS("z") } } },
		{ "LATEST_BY_OFFSET",
		  2,
		  { COL(sl_type_date()), KB(false) },
		  1,
		  2,
		  { { sl_value_date(1) }, { vN() } } },
		{ "LATEST_BY_OFFSET",
		  2,
		  { COL(tARR(s)), KI(2) },
		  1,
		  3,
		  { { vARR(1, vS("a")) }, { vARR(0) }, { vARR(1, vN()) } } },
		{ "TOPK", 2, { COL(s), KI(2) }, 1, 3, { { vS("b") }, { vS("a") }, { vS("c") } } },
		{ "TOPK",
		  3,
		  { COL(i), COL(row), KI(2) },
		  2,
		  3,
		  { { vI(1), r1 }, { vI(3), r2 }, { vI(2), vN() } } },
		{ "TOPKDISTINCT",
		  2,
		  { COL(tDEC(3, 1)), KI(2) },
		  1,
		  3,
		  { { vDEC("1.5", 3, 1) }, { vDEC("1.5", 3, 1) }, { vDEC("-2", 3, 1) } } },
		{ "TOPKDISTINCT",
		  2,
		  { COL(sl_type_time()), KI(2) },
		  1,
		  2,
		  { { sl_value_time(1000) }, { sl_value_time(5) } } },
		{ "HISTOGRAM",
		  1,
		  { COL(s) },
		  1,
		  3,
		  { { vS("a") }, { vS("\xe2\x82\xac") }, { vS("a") } } },
		{ "STDDEV_SAMP", 1, { COL(i) }, 1, 3, { { vI(3) }, { vI(-4) }, { vI(11) } } },
		{ "STDDEV_SAMPLE", 1, { COL(d) }, 1, 2, { { vD(0.5) }, { vD(2.25) } } },
		{ "CORRELATION",
		  2,
		  { COL(d), COL(d) },
		  2,
		  3,
		  { { vD(1), vD(2) }, { vD(2), vD(5) }, { vD(3), vD(4) } } },
		{ "ATTR", 1, { COL(row) }, 1, 3, { { r1 }, { r1 }, { vN() } } },

	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		agg_t mem, rt;
		char res[3][2048], st[3][2048];
		uint64_t seq0 = next_seq;

		ck_assert_msg(agg_open(&mem, cases[c].name, cases[c].argc, cases[c].args, false) ==
				      SL_OK,
			      "%s: %s", cases[c].name, bind_err);
		ck_assert_msg(agg_open(&rt, cases[c].name, cases[c].argc, cases[c].args, true) ==
				      SL_OK,
			      "%s: %s", cases[c].name, bind_err);
		for (int r = 0; r < cases[c].nrows; r++) {
			snprintf(res[r], sizeof(res[r]), "%s",
				 agg_step(&mem, cases[c].ncols, cases[c].rows[r], false));
			snprintf(st[r], sizeof(st[r]), "%s", state(&mem));
		}
		next_seq = seq0; /* the same call->seq for the same rows */
		for (int r = 0; r < cases[c].nrows; r++) {
			const char *got = agg_step(&rt, cases[c].ncols, cases[c].rows[r], false);
			ck_assert_msg(strcmp(got, res[r]) == 0, "%s row %d: %s, not %s",
				      cases[c].name, r, got, res[r]);
			ck_assert_msg(strcmp(state(&rt), st[r]) == 0, "%s row %d: state %s, not %s",
				      cases[c].name, r, state(&rt), st[r]);
		}
		agg_close(&mem);
		agg_close(&rt);
	}
}
END_TEST

/* ---- suite ------------------------------------------------------------- */

static Suite *
aggregate_suite(void)
{
	Suite *s = suite_create("aggregate");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_registry);
	tcase_add_test(tc, test_types);
	tcase_add_test(tc, test_bind_errors);
	tcase_add_test(tc, test_count);
	tcase_add_test(tc, test_sum);
	tcase_add_test(tc, test_avg);
	tcase_add_test(tc, test_min_max);
	tcase_add_test(tc, test_min_max_table);
	tcase_add_test(tc, test_min_max_table_types);
	tcase_add_test(tc, test_min_max_table_random);
	tcase_add_test(tc, test_stddev);
	tcase_add_test(tc, test_correlation);
	tcase_add_test(tc, test_roundtrip_all);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(aggregate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
