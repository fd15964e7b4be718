/*
 * check_lexer.c: unit tests of the re2c tokenizer (src/parse/lexer.re).
 *
 * Layer: parse.  Feeds SQL text to sl_lexer_next() and checks every token
 * kind: keywords in any case, identifiers (plain, digit-led, back-quoted,
 * double-quoted), string and numeric literals, every operator and its
 * neighbours, comments, variables, whitespace, illegal input, and the
 * offset and length of each token.  Every input is lexed from a heap copy
 * of exactly its length (no terminating NUL), so a read past the end is
 * caught by ASan or valgrind.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/lexer.h"

#define MAX_TOKENS 256

typedef struct exp_tok {
	int type;
	int offset;
	int len;
} exp_tok_t;

/* Lexes text[0..len) from an exact-size heap copy into toks (the final
 * TK_EOF included); returns the number of tokens. */
static int
lex_n(const char *text, size_t len, sl_token_t *toks, int max)
{
	char *copy = malloc(len ? len : 1);
	memcpy(copy, text, len);
	sl_lexer_t lx;
	sl_lexer_init(&lx, copy, len);
	int n = 0;
	size_t last_pos = 0;
	for (;;) {
		ck_assert_int_lt(n, max);
		int type = sl_lexer_next(&lx, &toks[n]);
		ck_assert_int_eq(type, toks[n].type);
		ck_assert_uint_le(lx.pos, len);
		ck_assert_int_ge(toks[n].offset, 0);
		ck_assert_int_ge(toks[n].len, 0);
		ck_assert_uint_le((size_t)toks[n].offset + (size_t)toks[n].len, len);
		n++;
		if (type == TK_EOF)
			break;
		/* every token but EOF consumes input */
		ck_assert_msg(lx.pos > last_pos, "lexer made no progress at %zu", lx.pos);
		last_pos = lx.pos;
	}
	free(copy);
	return n;
}

static int
lex(const char *text, sl_token_t *toks)
{
	return lex_n(text, strlen(text), toks, MAX_TOKENS);
}

static const char *
tname(int type)
{
	if (type == TK_ILLEGAL)
		return "ILLEGAL";
	const char *s = sl_token_name(type);
	return s ? s : "(null)";
}

/* Checks that text lexes to exactly the expected tokens, then TK_EOF at the
 * end of the text. */
static void
check_tokens_n(const char *text, size_t len, const exp_tok_t *e, int ne, int line)
{
	sl_token_t toks[MAX_TOKENS];
	int n = lex_n(text, len, toks, MAX_TOKENS);
	for (int i = 0; i < ne; i++) {
		ck_assert_msg(i < n - 1,
			      "line %d: \"%.*s\": expected %d tokens, "
			      "got %d",
			      line, (int)len, text, ne, n - 1);
		ck_assert_msg(toks[i].type == e[i].type && toks[i].offset == e[i].offset &&
				      toks[i].len == e[i].len,
			      "line %d: \"%.*s\" token %d: expected %s@%d+%d, got "
			      "%s@%d+%d",
			      line, (int)len, text, i, tname(e[i].type), e[i].offset, e[i].len,
			      tname(toks[i].type), toks[i].offset, toks[i].len);
	}
	ck_assert_msg(n - 1 == ne,
		      "line %d: \"%.*s\": expected %d tokens, got "
		      "%d (extra %s@%d)",
		      line, (int)len, text, ne, n - 1, tname(toks[ne].type), toks[ne].offset);
	ck_assert_int_eq(toks[n - 1].type, TK_EOF);
	ck_assert_int_eq(toks[n - 1].offset, (int)len);
	ck_assert_int_eq(toks[n - 1].len, 0);
}

#define EXPECT(text, ...)                                                                 \
	do {                                                                              \
		static const exp_tok_t e_[] = { __VA_ARGS__ };                            \
		check_tokens_n(text, strlen(text), e_, (int)(sizeof(e_) / sizeof(e_[0])), \
			       __LINE__);                                                 \
	} while (0)

/* text lexes to nothing but TK_EOF at its end */
#define EXPECT_NONE(text) check_tokens_n(text, strlen(text), NULL, 0, __LINE__)

/* clang-format off */
#define T(type, off, len) { (type), (off), (len) }
/* clang-format on */

/* The single token of text (which must lex to exactly one token). */
static sl_token_t
one_token(const char *text)
{
	sl_token_t toks[MAX_TOKENS];
	int n = lex(text, toks);
	ck_assert_msg(n == 2, "\"%s\": expected one token, got %d", text, n - 1);
	return toks[0];
}

/* ---- keywords ---- */

