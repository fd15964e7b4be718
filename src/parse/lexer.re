/*
 * lexer.re: the tokenizer of sluice's SQL dialect (re2c input).
 *
 * Stage: parse.  Takes SQL text (not necessarily NUL-terminated) and hands
 * on lemon TK_* codes with byte offsets and lengths; see lexer.h.  Keywords
 * are matched case-insensitively by the DFA itself, so the keyword list
 * lives here once and the token numbers come from the grammar (sql.h).
 * Whitespace and comments are skipped.  The scanner reads through a bounds
 * check (YYPEEK yields 0 past the end), so it never reads beyond len.
 */
#include "parse/lexer.h"

#include <string.h>
#include <strings.h>

void
sl_lexer_init(sl_lexer_t *lx, const char *text, size_t len)
{
	lx->text = text;
	lx->len = len;
	lx->pos = 0;
}

/* Index of the first byte after whitespace and comments from i. */
static size_t
skip_blank(const char *s, size_t len, size_t i)
{
	for (;;) {
		while (i < len && strchr(" \t\r\n\f\v", s[i]) != NULL && s[i] != '\0')
			i++;
		if (i + 1 < len && s[i] == '-' && s[i + 1] == '-') {
			while (i < len && s[i] != '\n')
				i++;
		} else if (i + 1 < len && s[i] == '/' && s[i + 1] == '*') {
			i += 2;
			while (i + 1 < len && !(s[i] == '*' && s[i + 1] == '/'))
				i++;
			i = i + 1 < len ? i + 2 : len;
		} else {
			return i;
		}
	}
}

/*
 * ARRAY, MAP and STRUCT start a constructor or a type only when the next
 * token is '[' / '(' / '<'; anywhere else they are ordinary names (a column
 * called "map"), which an LALR(1) parser could not tell otherwise.
 */
static int
constructor_keyword(const sl_lexer_t *lx, int type, const char *openers)
{
	size_t i = skip_blank(lx->text, lx->len, lx->pos);
	if (i < lx->len && strchr(openers, lx->text[i]) != NULL && lx->text[i] != '\0')
		return type;
	return TK_ID;
}

