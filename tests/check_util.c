/*
 * check_util.c: unit tests of src/util (arena, strbuf, error).
 *
 * Layer: util.  Exercises the region allocator (alignment, oversized
 * requests, reuse after reset, string copies), the growable string buffer
 * (growth, printf, steal) and the error object (positions, line/column
 * computation over multi-line and UTF-8 text, rendering).
 */
#include <check.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

/* ---- arena ---- */

static int
is_aligned(const void *p)
{
	return ((uintptr_t)p % alignof(max_align_t)) == 0;
}

START_TEST(test_arena_alignment)
{
	sl_arena_t a;
	sl_arena_init(&a, 0);
	/* odd sizes must not knock later allocations off alignment */
	static const size_t sizes[] = { 1, 3, 7, 13, 17, 31, 33, 1, 2, 100, 5 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		void *p = sl_arena_alloc(&a, sizes[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert_msg(is_aligned(p),
			      "allocation %zu of %zu bytes at %p "
			      "is not aligned",
			      i, sizes[i], p);
	}
	/* a long double and a 64-bit integer stored through the pointer */
	long double *ld = sl_arena_alloc(&a, sizeof(*ld));
	*ld = 1.25L;
	int64_t *i64 = sl_arena_alloc(&a, sizeof(*i64));
	*i64 = INT64_MIN;
	ck_assert(*ld == 1.25L);
	ck_assert(*i64 == INT64_MIN);
	sl_arena_destroy(&a);
}
END_TEST

START_TEST(test_arena_no_overlap)
{
	sl_arena_t a;
	sl_arena_init(&a, 128); /* small blocks: many block changes */
	enum { N = 2000 };
	unsigned char *ptrs[N];
	size_t lens[N];
	for (int i = 0; i < N; i++) {
		lens[i] = (size_t)(i % 50) + 1;
		ptrs[i] = sl_arena_alloc(&a, lens[i]);
		memset(ptrs[i], i & 0xff, lens[i]);
	}
	for (int i = 0; i < N; i++)
		for (size_t j = 0; j < lens[i]; j++)
			ck_assert_msg(ptrs[i][j] == (unsigned char)(i & 0xff),
				      "allocation %d byte %zu was overwritten", i, j);
	sl_arena_destroy(&a);
}
END_TEST

START_TEST(test_arena_zero_size)
{
	sl_arena_t a;
	sl_arena_init(&a, 0);
	void *p = sl_arena_alloc(&a, 0);
	void *q = sl_arena_alloc(&a, 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_ne(p, q);
	sl_arena_destroy(&a);
}
END_TEST

START_TEST(test_arena_large)
{
	sl_arena_t a;
	sl_arena_init(&a, 64);
	char *small1 = sl_arena_alloc(&a, 8);
	/* far larger than the block size: must be served whole */
	size_t big = 1u << 20;
	unsigned char *p = sl_arena_alloc(&a, big);
	ck_assert(is_aligned(p));
	memset(p, 0xab, big);
	ck_assert_uint_eq(p[0], 0xab);
	ck_assert_uint_eq(p[big - 1], 0xab);
	/* the current block still serves small requests after the big one */
	char *small2 = sl_arena_alloc(&a, 8);
	ck_assert_msg(small2 > small1 && small2 < small1 + 64,
		      "small allocation after a big one left the current block");
	/* a big first allocation in a fresh arena */
	sl_arena_t b;
	sl_arena_init(&b, 64);
	unsigned char *q = sl_arena_alloc(&b, 100000);
	memset(q, 1, 100000);
	char *r = sl_arena_alloc(&b, 10);
	memset(r, 2, 10);
	ck_assert_uint_eq(q[99999], 1);
	sl_arena_destroy(&b);
	sl_arena_destroy(&a);
}
END_TEST

START_TEST(test_arena_total)
{
	sl_arena_t a;
	sl_arena_init(&a, 256);
	ck_assert_uint_eq(a.total, 0);
	sl_arena_alloc(&a, 10);
	ck_assert_uint_ge(a.total, 10);
	size_t before = a.total;
	sl_arena_alloc(&a, 1000);
	ck_assert_uint_ge(a.total, before + 1000);
	sl_arena_reset(&a);
	ck_assert_uint_eq(a.total, 0);
	sl_arena_destroy(&a);
}
END_TEST

START_TEST(test_arena_reset_reuse)
{
	sl_arena_t a;
	sl_arena_init(&a, 256);
	char *first = sl_arena_alloc(&a, 16);
	memset(first, 'x', 16);
	/* spill into several more blocks, one oversized */
	for (int i = 0; i < 50; i++)
		sl_arena_alloc(&a, 100);
	sl_arena_alloc(&a, 5000);
	sl_arena_reset(&a);
	/* the first block is kept: the next allocation starts at its start */
	char *again = sl_arena_alloc(&a, 16);
	ck_assert_ptr_eq(again, first);
	/* calloc zero-fills memory that held data before the reset */
	sl_arena_reset(&a);
	unsigned char *z = sl_arena_calloc(&a, 16);
	for (int i = 0; i < 16; i++)
		ck_assert_uint_eq(z[i], 0);
	/* and the arena works as before after the reset */
	for (int i = 0; i < 50; i++) {
		char *p = sl_arena_alloc(&a, 100);
		memset(p, i, 100);
	}
	sl_arena_destroy(&a);
}
END_TEST

START_TEST(test_arena_reset_empty_and_reinit)
{
	sl_arena_t a;
	sl_arena_init(&a, 0);
	sl_arena_reset(&a); /* nothing allocated yet */
	char *p = sl_arena_strdup(&a, "abc");
	ck_assert_str_eq(p, "abc");
	sl_arena_destroy(&a);
	ck_assert_ptr_null(a.head);
	sl_arena_destroy(&a); /* destroying twice is harmless */
	sl_arena_init(&a, 0);
	p = sl_arena_strdup(&a, "def");
	ck_assert_str_eq(p, "def");
	sl_arena_destroy(&a);
}
END_TEST

START_TEST(test_arena_strndup)
{
	sl_arena_t a;
	sl_arena_init(&a, 0);
	const char src[] = { 'h', 'e', 'l', 'l', 'o', 'X', 'Y' }; /* no NUL */
	char *s = sl_arena_strndup(&a, src, 5);
	ck_assert_str_eq(s, "hello");
	ck_assert_ptr_ne(s, src);
	char *e = sl_arena_strndup(&a, src, 0);
	ck_assert_str_eq(e, "");
	/* embedded NUL is copied; the copy is still NUL-terminated at n */
	char *z = sl_arena_strndup(&a, "a\0b", 3);
	ck_assert_int_eq(z[0], 'a');
	ck_assert_int_eq(z[1], '\0');
	ck_assert_int_eq(z[2], 'b');
	ck_assert_int_eq(z[3], '\0');
	ck_assert_ptr_null(sl_arena_strdup(&a, NULL));
	char buf[] = "mutable";
	char *d = sl_arena_strdup(&a, buf);
	buf[0] = 'M';
	ck_assert_str_eq(d, "mutable");
	sl_arena_destroy(&a);
}
END_TEST

/* ---- strbuf ---- */

START_TEST(test_strbuf_init)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	ck_assert_ptr_nonnull(sb.data);
	ck_assert_str_eq(sb.data, "");
	ck_assert_uint_eq(sb.len, 0);
	ck_assert_uint_ge(sb.cap, 1);
	sl_strbuf_free(&sb);
	ck_assert_ptr_null(sb.data);
	ck_assert_uint_eq(sb.len, 0);
}
END_TEST

START_TEST(test_strbuf_growth)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	char expect[10001];
	for (int i = 0; i < 10000; i++) {
		char c = (char)('a' + i % 26);
		sl_strbuf_putc(&sb, c);
		expect[i] = c;
		ck_assert_uint_gt(sb.cap, sb.len);
	}
	expect[10000] = '\0';
	ck_assert_uint_eq(sb.len, 10000);
	ck_assert_str_eq(sb.data, expect);
	ck_assert_int_eq(sb.data[sb.len], '\0');
	/* one append much larger than the capacity */
	char big[70000];
	memset(big, 'z', sizeof(big));
	sl_strbuf_append(&sb, big, sizeof(big));
	ck_assert_uint_eq(sb.len, 80000);
	ck_assert_int_eq(sb.data[79999], 'z');
	ck_assert_int_eq(sb.data[9999], expect[9999]);
	ck_assert_int_eq(sb.data[80000], '\0');
	sl_strbuf_free(&sb);
}
END_TEST

START_TEST(test_strbuf_append_puts)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_strbuf_append(&sb, "abcdef", 3);
	sl_strbuf_puts(&sb, "XY");
	sl_strbuf_append(&sb, "", 0);
	sl_strbuf_puts(&sb, "");
	ck_assert_str_eq(sb.data, "abcXY");
	ck_assert_uint_eq(sb.len, 5);
	/* embedded NUL counts in len */
	sl_strbuf_append(&sb, "p\0q", 3);
	ck_assert_uint_eq(sb.len, 8);
	ck_assert_int_eq(memcmp(sb.data, "abcXYp\0q", 9), 0);
	sl_strbuf_reset(&sb);
	ck_assert_uint_eq(sb.len, 0);
	ck_assert_str_eq(sb.data, "");
	sl_strbuf_puts(&sb, "again");
	ck_assert_str_eq(sb.data, "again");
	sl_strbuf_free(&sb);
}
END_TEST

