/*
 * strbuf.h: a growable, NUL-terminated byte buffer on the heap.
 *
 * Owned by whoever initialized it; sl_strbuf_free() releases the storage.
 * Allocation failure aborts (as the arena does).
 */
#ifndef SL_UTIL_STRBUF_H
#define SL_UTIL_STRBUF_H

#include <stddef.h>

typedef struct sl_strbuf {
	char *data;  /* always NUL-terminated once initialized */
	size_t len;
	size_t cap;
} sl_strbuf_t;

void sl_strbuf_init(sl_strbuf_t *sb);
void sl_strbuf_free(sl_strbuf_t *sb);
void sl_strbuf_reset(sl_strbuf_t *sb);
void sl_strbuf_append(sl_strbuf_t *sb, const char *s, size_t n);
void sl_strbuf_puts(sl_strbuf_t *sb, const char *s);
void sl_strbuf_putc(sl_strbuf_t *sb, char c);
void sl_strbuf_printf(sl_strbuf_t *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Hands the buffer's storage to the caller (free() it); sb becomes empty. */
char *sl_strbuf_steal(sl_strbuf_t *sb);

#endif
