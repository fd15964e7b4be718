/*
 * check_aggregate_collections.c: unit tests of the aggregate functions
 * whose state is a list or a map (src/expr/fn_aggregate.c,
 * src/expr/fn_count_distinct.c): COUNT_DISTINCT, COLLECT_LIST,
 * COLLECT_SET, EARLIEST_BY_OFFSET, LATEST_BY_OFFSET, TOPK, TOPKDISTINCT,
 * HISTOGRAM and ATTR.  The others, and the checks across every aggregate,
 * are in check_aggregate.c.
 *
 * Layer: expr.  Each test drives an aggregate through agg_harness.h as
 * the executor does (bind, then add, undo and merge over an accumulator
 * deep-copied, or sent through JSON, after every step).  Expected values
 * come from ksqlDB's query-validation tests; COUNT_DISTINCT's estimates
 * were computed on the JVM with stream-lib's HyperLogLog.
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

/* ---- COUNT_DISTINCT ---------------------------------------------------- */

START_TEST(test_count_distinct)
{
	agg_t foo, bar, g, h, w;
	char buf[32];

	/* count-distinct.json */
	OPEN_RT(&foo, "COUNT_DISTINCT", COL(sl_type_string()));
	OPEN_RT(&bar, "COUNT_DISTINCT", COL(sl_type_string()));
	EXPECT("0", result(&foo));
	EXPECT("1", ADD(&foo, vS("one")));
	EXPECT("2", ADD(&foo, vS("two")));
	EXPECT("2", ADD(&foo, vS("one")));
	EXPECT("2", ADD(&foo, vS("two")));
	EXPECT("1", ADD(&bar, vS("one")));
	EXPECT("2", ADD(&foo, vN()));
	ck_assert_int_eq(foo.acc.u.list->n, 2); /* sparse: two registers */
	agg_close(&foo);
	agg_close(&bar);

	/* stream-lib's estimates (run on the JVM): strings "item-i" */
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_string()));
	for (int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "item-%d", i);
		ADD(&g, vS(buf));
	}
	EXPECT("994", result(&g));
	agg_close(&g);

	/* INT 0..4999: the registers outgrow the sparse list and take
	 * ksqlDB's layout (2,731 words); halves merged give the same */
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_int()));
	OPEN(&h, "COUNT_DISTINCT", COL(sl_type_int()));
	OPEN(&w, "COUNT_DISTINCT", COL(sl_type_int()));
	for (int i = 0; i < 5000; i++)
		ADD(i < 2500 ? &g : &h, vI(i));
	EXPECT("4962", agg_merge(&g, &h));
	ck_assert_int_eq(g.acc.u.list->n, 2731);
	for (int i = 0; i < 5000; i++)
		ADD(&w, vI(i));
	EXPECT("4962", result(&w));
	ck_assert_int_eq(w.acc.u.list->n, 2731);
	ck_assert_str_eq(state_json(&w), state_json(&g));
	w.roundtrip = true;
	EXPECT("4962", ADD(&w, vI(7)));
	/* merging a sparse list into the dense form */
	agg_close(&h);
	OPEN(&h, "COUNT_DISTINCT", COL(sl_type_int()));
	for (int i = 0; i < 300; i++)
		ADD(&h, vI(1000000 + i * 7919));
	EXPECT("5256", agg_merge(&w, &h));
	agg_close(&g);
	agg_close(&h);
	agg_close(&w);

	/* BIGINT and DOUBLE hash through hashLong */
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_bigint()));
	for (int i = 0; i < 1000; i++)
		ADD(&g, vL((int64_t)i * 1000003));
	EXPECT("992", result(&g));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_double()));
	for (int i = 0; i < 1000; i++)
		ADD(&g, vD(i + 0.5));
	EXPECT("1003", result(&g));
	agg_close(&g);

	/* non-ASCII strings (sign-extended tail bytes); other types by
	 * their Java text */
	OPEN_RT(&g, "COUNT_DISTINCT", COL(sl_type_string()));
	ADD(&g, vS("h\xc3\xa9"));
	ADD(&g, vS("\xc3\xa9\xc3\xa9\xc3\xa9"));
	EXPECT("3", ADD(&g, vS("caf\xc3\xa9")));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_string()));
	for (int i = 0; i < 3000; i++) {
		snprintf(buf, sizeof(buf), "k%d\xc3\xa9", i);
		ADD(&g, vS(buf));
	}
	EXPECT("2980", result(&g));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_string()));
	for (int i = 0; i < 3000; i++) {
		snprintf(buf, sizeof(buf), "k%d\xc3\xa9x", i);
		ADD(&g, vS(buf));
	}
	EXPECT("2960", result(&g));
	agg_close(&g);
	/* BigDecimal.toString() (5E-8), java.sql.Timestamp/Date/Time (UTC) */
	OPEN(&g, "COUNT_DISTINCT", COL(tDEC(12, 8)));
	for (int i = 0; i < 2000; i++)
		ADD(&g, sl_value_decimal(i, 12, 8));
	EXPECT("1997", result(&g));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_timestamp()));
	for (int i = 0; i < 2000; i++)
		ADD(&g, sl_value_timestamp((int64_t)i * 1000003 - 500000000));
	EXPECT("2000", result(&g));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_date()));
	for (int i = 0; i < 2000; i++)
		ADD(&g, sl_value_date(i * 7));
	EXPECT("2000", result(&g));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_time()));
	for (int i = 0; i < 2000; i++)
		ADD(&g, sl_value_time((int64_t)i * 40000));
	EXPECT("2015", result(&g));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_boolean()));
	EXPECT("2", (ADD(&g, vB(true)), ADD(&g, vB(false)), ADD(&g, vB(true))));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(tDEC(3, 2)));
	ADD(&g, vDEC("1.50", 3, 2));
	EXPECT("2", (ADD(&g, vDEC("1.50", 3, 2)), ADD(&g, vDEC("1.51", 3, 2))));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(tROW(1, "A", sl_type_int())));
	ADD(&g, vROW(1, vI(1)));
	EXPECT("2", (ADD(&g, vROW(1, vI(1))), ADD(&g, vROW(1, vN()))));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_timestamp()));
	EXPECT("2", (ADD(&g, sl_value_timestamp(12)), ADD(&g, sl_value_timestamp(12)),
		     ADD(&g, sl_value_timestamp(-1))));
	agg_close(&g);
}
END_TEST