START_TEST(test_strbuf_printf)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_strbuf_puts(&sb, "x=");
	sl_strbuf_printf(&sb, "%d,%s,%c", 42, "str", '!');
	ck_assert_str_eq(sb.data, "x=42,str,!");
	ck_assert_uint_eq(sb.len, strlen("x=42,str,!"));
	sl_strbuf_printf(&sb, "%s", "");
	ck_assert_str_eq(sb.data, "x=42,str,!");
	/* output longer than the initial capacity */
	char *long_arg = malloc(5001);
	memset(long_arg, 'q', 5000);
	long_arg[5000] = '\0';
	sl_strbuf_reset(&sb);
	sl_strbuf_printf(&sb, "<%s>%05d", long_arg, 7);
	ck_assert_uint_eq(sb.len, 5000 + 2 + 5);
	ck_assert_int_eq(sb.data[0], '<');
	ck_assert_int_eq(sb.data[5001], '>');
	ck_assert_str_eq(sb.data + 5002, "00007");
	free(long_arg);
	sl_strbuf_free(&sb);
}
END_TEST

START_TEST(test_strbuf_steal)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_strbuf_puts(&sb, "owned by the caller");
	char *s = sl_strbuf_steal(&sb);
	ck_assert_str_eq(s, "owned by the caller");
	ck_assert_uint_eq(sb.len, 0);
	/* the buffer is usable again and does not share storage with s */
	sl_strbuf_puts(&sb, "new");
	ck_assert_str_eq(sb.data, "new");
	ck_assert_ptr_ne(sb.data, s);
	ck_assert_str_eq(s, "owned by the caller");
	free(s);
	sl_strbuf_free(&sb);
	/* stealing from an empty buffer gives an empty string */
	sl_strbuf_init(&sb);
	s = sl_strbuf_steal(&sb);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "");
	free(s);
	sl_strbuf_free(&sb);
}
END_TEST