static const struct kw {
	const char *text;
	int type;
} keywords[] = {
/* clang-format off */
#define KW(k) { #k, TK_##k }
/* clang-format on */
	KW(ADD),          KW(ADVANCE),
	KW(ALL),          KW(ALTER),
	KW(AND),          KW(AS),
	KW(ASSERT),       KW(AT),
	KW(BEGINNING),    KW(BETWEEN),
	KW(BY),           KW(CASE),
	KW(CAST),         KW(CHANGES),
	KW(COLUMN),       KW(CREATE),
	KW(DAY),          KW(DAYS),
	KW(DECIMAL),      KW(DEFINE),
	KW(DELETE),       KW(DESCRIBE),
	KW(DISTINCT),     KW(DROP),
	KW(ELSE),         KW(EMIT),
	KW(END),          KW(ESCAPE),
	KW(EXISTS),       KW(EXPLAIN),
	KW(EXTENDED),     KW(FALSE),
	KW(FINAL),        KW(FROM),
	KW(FULL),         KW(FUNCTION),
	KW(FUNCTIONS),    KW(GRACE),
	KW(GROUP),        KW(HAVING),
	KW(HEADER),       KW(HEADERS),
	KW(HOPPING),      KW(HOUR),
	KW(HOURS),        { "ID", TK_KW_ID },
	KW(IF),           KW(IN),
	KW(INNER),        KW(INSERT),
	KW(INTERVAL),     KW(INTO),
	KW(IS),           KW(JOIN),
	KW(KEY),          KW(LEFT),
	KW(LIKE),         KW(LIMIT),
	KW(LIST),         KW(MILLISECOND),
	KW(MILLISECONDS), KW(MINUTE),
	KW(MINUTES),      KW(NOT),
	KW(NULL),         KW(ON),
	KW(OR),           KW(OUTER),
	KW(PARTITION),    KW(PAUSE),
	KW(PERIOD),       KW(PRIMARY),
	KW(PRINT),        KW(PROPERTIES),
	KW(QUERIES),      KW(REPLACE),
	KW(RESUME),       KW(RETENTION),
	KW(RIGHT),        KW(RUN),
	KW(SAMPLE),       KW(SCHEMA),
	KW(SCRIPT),       KW(SECOND),
	KW(SECONDS),      KW(SELECT),
	KW(SESSION),      KW(SET),
	KW(SHOW),         KW(SIZE),
	KW(SOURCE),       KW(STREAM),
	KW(STREAMS),      KW(SUBJECT),
	KW(SYSTEM),       KW(TABLE),
	KW(TABLES),       KW(TERMINATE),
	KW(THEN),         KW(TIME),
	KW(TIMEOUT),      KW(TOPIC),
	KW(TOPICS),       KW(TRUE),
	KW(TUMBLING),     KW(TYPE),
	KW(TYPES),        KW(UNDEFINE),
	KW(UNSET),        KW(VALUES),
	KW(VARIABLES),    KW(WHEN),
	KW(WHERE),        KW(WINDOW),
	KW(WITH),         KW(WITHIN),
	KW(ZONE),
#undef KW
};
#define NKEYWORDS ((int)(sizeof(keywords) / sizeof(keywords[0])))