/* ---- COLLECT_LIST, COLLECT_SET ----------------------------------------- */

START_TEST(test_collect_list)
{
	agg_t g, h;
	const sl_type_t *row = tROW(2, "A", sl_type_string(), "B", sl_type_bigint());

	/* collect-list.json "collect_list int" */
	OPEN_RT(&g, "COLLECT_LIST", COL(sl_type_int()));
	EXPECT("[]", result(&g));
	EXPECT("[0]", ADD(&g, vI(0)));
	EXPECT("[0,100]", ADD(&g, vI(100)));
	agg_close(&g);

	/* "collect_list decimal": NULLs are kept */
	OPEN_RT(&g, "COLLECT_LIST", COL(tDEC(4, 1)));
	EXPECT("[500.9]", ADD(&g, vDEC("500.9", 4, 1)));
	EXPECT("[500.9,300.8]", ADD(&g, vDEC("300.8", 4, 1)));
	EXPECT("[500.9,300.8,null]", ADD(&g, vN()));
	EXPECT("[500.9,300.8,null,300.8]", ADD(&g, vDEC("300.8", 4, 1)));
	EXPECT("[500.9,300.8,null,300.8,null]", ADD(&g, vN()));
	/* undo removes the last equal value */
	EXPECT("[500.9,300.8,null,null]", UNDO(&g, vDEC("300.8", 4, 1)));
	EXPECT("[500.9,300.8,null]", UNDO(&g, vN()));
	EXPECT("[500.9,300.8,null]", UNDO(&g, vDEC("1.0", 4, 1)));
	agg_close(&g);

	/* "collect_list long table": a row updated */
	OPEN(&g, "COLLECT_LIST", COL(sl_type_bigint()));
	EXPECT("[2147483648]", ADD(&g, vL(2147483648)));
	EXPECT("[]", UNDO(&g, vL(2147483648)));
	EXPECT("[100]", ADD(&g, vL(100)));
	agg_close(&g);

	/* "collect_list struct", maps; merge appends */
	OPEN_RT(&g, "COLLECT_LIST", COL(row));
	OPEN_RT(&h, "COLLECT_LIST", COL(row));
	EXPECT("[{A=\"Record0\",B=1}]", ADD(&g, vROW(2, vS("Record0"), vL(1))));
	EXPECT("[{A=\"Record0\",B=1},{A=\"Record1\",B=100}]",
	       ADD(&g, vROW(2, vS("Record1"), vL(100))));
	ADD(&h, vROW(2, vS("Record0"), vN()));
	EXPECT("[{A=\"Record0\",B=1},{A=\"Record1\",B=100},{A=\"Record0\",B=null}]",
	       agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
	OPEN_RT(&g, "COLLECT_LIST", COL(tMAP(sl_type_bigint())));
	EXPECT("[{Record0:100},{Record0:100}]",
	       (ADD(&g, vMAP(1, "Record0", vL(100))), ADD(&g, vMAP(1, "Record0", vL(100)))));
	agg_close(&g);
}
END_TEST

START_TEST(test_collect_set)
{
	agg_t g, h;

	/* collect-set.json "collect_set decimal": NULL kept once */
	OPEN_RT(&g, "COLLECT_SET", COL(tDEC(4, 1)));
	EXPECT("[500.9]", ADD(&g, vDEC("500.9", 4, 1)));
	EXPECT("[500.9,300.8]", ADD(&g, vDEC("300.8", 4, 1)));
	EXPECT("[500.9,300.8,null]", ADD(&g, vN()));
	EXPECT("[500.9,300.8,null]", ADD(&g, vDEC("300.8", 4, 1)));
	EXPECT("[500.9,300.8,null]", ADD(&g, vN()));
	agg_close(&g);

	/* "collect_set maps": equal maps in another order are one value */
	OPEN_RT(&g, "COLLECT_SET", COL(tMAP(sl_type_bigint())));
	EXPECT("[{Record0:100,Record2:2}]", ADD(&g, vMAP(2, "Record0", vL(100), "Record2", vL(2))));
	EXPECT("[{Record0:100,Record2:2}]", ADD(&g, vMAP(2, "Record2", vL(2), "Record0", vL(100))));
	EXPECT("[{Record0:100,Record2:2},{Record0:100}]", ADD(&g, vMAP(1, "Record0", vL(100))));
	agg_close(&g);

	/* "collect_set string", "bool map"; DOUBLE by Double.equals */
	OPEN(&g, "COLLECT_SET", COL(sl_type_string()));
	EXPECT("[\"baz\"]", (ADD(&g, vS("baz")), ADD(&g, vS("baz"))));
	EXPECT("[\"baz\",\"foo\",null]", (ADD(&g, vS("foo")), ADD(&g, vN())));
	agg_close(&g);
	OPEN(&g, "COLLECT_SET", COL(sl_type_boolean()));
	EXPECT("[true,false]", (ADD(&g, vB(true)), ADD(&g, vB(false)), ADD(&g, vB(true))));
	agg_close(&g);
	OPEN(&g, "COLLECT_SET", COL(sl_type_double()));
	EXPECT("[NaN,0.0,-0.0]", (ADD(&g, vD(NAN)), ADD(&g, vD(-NAN)), ADD(&g, vD(0.0)),
				  ADD(&g, vD(-0.0)), ADD(&g, vD(0.0))));
	agg_close(&g);

	/* merge: the other's values not yet present, in order */
	OPEN(&g, "COLLECT_SET", COL(sl_type_int()));
	OPEN(&h, "COLLECT_SET", COL(sl_type_int()));
	ADD(&g, vI(1));
	ADD(&g, vI(2));
	ADD(&h, vI(2));
	ADD(&h, vI(3));
	ADD(&h, vI(1));
	ADD(&h, vI(4));
	EXPECT("[1,2,3,4]", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

/* ---- EARLIEST_BY_OFFSET, LATEST_BY_OFFSET ------------------------------ */

START_TEST(test_earliest)
{
	const sl_type_t *i = sl_type_int();
	agg_t g, s0, s1, m;

	/* earliest-offset-udaf.json "nulls later - single - nulls ignored" */
	OPEN_RT(&g, "EARLIEST_BY_OFFSET", COL(i));
	EXPECT("null", result(&g));
	EXPECT("12", ADD(&g, vI(12)));
	EXPECT("12", ADD(&g, vN()));
	EXPECT("12", ADD(&g, vI(13)));
	agg_close(&g);
	/* "null first - single - ignoring nulls" */
	OPEN_RT(&g, "EARLIEST_BY_OFFSET", COL(i), KB(true));
	EXPECT("null", ADD(&g, vN()));
	EXPECT("13", ADD(&g, vI(13)));
	agg_close(&g);
	/* not ignoring nulls: the first value is NULL for good */
	OPEN_RT(&g, "EARLIEST_BY_OFFSET", COL(i), KB(false));
	EXPECT("null", ADD(&g, vN()));
	EXPECT("null", ADD(&g, vI(13)));
	agg_close(&g);
	/* "null later - single - nulls not ignored" */
	OPEN(&g, "EARLIEST_BY_OFFSET", COL(i), KB(false));
	EXPECT("12", (ADD(&g, vI(12)), ADD(&g, vN()), ADD(&g, vI(13))));
	agg_close(&g);

	/* "null first - multiple - ignoring nulls", "... not ignoring nulls" */
	OPEN_RT(&g, "EARLIEST_BY_OFFSET", COL(i), KI(2));
	EXPECT("[]", ADD(&g, vN()));
	EXPECT("[13]", ADD(&g, vI(13)));
	agg_close(&g);
	OPEN_RT(&g, "EARLIEST_BY_OFFSET", COL(i), KI(2), KB(false));
	EXPECT("[null]", ADD(&g, vN()));
	EXPECT("[null,13]", ADD(&g, vI(13)));
	EXPECT("[null,13]", ADD(&g, vI(14)));
	agg_close(&g);
	/* "null later - multiple - nulls not ignored" */
	OPEN(&g, "EARLIEST_BY_OFFSET", COL(i), KI(2), KB(false));
	EXPECT("[12]", ADD(&g, vI(12)));
	EXPECT("[12,null]", ADD(&g, vN()));
	EXPECT("[12,null]", ADD(&g, vI(13)));
	agg_close(&g);
	/* "earliest n by offset"; udaf.json "support more than one literal
	 * param" */
	OPEN(&g, "EARLIEST_BY_OFFSET", COL(sl_type_string()), KI(2));
	EXPECT("[\"foo\",\"bar\"]", (ADD(&g, vS("foo")), ADD(&g, vS("bar")), ADD(&g, vS("baz"))));
	agg_close(&g);
	OPEN(&g, "EARLIEST_BY_OFFSET", COL(i), KI(2), KB(true));
	EXPECT("[1]", ADD(&g, vI(1)));
	agg_close(&g);

	/* "merging session windows": sessions at 0 and 1500 merged when a
	 * record at 700 joins them; the earliest record wins */
	OPEN_RT(&s0, "EARLIEST_BY_OFFSET", COL(i));
	OPEN_RT(&s1, "EARLIEST_BY_OFFSET", COL(i));
	OPEN_RT(&m, "EARLIEST_BY_OFFSET", COL(i));
	EXPECT("1", ADD(&s0, vI(1)));
	EXPECT("3", ADD(&s1, vI(3)));
	agg_merge(&m, &s0);
	agg_merge(&m, &s1);
	EXPECT("1", ADD(&m, vI(2)));
	/* the other way round too: acc later than other */
	agg_close(&m);
	OPEN(&m, "EARLIEST_BY_OFFSET", COL(i));
	agg_merge(&m, &s1);
	EXPECT("1", agg_merge(&m, &s0));
	agg_close(&s0);
	agg_close(&s1);
	agg_close(&m);
	/* "merging session windows - with nulls ignored" */
	OPEN(&s0, "EARLIEST_BY_OFFSET", COL(i), KB(true));
	OPEN(&s1, "EARLIEST_BY_OFFSET", COL(i), KB(true));
	OPEN(&m, "EARLIEST_BY_OFFSET", COL(i), KB(true));
	EXPECT("null", ADD(&s0, vN()));
	EXPECT("1", ADD(&s1, vI(1)));
	agg_merge(&m, &s0);
	agg_merge(&m, &s1);
	EXPECT("1", ADD(&m, vN()));
	agg_close(&s0);
	agg_close(&s1);
	agg_close(&m);
	/* "merging session windows - all nulls - N" */
	OPEN_RT(&s0, "EARLIEST_BY_OFFSET", COL(i), KI(2), KB(false));
	OPEN_RT(&s1, "EARLIEST_BY_OFFSET", COL(i), KI(2), KB(false));
	OPEN_RT(&m, "EARLIEST_BY_OFFSET", COL(i), KI(2), KB(false));
	EXPECT("[null]", ADD(&s0, vN()));
	EXPECT("[null]", ADD(&s1, vN()));
	agg_merge(&m, &s0);
	EXPECT("[null,null]", agg_merge(&m, &s1));
	EXPECT("[null,null]", ADD(&m, vN()));
	agg_close(&s0);
	agg_close(&s1);
	agg_close(&m);
	/* merged N lists keep record order whatever the merge order */
	OPEN(&s0, "EARLIEST_BY_OFFSET", COL(i), KI(3));
	OPEN(&s1, "EARLIEST_BY_OFFSET", COL(i), KI(3));
	ADD(&s0, vI(1));
	ADD(&s1, vI(2));
	ADD(&s0, vI(3));
	ADD(&s1, vI(4));
	EXPECT("[1,2,3]", agg_merge(&s1, &s0));
	agg_close(&s0);
	agg_close(&s1);

	/* "earliest by offset with arrays, structs, and maps" */
	const sl_type_t *t = tARR(tROW(2, "A", sl_type_string(), "M", tMAP(sl_type_double())));
	OPEN_RT(&g, "EARLIEST_BY_OFFSET", COL(t));
	EXPECT("[{A=\"Early0\",M={Early0:1.234}},{A=\"Early2\",M={Early2:1.23456}}]",
	       ADD(&g, vARR(2, vROW(2, vS("Early0"), vMAP(1, "Early0", vD(1.234))),
			    vROW(2, vS("Early2"), vMAP(1, "Early2", vD(1.23456))))));
	EXPECT("[{A=\"Early0\",M={Early0:1.234}},{A=\"Early2\",M={Early2:1.23456}}]",
	       ADD(&g, vARR(1, vROW(2, vS("Later0"), vMAP(1, "Early0", vD(3.45))))));
	agg_close(&g);
}
END_TEST

START_TEST(test_latest)
{
	const sl_type_t *i = sl_type_int();
	agg_t g, s0, s1, m;

	/* latest-offset-udaf.json "nulls ignored - single" */
	OPEN_RT(&g, "LATEST_BY_OFFSET", COL(i), KB(true));
	EXPECT("12", ADD(&g, vI(12)));
	EXPECT("12", ADD(&g, vN()));
	EXPECT("13", ADD(&g, vI(13)));
	agg_close(&g);
	/* "latest by offset with all nulls"; nulls not ignored */
	OPEN(&g, "LATEST_BY_OFFSET", COL(i));
	EXPECT("null", (ADD(&g, vN()), ADD(&g, vN())));
	agg_close(&g);
	OPEN(&g, "LATEST_BY_OFFSET", COL(i), KB(false));
	EXPECT("12", ADD(&g, vI(12)));
	EXPECT("null", ADD(&g, vN()));
	agg_close(&g);
	/* "nulls ignored - multiple", "nulls not ignored - multiple" */
	OPEN_RT(&g, "LATEST_BY_OFFSET", COL(i), KI(2), KB(true));
	EXPECT("[12]", ADD(&g, vI(12)));
	EXPECT("[12]", ADD(&g, vN()));
	EXPECT("[12,13]", ADD(&g, vI(13)));
	EXPECT("[13,14]", ADD(&g, vI(14)));
	agg_close(&g);
	OPEN_RT(&g, "LATEST_BY_OFFSET", COL(i), KI(2), KB(false));
	EXPECT("[12]", ADD(&g, vI(12)));
	EXPECT("[12,null]", ADD(&g, vN()));
	EXPECT("[null,13]", ADD(&g, vI(13)));
	agg_close(&g);
	/* "latest n by offset with all nulls" */
	OPEN(&g, "LATEST_BY_OFFSET", COL(i), KI(2));
	EXPECT("[]", (ADD(&g, vN()), ADD(&g, vN())));
	agg_close(&g);

	/* "merging session windows - with nulls ignored" */
	OPEN_RT(&s0, "LATEST_BY_OFFSET", COL(i));
	OPEN_RT(&s1, "LATEST_BY_OFFSET", COL(i));
	OPEN_RT(&m, "LATEST_BY_OFFSET", COL(i));
	EXPECT("1", ADD(&s0, vI(1)));
	EXPECT("null", ADD(&s1, vN()));
	agg_merge(&m, &s0);
	EXPECT("1", agg_merge(&m, &s1));
	EXPECT("2", ADD(&m, vI(2)));
	agg_close(&m);
	/* "... with nulls ignored when merging" */
	OPEN(&m, "LATEST_BY_OFFSET", COL(i));
	agg_merge(&m, &s0);
	EXPECT("1", ADD(&m, vN()));
	agg_close(&s0);
	agg_close(&s1);
	agg_close(&m);
	/* "... with nulls not ignored when merging" */
	OPEN(&s0, "LATEST_BY_OFFSET", COL(i), KB(false));
	OPEN(&m, "LATEST_BY_OFFSET", COL(i), KB(false));
	ADD(&s0, vI(1));
	agg_merge(&m, &s0);
	EXPECT("null", ADD(&m, vN()));
	agg_close(&s0);
	agg_close(&m);
	/* the later of two sessions wins a merge, either way round */
	OPEN(&s0, "LATEST_BY_OFFSET", COL(i));
	OPEN(&s1, "LATEST_BY_OFFSET", COL(i));
	ADD(&s0, vI(1));
	ADD(&s1, vI(2));
	EXPECT("2", agg_merge(&s0, &s1));
	ADD(&s0, vI(3));
	EXPECT("3", agg_merge(&s1, &s0));
	agg_close(&s0);
	agg_close(&s1);
	/* "merging session windows - with nulls not ignored - N" */
	OPEN_RT(&s0, "LATEST_BY_OFFSET", COL(i), KI(2), KB(false));
	OPEN_RT(&s1, "LATEST_BY_OFFSET", COL(i), KI(2), KB(false));
	OPEN_RT(&m, "LATEST_BY_OFFSET", COL(i), KI(2), KB(false));
	EXPECT("[1]", ADD(&s0, vI(1)));
	EXPECT("[null]", ADD(&s1, vN()));
	agg_merge(&m, &s0);
	EXPECT("[1,null]", agg_merge(&m, &s1));
	EXPECT("[null,2]", ADD(&m, vI(2)));
	agg_close(&s0);
	agg_close(&s1);
	agg_close(&m);

	/* a sequence that wrapped: negative SEQs come after positive ones */
	OPEN(&s0, "LATEST_BY_OFFSET", COL(i));
	OPEN(&s1, "LATEST_BY_OFFSET", COL(i));
	OPEN(&g, "EARLIEST_BY_OFFSET", COL(i));
	OPEN(&m, "EARLIEST_BY_OFFSET", COL(i));
	next_seq = (uint64_t)INT64_MAX - 1;
	ADD(&s0, vI(1));
	ADD(&g, vI(1));
	ADD(&s1, vI(2));
	ADD(&m, vI(2));
	ck_assert_str_eq(state(&g), "{SEQ=9223372036854775807,VAL=1}");
	ck_assert_str_eq(state(&s1), "{SEQ=-9223372036854775808,VAL=2}");
	EXPECT("2", agg_merge(&s0, &s1));
	EXPECT("1", agg_merge(&m, &g));
	agg_close(&s0);
	agg_close(&s1);
	agg_close(&g);
	agg_close(&m);

	/* "latest by offset with maps", BYTES */
	OPEN_RT(&g, "LATEST_BY_OFFSET", COL(tMAP(sl_type_double())));
	EXPECT("{Early0:1.234}", ADD(&g, vMAP(1, "Early0", vD(1.234))));
	EXPECT("{Later0:3.6789}", ADD(&g, vMAP(1, "Later0", vD(3.6789))));
	agg_close(&g);
	OPEN_RT(&g, "LATEST_BY_OFFSET", COL(sl_type_bytes()), KI(2));
	EXPECT("[0x61,0x62]", (ADD(&g, vBY("a", 1)), ADD(&g, vBY("b", 1))));
	agg_close(&g);
}
END_TEST

/* ---- TOPK, TOPKDISTINCT ------------------------------------------------ */

START_TEST(test_topk)
{
	const sl_type_t *i = sl_type_int(), *s = sl_type_string();
	agg_t g, h;

	/* topk-group-by.json "topk integer" */
	OPEN_RT(&g, "TOPK", COL(i), KI(3));
	EXPECT("[]", result(&g));
	EXPECT("[0]", ADD(&g, vI(0)));
	EXPECT("[100,0]", ADD(&g, vI(100)));
	EXPECT("[100,99,0]", ADD(&g, vI(99)));
	EXPECT("[100,99,7]", ADD(&g, vI(7)));
	EXPECT("[100,100,99]", ADD(&g, vI(100)));
	EXPECT("[100,100,99]", ADD(&g, vN()));
	EXPECT("[100,100,99]", ADD(&g, vI(99)));
	agg_close(&g);
	/* "topk long" */
	OPEN(&g, "TOPK", COL(sl_type_bigint()), KI(3));
	EXPECT("[2147483648,100,100]", (ADD(&g, vL(2147483648)), ADD(&g, vL(100)), ADD(&g, vL(99)),
					ADD(&g, vL(7)), ADD(&g, vL(100))));
	agg_close(&g);
	/* "topk string" */
	OPEN(&g, "TOPK", COL(s), KI(3));
	EXPECT("[\"a\"]", ADD(&g, vS("a")));
	EXPECT("[\"b\",\"a\"]", ADD(&g, vS("b")));
	EXPECT("[\"c\",\"b\",\"a\"]", ADD(&g, vS("c")));
	EXPECT("[\"c\",\"b\",\"b\"]", ADD(&g, vS("b")));
	EXPECT("[\"d\",\"c\",\"b\"]", ADD(&g, vS("d")));
	agg_close(&g);
	/* k = 1; DECIMAL goes through the DOUBLE variant */
	OPEN(&g, "TOPK", COL(sl_type_double()), KI(1));
	EXPECT("[2.5]", (ADD(&g, vD(1.5)), ADD(&g, vD(2.5)), ADD(&g, vD(-3))));
	agg_close(&g);

	/* "topk integer struct": TOPK(value, name, 3) */
	OPEN_RT(&g, "TOPK", COL(i), COL(s), KI(3));
	EXPECT("[{sort_col=0,col0=\"zero\"}]", ADD(&g, vI(0), vS("zero")));
	EXPECT("[{sort_col=100,col0=\"one\"},{sort_col=0,col0=\"zero\"}]",
	       ADD(&g, vI(100), vS("one")));
	EXPECT("[{sort_col=100,col0=\"one\"},{sort_col=99,col0=\"two\"},"
	       "{sort_col=0,col0=\"zero\"}]",
	       ADD(&g, vI(99), vS("two")));
	EXPECT("[{sort_col=100,col0=\"one\"},{sort_col=99,col0=\"two\"},"
	       "{sort_col=0,col0=\"zero\"}]",
	       ADD(&g, vN(), vS("three")));
	EXPECT("[{sort_col=100,col0=\"one\"},{sort_col=100,col0=null},"
	       "{sort_col=99,col0=\"two\"}]",
	       ADD(&g, vI(100), vN()));
	ck_assert_str_eq(state_json(&g), "[{\"sort_col\":100,\"col0\":\"one\"},"
					 "{\"sort_col\":100,\"col0\":null},"
					 "{\"sort_col\":99,\"col0\":\"two\"}]");
	agg_close(&g);
	/* "topk string struct" */
	OPEN(&g, "TOPK", COL(s), COL(s), KI(3));
	ADD(&g, vS("a"), vS("zero"));
	ADD(&g, vN(), vS("one"));
	ADD(&g, vS("c"), vS("two"));
	EXPECT("[{sort_col=\"c\",col0=\"two\"},{sort_col=\"b\",col0=\"three\"},"
	       "{sort_col=\"a\",col0=\"zero\"}]",
	       ADD(&g, vS("b"), vS("three")));
	EXPECT("[{sort_col=\"d\",col0=null},{sort_col=\"c\",col0=\"two\"},"
	       "{sort_col=\"b\",col0=\"three\"}]",
	       ADD(&g, vS("d"), vN()));
	agg_close(&g);
	/* more columns */
	OPEN_RT(&g, "TOPK", COL(sl_type_double()), COL(sl_type_bigint()), COL(sl_type_boolean()),
		KI(2));
	ADD(&g, vD(1.5), vL(1), vB(true));
	EXPECT("[{sort_col=2.5,col0=2,col1=false},{sort_col=1.5,col0=1,col1=true}]",
	       ADD(&g, vD(2.5), vL(2), vB(false)));
	agg_close(&g);

	/* merge: largest first, ties from the accumulator first, k kept */
	OPEN(&g, "TOPK", COL(i), KI(3));
	OPEN(&h, "TOPK", COL(i), KI(3));
	ADD(&g, vI(100));
	ADD(&g, vI(99));
	ADD(&g, vI(7));
	ADD(&h, vI(100));
	ADD(&h, vI(50));
	EXPECT("[100,100,99]", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
	OPEN(&g, "TOPK", COL(i), COL(s), KI(3));
	OPEN(&h, "TOPK", COL(i), COL(s), KI(3));
	ADD(&g, vI(5), vS("g"));
	ADD(&h, vI(5), vS("h"));
	ADD(&h, vI(9), vS("h"));
	EXPECT("[{sort_col=9,col0=\"h\"},{sort_col=5,col0=\"h\"},{sort_col=5,col0=\"g\"}]",
	       agg_merge(&h, &g));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

START_TEST(test_topkdistinct)
{
	agg_t g, h;

	/* topk-distinct.json "topk distinct integer" */
	OPEN_RT(&g, "TOPKDISTINCT", COL(sl_type_int()), KI(3));
	EXPECT("[0]", ADD(&g, vI(0)));
	EXPECT("[100,0]", ADD(&g, vI(100)));
	EXPECT("[100,99,0]", ADD(&g, vI(99)));
	EXPECT("[100,99,7]", ADD(&g, vI(7)));
	EXPECT("[100,99,7]", ADD(&g, vI(100)));
	agg_close(&g);
	/* "topk distinct decimal" */
	OPEN_RT(&g, "TOPKDISTINCT", COL(tDEC(2, 1)), KI(3));
	EXPECT("[9.8]", ADD(&g, vDEC("9.8", 2, 1)));
	EXPECT("[9.8,8.9]", ADD(&g, vDEC("8.9", 2, 1)));
	EXPECT("[9.8,8.9]", ADD(&g, vN()));
	EXPECT("[9.8,8.9,7.8]", ADD(&g, vDEC("7.8", 2, 1)));
	EXPECT("[9.8,8.9,7.8]", ADD(&g, vDEC("6.5", 2, 1)));
	EXPECT("[9.9,9.8,8.9]", ADD(&g, vDEC("9.9", 2, 1)));
	agg_close(&g);
	/* "topk distinct bytes" */
	OPEN_RT(&g, "TOPKDISTINCT", COL(sl_type_bytes()), KI(3));
	EXPECT("[0x42]", ADD(&g, vBY("B", 1)));
	EXPECT("[0x46,0x42]", ADD(&g, vBY("F", 1)));
	EXPECT("[0x47,0x46,0x42]", ADD(&g, vBY("G", 1)));
	EXPECT("[0x47,0x46,0x42]", (ADD(&g, vN()), ADD(&g, vBY("A", 1)), ADD(&g, vBY("F", 1))));
	agg_close(&g);
	/* "topk distinct timestamp" */
	OPEN(&g, "TOPKDISTINCT", COL(sl_type_timestamp()), KI(3));
	EXPECT("[100,99,0]", (ADD(&g, sl_value_timestamp(0)), ADD(&g, sl_value_timestamp(100)),
			      ADD(&g, sl_value_timestamp(99)), ADD(&g, sl_value_timestamp(-7)),
			      ADD(&g, sl_value_timestamp(100))));
	agg_close(&g);
	/* not full yet: a duplicate still does not enter */
	OPEN(&g, "TOPKDISTINCT", COL(sl_type_string()), KI(5));
	EXPECT("[\"b\",\"a\"]", (ADD(&g, vS("a")), ADD(&g, vS("b")), ADD(&g, vS("a"))));
	agg_close(&g);

	/* merge: equal values once */
	OPEN(&g, "TOPKDISTINCT", COL(sl_type_int()), KI(3));
	OPEN(&h, "TOPKDISTINCT", COL(sl_type_int()), KI(3));
	ADD(&g, vI(100));
	ADD(&g, vI(99));
	ADD(&g, vI(7));
	ADD(&h, vI(100));
	ADD(&h, vI(50));
	EXPECT("[100,99,50]", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

/* ---- HISTOGRAM --------------------------------------------------------- */

START_TEST(test_histogram)
{
	agg_t g, east, west;
	char buf[32];

	/* histogram.json "histogram string" */
	OPEN_RT(&g, "HISTOGRAM", COL(sl_type_string()));
	EXPECT("{}", result(&g));
	EXPECT("{baz:1}", ADD(&g, vS("baz")));
	EXPECT("{baz:2}", ADD(&g, vS("baz")));
	EXPECT("{baz:2,foo:1}", ADD(&g, vS("foo")));
	EXPECT("{baz:2,foo:1}", ADD(&g, vN()));
	ck_assert_str_eq(state_json(&g), "{\"baz\":2,\"foo\":1}");
	agg_close(&g);

	/* "histogram on a table": bob moves from east to west, then goes */
	OPEN_RT(&east, "HISTOGRAM", COL(sl_type_string()));
	OPEN_RT(&west, "HISTOGRAM", COL(sl_type_string()));
	EXPECT("{alice:1}", ADD(&east, vS("alice")));
	EXPECT("{alice:1,bob:1}", ADD(&east, vS("bob")));
	EXPECT("{carol:1}", ADD(&west, vS("carol")));
	EXPECT("{carol:1,dave:1}", ADD(&west, vS("dave")));
	EXPECT("{alice:1}", UNDO(&east, vS("bob")));
	EXPECT("{carol:1,dave:1,bob:1}", ADD(&west, vS("bob")));
	EXPECT("{carol:1,dave:1}", UNDO(&west, vS("bob")));
	EXPECT("{carol:1,dave:1}", UNDO(&west, vS("nobody")));
	/* merge adds counts */
	ADD(&east, vS("dave"));
	EXPECT("{carol:1,dave:2,alice:1}", agg_merge(&west, &east));
	agg_close(&east);
	agg_close(&west);

	/* at most 1000 distinct values; those present still count */
	OPEN(&g, "HISTOGRAM", COL(sl_type_string()));
	for (int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "v%d", i);
		ADD(&g, vS(buf));
	}
	ADD(&g, vS("extra"));
	ck_assert_int_eq(g.acc.u.list->n, 1000);
	ADD(&g, vS("v999"));
	ck_assert_int_eq(g.acc.u.list->items[2 * 999 + 1].u.l, 2);
	agg_close(&g);
}
END_TEST

/* ---- ATTR -------------------------------------------------------------- */

START_TEST(test_attr)
{
	agg_t g;

	/* attr.json "valid attr with various scalar fields" */
	OPEN_RT(&g, "ATTR", COL(sl_type_double()));
	EXPECT("null", result(&g));
	EXPECT("1.0", (ADD(&g, vD(1.0)), ADD(&g, vD(1.0)), ADD(&g, vD(1.0))));
	agg_close(&g);
	/* "... non-scalar fields" */
	OPEN_RT(&g, "ATTR", COL(tROW(2, "A", sl_type_string(), "B", sl_type_int())));
	EXPECT("{A=\"a\",B=1}",
	       (ADD(&g, vROW(2, vS("a"), vI(1))), ADD(&g, vROW(2, vS("a"), vI(1)))));
	agg_close(&g);
	/* "invalid attr", "invalid attr with nulls" */
	OPEN(&g, "ATTR", COL(sl_type_string()));
	EXPECT("\"1\"", ADD(&g, vS("1")));
	EXPECT("null", ADD(&g, vS("2")));
	EXPECT("null", ADD(&g, vS("3")));
	agg_close(&g);
	OPEN(&g, "ATTR", COL(sl_type_string()));
	EXPECT("\"1\"", ADD(&g, vS("1")));
	EXPECT("null", ADD(&g, vN()));
	EXPECT("null", ADD(&g, vS("1")));
	agg_close(&g);
	/* "table attr with tombstones" */
	OPEN_RT(&g, "ATTR", COL(sl_type_string()));
	EXPECT("\"1\"", ADD(&g, vS("1")));
	EXPECT("\"1\"", ADD(&g, vS("1")));
	EXPECT("\"1\"", UNDO(&g, vS("1")));
	EXPECT("null", UNDO(&g, vS("1")));
	EXPECT("\"2\"", ADD(&g, vS("2")));
	EXPECT("null", ADD(&g, vS("3")));
	EXPECT("\"2\"", UNDO(&g, vS("3")));
	/* entries at zero stay (and never go below zero) */
	ck_assert_str_eq(state(&g), "[{VALUE=\"1\",COUNT=0},{VALUE=\"2\",COUNT=1},"
				    "{VALUE=\"3\",COUNT=0}]");
	EXPECT("\"2\"", UNDO(&g, vS("3")));
	EXPECT("\"2\"", UNDO(&g, vS("4")));
	ck_assert_str_eq(state_json(&g), "[{\"VALUE\":\"1\",\"COUNT\":0},"
					 "{\"VALUE\":\"2\",\"COUNT\":1},"
					 "{\"VALUE\":\"3\",\"COUNT\":0}]");
	agg_close(&g);
	/* merge adds the counts */
	agg_t h;
	OPEN(&g, "ATTR", COL(sl_type_int()));
	OPEN(&h, "ATTR", COL(sl_type_int()));
	ADD(&g, vI(5));
	ADD(&h, vI(5));
	EXPECT("5", agg_merge(&g, &h));
	ck_assert_str_eq(state(&g), "[{VALUE=5,COUNT=2}]");
	ADD(&h, vN());
	EXPECT("null", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

/* ---- suite ------------------------------------------------------------- */

static Suite *
aggregate_collections_suite(void)
{
	Suite *s = suite_create("aggregate_collections");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_count_distinct);
	tcase_add_test(tc, test_collect_list);
	tcase_add_test(tc, test_collect_set);
	tcase_add_test(tc, test_earliest);
	tcase_add_test(tc, test_latest);
	tcase_add_test(tc, test_topk);
	tcase_add_test(tc, test_topkdistinct);
	tcase_add_test(tc, test_histogram);
	tcase_add_test(tc, test_attr);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(aggregate_collections_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
