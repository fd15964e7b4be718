/*
 * parser.h: SQL text in, statements (ASTs) out.
 *
 * Stage: parse.  The entry point of the front end: it splits a script into
 * statements, parses each with the lemon grammar, and hands on one AST per
 * statement, allocated from the caller's arena.  Errors carry the byte
 * offset and the line:column of the offending token.
 */
#ifndef SL_PARSE_PARSER_H
#define SL_PARSE_PARSER_H

#include <stddef.h>

#include "parse/ast.h"
#include "util/arena.h"
#include "util/error.h"

/* One statement of a script: its tree and where its text is. */
typedef struct sl_stmt {
	sl_node_t *node;
	int offset;  /* byte offset of the statement's first token */
	int len;     /* bytes up to and including the terminating ';' if any */
} sl_stmt_t;

typedef struct sl_stmt_list {
	sl_stmt_t *items;  /* allocated in the arena */
	int n;
} sl_stmt_list_t;

/* A statement's extent in a script, as found by the splitter. */
typedef struct sl_span {
	int offset;
	int len;     /* including the ';' when there is one */
} sl_span_t;

/*
 * Parses every statement in text[0..len).  On success returns SL_OK and
 * fills out (nodes and the items array allocated from a).  On failure
 * returns SL_ESYNTAX and describes the first error in err, with its offset,
 * line and column in text; out then holds the statements parsed before the
 * failing one.  The last statement may omit its ';'.  Thread-safe.
 */
int sl_parse(const char *text, size_t len, sl_arena_t *a, sl_stmt_list_t *out,
	     sl_error_t *err);

/* Parses exactly one statement (a trailing ';' is optional). */
int sl_parse_one(const char *text, size_t len, sl_arena_t *a, sl_node_t **out,
		 sl_error_t *err);

/* Parses a single expression (no ';'), for tests and the analyzer. */
int sl_parse_expr(const char *text, size_t len, sl_arena_t *a, sl_node_t **out,
		  sl_error_t *err);

/*
 * Splits text into statements at each ';' that is not inside a string, a
 * quoted identifier or a comment.  Spans of only whitespace and comments are
 * dropped.  The spans array is allocated from a; *n receives the count.
 * Returns SL_OK, or SL_ESYNTAX for an unterminated string, quoted
 * identifier or comment (err says where).
 */
int sl_split(const char *text, size_t len, sl_arena_t *a, sl_span_t **spans,
	     int *n, sl_error_t *err);

#endif