static void
recase(char *dst, const char *src, int mode)
{
	size_t i;
	for (i = 0; src[i]; i++) {
		char c = src[i];
		if (mode == 1 && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (mode == 2 && (i % 2) == 1 && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		dst[i] = c;
	}
	dst[i] = '\0';
}

START_TEST(test_keywords_any_case)
{
	const struct kw *k = &keywords[_i];
	for (int mode = 0; mode < 3; mode++) {
		char buf[64];
		recase(buf, k->text, mode);
		sl_token_t t = one_token(buf);
		ck_assert_msg(t.type == k->type, "\"%s\": expected %s, got %s", buf, k->text,
			      tname(t.type));
		ck_assert_int_eq(t.offset, 0);
		ck_assert_int_eq(t.len, (int)strlen(buf));
		ck_assert(!t.quoted);
		ck_assert_ptr_null(t.error);
	}
	/* a keyword with a letter more or less is an identifier */
	char longer[64];
	snprintf(longer, sizeof(longer), "%sX", k->text);
	sl_token_t t = one_token(longer);
	ck_assert_msg(t.type == TK_ID, "\"%s\" is not an identifier", longer);
	snprintf(longer, sizeof(longer), "_%s", k->text);
	t = one_token(longer);
	ck_assert_msg(t.type == TK_ID, "\"%s\" is not an identifier", longer);
	snprintf(longer, sizeof(longer), "%s1", k->text);
	t = one_token(longer);
	ck_assert_msg(t.type == TK_ID, "\"%s\" is not an identifier", longer);
	/* the keyword's display name is its spelling */
	ck_assert_str_eq(sl_token_name(k->type), k->text);
	ck_assert(sl_is_keyword(k->text, strlen(k->text)));
}
END_TEST

START_TEST(test_keyword_select_cases)
{
	EXPECT("select SELECT SeLeCt sElEcT", T(TK_SELECT, 0, 6), T(TK_SELECT, 7, 6),
	       T(TK_SELECT, 14, 6), T(TK_SELECT, 21, 6));
	EXPECT("selec selects", T(TK_ID, 0, 5), T(TK_ID, 6, 7));
}
END_TEST

START_TEST(test_constructor_keywords)
{
	/* ARRAY, MAP and STRUCT are keywords only before their brackets */
	EXPECT("map", T(TK_ID, 0, 3));
	EXPECT("MAP(", T(TK_MAP, 0, 3), T(TK_LP, 3, 1));
	EXPECT("map <", T(TK_MAP, 0, 3), T(TK_LT, 4, 1));
	EXPECT("Map /* c */ (", T(TK_MAP, 0, 3), T(TK_LP, 12, 1));
	EXPECT("map -- c\n(", T(TK_MAP, 0, 3), T(TK_LP, 9, 1));
	EXPECT("map[", T(TK_ID, 0, 3), T(TK_LBRACKET, 3, 1));
	EXPECT("array[", T(TK_ARRAY, 0, 5), T(TK_LBRACKET, 5, 1));
	EXPECT("ARRAY\t<", T(TK_ARRAY, 0, 5), T(TK_LT, 6, 1));
	EXPECT("array(", T(TK_ID, 0, 5), T(TK_LP, 5, 1));
	EXPECT("array", T(TK_ID, 0, 5));
	EXPECT("struct(", T(TK_STRUCT, 0, 6), T(TK_LP, 6, 1));
	EXPECT("STRUCT<", T(TK_STRUCT, 0, 6), T(TK_LT, 6, 1));
	EXPECT("struct, x", T(TK_ID, 0, 6), T(TK_COMMA, 6, 1), T(TK_ID, 8, 1));
	EXPECT("mapped(", T(TK_ID, 0, 6), T(TK_LP, 6, 1));
	/* the look-ahead stops at the end of the text, not at a NUL */
	check_tokens_n("map(", 3, (const exp_tok_t[]){ T(TK_ID, 0, 3) }, 1, __LINE__);
	check_tokens_n("array /* (", 6, (const exp_tok_t[]){ T(TK_ID, 0, 5) }, 1, __LINE__);
	ck_assert(sl_is_keyword("map", 3));
	ck_assert(sl_is_keyword("ARRAY", 5));
	ck_assert(sl_is_keyword("Struct", 6));
}
END_TEST

/* ---- identifiers ---- */

START_TEST(test_identifiers)
{
	EXPECT("abc", T(TK_ID, 0, 3));
	EXPECT("_", T(TK_ID, 0, 1));
	EXPECT("_x1", T(TK_ID, 0, 3));
	EXPECT("a_b@c1", T(TK_ID, 0, 6));
	EXPECT("x@ y@@", T(TK_ID, 0, 2), T(TK_ID, 3, 3));
	EXPECT("Col_9 col_10", T(TK_ID, 0, 5), T(TK_ID, 6, 6));
	EXPECT("t.col", T(TK_ID, 0, 1), T(TK_DOT, 1, 1), T(TK_ID, 2, 3));
	/* identifiers that are not keywords of this dialect */
	EXPECT("INT VARCHAR STRING BIGINT", T(TK_ID, 0, 3), T(TK_ID, 4, 7), T(TK_ID, 12, 6),
	       T(TK_ID, 19, 6));
	/* '@' cannot start an identifier */
	EXPECT("@x", T(TK_ILLEGAL, 0, 1), T(TK_ID, 1, 1));
	sl_token_t t = one_token("a_b@c1");
	ck_assert(!t.quoted);
	ck_assert_ptr_null(t.error);
}
END_TEST

START_TEST(test_digit_identifiers)
{
	EXPECT("1abc", T(TK_ID, 0, 4));
	EXPECT("3_x", T(TK_ID, 0, 3));
	EXPECT("12@", T(TK_ID, 0, 3));
	EXPECT("9lives 9", T(TK_ID, 0, 6), T(TK_INTLIT, 7, 1));
	/* an exponent followed by a letter makes a digit identifier */
	EXPECT("1e5x", T(TK_ID, 0, 4));
	EXPECT("1e", T(TK_ID, 0, 2));
	EXPECT("1e+", T(TK_ID, 0, 2), T(TK_PLUS, 2, 1));
}
END_TEST

START_TEST(test_quoted_identifiers)
{
	sl_token_t t = one_token("`My Col`");
	ck_assert_int_eq(t.type, TK_ID);
	ck_assert(t.quoted);
	ck_assert_int_eq(t.offset, 0);
	ck_assert_int_eq(t.len, 8);
	ck_assert_ptr_null(t.error);

	t = one_token("\"My Col\"");
	ck_assert_int_eq(t.type, TK_ID);
	ck_assert(t.quoted);
	ck_assert_int_eq(t.len, 8);

	/* doubled quote characters are escapes, not the end */
	EXPECT("`a``b`", T(TK_ID, 0, 6));
	EXPECT("\"a\"\"b\"", T(TK_ID, 0, 6));
	EXPECT("````", T(TK_ID, 0, 4));
	/* the other quote character is ordinary inside */
	EXPECT("`a\"b` \"c`d\"", T(TK_ID, 0, 5), T(TK_ID, 6, 5));
	/* keywords, spaces, semicolons, comments are plain text inside */
	EXPECT("`select`", T(TK_ID, 0, 8));
	EXPECT("`a;--b/*`", T(TK_ID, 0, 9));
	EXPECT("`line1\nline2`", T(TK_ID, 0, 13));
	EXPECT("x`y`z", T(TK_ID, 0, 1), T(TK_ID, 1, 3), T(TK_ID, 4, 1));
	EXPECT("`\xc3\xa9t\xc3\xa9`", T(TK_ID, 0, 7));
	t = one_token("`select`");
	ck_assert(t.quoted);
	ck_assert(!sl_is_keyword("`select`", 8));
}
END_TEST

START_TEST(test_unterminated_quoted_identifier)
{
	sl_token_t toks[MAX_TOKENS];
	static const char *cases[] = { "`abc", "\"abc", "`", "\"", "`a\nb;" };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = lex(cases[i], toks);
		ck_assert_msg(toks[0].type == TK_ILLEGAL, "\"%s\" was accepted", cases[i]);
		ck_assert_int_eq(toks[0].offset, 0);
		ck_assert_int_eq(toks[0].len, (int)strlen(cases[i]));
		ck_assert_ptr_nonnull(toks[0].error);
		ck_assert_str_eq(toks[0].error, "unterminated quoted identifier");
		ck_assert_int_eq(n, 2);
	}
	/* a doubled quote at the end closes the name and opens another */
	EXPECT("`a``", T(TK_ID, 0, 3), T(TK_ILLEGAL, 3, 1));
	EXPECT("\"a\"\"", T(TK_ID, 0, 3), T(TK_ILLEGAL, 3, 1));
	EXPECT("`a``b", T(TK_ID, 0, 3), T(TK_ILLEGAL, 3, 2));
	int n = lex("SELECT `a, b FROM t;", toks);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(toks[0].type, TK_SELECT);
	ck_assert_int_eq(toks[1].type, TK_ILLEGAL);
	ck_assert_int_eq(toks[1].offset, 7);
	ck_assert_str_eq(toks[1].error, "unterminated quoted identifier");
}
END_TEST

/* ---- strings ---- */

START_TEST(test_strings)
{
	EXPECT("'abc'", T(TK_STRING, 0, 5));
	EXPECT("''", T(TK_STRING, 0, 2));
	EXPECT("'it''s'", T(TK_STRING, 0, 7));
	EXPECT("''''", T(TK_STRING, 0, 4));
	EXPECT("'a' 'b'", T(TK_STRING, 0, 3), T(TK_STRING, 4, 3));
	EXPECT("'a''b''c'", T(TK_STRING, 0, 9));
	EXPECT("'a'x", T(TK_STRING, 0, 3), T(TK_ID, 3, 1));
	EXPECT("'multi\nline'", T(TK_STRING, 0, 12));
	EXPECT("'-- not a comment; /* nor */'", T(TK_STRING, 0, 29));
	EXPECT("'\"`'", T(TK_STRING, 0, 4));
	EXPECT("'\xe2\x82\xac'", T(TK_STRING, 0, 5));
	EXPECT("x='y'", T(TK_ID, 0, 1), T(TK_EQ, 1, 1), T(TK_STRING, 2, 3));
	sl_token_t t = one_token("'it''s'");
	ck_assert(!t.quoted);
	ck_assert_ptr_null(t.error);
}
END_TEST

START_TEST(test_unterminated_string)
{
	sl_token_t toks[MAX_TOKENS];
	static const char *cases[] = { "'abc", "'", "'abc\n;\nSELECT 1;" };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = lex(cases[i], toks);
		ck_assert_msg(toks[0].type == TK_ILLEGAL, "\"%s\" was accepted", cases[i]);
		ck_assert_int_eq(toks[0].offset, 0);
		ck_assert_int_eq(toks[0].len, (int)strlen(cases[i]));
		ck_assert_ptr_nonnull(toks[0].error);
		ck_assert_str_eq(toks[0].error, "unterminated string literal");
		ck_assert_int_eq(n, 2);
	}
	/* a doubled quote at the end closes the string and opens another */
	EXPECT("'a''", T(TK_STRING, 0, 3), T(TK_ILLEGAL, 3, 1));
	EXPECT("'it''s", T(TK_STRING, 0, 4), T(TK_ILLEGAL, 4, 2));
	int n = lex("SELECT 'ok', 'bad FROM t", toks);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(toks[1].type, TK_STRING);
	ck_assert_int_eq(toks[3].type, TK_ILLEGAL);
	ck_assert_int_eq(toks[3].offset, 13);
	ck_assert_str_eq(toks[3].error, "unterminated string literal");
}
END_TEST

