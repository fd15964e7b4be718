/*
 * error.h: status codes and the error object every fallible call fills.
 *
 * Functions that can fail return SL_OK or a negative SL_E* code and, when
 * given a non-NULL sl_error_t, describe the failure there.  A message is
 * lower-case without a trailing period; identifiers are in double quotes.
 * When the error has a position in SQL text, offset is its byte offset and
 * line/col its 1-based line and column; sl_error_format() then renders
 * "line L:C: message".
 */
#ifndef SL_UTIL_ERROR_H
#define SL_UTIL_ERROR_H

#include <stddef.h>

enum {
	SL_OK = 0,
	SL_ERR = -1,       /* generic failure */
	SL_ESYNTAX = -2,   /* malformed SQL */
	SL_ENOMEM = -3,
	SL_EIO = -4,
	SL_EINVAL = -5,    /* well-formed but invalid request */
	SL_ENOTFOUND = -6,
	SL_EEXISTS = -7,
	SL_ENOTSUP = -8,   /* well-formed, but a feature sluice does not have */
};

#define SL_ERROR_MSG_MAX 512

typedef struct sl_error {
	int code;     /* SL_E*, SL_OK when no error was recorded */
	int offset;   /* byte offset in the SQL text, -1 when none */
	int line;     /* 1-based, 0 when no position */
	int col;      /* 1-based, 0 when no position */
	char msg[SL_ERROR_MSG_MAX];
} sl_error_t;

/* Clears err (no error, no position).  err may be NULL. */
void sl_error_clear(sl_error_t *err);

/* Records code and a printf-style message without a position; returns code.
 * err may be NULL, in which case only code is returned. */
int sl_error_set(sl_error_t *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As sl_error_set(), with the byte offset of the offending text; line and
 * column are computed later by sl_error_locate(). */
int sl_error_at(sl_error_t *err, int code, int offset, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Fills line/col from err->offset within text (of length len). */
void sl_error_locate(sl_error_t *err, const char *text, size_t len);

/* Renders "line L:C: msg" (or just msg without a position) into buf. */
void sl_error_format(const sl_error_t *err, char *buf, size_t size);

/* Computes the 1-based line and column of byte offset within text. */
void sl_text_position(const char *text, size_t len, int offset, int *line,
		      int *col);

#endif