/* ---- error ---- */

START_TEST(test_error_clear)
{
	sl_error_t err;
	memset(&err, 0x5a, sizeof(err));
	sl_error_clear(&err);
	ck_assert_int_eq(err.code, SL_OK);
	ck_assert_int_eq(err.offset, -1);
	ck_assert_int_eq(err.line, 0);
	ck_assert_int_eq(err.col, 0);
	ck_assert_str_eq(err.msg, "");
	sl_error_clear(NULL);
}
END_TEST

START_TEST(test_error_set)
{
	sl_error_t err;
	sl_error_clear(&err);
	int rc = sl_error_set(&err, SL_EINVAL, "column \"%s\" has %d types", "X", 2);
	ck_assert_int_eq(rc, SL_EINVAL);
	ck_assert_int_eq(err.code, SL_EINVAL);
	ck_assert_int_eq(err.offset, -1);
	ck_assert_int_eq(err.line, 0);
	ck_assert_str_eq(err.msg, "column \"X\" has 2 types");
	ck_assert_int_eq(sl_error_set(NULL, SL_ENOMEM, "x"), SL_ENOMEM);
	ck_assert_int_eq(sl_error_at(NULL, SL_ESYNTAX, 3, "x"), SL_ESYNTAX);
	/* a previous position is forgotten by a position-less error */
	sl_error_at(&err, SL_ESYNTAX, 5, "a");
	sl_error_locate(&err, "0123456789", 10);
	ck_assert_int_eq(err.col, 6);
	sl_error_set(&err, SL_ERR, "b");
	ck_assert_int_eq(err.offset, -1);
	ck_assert_int_eq(err.line, 0);
	ck_assert_int_eq(err.col, 0);
}
END_TEST