/* ---- numbers ---- */

START_TEST(test_numbers)
{
	EXPECT("1", T(TK_INTLIT, 0, 1));
	EXPECT("0 007 123456789012345678901234567890", T(TK_INTLIT, 0, 1), T(TK_INTLIT, 2, 3),
	       T(TK_INTLIT, 6, 30));
	EXPECT("1.5", T(TK_DECLIT, 0, 3));
	EXPECT(".5", T(TK_DECLIT, 0, 2));
	EXPECT("1.", T(TK_DECLIT, 0, 2));
	EXPECT("10.250", T(TK_DECLIT, 0, 6));
	EXPECT("1e10", T(TK_FLOATLIT, 0, 4));
	EXPECT("1E10", T(TK_FLOATLIT, 0, 4));
	EXPECT("1.5E-3", T(TK_FLOATLIT, 0, 6));
	EXPECT("1.5e+3", T(TK_FLOATLIT, 0, 6));
	EXPECT(".5e2", T(TK_FLOATLIT, 0, 4));
	EXPECT("1.e2", T(TK_FLOATLIT, 0, 4));
	/* a sign is never part of a literal */
	EXPECT("-1", T(TK_MINUS, 0, 1), T(TK_INTLIT, 1, 1));
	EXPECT("+1.5", T(TK_PLUS, 0, 1), T(TK_DECLIT, 1, 3));
	EXPECT("1-2", T(TK_INTLIT, 0, 1), T(TK_MINUS, 1, 1), T(TK_INTLIT, 2, 1));
	EXPECT("1e5-2", T(TK_FLOATLIT, 0, 3), T(TK_MINUS, 3, 1), T(TK_INTLIT, 4, 1));
	/* longest match splits runs of points */
	EXPECT("1.5.2", T(TK_DECLIT, 0, 3), T(TK_DECLIT, 3, 2));
	EXPECT("1..2", T(TK_DECLIT, 0, 2), T(TK_DECLIT, 2, 2));
	EXPECT("1.5a", T(TK_DECLIT, 0, 3), T(TK_ID, 3, 1));
	EXPECT(".", T(TK_DOT, 0, 1));
	EXPECT(".e5", T(TK_DOT, 0, 1), T(TK_ID, 1, 2));
	EXPECT("(1,2.0)", T(TK_LP, 0, 1), T(TK_INTLIT, 1, 1), T(TK_COMMA, 2, 1), T(TK_DECLIT, 3, 3),
	       T(TK_RP, 6, 1));
}
END_TEST

/* ---- operators ---- */

START_TEST(test_operators_single)
{
	EXPECT("; , . ( ) [ ] = < > + - * / %", T(TK_SEMI, 0, 1), T(TK_COMMA, 2, 1),
	       T(TK_DOT, 4, 1), T(TK_LP, 6, 1), T(TK_RP, 8, 1), T(TK_LBRACKET, 10, 1),
	       T(TK_RBRACKET, 12, 1), T(TK_EQ, 14, 1), T(TK_LT, 16, 1), T(TK_GT, 18, 1),
	       T(TK_PLUS, 20, 1), T(TK_MINUS, 22, 1), T(TK_STAR, 24, 1), T(TK_SLASH, 26, 1),
	       T(TK_REM, 28, 1));
	EXPECT(";,.()[]=<>+", T(TK_SEMI, 0, 1), T(TK_COMMA, 1, 1), T(TK_DOT, 2, 1), T(TK_LP, 3, 1),
	       T(TK_RP, 4, 1), T(TK_LBRACKET, 5, 1), T(TK_RBRACKET, 6, 1), T(TK_EQ, 7, 1),
	       T(TK_NE, 8, 2), T(TK_PLUS, 10, 1));
}
END_TEST

