/*
 * strbuf.c: growable string buffer (see strbuf.h).
 */
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
strbuf_grow(sl_strbuf_t *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	char *p = realloc(sb->data, cap);
	if (p == NULL) {
		fprintf(stderr, "sluice: out of memory growing a buffer to %zu\n", cap);
		abort();
	}
	sb->data = p;
	sb->cap = cap;
}

void
sl_strbuf_init(sl_strbuf_t *sb)
{
	sb->data = NULL;
	sb->len = 0;
	sb->cap = 0;
	strbuf_grow(sb, 0);
	sb->data[0] = '\0';
}

void
sl_strbuf_free(sl_strbuf_t *sb)
{
	free(sb->data);
	sb->data = NULL;
	sb->len = sb->cap = 0;
}

void
sl_strbuf_reset(sl_strbuf_t *sb)
{
	sb->len = 0;
	if (sb->data)
		sb->data[0] = '\0';
}

void
sl_strbuf_append(sl_strbuf_t *sb, const char *s, size_t n)
{
	strbuf_grow(sb, n);
	memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void
sl_strbuf_puts(sl_strbuf_t *sb, const char *s)
{
	sl_strbuf_append(sb, s, strlen(s));
}

void
sl_strbuf_putc(sl_strbuf_t *sb, char c)
{
	sl_strbuf_append(sb, &c, 1);
}

void
sl_strbuf_printf(sl_strbuf_t *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	strbuf_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

char *
sl_strbuf_steal(sl_strbuf_t *sb)
{
	char *p = sb->data;
	sb->data = NULL;
	sb->len = sb->cap = 0;
	return p;
}