START_TEST(test_error_long_message)
{
	sl_error_t err;
	char *arg = malloc(2000);
	memset(arg, 'm', 1999);
	arg[1999] = '\0';
	sl_error_set(&err, SL_ERR, "%s", arg);
	ck_assert_uint_eq(strlen(err.msg), SL_ERROR_MSG_MAX - 1);
	free(arg);
}
END_TEST

START_TEST(test_error_at_locate)
{
	const char *sql = "SELECT nonesuch FROM pageviews;";
	sl_error_t err;
	int rc = sl_error_at(&err, SL_ESYNTAX, 7, "column \"%s\" does not exist", "NONESUCH");
	ck_assert_int_eq(rc, SL_ESYNTAX);
	ck_assert_int_eq(err.offset, 7);
	ck_assert_int_eq(err.line, 0); /* not yet located */
	ck_assert_int_eq(err.col, 0);
	sl_error_locate(&err, sql, strlen(sql));
	ck_assert_int_eq(err.offset, 7);
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.col, 8);
	char buf[128];
	sl_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "line 1:8: column \"NONESUCH\" does not exist");
}
END_TEST

START_TEST(test_error_locate_multiline)
{
	/*          0123 4567 89012345678901 */
	const char *sql = "SEL\nECT\n  x FROM\n\nt";
	size_t len = strlen(sql);
	sl_error_t err;
	static const struct {
		int offset, line, col;
	} cases[] = {
		{ 0, 1, 1 },  /* S */
		{ 2, 1, 3 },  /* L */
		{ 3, 1, 4 },  /* the first newline belongs to line 1 */
		{ 4, 2, 1 },  /* E */
		{ 7, 2, 4 },  /* newline */
		{ 10, 3, 3 }, /* x */
		{ 17, 4, 1 }, /* the empty line */
		{ 18, 5, 1 }, /* t */
		{ 19, 5, 2 }, /* end of text */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sl_error_at(&err, SL_ESYNTAX, cases[i].offset, "e");
		sl_error_locate(&err, sql, len);
		ck_assert_msg(err.line == cases[i].line && err.col == cases[i].col,
			      "offset %d: expected %d:%d, got %d:%d", cases[i].offset,
			      cases[i].line, cases[i].col, err.line, err.col);
	}
	/* CRLF: the \r is the last column of its line */
	const char *crlf = "ab\r\ncd";
	sl_error_at(&err, SL_ESYNTAX, 5, "e");
	sl_error_locate(&err, crlf, strlen(crlf));
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.col, 2);
	/* a tab is one column */
	const char *tab = "\t\tx";
	sl_error_at(&err, SL_ESYNTAX, 2, "e");
	sl_error_locate(&err, tab, strlen(tab));
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.col, 3);
}
END_TEST