START_TEST(test_operators_multi)
{
	EXPECT("<= <> != >= || := -> =>", T(TK_LE, 0, 2), T(TK_NE, 3, 2), T(TK_NE, 6, 2),
	       T(TK_GE, 9, 2), T(TK_CONCAT, 12, 2), T(TK_ASSIGN, 15, 2), T(TK_ARROW, 18, 2),
	       T(TK_LAMBDA, 21, 2));
	/* neighbours: longest match first, then the rest */
	EXPECT("<=>", T(TK_LE, 0, 2), T(TK_GT, 2, 1));
	EXPECT("<>=", T(TK_NE, 0, 2), T(TK_EQ, 2, 1));
	EXPECT("!==", T(TK_NE, 0, 2), T(TK_EQ, 2, 1));
	EXPECT("=>=", T(TK_LAMBDA, 0, 2), T(TK_EQ, 2, 1));
	EXPECT("==", T(TK_EQ, 0, 1), T(TK_EQ, 1, 1));
	EXPECT("=<", T(TK_EQ, 0, 1), T(TK_LT, 1, 1));
	EXPECT("><", T(TK_GT, 0, 1), T(TK_LT, 1, 1));
	EXPECT(">>=", T(TK_GT, 0, 1), T(TK_GE, 1, 2));
	EXPECT("->>", T(TK_ARROW, 0, 2), T(TK_GT, 2, 1));
	EXPECT("- >", T(TK_MINUS, 0, 1), T(TK_GT, 2, 1));
	EXPECT("-\n>", T(TK_MINUS, 0, 1), T(TK_GT, 2, 1));
	EXPECT("< =", T(TK_LT, 0, 1), T(TK_EQ, 2, 1));
	EXPECT("||||", T(TK_CONCAT, 0, 2), T(TK_CONCAT, 2, 2));
	EXPECT(":==", T(TK_ASSIGN, 0, 2), T(TK_EQ, 2, 1));
	EXPECT("a->b", T(TK_ID, 0, 1), T(TK_ARROW, 1, 2), T(TK_ID, 3, 1));
	EXPECT("a-b", T(TK_ID, 0, 1), T(TK_MINUS, 1, 1), T(TK_ID, 2, 1));
	EXPECT("a- -b", T(TK_ID, 0, 1), T(TK_MINUS, 1, 1), T(TK_MINUS, 3, 1), T(TK_ID, 4, 1));
	EXPECT("x=>x+1", T(TK_ID, 0, 1), T(TK_LAMBDA, 1, 2), T(TK_ID, 3, 1), T(TK_PLUS, 4, 1),
	       T(TK_INTLIT, 5, 1));
	EXPECT("a||b", T(TK_ID, 0, 1), T(TK_CONCAT, 1, 2), T(TK_ID, 3, 1));
	EXPECT("a*/b", T(TK_ID, 0, 1), T(TK_STAR, 1, 1), T(TK_SLASH, 2, 1), T(TK_ID, 3, 1));
	EXPECT("a/b", T(TK_ID, 0, 1), T(TK_SLASH, 1, 1), T(TK_ID, 2, 1));
	EXPECT("a%b", T(TK_ID, 0, 1), T(TK_REM, 1, 1), T(TK_ID, 2, 1));
}
END_TEST

START_TEST(test_operator_incomplete)
{
	/* characters that only exist as part of a longer operator */
	EXPECT("!", T(TK_ILLEGAL, 0, 1));
	EXPECT(":", T(TK_ILLEGAL, 0, 1));
	EXPECT("|", T(TK_ILLEGAL, 0, 1));
	EXPECT("! =", T(TK_ILLEGAL, 0, 1), T(TK_EQ, 2, 1));
	EXPECT("|||", T(TK_CONCAT, 0, 2), T(TK_ILLEGAL, 2, 1));
	EXPECT("a:b", T(TK_ID, 0, 1), T(TK_ILLEGAL, 1, 1), T(TK_ID, 2, 1));
	sl_token_t t = one_token("!");
	ck_assert_str_eq(t.error, "unexpected character");
}
END_TEST

/* ---- comments and whitespace ---- */

START_TEST(test_comments)
{
	EXPECT("a -- comment\nb", T(TK_ID, 0, 1), T(TK_ID, 13, 1));
	EXPECT("a -- comment at the end", T(TK_ID, 0, 1));
	EXPECT_NONE("--");
	EXPECT_NONE("-- only\n");
	EXPECT("a--b\nc", T(TK_ID, 0, 1), T(TK_ID, 5, 1));
	EXPECT("-->x\ny", T(TK_ID, 5, 1));
	EXPECT("-- c1\n-- c2\r\nx", T(TK_ID, 13, 1));
	EXPECT("-- 'not a string\nx", T(TK_ID, 17, 1));
	EXPECT("a/* c */b", T(TK_ID, 0, 1), T(TK_ID, 8, 1));
	EXPECT("/* multi\nline\ncomment */ x", T(TK_ID, 25, 1));
	EXPECT("/**/x", T(TK_ID, 4, 1));
	EXPECT("/***/x", T(TK_ID, 5, 1));
	EXPECT("/* a * / b ** c */x", T(TK_ID, 18, 1));
	EXPECT("/* -- */x", T(TK_ID, 8, 1));
	EXPECT("/* ' */x", T(TK_ID, 7, 1));
	/* comments do not nest: the first close ends it */
	EXPECT("/* a /* b */ x */", T(TK_ID, 13, 1), T(TK_STAR, 15, 1), T(TK_SLASH, 16, 1));
	EXPECT("1/*c*/2", T(TK_INTLIT, 0, 1), T(TK_INTLIT, 6, 1));
	EXPECT("- -1", T(TK_MINUS, 0, 1), T(TK_MINUS, 2, 1), T(TK_INTLIT, 3, 1));
}
END_TEST

