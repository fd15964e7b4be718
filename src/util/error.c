/*
 * error.c: the error object (see error.h).
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
sl_error_clear(sl_error_t *err)
{
	if (err == NULL)
		return;
	err->code = SL_OK;
	err->offset = -1;
	err->line = 0;
	err->col = 0;
	err->msg[0] = '\0';
}

static int
error_vset(sl_error_t *err, int code, int offset, const char *fmt, va_list ap)
{
	if (err == NULL)
		return code;
	err->code = code;
	err->offset = offset;
	err->line = 0;
	err->col = 0;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

int
sl_error_set(sl_error_t *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, code, -1, fmt, ap);
	va_end(ap);
	return code;
}

int
sl_error_at(sl_error_t *err, int code, int offset, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, code, offset, fmt, ap);
	va_end(ap);
	return code;
}

void
sl_text_position(const char *text, size_t len, int offset, int *line, int *col)
{
	int l = 1, c = 1;
	if (offset < 0)
		offset = 0;
	for (size_t i = 0; i < len && i < (size_t)offset; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			c++; /* count UTF-8 characters, not continuation bytes */
		}
	}
	*line = l;
	*col = c;
}

void
sl_error_locate(sl_error_t *err, const char *text, size_t len)
{
	if (err == NULL || err->offset < 0)
		return;
	sl_text_position(text, len, err->offset, &err->line, &err->col);
}

void
sl_error_format(const sl_error_t *err, char *buf, size_t size)
{
	if (err->line > 0)
		snprintf(buf, size, "line %d:%d: %s", err->line, err->col, err->msg);
	else
		snprintf(buf, size, "%s", err->msg);
}
