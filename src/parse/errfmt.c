/*
 * errfmt.c: psql-style error lines with a caret (see errfmt.h).
 *
 * Stage: parse (presentation).  Used by the shell and by sluice-test; it
 * only formats, it never changes the error.
 */
#include "parse/errfmt.h"

#include <stdbool.h>
#include <string.h>

/* Finds line number `line` (1-based) of text: its start and length without
 * the line terminator.  Returns false when text has fewer lines. */
static bool
errfmt_find_line(const char *text, size_t len, int line, size_t *start, size_t *n)
{
	size_t pos = 0;
	for (int l = 1; l < line; l++) {
		const char *nl = pos < len ? memchr(text + pos, '\n', len - pos) : NULL;
		if (nl == NULL)
			return false;
		pos = (size_t)(nl - text) + 1;
	}
	if (pos > len)
		return false;
	const char *nl = memchr(text + pos, '\n', len - pos);
	size_t end = nl != NULL ? (size_t)(nl - text) : len;
	if (end > pos && text[end - 1] == '\r')
		end--;
	*start = pos;
	*n = end - pos;
	return true;
}

void
sl_errfmt_caret(sl_strbuf_t *out, const char *text, size_t len, const sl_error_t *err)
{
	int line = err->line;
	int col = err->col;
	size_t start, n;

	if (text == NULL)
		len = 0;
	if (err->offset >= 0 && text != NULL)
		sl_text_position(text, len, err->offset, &line, &col);
	if (line <= 0 || col <= 0) {
		sl_strbuf_printf(out, "ERROR: %s\n", err->msg);
		return;
	}
	sl_strbuf_printf(out, "ERROR: line %d:%d: %s\n", line, col, err->msg);
	if (text == NULL || !errfmt_find_line(text, len, line, &start, &n))
		return;

	size_t prefix = out->len;
	sl_strbuf_printf(out, "LINE %d: ", line);
	prefix = out->len - prefix;
	sl_strbuf_append(out, text + start, n);
	sl_strbuf_putc(out, '\n');

	for (size_t i = 0; i < prefix; i++)
		sl_strbuf_putc(out, ' ');
	/* one pad character per UTF-8 character before the column; a tab
	 * stays a tab so that it expands to the same width as above */
	int c = 1;
	for (size_t i = 0; i < n && c < col; i++) {
		unsigned char ch = (unsigned char)text[start + i];
		if ((ch & 0xC0) == 0x80)
			continue;
		sl_strbuf_putc(out, ch == '\t' ? '\t' : ' ');
		c++;
	}
	for (; c < col; c++)
		sl_strbuf_putc(out, ' ');
	sl_strbuf_puts(out, "^\n");
}