START_TEST(test_unterminated_comment)
{
	static const char *cases[] = { "/*", "/* abc", "/*/", "/* a *", "/* a */ /*" };
	static const int offsets[] = { 0, 0, 0, 0, 8 };
	sl_token_t toks[MAX_TOKENS];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = lex(cases[i], toks);
		ck_assert_int_eq(n, 2);
		ck_assert_msg(toks[0].type == TK_ILLEGAL, "\"%s\" was accepted", cases[i]);
		ck_assert_int_eq(toks[0].offset, offsets[i]);
		ck_assert_int_eq(toks[0].len, (int)strlen(cases[i]) - offsets[i]);
		ck_assert_str_eq(toks[0].error, "unterminated comment");
	}
	int n = lex("SELECT x /* FROM t;", toks);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(toks[2].type, TK_ILLEGAL);
	ck_assert_int_eq(toks[2].offset, 9);
}
END_TEST

START_TEST(test_whitespace)
{
	EXPECT_NONE("");
	EXPECT_NONE(" \t\r\n\f\v");
	EXPECT(" \t\r\n\f\vx", T(TK_ID, 6, 1));
	EXPECT("\n\n  a\t\tb\r\nc ", T(TK_ID, 4, 1), T(TK_ID, 7, 1), T(TK_ID, 10, 1));
}
END_TEST

/* ---- variables ---- */

START_TEST(test_variables)
{
	EXPECT("${var}", T(TK_VARIABLE, 0, 6));
	EXPECT("${my_var1}", T(TK_VARIABLE, 0, 10));
	EXPECT("'${x}'", T(TK_STRING, 0, 6));
	EXPECT("a${b}c", T(TK_ID, 0, 1), T(TK_VARIABLE, 1, 4), T(TK_ID, 5, 1));
	sl_token_t toks[MAX_TOKENS];
	/* malformed references are not variables */
	static const char *bad[] = { "${}", "${1x}", "$ {x}", "${x", "$x", "${x y}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int n = lex(bad[i], toks);
		ck_assert_int_gt(n, 1);
		ck_assert_msg(toks[0].type == TK_ILLEGAL && toks[0].offset == 0 && toks[0].len == 1,
			      "\"%s\": expected an illegal '$', got %s@%d+%d", bad[i],
			      tname(toks[0].type), toks[0].offset, toks[0].len);
		for (int j = 0; j < n; j++)
			ck_assert_int_ne(toks[j].type, TK_VARIABLE);
	}
}
END_TEST

/* ---- illegal input ---- */

START_TEST(test_illegal_characters)
{
	static const char bad[] = "#?&^~$\\{}\"'`!:|";
	for (int i = 0; bad[i] != '\0'; i++) {
		if (strchr("\"'`", bad[i]) != NULL)
			continue; /* quote characters: see the unterminated tests */
		char text[4] = { 'a', bad[i], 'b', '\0' };
		sl_token_t toks[MAX_TOKENS];
		int n = lex(text, toks);
		ck_assert_int_eq(n, 4);
		ck_assert_int_eq(toks[0].type, TK_ID);
		ck_assert_msg(toks[1].type == TK_ILLEGAL, "'%c' was accepted", bad[i]);
		ck_assert_int_eq(toks[1].offset, 1);
		ck_assert_int_eq(toks[1].len, 1);
		ck_assert_str_eq(toks[1].error, "unexpected character");
		ck_assert_int_eq(toks[2].type, TK_ID);
		ck_assert_int_eq(toks[2].offset, 2);
	}
}
END_TEST

START_TEST(test_non_ascii)
{
	/* é outside quotes: each byte is an illegal token */
	EXPECT("\xc3\xa9", T(TK_ILLEGAL, 0, 1), T(TK_ILLEGAL, 1, 1));
	EXPECT("x\xffy", T(TK_ID, 0, 1), T(TK_ILLEGAL, 1, 1), T(TK_ID, 2, 1));
	EXPECT("\x80", T(TK_ILLEGAL, 0, 1));
	/* inside strings, quoted identifiers and comments they are text */
	EXPECT("'\xff\xfe'", T(TK_STRING, 0, 4));
	EXPECT("`\xff`", T(TK_ID, 0, 3));
	EXPECT("-- \xff\nx", T(TK_ID, 5, 1));
	EXPECT("/* \xc3\xa9 */x", T(TK_ID, 8, 1));
}
END_TEST

START_TEST(test_nul_byte)
{
	/* a NUL inside the text is a character like any other, not the end */
	static const char text[] = { 'a', '\0', 'b' };
	static const exp_tok_t e[] = { T(TK_ID, 0, 1), T(TK_ILLEGAL, 1, 1), T(TK_ID, 2, 1) };
	check_tokens_n(text, sizeof(text), e, 3, __LINE__);
	sl_token_t toks[MAX_TOKENS];
	lex_n(text, sizeof(text), toks, MAX_TOKENS);
	ck_assert_str_eq(toks[1].error, "unexpected character");
	/* a NUL in a string cannot be stored; the string is refused */
	static const char str[] = { '\'', 'a', '\0', 'b', '\'' };
	lex_n(str, sizeof(str), toks, MAX_TOKENS);
	ck_assert_int_eq(toks[0].type, TK_ILLEGAL);
	ck_assert_int_eq(toks[0].offset, 0);
	/* a NUL in a comment does not end the text early */
	static const char com[] = { '-', '-', 'x', '\0', 'y' };
	int n = lex_n(com, sizeof(com), toks, MAX_TOKENS);
	ck_assert_int_eq(toks[n - 1].type, TK_EOF);
	ck_assert_int_eq(toks[n - 1].offset, (int)sizeof(com));
}
END_TEST