START_TEST(test_error_locate_utf8)
{
	/* columns count characters, not bytes */
	const char *sql = "'\xc3\xa9' x"; /* 'é' x: é is 2 bytes */
	sl_error_t err;
	sl_error_at(&err, SL_ESYNTAX, 5, "e");
	sl_error_locate(&err, sql, strlen(sql));
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.col, 5);
	/* 3-byte (€) and 4-byte (U+1F600) characters, then a second line */
	const char *s2 = "\xe2\x82\xac\xf0\x9f\x98\x80y\n\xc3\xa9z";
	int line, col;
	sl_text_position(s2, strlen(s2), 7, &line, &col); /* y */
	ck_assert_int_eq(line, 1);
	ck_assert_int_eq(col, 3);
	sl_text_position(s2, strlen(s2), 11, &line, &col); /* z */
	ck_assert_int_eq(line, 2);
	ck_assert_int_eq(col, 2);
	/* the offset of a multi-byte character itself is its first column */
	sl_text_position(s2, strlen(s2), 3, &line, &col);
	ck_assert_int_eq(line, 1);
	ck_assert_int_eq(col, 2);
}
END_TEST

START_TEST(test_error_locate_bounds)
{
	const char *sql = "ab\ncd";
	sl_error_t err;
	/* no position: locate leaves line/col alone */
	sl_error_set(&err, SL_ERR, "no position");
	sl_error_locate(&err, sql, strlen(sql));
	ck_assert_int_eq(err.line, 0);
	ck_assert_int_eq(err.col, 0);
	/* an offset past the end is clamped to the end of the text */
	int line, col;
	sl_text_position(sql, strlen(sql), 100, &line, &col);
	ck_assert_int_eq(line, 2);
	ck_assert_int_eq(col, 3);
	/* only len bytes are looked at: the newline after len is not seen */
	const char *more = "abc\ndef";
	sl_text_position(more, 3, 6, &line, &col);
	ck_assert_int_eq(line, 1);
	ck_assert_int_eq(col, 4);
	sl_text_position("", 0, 0, &line, &col);
	ck_assert_int_eq(line, 1);
	ck_assert_int_eq(col, 1);
}
END_TEST

START_TEST(test_error_format)
{
	sl_error_t err;
	char buf[64];
	sl_error_set(&err, SL_EEXISTS, "stream \"S\" already exists");
	sl_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "stream \"S\" already exists");

	const char *sql = "a\nbb\nccc";
	sl_error_at(&err, SL_ESYNTAX, 7, "syntax error at \"%s\"", "c");
	sl_error_locate(&err, sql, strlen(sql));
	sl_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "line 3:3: syntax error at \"c\"");

	/* a small buffer truncates and stays NUL-terminated */
	char small[8];
	memset(small, '#', sizeof(small));
	sl_error_format(&err, small, sizeof(small));
	ck_assert_str_eq(small, "line 3:");
}
END_TEST

static Suite *
util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("arena");
	tcase_add_test(tc, test_arena_alignment);
	tcase_add_test(tc, test_arena_no_overlap);
	tcase_add_test(tc, test_arena_zero_size);
	tcase_add_test(tc, test_arena_large);
	tcase_add_test(tc, test_arena_total);
	tcase_add_test(tc, test_arena_reset_reuse);
	tcase_add_test(tc, test_arena_reset_empty_and_reinit);
	tcase_add_test(tc, test_arena_strndup);
	suite_add_tcase(s, tc);

	tc = tcase_create("strbuf");
	tcase_add_test(tc, test_strbuf_init);
	tcase_add_test(tc, test_strbuf_growth);
	tcase_add_test(tc, test_strbuf_append_puts);
	tcase_add_test(tc, test_strbuf_printf);
	tcase_add_test(tc, test_strbuf_steal);
	suite_add_tcase(s, tc);

	tc = tcase_create("error");
	tcase_add_test(tc, test_error_clear);
	tcase_add_test(tc, test_error_set);
	tcase_add_test(tc, test_error_long_message);
	tcase_add_test(tc, test_error_at_locate);
	tcase_add_test(tc, test_error_locate_multiline);
	tcase_add_test(tc, test_error_locate_utf8);
	tcase_add_test(tc, test_error_locate_bounds);
	tcase_add_test(tc, test_error_format);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(util_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
