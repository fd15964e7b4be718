/*
 * backend.h: what the shell talks to, embedded or remote.
 *
 * Stage: cli.  The shell hands one statement at a time to a backend and
 * gets back what ksqlDB's REST API would: entities (the cJSON objects of
 * POST /ksql, tagged with "@type") for a statement, or a metadata header
 * and rows (JSON array text, one per row) for a SELECT.  Two backends
 * implement it:
 *
 *   backend_embedded.c  an in-process engine (engine/engine.h) and its
 *                       session;
 *   backend_remote.c    a sluiced (or ksqlDB) server over HTTP with libcurl:
 *                       /ksql, /query-stream, /close-query, /info.
 *
 * Because both hand on the same data, everything above this interface
 * (rendering, completion, the REPL) cannot tell them apart, and the shell
 * shows the same output in both modes.
 *
 * Errors come back as an sl_error_t whose line and column (offset -1) are
 * relative to the statement text given, ready for sl_errfmt_caret().
 *
 * A backend belongs to one thread; clone() gives another thread (the demo
 * generator) its own backend on the same engine or server.
 */
#ifndef SL_CLI_BACKEND_H
#define SL_CLI_BACKEND_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"
#include "util/props.h"
#include "util/strbuf.h"

typedef struct sl_backend sl_backend_t;
typedef struct sl_cli_query sl_cli_query_t;

/* One row of a query: json[0..len) is the array of its column values. */
typedef void (*sl_cli_row_fn)(void *ctx, const char *json, size_t len);

typedef enum sl_cli_qstate {
	SL_CLI_Q_RUNNING = 0, /* more rows may come */
	SL_CLI_Q_ENDED,       /* over by itself: every row of a pull query, or LIMIT */
	SL_CLI_Q_FAILED,      /* stopped by an error: the query's error */
} sl_cli_qstate_t;

/* A running SELECT: its columns, known once opened. */
struct sl_cli_query {
	sl_backend_t *b;
	char *id; /* query id ("" when the server gave none) */
	int ncols;
	char **names;
	char **types;   /* ksqlDB type names: "STRING", "BIGINT", ... */
	sl_error_t err; /* SL_CLI_Q_FAILED: why */
};

typedef struct sl_backend_ops {
	/* Runs one statement (sql[0..len), a trailing ';' optional) and
	 * appends its entities to results (a cJSON array the caller owns).
	 * On failure returns a negative SL_E* with err set; results then hold
	 * what the statement reported before failing. */
	int (*execute)(sl_backend_t *b, const char *sql, size_t len, cJSON *results,
		       sl_error_t *err);
	/* Starts one SELECT; *out (freed by query_close) has its columns. */
	int (*query_open)(sl_backend_t *b, const char *sql, size_t len, sl_cli_query_t **out,
			  sl_error_t *err);
	/* Hands the rows that have arrived to fn and returns the state.
	 * Waits up to timeout_ms for rows, returning early when the
	 * backend's interrupt descriptor becomes readable. */
	sl_cli_qstate_t (*query_poll)(sl_cli_query_t *q, int timeout_ms, sl_cli_row_fn fn,
				      void *ctx);
	/* Stops the query if it still runs (POST /close-query remotely) and
	 * frees it.  q may be NULL. */
	void (*query_close)(sl_cli_query_t *q);
	/* Appends what the banner says about it: which server or Kafka. */
	void (*describe)(sl_backend_t *b, sl_strbuf_t *out);
	/* A second backend on the same engine or server, with a session of
	 * its own (the session's properties copied); NULL on failure. */
	sl_backend_t *(*clone)(sl_backend_t *b);
	void (*destroy)(sl_backend_t *b);
} sl_backend_ops_t;

struct sl_backend {
	const sl_backend_ops_t *ops;
	int intr_fd; /* readable when the user pressed Ctrl-C; -1 none */
};

typedef struct sl_backend_embedded_config {
	const sl_props_t *props; /* server properties (bootstrap.servers, state.dir, ...) */
	bool test_mode;          /* deterministic: queries run in a barrier before
				   * each statement, as in sluice-test */
	int intr_fd;
} sl_backend_embedded_config_t;

/* Starts an engine (connecting to Kafka or starting the embedded one). */
int sl_backend_embedded_create(const sl_backend_embedded_config_t *cfg, sl_backend_t **out,
			       sl_error_t *err);

typedef struct sl_backend_remote_config {
	const char *url;  /* http://host:port (https: too) */
	const char *user; /* basic authentication "user:password"; NULL: none */
	int intr_fd;
} sl_backend_remote_config_t;

/* Connects to a server: GET /info must answer. */
int sl_backend_remote_create(const sl_backend_remote_config_t *cfg, sl_backend_t **out,
			     sl_error_t *err);

/* Shared by the backends. */

/* Fills q's columns from parallel arrays (copied). */
void sl_cli_query_set_columns(sl_cli_query_t *q, const char *id, int ncols,
			      const char *const *names, const char *const *types);

/* Frees what sl_cli_query_set_columns() allocated (not q itself). */
void sl_cli_query_clear(sl_cli_query_t *q);

/* Fills err from a message "line L:C: text" (or just "text") as the
 * server words it: the position goes to line and col. */
void sl_cli_error_from_message(sl_error_t *err, int code, const char *msg);

/* A currentStatus entity with message, as /ksql answers a session
 * statement (SET, UNSET, DEFINE, UNDEFINE). */
cJSON *sl_cli_status_entity(const char *sql, size_t len, const char *message);

#endif