/* ---- slices of a larger buffer ---- */

START_TEST(test_buffer_slice)
{
	/* only len bytes are tokens; what follows in memory is not looked at */
	check_tokens_n("SELECTED", 6, (const exp_tok_t[]){ T(TK_SELECT, 0, 6) }, 1, __LINE__);
	check_tokens_n("SELECT abc FROM", 10,
		       (const exp_tok_t[]){ T(TK_SELECT, 0, 6), T(TK_ID, 7, 3) }, 2, __LINE__);
	check_tokens_n("<=", 1, (const exp_tok_t[]){ T(TK_LT, 0, 1) }, 1, __LINE__);
	check_tokens_n("->", 1, (const exp_tok_t[]){ T(TK_MINUS, 0, 1) }, 1, __LINE__);
	check_tokens_n("--", 1, (const exp_tok_t[]){ T(TK_MINUS, 0, 1) }, 1, __LINE__);
	check_tokens_n("1.5", 2, (const exp_tok_t[]){ T(TK_DECLIT, 0, 2) }, 1, __LINE__);
	check_tokens_n("1e5", 2, (const exp_tok_t[]){ T(TK_ID, 0, 2) }, 1, __LINE__);
	check_tokens_n("x -- c\ny", 6, (const exp_tok_t[]){ T(TK_ID, 0, 1) }, 1, __LINE__);
	check_tokens_n("`ab`", 3, (const exp_tok_t[]){ T(TK_ILLEGAL, 0, 3) }, 1, __LINE__);
	check_tokens_n("'ab'", 3, (const exp_tok_t[]){ T(TK_ILLEGAL, 0, 3) }, 1, __LINE__);
	check_tokens_n("'it''s'", 4, (const exp_tok_t[]){ T(TK_STRING, 0, 4) }, 1, __LINE__);
	check_tokens_n("/**/", 3, (const exp_tok_t[]){ T(TK_ILLEGAL, 0, 3) }, 1, __LINE__);
	check_tokens_n(
		"${x}", 3,
		(const exp_tok_t[]){ T(TK_ILLEGAL, 0, 1), T(TK_ILLEGAL, 1, 1), T(TK_ID, 2, 1) }, 3,
		__LINE__);
	check_tokens_n("abc", 0, NULL, 0, __LINE__);
}
END_TEST

/* ---- a whole statement ---- */

START_TEST(test_statement_offsets)
{
	EXPECT("SELECT a, `b c` FROM t WHERE x >= 1.5;", T(TK_SELECT, 0, 6), T(TK_ID, 7, 1),
	       T(TK_COMMA, 8, 1), T(TK_ID, 10, 5), T(TK_FROM, 16, 4), T(TK_ID, 21, 1),
	       T(TK_WHERE, 23, 5), T(TK_ID, 29, 1), T(TK_GE, 31, 2), T(TK_DECLIT, 34, 3),
	       T(TK_SEMI, 37, 1));
	EXPECT("CREATE STREAM s (id INT KEY)\n  WITH (kafka_topic='t');", T(TK_CREATE, 0, 6),
	       T(TK_STREAM, 7, 6), T(TK_ID, 14, 1), T(TK_LP, 16, 1), T(TK_KW_ID, 17, 2),
	       T(TK_ID, 20, 3), T(TK_KEY, 24, 3), T(TK_RP, 27, 1), T(TK_WITH, 31, 4),
	       T(TK_LP, 36, 1), T(TK_ID, 37, 11), T(TK_EQ, 48, 1), T(TK_STRING, 49, 3),
	       T(TK_RP, 52, 1), T(TK_SEMI, 53, 1));
	EXPECT("SELECT s->f, a[1], m['k'], transform(xs, x => x * 2) FROM t;", T(TK_SELECT, 0, 6),
	       T(TK_ID, 7, 1), T(TK_ARROW, 8, 2), T(TK_ID, 10, 1), T(TK_COMMA, 11, 1),
	       T(TK_ID, 13, 1), T(TK_LBRACKET, 14, 1), T(TK_INTLIT, 15, 1), T(TK_RBRACKET, 16, 1),
	       T(TK_COMMA, 17, 1), T(TK_ID, 19, 1), T(TK_LBRACKET, 20, 1), T(TK_STRING, 21, 3),
	       T(TK_RBRACKET, 24, 1), T(TK_COMMA, 25, 1), T(TK_ID, 27, 9), T(TK_LP, 36, 1),
	       T(TK_ID, 37, 2), T(TK_COMMA, 39, 1), T(TK_ID, 41, 1), T(TK_LAMBDA, 43, 2),
	       T(TK_ID, 46, 1), T(TK_STAR, 48, 1), T(TK_INTLIT, 50, 1), T(TK_RP, 51, 1),
	       T(TK_FROM, 53, 4), T(TK_ID, 58, 1), T(TK_SEMI, 59, 1));
}
END_TEST

