/*
 * fuzz_parser.c: libFuzzer target for the SQL front end (lexer, splitter,
 * parser, printer, comparator).
 *
 * Layer: parse.  Takes arbitrary bytes (not NUL-terminated: libFuzzer's
 * buffer is exactly size bytes, so ASan catches any read past the end) and
 * runs them through sl_lexer_next, sl_split, sl_parse and sl_parse_expr.
 * Besides crashes, leaks and undefined behaviour it checks these oracles,
 * and abort()s with a message on stderr when one fails:
 *   - every token lies inside the text and the lexer always advances;
 *   - sl_split's spans lie inside the text, in order, without overlap; when
 *     sl_split reports an error, sl_parse does too; when both succeed they
 *     find the same statements;
 *   - an error carries a non-empty message and a position inside the text;
 *   - round trip: every statement parsed (also those before a failing one)
 *     prints as canonical SQL that parses again to an equal tree
 *     (sl_ast_equal), and printing that tree gives the same text again;
 *   - the same for the whole input parsed as one expression.
 * Build and run: `make fuzz` (docs/fuzzing.md).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/ast.h"
#include "parse/lexer.h"
#include "parse/parser.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

static void
fail(const char *what, const char *text, size_t len, const char *detail)
{
	fprintf(stderr, "fuzz_parser: %s\n  input: \"%.*s\"\n  %s\n", what,
		(int)(len > 2000 ? 2000 : len), text, detail ? detail : "");
	abort();
}

static void
check_error(const sl_error_t *err, size_t len, const char *text)
{
	char buf[SL_ERROR_MSG_MAX + 64];
	snprintf(buf, sizeof(buf), "offset %d line %d col %d: %s", err->offset, err->line, err->col,
		 err->msg);
	if (err->code != SL_ESYNTAX || err->msg[0] == '\0')
		fail("error without a code or a message", text, len, buf);
	if (err->offset < 0 || (size_t)err->offset > len || err->line < 1 || err->col < 1)
		fail("error position outside the text", text, len, buf);
}

static void
check_lexer(const char *text, size_t len)
{
	sl_lexer_t lx;
	sl_token_t tok;
	size_t last = 0;

	sl_lexer_init(&lx, text, len);
	for (;;) {
		int type = sl_lexer_next(&lx, &tok);
		if (tok.offset < 0 || tok.len < 0 || (size_t)tok.offset + (size_t)tok.len > len ||
		    lx.pos > len)
			fail("token outside the text", text, len, NULL);
		if (type == TK_EOF)
			break;
		if (lx.pos <= last && !(last == 0 && lx.pos > 0))
			fail("lexer made no progress", text, len, NULL);
		if (type == TK_ILLEGAL && (tok.error == NULL || tok.error[0] == '\0'))
			fail("illegal token without an error", text, len, NULL);
		last = lx.pos;
	}
}

/* Prints n, reparses the text (from an exact-size copy) as a statement or,
 * when expr is set, an expression, and checks the round trip. */
static void
round_trip(const sl_node_t *n, bool expr, const char *input, size_t input_len)
{
	sl_arena_t a;
	sl_strbuf_t p1, p2, d1, d2;
	sl_node_t *n2 = NULL;
	sl_error_t err;

	sl_arena_init(&a, 0);
	sl_strbuf_init(&p1);
	sl_strbuf_init(&p2);
	sl_strbuf_init(&d1);
	sl_strbuf_init(&d2);
	sl_ast_print(&p1, n);
	char *copy = malloc(p1.len ? p1.len : 1);
	memcpy(copy, p1.data, p1.len);
	int rc = expr ? sl_parse_expr(copy, p1.len, &a, &n2, &err) :
			sl_parse_one(copy, p1.len, &a, &n2, &err);
	free(copy);
	if (rc != SL_OK) {
		sl_strbuf_printf(&d1, "printed: %s\n  error: %d:%d: %s", p1.data, err.line, err.col,
				 err.msg);
		fail("printed text does not parse", input, input_len, d1.data);
	}
	if (!sl_ast_equal(n, n2)) {
		sl_ast_dump(&d1, n);
		sl_ast_dump(&d2, n2);
		sl_strbuf_printf(&d1, "\n  printed: %s\n  reparsed: %s", p1.data, d2.data);
		fail("printed text parses to a different tree", input, input_len, d1.data);
	}
	sl_ast_print(&p2, n2);
	if (strcmp(p1.data, p2.data) != 0) {
		sl_strbuf_printf(&d1, "first:  %s\n  second: %s", p1.data, p2.data);
		fail("canonical text is not a fixed point", input, input_len, d1.data);
	}
	sl_strbuf_free(&p1);
	sl_strbuf_free(&p2);
	sl_strbuf_free(&d1);
	sl_strbuf_free(&d2);
	sl_arena_destroy(&a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	sl_arena_t a;
	sl_span_t *spans = NULL;
	sl_stmt_list_t stmts;
	sl_node_t *expr = NULL;
	sl_error_t err;
	int nspans = 0;

	if (size > 64 * 1024)
		return 0; /* long inputs only slow the search down */
	check_lexer(text, size);

	sl_arena_init(&a, 0);
	sl_error_clear(&err);
	int split_rc = sl_split(text, size, &a, &spans, &nspans, &err);
	if (split_rc == SL_OK) {
		int end = 0;
		for (int i = 0; i < nspans; i++) {
			if (spans[i].offset < end || spans[i].len <= 0 ||
			    (size_t)spans[i].offset + (size_t)spans[i].len > size)
				fail("bad span", text, size, NULL);
			end = spans[i].offset + spans[i].len;
		}
	} else {
		check_error(&err, size, text);
	}

	sl_error_clear(&err);
	int parse_rc = sl_parse(text, size, &a, &stmts, &err);
	if (parse_rc != SL_OK)
		check_error(&err, size, text);
	if (split_rc != SL_OK && parse_rc == SL_OK)
		fail("sl_split failed but sl_parse succeeded", text, size, err.msg);
	if (split_rc == SL_OK && parse_rc == SL_OK) {
		if (stmts.n != nspans)
			fail("sl_parse and sl_split disagree on the statements", text, size, NULL);
		for (int i = 0; i < nspans; i++)
			if (stmts.items[i].offset != spans[i].offset ||
			    stmts.items[i].len != spans[i].len)
				fail("statement extent differs from its span", text, size, NULL);
	}
	for (int i = 0; i < stmts.n; i++) {
		if (stmts.items[i].node == NULL)
			fail("statement without a tree", text, size, NULL);
		round_trip(stmts.items[i].node, false, text, size);
	}

	sl_error_clear(&err);
	if (sl_parse_expr(text, size, &a, &expr, &err) == SL_OK)
		round_trip(expr, true, text, size);
	else
		check_error(&err, size, text);

	sl_arena_destroy(&a);
	return 0;
}
