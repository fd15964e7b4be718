/*
 * http.h: the REST API server (ksqlDB's API, over libmicrohttpd).
 *
 * Stage: http.  Takes HTTP requests and hands each to the engine API
 * (engine/engine.h): /ksql to sl_engine_execute(), /query and
 * /query-stream to sl_engine_query(), /inserts-stream to the inserter,
 * /info, /healthcheck, /status and /metrics to the engine's state.  Push
 * queries stream from suspended connections (no thread per connection).
 * Every error is an HTTP 4xx/5xx with ksqlDB's JSON error body.
 */
#ifndef SL_HTTP_HTTP_H
#define SL_HTTP_HTTP_H

#include <stddef.h>

#include "engine/engine.h"
#include "util/error.h"

typedef struct sl_http sl_http_t;

typedef struct sl_http_config {
	const char *listen;        /* address to bind; NULL: 127.0.0.1 */
	int port;                  /* 0: any free port (see sl_http_port) */
	const char *password_file; /* basic authentication; NULL: off */
	const char *tls_cert;      /* PEM certificate and key: HTTPS; NULL: HTTP */
	const char *tls_key;
	size_t max_body;     /* request body limit; 0: 1 MiB */
	int threads;         /* worker threads; 0: 4 */
	int max_connections; /* 0: 10000 (less if the fd limit says so) */
	int heartbeat_ms;    /* idle text/event-stream comment; 0: 10 s */
} sl_http_config_t;

/*
 * Parses a listener, ksqlDB's "http://0.0.0.0:8088" or "ADDR:PORT"
 * ("[::1]:8088" for IPv6): host into host[0..size), the port into *port
 * and whether the scheme is https into *https (false without a scheme).
 */
int sl_http_parse_listener(const char *text, char *host, size_t size, int *port, int *https,
			   sl_error_t *err);

/*
 * Binds the address (a port in use is an error saying so) and loads the
 * password file and the TLS files, without serving yet: a server checks
 * its HTTP configuration before it starts the engine.  Connections wait in
 * the listen queue until sl_http_serve().  cfg's strings are copied.
 */
int sl_http_create(const sl_http_config_t *cfg, sl_http_t **out, sl_error_t *err);

/* Starts serving eng (which must outlive the server).  On error h is
 * still to be freed by sl_http_stop(). */
int sl_http_serve(sl_http_t *h, sl_engine_t *eng, sl_error_t *err);

/* sl_http_create() and sl_http_serve() in one. */
int sl_http_start(sl_engine_t *eng, const sl_http_config_t *cfg, sl_http_t **out, sl_error_t *err);

/* The port it listens on. */
int sl_http_port(const sl_http_t *h);

/* Closes every connection (push queries end), stops and frees h (created,
 * serving or not).  h may be NULL. */
void sl_http_stop(sl_http_t *h);

#endif