START_TEST(test_eof_repeats)
{
	sl_lexer_t lx;
	sl_token_t t;
	sl_lexer_init(&lx, "x", 1);
	ck_assert_int_eq(sl_lexer_next(&lx, &t), TK_ID);
	ck_assert_int_eq(sl_lexer_next(&lx, &t), TK_EOF);
	ck_assert_int_eq(t.offset, 1);
	/* asking again at the end keeps answering EOF */
	ck_assert_int_eq(sl_lexer_next(&lx, &t), TK_EOF);
	ck_assert_int_eq(t.offset, 1);
	ck_assert_int_eq(t.len, 0);
	ck_assert_uint_eq(lx.pos, 1);
}
END_TEST

/* ---- names and keywords ---- */

START_TEST(test_token_names)
{
	ck_assert_str_eq(sl_token_name(TK_SELECT), "SELECT");
	/* operators are shown in double quotes, as names in messages are */
	ck_assert_str_eq(sl_token_name(TK_LE), "\"<=\"");
	ck_assert_str_eq(sl_token_name(TK_GE), "\">=\"");
	ck_assert_str_eq(sl_token_name(TK_ARROW), "\"->\"");
	ck_assert_str_eq(sl_token_name(TK_LAMBDA), "\"=>\"");
	ck_assert_str_eq(sl_token_name(TK_ASSIGN), "\":=\"");
	ck_assert_str_eq(sl_token_name(TK_CONCAT), "\"||\"");
	ck_assert_str_eq(sl_token_name(TK_SEMI), "\";\"");
	ck_assert_str_eq(sl_token_name(TK_COMMA), "\",\"");
	ck_assert_str_eq(sl_token_name(TK_LP), "\"(\"");
	ck_assert_str_eq(sl_token_name(TK_RP), "\")\"");
	ck_assert_str_eq(sl_token_name(TK_LBRACKET), "\"[\"");
	ck_assert_str_eq(sl_token_name(TK_STAR), "\"*\"");
	ck_assert_str_eq(sl_token_name(TK_REM), "\"%\"");
	ck_assert_str_eq(sl_token_name(TK_NE), "\"<>\"");
	ck_assert_str_eq(sl_token_name(TK_EOF), "end of input");
	ck_assert_str_eq(sl_token_name(TK_KW_ID), "ID");
	ck_assert_str_eq(sl_token_name(TK_ID), "identifier");
	ck_assert_str_eq(sl_token_name(TK_STRING), "string");
	static const int described[] = { TK_EOF,      TK_ILLEGAL, TK_INTLIT, TK_DECLIT, TK_FLOATLIT,
					 TK_VARIABLE, TK_NE,      TK_DOT,    TK_EQ };
	for (size_t i = 0; i < sizeof(described) / sizeof(described[0]); i++) {
		const char *s = sl_token_name(described[i]);
		ck_assert_ptr_nonnull(s);
		ck_assert_msg(s[0] != '\0', "token %d has an empty name", described[i]);
	}
	/* distinct kinds have distinct names */
	ck_assert_str_ne(sl_token_name(TK_INTLIT), sl_token_name(TK_ID));
	ck_assert_str_ne(sl_token_name(TK_EOF), sl_token_name(TK_ID));
}
END_TEST

START_TEST(test_is_keyword)
{
	ck_assert(sl_is_keyword("select", 6));
	ck_assert(sl_is_keyword("SeLeCt", 6));
	ck_assert(sl_is_keyword("KEY", 3));
	ck_assert(sl_is_keyword("id", 2));
	ck_assert(sl_is_keyword("SIZE", 4));
	ck_assert(sl_is_keyword("emit", 4));
	/* a prefix of a longer buffer */
	ck_assert(sl_is_keyword("fromage", 4));
	ck_assert(!sl_is_keyword("fromage", 7));
	ck_assert(!sl_is_keyword("selects", 7));
	ck_assert(!sl_is_keyword("", 0));
	ck_assert(!sl_is_keyword("x", 1));
	ck_assert(!sl_is_keyword("INT", 3));
	ck_assert(!sl_is_keyword("STRING", 6));
	ck_assert(!sl_is_keyword("select x", 8));
	ck_assert(!sl_is_keyword(" select", 7));
	ck_assert(!sl_is_keyword("'select'", 8));
	ck_assert(!sl_is_keyword("\"select\"", 8));
	ck_assert(!sl_is_keyword("1", 1));
	ck_assert(!sl_is_keyword("${x}", 4));
	ck_assert(!sl_is_keyword("_select", 7));
}
END_TEST

static Suite *
lexer_suite(void)
{
	Suite *s = suite_create("lexer");
	TCase *tc = tcase_create("keywords");
	tcase_add_loop_test(tc, test_keywords_any_case, 0, NKEYWORDS);
	tcase_add_test(tc, test_keyword_select_cases);
	tcase_add_test(tc, test_constructor_keywords);
	tcase_add_test(tc, test_token_names);
	tcase_add_test(tc, test_is_keyword);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_identifiers);
	tcase_add_test(tc, test_digit_identifiers);
	tcase_add_test(tc, test_quoted_identifiers);
	tcase_add_test(tc, test_unterminated_quoted_identifier);
	tcase_add_test(tc, test_variables);
	suite_add_tcase(s, tc);

	tc = tcase_create("literals");
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_unterminated_string);
	tcase_add_test(tc, test_numbers);
	suite_add_tcase(s, tc);

	tc = tcase_create("operators");
	tcase_add_test(tc, test_operators_single);
	tcase_add_test(tc, test_operators_multi);
	tcase_add_test(tc, test_operator_incomplete);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_test(tc, test_comments);
	tcase_add_test(tc, test_unterminated_comment);
	tcase_add_test(tc, test_whitespace);
	tcase_add_test(tc, test_illegal_characters);
	tcase_add_test(tc, test_non_ascii);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_buffer_slice);
	tcase_add_test(tc, test_statement_offsets);
	tcase_add_test(tc, test_eof_repeats);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(lexer_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