int
sl_lexer_next(sl_lexer_t *lx, sl_token_t *tok)
{
	const unsigned char *start = (const unsigned char *)lx->text;
	const unsigned char *lim = start + lx->len;
	const unsigned char *cur, *mar, *tokstart;
	int type;

	(void)mar;
again:
	cur = start + lx->pos;
	tokstart = cur;
	tok->offset = (int)lx->pos;
	tok->quoted = false;
	tok->error = NULL;

/*!re2c
	re2c:api = custom;
	re2c:api:style = free-form;
	re2c:define:YYCTYPE = "unsigned char";
	re2c:define:YYPEEK = "(cur < lim ? *cur : 0)";
	re2c:define:YYSKIP = "++cur;";
	re2c:define:YYBACKUP = "mar = cur;";
	re2c:define:YYRESTORE = "cur = mar;";
	re2c:yyfill:enable = 0;
	re2c:indent:top = 1;

	digit  = [0-9];
	letter = [a-zA-Z];
	ident  = (letter | "_") (letter | digit | "_" | "@")*;
	exp    = [eE] [+-]? digit+;

	"\x00" {
		if (cur > lim) {
			lx->pos = lx->len;
			tok->len = 0;
			tok->type = TK_EOF;
			return TK_EOF;
		}
		tok->error = "unexpected character";
		type = TK_ILLEGAL;
		goto done;
	}

	[ \t\r\n\f\v]+ { lx->pos = (size_t)(cur - start); goto again; }
	"--" [^\n\x00]* { lx->pos = (size_t)(cur - start); goto again; }
	"/*" ([^*\x00] | "*"+ [^*/\x00])* "*"+ "/" { lx->pos = (size_t)(cur - start); goto again; }
	"/*" {
		tok->error = "unterminated comment";
		cur = lim;
		type = TK_ILLEGAL;
		goto done;
	}

	"'" ([^'\x00] | "''")* "'" { type = TK_STRING; goto done; }
	"'" {
		tok->error = "unterminated string literal";
		cur = lim;
		type = TK_ILLEGAL;
		goto done;
	}
	"`" ([^`\x00] | "``")* "`" { tok->quoted = true; type = TK_ID; goto done; }
	"\"" ([^"\x00] | "\"\"")* "\"" { tok->quoted = true; type = TK_ID; goto done; }
	"`" | "\"" {
		tok->error = "unterminated quoted identifier";
		cur = lim;
		type = TK_ILLEGAL;
		goto done;
	}
	"${" ident "}" { type = TK_VARIABLE; goto done; }

	digit+ { type = TK_INTLIT; goto done; }
	digit+ "." digit* | "." digit+ { type = TK_DECLIT; goto done; }
	(digit+ ("." digit*)? | "." digit+) exp { type = TK_FLOATLIT; goto done; }
	digit (letter | digit | "_" | "@")+ { type = TK_ID; goto done; }

	";"  { type = TK_SEMI; goto done; }
	","  { type = TK_COMMA; goto done; }
	"."  { type = TK_DOT; goto done; }
	"("  { type = TK_LP; goto done; }
	")"  { type = TK_RP; goto done; }
	"["  { type = TK_LBRACKET; goto done; }
	"]"  { type = TK_RBRACKET; goto done; }
	"="  { type = TK_EQ; goto done; }
	"<>" | "!=" { type = TK_NE; goto done; }
	"<"  { type = TK_LT; goto done; }
	"<=" { type = TK_LE; goto done; }
	">"  { type = TK_GT; goto done; }
	">=" { type = TK_GE; goto done; }
	"+"  { type = TK_PLUS; goto done; }
	"-"  { type = TK_MINUS; goto done; }
	"*"  { type = TK_STAR; goto done; }
	"/"  { type = TK_SLASH; goto done; }
	"%"  { type = TK_REM; goto done; }
	"||" { type = TK_CONCAT; goto done; }
	":=" { type = TK_ASSIGN; goto done; }
	"->" { type = TK_ARROW; goto done; }
	"=>" { type = TK_LAMBDA; goto done; }

	'ADD' { type = TK_ADD; goto done; }
	'ADVANCE' { type = TK_ADVANCE; goto done; }
	'ALL' { type = TK_ALL; goto done; }
	'ALTER' { type = TK_ALTER; goto done; }
	'AND' { type = TK_AND; goto done; }
	'ARRAY' { lx->pos = (size_t)(cur - start); type = constructor_keyword(lx, TK_ARRAY, "[<"); goto done; }
	'AS' { type = TK_AS; goto done; }
	'ASSERT' { type = TK_ASSERT; goto done; }
	'AT' { type = TK_AT; goto done; }
	'BEGINNING' { type = TK_BEGINNING; goto done; }
	'BETWEEN' { type = TK_BETWEEN; goto done; }
	'ASC' { type = TK_ASC; goto done; }
	'BY' { type = TK_BY; goto done; }
	'CASE' { type = TK_CASE; goto done; }
	'CAST' { type = TK_CAST; goto done; }
	'CHANGES' { type = TK_CHANGES; goto done; }
	'COLUMN' { type = TK_COLUMN; goto done; }
	'CREATE' { type = TK_CREATE; goto done; }
	'DAY' { type = TK_DAY; goto done; }
	'DAYS' { type = TK_DAYS; goto done; }
	'DECIMAL' { type = TK_DECIMAL; goto done; }
	'DESC' { type = TK_DESC; goto done; }
	'DEFINE' { type = TK_DEFINE; goto done; }
	'DELETE' { type = TK_DELETE; goto done; }
	'DESCRIBE' { type = TK_DESCRIBE; goto done; }
	'DISTINCT' { type = TK_DISTINCT; goto done; }
	'DROP' { type = TK_DROP; goto done; }
	'ELSE' { type = TK_ELSE; goto done; }
	'EMIT' { type = TK_EMIT; goto done; }
	'END' { type = TK_END; goto done; }
	'ESCAPE' { type = TK_ESCAPE; goto done; }
	'EXISTS' { type = TK_EXISTS; goto done; }
	'EXPLAIN' { type = TK_EXPLAIN; goto done; }
	'EXTENDED' { type = TK_EXTENDED; goto done; }
	'FALSE' { type = TK_FALSE; goto done; }
	'FINAL' { type = TK_FINAL; goto done; }
	'FROM' { type = TK_FROM; goto done; }
	'FULL' { type = TK_FULL; goto done; }
	'FUNCTION' { type = TK_FUNCTION; goto done; }
	'FUNCTIONS' { type = TK_FUNCTIONS; goto done; }
	'GRACE' { type = TK_GRACE; goto done; }
	'GROUP' { type = TK_GROUP; goto done; }
	'HAVING' { type = TK_HAVING; goto done; }
	'HEADER' { type = TK_HEADER; goto done; }
	'HEADERS' { type = TK_HEADERS; goto done; }
	'HOPPING' { type = TK_HOPPING; goto done; }
	'HOUR' { type = TK_HOUR; goto done; }
	'HOURS' { type = TK_HOURS; goto done; }
	'ID' { type = TK_KW_ID; goto done; }
	'IF' { type = TK_IF; goto done; }
	'IN' { type = TK_IN; goto done; }
	'INNER' { type = TK_INNER; goto done; }
	'INSERT' { type = TK_INSERT; goto done; }
	'INTERVAL' { type = TK_INTERVAL; goto done; }
	'INTO' { type = TK_INTO; goto done; }
	'IS' { type = TK_IS; goto done; }
	'JOIN' { type = TK_JOIN; goto done; }
	'KEY' { type = TK_KEY; goto done; }
	'LEFT' { type = TK_LEFT; goto done; }
	'LIKE' { type = TK_LIKE; goto done; }
	'LIMIT' { type = TK_LIMIT; goto done; }
	'LIST' { type = TK_LIST; goto done; }
	'MAP' { lx->pos = (size_t)(cur - start); type = constructor_keyword(lx, TK_MAP, "(<"); goto done; }
	'MILLISECOND' { type = TK_MILLISECOND; goto done; }
	'MILLISECONDS' { type = TK_MILLISECONDS; goto done; }
	'MINUTE' { type = TK_MINUTE; goto done; }
	'MINUTES' { type = TK_MINUTES; goto done; }
	'NOT' { type = TK_NOT; goto done; }
	'NULL' { type = TK_NULL; goto done; }
	'ON' { type = TK_ON; goto done; }
	'OFFSET' { type = TK_OFFSET; goto done; }
	'OR' { type = TK_OR; goto done; }
	'ORDER' { type = TK_ORDER; goto done; }
	'OUTER' { type = TK_OUTER; goto done; }
	'PARTITION' { type = TK_PARTITION; goto done; }
	'PAUSE' { type = TK_PAUSE; goto done; }
	'PERIOD' { type = TK_PERIOD; goto done; }
	'PRIMARY' { type = TK_PRIMARY; goto done; }
	'PRINT' { type = TK_PRINT; goto done; }
	'PROPERTIES' { type = TK_PROPERTIES; goto done; }
	'QUERIES' { type = TK_QUERIES; goto done; }
	'REPLACE' { type = TK_REPLACE; goto done; }
	'RESUME' { type = TK_RESUME; goto done; }
	'RETENTION' { type = TK_RETENTION; goto done; }
	'RIGHT' { type = TK_RIGHT; goto done; }
	'RUN' { type = TK_RUN; goto done; }
	'SAMPLE' { type = TK_SAMPLE; goto done; }
	'SCHEMA' { type = TK_SCHEMA; goto done; }
	'SCRIPT' { type = TK_SCRIPT; goto done; }
	'SECOND' { type = TK_SECOND; goto done; }
	'SECONDS' { type = TK_SECONDS; goto done; }
	'SELECT' { type = TK_SELECT; goto done; }
	'SESSION' { type = TK_SESSION; goto done; }
	'SET' { type = TK_SET; goto done; }
	'SHOW' { type = TK_SHOW; goto done; }
	'SIZE' { type = TK_SIZE; goto done; }
	'SOURCE' { type = TK_SOURCE; goto done; }
	'STREAM' { type = TK_STREAM; goto done; }
	'STREAMS' { type = TK_STREAMS; goto done; }
	'STRUCT' { lx->pos = (size_t)(cur - start); type = constructor_keyword(lx, TK_STRUCT, "(<"); goto done; }
	'SUBJECT' { type = TK_SUBJECT; goto done; }
	'SYSTEM' { type = TK_SYSTEM; goto done; }
	'TABLE' { type = TK_TABLE; goto done; }
	'TABLES' { type = TK_TABLES; goto done; }
	'TERMINATE' { type = TK_TERMINATE; goto done; }
	'THEN' { type = TK_THEN; goto done; }
	'TIME' { type = TK_TIME; goto done; }
	'TIMEOUT' { type = TK_TIMEOUT; goto done; }
	'TOPIC' { type = TK_TOPIC; goto done; }
	'TOPICS' { type = TK_TOPICS; goto done; }
	'TRUE' { type = TK_TRUE; goto done; }
	'TUMBLING' { type = TK_TUMBLING; goto done; }
	'TYPE' { type = TK_TYPE; goto done; }
	'TYPES' { type = TK_TYPES; goto done; }
	'UNDEFINE' { type = TK_UNDEFINE; goto done; }
	'UNSET' { type = TK_UNSET; goto done; }
	'VALUES' { type = TK_VALUES; goto done; }
	'VARIABLES' { type = TK_VARIABLES; goto done; }
	'WHEN' { type = TK_WHEN; goto done; }
	'WHERE' { type = TK_WHERE; goto done; }
	'WINDOW' { type = TK_WINDOW; goto done; }
	'WITH' { type = TK_WITH; goto done; }
	'WITHIN' { type = TK_WITHIN; goto done; }
	'ZONE' { type = TK_ZONE; goto done; }

	ident { type = TK_ID; goto done; }

	* {
		tok->error = "unexpected character";
		type = TK_ILLEGAL;
		goto done;
	}
*/

done:
	if (cur > lim)
		cur = lim;
	tok->len = (int)(cur - tokstart);
	tok->type = type;
	lx->pos = (size_t)(cur - start);
	return type;
}

bool
sl_is_keyword(const char *s, size_t n)
{
	sl_lexer_t lx;
	sl_token_t tok;

	sl_lexer_init(&lx, s, n);
	int type = sl_lexer_next(&lx, &tok);
	if (tok.offset != 0 || (size_t)tok.len != n)
		return false;
	/* ARRAY, MAP and STRUCT lex as names unless a bracket follows, yet a
	 * name spelled so would read back as a keyword before one */
	if (type == TK_ID && !tok.quoted &&
	    ((n == 5 && strncasecmp(s, "ARRAY", 5) == 0) ||
	     (n == 3 && strncasecmp(s, "MAP", 3) == 0) ||
	     (n == 6 && strncasecmp(s, "STRUCT", 6) == 0)))
		return true;
	switch (type) {
	case TK_EOF:
	case TK_ILLEGAL:
	case TK_ID:
	case TK_STRING:
	case TK_INTLIT:
	case TK_DECLIT:
	case TK_FLOATLIT:
	case TK_VARIABLE:
		return false;
	default:
		/* punctuation never spells a name, so any other type is a keyword */
		return true;
	}
}

bool
sl_is_reserved(const char *s, size_t n)
{
	sl_lexer_t lx;
	sl_token_t tok;

	if (!sl_is_keyword(s, n))
		return false;
	sl_lexer_init(&lx, s, n);
	int type = sl_lexer_next(&lx, &tok);
	return type == TK_ID || !sl_token_nonreserved(type);
}
