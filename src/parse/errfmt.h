/*
 * errfmt.h: psql-style rendering of a positioned error with a caret.
 *
 * Stage: parse (presentation).  Takes the SQL text an error refers to and
 * the error object; hands on the lines the shell and the regression runner
 * print:
 *
 *   ERROR: line 1:8: column "NONESUCH" does not exist
 *   LINE 1: SELECT nonesuch FROM pageviews;
 *                  ^
 */
#ifndef SL_PARSE_ERRFMT_H
#define SL_PARSE_ERRFMT_H

#include <stddef.h>

#include "util/error.h"
#include "util/strbuf.h"

/*
 * Appends to out "ERROR: line L:C: msg\n", then "LINE L: <source line>\n"
 * and a line with a caret under column C.  The position is taken from
 * err->offset within text[0..len) when the offset is known, otherwise from
 * err->line/err->col (1-based, relative to text).  Tabs before the error
 * column are kept in the caret line's padding so the caret aligns on a
 * terminal; columns count UTF-8 characters.  An error at the end of text
 * (offset len) puts the caret one past the last character.  An error
 * without a position gives only "ERROR: msg\n", and one whose line lies
 * beyond text (or a NULL text) gives no LINE and caret lines.
 */
void sl_errfmt_caret(sl_strbuf_t *out, const char *text, size_t len, const sl_error_t *err);

#endif
